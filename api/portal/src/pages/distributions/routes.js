// Distribution runs (officers draft, endorse, execute, export payments), court approval.
import { CourtQueue, CourtRun } from './Court.jsx';
import { DraftForm } from './DraftForm.jsx';
import { RunDetail } from './RunDetail.jsx';
import { RunList } from './RunList.jsx';

const STAFF = ['officer', 'auditor'];

export const distributionRoutes = [
  { path: '/office/cases/:case/distributions', component: RunList, roles: STAFF },
  { path: '/office/cases/:case/distributions/new', component: DraftForm, roles: ['officer'] },
  { path: '/office/cases/:case/distributions/:id', component: RunDetail, roles: STAFF },
  { path: '/court', component: CourtQueue, roles: ['court'] },
  { path: '/court/cases/:case/distributions/:id', component: CourtRun, roles: ['court'] },
];
