// Officer, auditor and admin pages of a case: review queue and claim review, books,
// assets, pool. (Distributions and court pages are the distributions area's.)
import { AssetDetail } from './asset_detail.jsx';
import { AssetsPage } from './assets_page.jsx';
import { BooksPage } from './books_page.jsx';
import { CaseDashboard } from './case_dashboard.jsx';
import { ClaimReview } from './claim_review.jsx';
import { OfficeHome } from './office_home.jsx';
import { PoolPage } from './pool_page.jsx';
import { ReviewQueue } from './review_queue.jsx';

const STAFF = ['officer', 'auditor', 'admin', 'court'];

export const officeRoutes = [
  { path: '/office', component: OfficeHome, roles: STAFF },
  { path: '/office/cases/:case', component: CaseDashboard, roles: STAFF },
  { path: '/office/cases/:case/claims', component: ReviewQueue, roles: STAFF },
  { path: '/office/cases/:case/claims/:id', component: ClaimReview, roles: STAFF },
  { path: '/office/cases/:case/books', component: BooksPage, roles: STAFF },
  { path: '/office/cases/:case/assets', component: AssetsPage, roles: STAFF },
  { path: '/office/cases/:case/assets/:id', component: AssetDetail, roles: STAFF },
  { path: '/office/cases/:case/pool', component: PoolPage, roles: STAFF },
];
