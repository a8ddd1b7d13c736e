// Admin pages: cases and staff accounts, a new case, and one case's members and stage.
// The service checks the admin role again on every request.
import { AdminHome } from './admin_home.jsx';
import { CaseAdmin } from './case_admin.jsx';
import { CaseNew } from './case_new.jsx';

const ADMIN = ['admin'];

// '/admin/cases/new' comes before '/admin/cases/:case', which would match it too.
export const adminRoutes = [
  { path: '/admin', component: AdminHome, roles: ADMIN },
  { path: '/admin/cases/new', component: CaseNew, roles: ADMIN },
  { path: '/admin/cases/:case', component: CaseAdmin, roles: ADMIN },
];
