// Distribution runs (officers draft, endorse, execute, export payments), court approval.
import { CourtQueue, CourtRun } from './court.jsx';
import { DraftForm } from './draft_form.jsx';
import { RunDetail } from './run_detail.jsx';
import { RunList } from './run_list.jsx';

const STAFF = ['officer', 'auditor'];

export const distributionRoutes = [
  { path: '/office/cases/:case/distributions', component: RunList, roles: STAFF },
  { path: '/office/cases/:case/distributions/new', component: DraftForm, roles: ['officer'] },
  { path: '/office/cases/:case/distributions/:id', component: RunDetail, roles: STAFF },
  { path: '/court', component: CourtQueue, roles: ['court'] },
  { path: '/court/cases/:case/distributions/:id', component: CourtRun, roles: ['court'] },
];
