// /office: the cases a staff member may work on. The service lists every case (it has
// no membership flag); a case the caller is not bound to answers its pages with 403.
import { api } from '../../api.js';
import { PageTitle, StatusBadge, useAsync } from '../../components/ui.jsx';
import { formatDate, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { Loaded, caseBase } from './common.jsx';

export function OfficeHome({ session }) {
  const state = useAsync(() => api.get('/api/v1/cases'), []);
  const isAdmin = !!(session && session.user && session.user.role === 'admin');
  return (
    <section>
      <PageTitle>{t('office.title')}</PageTitle>
      <p class="hint">{t('office.cases_hint')}</p>
      {isAdmin ? (
        <nav class="card office-dash-admin" aria-label={t('office.dashboard.admin_label')} data-testid="office-admin-links">
          <h2>{t('office.dashboard.admin_title')}</h2>
          <ul class="office-links">
            <li>
              <Link href="/admin">{t('office.dashboard.admin_home')}</Link>
            </li>
            <li>
              <Link href="/admin/cases/new">{t('office.dashboard.admin_new_case')}</Link>
            </li>
          </ul>
        </nav>
      ) : null}
      <Loaded state={state}>
        {(data) =>
          data.cases && data.cases.length ? (
            <ul class="office-cases">
              {data.cases.map((c) => (
                <li key={c.id} class="card">
                  <h2>
                    <Link href={caseBase(c.id)}>{c.name}</Link>
                  </h2>
                  {isAdmin ? (
                    <p>
                      <Link href={`/admin/cases/${encodeURIComponent(c.id)}`} aria-label={t('office.dashboard.admin_manage_named', { name: c.name })}>
                        {t('office.dashboard.admin_manage')}
                      </Link>
                    </p>
                  ) : null}
                  <p>
                    <span class="mono">{c.case_number}</span> <StatusBadge status={c.status} kind="office.case" />
                  </p>
                  <p class="hint">
                    {t('office.case.registration_window', {
                      from: formatDate(c.registration_opens),
                      to: formatDate(c.registration_closes),
                    })}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('office.no_cases')}</p>
          )
        }
      </Loaded>
    </section>
  );
}
