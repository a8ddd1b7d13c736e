// The route table and the gate in front of it: a page that needs a role sends anyone else
// to sign in (and back afterwards), so no page ever renders for the wrong person. The
// service checks every request again; this only spares people a page of errors.
import { useEffect, useState } from 'preact/hooks';
import { Layout } from './components/layout.jsx';
import { Notice, PageTitle } from './components/ui.jsx';
import { onLangChange, t } from './i18n.js';
import { adminRoutes } from './pages/admin/routes.js';
import { claimantRoutes } from './pages/claimant/routes.js';
import { distributionRoutes } from './pages/distributions/routes.js';
import { officeRoutes } from './pages/office/routes.js';
import { publicRoutes } from './pages/public/routes.js';
import { Link, matchPath, navigate, useLocation } from './router.jsx';
import { onSessionChange, useSession } from './session.js';

// {path, component, roles?}: roles absent = public.
const ROUTES = [...publicRoutes, ...claimantRoutes, ...officeRoutes, ...distributionRoutes, ...adminRoutes];

function NotFound() {
  return (
    <section>
      <PageTitle>{t('notfound.title')}</PageTitle>
      <p>
        <Link href="/">{t('notfound.home')}</Link>
      </p>
    </section>
  );
}

function resolve(path) {
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

export function App() {
  const loc = useLocation();
  const session = useSession();
  const [, setLangTick] = useState(0);
  const [expired, setExpired] = useState(false);
  useEffect(() => onLangChange(() => setLangTick((n) => n + 1)), []);
  useEffect(
    () =>
      onSessionChange((s, reason) => {
        if (!s && reason === 'expired') {
          setExpired(true);
          navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
        } else if (s) {
          setExpired(false);
        }
      }),
    [],
  );
  // Move focus to the new page's heading, so keyboard and screen-reader users start there.
  useEffect(() => {
    const h = document.getElementById('page-title');
    if (h) h.focus({ preventScroll: true });
  }, [loc.path]);

  const match = resolve(loc.path);
  let page;
  if (!match) {
    page = <NotFound />;
  } else if (match.route.roles && (!session || !match.route.roles.includes(session.user.role))) {
    if (!session) {
      navigate(`/login?next=${encodeURIComponent(loc.path)}`, { replace: true });
      return null;
    }
    page = (
      <section>
        <PageTitle>{t('forbidden.title')}</PageTitle>
        <p>{t('forbidden.text')}</p>
      </section>
    );
  } else {
    const Page = match.route.component;
    page = <Page params={match.params} query={loc.query} session={session} />;
  }
  return (
    <Layout>
      {expired ? <Notice kind="warning">{t('session.expired')}</Notice> : null}
      {page}
    </Layout>
  );
}
