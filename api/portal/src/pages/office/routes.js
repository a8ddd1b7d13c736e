// Officer, auditor and admin pages of a case: review queue and claim review, books,
// assets, pool. (Distributions and court pages are the distributions area's.)
import { AssetDetail } from './AssetDetail.jsx';
import { AssetsPage } from './AssetsPage.jsx';
import { BooksPage } from './BooksPage.jsx';
import { CaseDashboard } from './CaseDashboard.jsx';
import { ClaimReview } from './ClaimReview.jsx';
import { OfficeHome } from './OfficeHome.jsx';
import { PoolPage } from './PoolPage.jsx';
import { ReviewQueue } from './ReviewQueue.jsx';

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
