// Claimant pages (and the sign-in and registration pages everyone uses).
import { ClaimPage } from './claim.jsx';
import { AmendPage, DeclarePage } from './declare.jsx';
import { LoginPage } from './login.jsx';
import { MyPage } from './my.jsx';
import { RegisterPage } from './register.jsx';
import { VerifyPage } from './verify.jsx';

const claimant = ['claimant'];

export const claimantRoutes = [
  { path: '/login', component: LoginPage },
  { path: '/register', component: RegisterPage },
  { path: '/verify', component: VerifyPage },
  { path: '/my', component: MyPage, roles: claimant },
  { path: '/my/cases/:case/declare', component: DeclarePage, roles: claimant },
  { path: '/my/claims/:case/:id', component: ClaimPage, roles: claimant },
  { path: '/my/claims/:case/:id/amend', component: AmendPage, roles: claimant },
];
