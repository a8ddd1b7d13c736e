// Pages for everyone: the home page, case pages with statistics and rounds, the checkpoint.
import { CaseList, CasePage } from './Cases.jsx';
import { Home } from './Home.jsx';

export const publicRoutes = [
  { path: '/', component: Home },
  { path: '/cases', component: CaseList },
  { path: '/cases/:case', component: CasePage },
];
