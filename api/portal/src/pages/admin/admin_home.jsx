// /admin: every case with its stage (to manage it), and the form that creates a staff
// account (officer, court, auditor or admin).
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Button, Notice, PageTitle, SelectField, StatusBadge, TextField, useAsync } from '../../components/ui.jsx';
import { formatDate, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { Loaded, caseBase } from '../office/common.jsx';
import {
  AdminError,
  AdminNav,
  STAFF_ACCOUNT_ROLES,
  adminCase,
  fieldErrorsFrom,
  rememberStaff,
  roleText,
  staffCreatedThisVisit,
} from './common.jsx';

const USERNAME = /^[a-z][a-z0-9._-]{2,63}$/;
const PASSWORD_MIN = 10;

function CasesCard() {
  const state = useAsync(() => api.get('/api/v1/cases'), []);
  return (
    <section class="card" aria-labelledby="admin-cases-title">
      <h2 id="admin-cases-title">{t('admin.cases.title')}</h2>
      <p class="actions">
        <Link class="btn btn-primary" href="/admin/cases/new" data-testid="admin-new-case-link">
          {t('admin.cases.new')}
        </Link>
      </p>
      <Loaded state={state}>
        {(data) =>
          data.cases && data.cases.length ? (
            <div class="table-wrap">
              <table class="stack" data-testid="admin-cases">
                <caption class="sr-only">{t('admin.cases.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.col.case_number')}</th>
                    <th scope="col">{t('admin.col.name')}</th>
                    <th scope="col">{t('admin.col.status')}</th>
                    <th scope="col">{t('admin.col.registration')}</th>
                    <th scope="col">{t('admin.col.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.cases.map((c) => (
                    <tr key={c.id} data-testid="admin-case-row" data-case-id={c.id}>
                      <td data-label={t('admin.col.case_number')} class="mono">
                        {c.case_number}
                      </td>
                      <td data-label={t('admin.col.name')}>{c.name}</td>
                      <td data-label={t('admin.col.status')}>
                        <StatusBadge status={c.status} kind="office.case" />
                      </td>
                      <td data-label={t('admin.col.registration')}>
                        {formatDate(c.registration_opens)} – {formatDate(c.registration_closes)}
                      </td>
                      <td data-label={t('admin.col.actions')}>
                        <span class="admin-links">
                          <Link href={adminCase(c.id)} aria-label={t('admin.cases.manage_named', { name: c.name })}>
                            {t('admin.cases.manage')}
                          </Link>
                          <Link href={caseBase(c.id)} aria-label={t('admin.cases.dashboard_named', { name: c.name })}>
                            {t('admin.cases.dashboard')}
                          </Link>
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>{t('admin.cases.none')}</p>
          )
        }
      </Loaded>
    </section>
  );
}

const STAFF_FIELDS = ['username', 'password', 'role'];

function StaffForm() {
  const [form, setForm] = useState({ username: '', password: '', role: 'officer' });
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState(null);
  const [list, setList] = useState(staffCreatedThisVisit());
  const key = useRef(null);
  const set = (name) => (v) => {
    // A changed input is a different request: a new idempotency key.
    key.current = null;
    setForm({ ...form, [name]: v });
  };
  const validate = () => {
    const e = {};
    const u = form.username.trim();
    if (!u) e.username = t('admin.staff.err.username_empty');
    else if (!USERNAME.test(u)) e.username = t('admin.staff.err.username');
    if (!form.password) e.password = t('admin.staff.err.password_empty');
    else if (form.password.length < PASSWORD_MIN) e.password = t('admin.staff.err.password', { n: PASSWORD_MIN });
    else if (form.password === u) e.password = t('admin.staff.err.password_username');
    if (!STAFF_ACCOUNT_ROLES.includes(form.role)) e.role = t('admin.staff.err.role');
    return e;
  };
  const submit = async (ev) => {
    ev.preventDefault();
    setGeneral(null);
    setCreated(null);
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    if (!key.current) key.current = newIdempotencyKey();
    setBusy(true);
    try {
      const user = await api.post(
        '/api/v1/users',
        { username: form.username.trim(), password: form.password, role: form.role },
        { idempotencyKey: key.current },
      );
      key.current = null;
      rememberStaff(user);
      setList(staffCreatedThisVisit());
      setCreated(user);
      setForm({ username: '', password: '', role: form.role });
    } catch (err) {
      if (err.status && err.status < 500) key.current = null;
      const placed = fieldErrorsFrom(err, 'staff', STAFF_FIELDS);
      if (placed) setErrors(placed);
      else setGeneral(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="admin-staff-title" data-testid="admin-staff-form">
      <h2 id="admin-staff-title">{t('admin.staff.title')}</h2>
      <p class="hint">{t('admin.staff.intro')}</p>
      <form onSubmit={submit} noValidate>
        <div class="office-form-grid">
          <TextField
            label={t('admin.staff.username')}
            hint={t('admin.staff.username_hint')}
            value={form.username}
            onInput={set('username')}
            error={errors.username}
            required
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            maxLength={64}
            name="username"
          />
          <TextField
            label={t('admin.staff.password')}
            hint={t('admin.staff.password_hint', { n: PASSWORD_MIN })}
            type="password"
            value={form.password}
            onInput={set('password')}
            error={errors.password}
            required
            autocomplete="new-password"
            maxLength={128}
            name="password"
          />
          <SelectField
            label={t('admin.staff.role')}
            hint={t('admin.staff.role_hint')}
            value={form.role}
            onInput={set('role')}
            error={errors.role}
            required
            name="role"
            options={STAFF_ACCOUNT_ROLES.map((r) => ({ value: r, label: roleText(r) }))}
          />
        </div>
        <AdminError error={general} scope="staff" onRetry={general && general.status === 0 ? submit : undefined} />
        <div class="actions">
          <Button type="submit" busy={busy} data-testid="admin-staff-submit">
            {t('admin.staff.submit')}
          </Button>
        </div>
      </form>
      {created ? (
        <Notice kind="success">
          <p data-testid="admin-user-created">
            {t('admin.staff.created', { username: created.username, role: roleText(created.role) })}{' '}
            <strong>
              {t('admin.staff.user_id')} <span data-testid="admin-user-id">{created.id}</span>
            </strong>
          </p>
          <p>{t('admin.staff.created_hint')}</p>
        </Notice>
      ) : null}
      {list.length ? (
        <div class="table-wrap">
          <table class="stack" data-testid="admin-staff-created">
            <caption>{t('admin.staff.this_visit')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.staff.user_id')}</th>
                <th scope="col">{t('admin.staff.username')}</th>
                <th scope="col">{t('admin.staff.role')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id}>
                  <td data-label={t('admin.staff.user_id')} class="mono">
                    {u.id}
                  </td>
                  <td data-label={t('admin.staff.username')} class="mono">
                    {u.username}
                  </td>
                  <td data-label={t('admin.staff.role')}>{roleText(u.role)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function AdminHome() {
  return (
    <section>
      <AdminNav current="home" />
      <PageTitle>{t('admin.title')}</PageTitle>
      <p class="hint">{t('admin.intro')}</p>
      <CasesCard />
      <StaffForm />
    </section>
  );
}
