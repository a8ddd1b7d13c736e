// Pages for everyone: the home page, case pages with statistics and rounds, the checkpoint.
import { CaseList, CasePage } from './cases.jsx';
import { Home } from './home.jsx';

export const publicRoutes = [
  { path: '/', component: Home },
  { path: '/cases', component: CaseList },
  { path: '/cases/:case', component: CasePage },
];
