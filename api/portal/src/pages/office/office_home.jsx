// /office: the cases a staff member works on. Officers and court users see the cases they are
// bound to (GET /api/v1/me lists them) first, and the others without links: the service
// would refuse them. Auditors (every case) and the administrator see every case.
import { api } from '../../api.js';
import { PageTitle, StatusBadge, useAsync } from '../../components/ui.jsx';
import { formatDate, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { Loaded, caseBase } from './common.jsx';

function CaseCard({ c, linked, isAdmin }) {
  return (
    <li class="card" data-case-id={c.id}>
      <h2>{linked ? <Link href={caseBase(c.id)}>{c.name}</Link> : c.name}</h2>
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
  );
}

function CaseLists({ cases, own, isAdmin }) {
  if (!cases.length) return <p>{t('office.no_cases')}</p>;
  if (!own) {
    return (
      <ul class="office-cases" data-testid="office-cases">
        {cases.map((c) => (
          <CaseCard key={c.id} c={c} linked isAdmin={isAdmin} />
        ))}
      </ul>
    );
  }
  const mine = cases.filter((c) => own.includes(c.id));
  const others = cases.filter((c) => !own.includes(c.id));
  return (
    <div>
      <h2>{t('office.my_cases')}</h2>
      {mine.length ? (
        <ul class="office-cases" data-testid="office-my-cases">
          {mine.map((c) => (
            <CaseCard key={c.id} c={c} linked />
          ))}
        </ul>
      ) : (
        <p data-testid="office-no-own-cases">{t('office.no_own_cases')}</p>
      )}
      {others.length ? (
        <details class="office-other-cases">
          <summary>{t('office.other_cases', { n: others.length })}</summary>
          <p class="hint">{t('office.other_cases_hint')}</p>
          <ul class="office-cases" data-testid="office-other-cases">
            {others.map((c) => (
              <CaseCard key={c.id} c={c} linked={false} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function OfficeHome({ session }) {
  const state = useAsync(() => Promise.all([api.get('/api/v1/cases'), api.get('/api/v1/me')]), []);
  const isAdmin = !!(session && session.user && session.user.role === 'admin');
  return (
    <section>
      <PageTitle>{t('office.title')}</PageTitle>
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
        {([data, me]) => <CaseLists cases={data.cases || []} own={Array.isArray(me.cases) ? me.cases : null} isAdmin={isAdmin} />}
      </Loaded>
    </section>
  );
}
