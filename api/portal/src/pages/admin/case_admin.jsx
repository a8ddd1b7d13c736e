// /admin/cases/:case: the case's facts, who is bound to it, binding an officer or court user
// to it by user id (and unbinding), and moving the case to its next stage, each with a check
// step.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Notice, PageTitle, SelectField, TextField, useAsync } from '../../components/ui.jsx';
import { formatDateTime, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { Loaded, apiCase, caseBase } from '../office/common.jsx';
import { CaseFacts } from '../office/case_facts.jsx';
import {
  AdminNav,
  CASE_STATUSES,
  ActionPanel,
  MEMBER_ROLES,
  caseStatusText,
  nextCaseStatus,
  roleText,
  staffCreatedThisVisit,
} from './common.jsx';

const USER_ID = /^[1-9]\d{0,17}$/;

function parseUserId(text) {
  const s = String(text || '').trim().replace(/^#/, '');
  return USER_ID.test(s) ? s : null;
}

function FactsCard({ c }) {
  return (
    <div class="card">
      <h2>{t('admin.manage.facts')}</h2>
      <CaseFacts c={c} statusTestId="admin-case-status" />
      <p>
        <Link href={caseBase(c.id)}>{t('admin.manage.open_dashboard')}</Link>
      </p>
    </div>
  );
}

// The stages as a list, the current one marked, and the move to the next with a check step.
function StatusCard({ c, onChanged }) {
  const next = nextCaseStatus(c.status);
  const [done, setDone] = useState(null);
  return (
    <div class="card" data-testid="admin-status-card">
      <h2>{t('admin.status.title')}</h2>
      <ol class="admin-stages" aria-label={t('admin.status.stages')}>
        {CASE_STATUSES.map((s) => (
          <li key={s} aria-current={s === c.status ? 'step' : undefined} class={s === c.status ? 'admin-stage-current' : undefined}>
            {caseStatusText(s)}
            {s === c.status ? t('admin.status.current') : ''}
            <span class="hint">{t(`admin.status.about.${s}`)}</span>
          </li>
        ))}
      </ol>
      {done ? (
        <Notice kind="success">
          <p data-testid="admin-status-done">{t('admin.status.done', { from: caseStatusText(done.from), to: caseStatusText(done.to) })}</p>
        </Notice>
      ) : null}
      {next ? (
        <ActionPanel
          key={c.status}
          title={t('admin.status.move_title')}
          scope="status"
          testid="admin-status-panel"
          nextLabel={t('admin.status.move', { to: caseStatusText(next) })}
          fields={() => (
            <p>
              {t('admin.status.move_text', { from: caseStatusText(c.status), to: caseStatusText(next) })}
              <br />
              <span class="hint">{t(`admin.status.effect.${next}`)}</span>
            </p>
          )}
          summary={() => t('admin.status.confirm', { from: caseStatusText(c.status), to: caseStatusText(next) })}
          submitLabel={t('admin.status.confirm_button', { to: caseStatusText(next) })}
          variant={next === 'closed' ? 'danger' : 'primary'}
          submit={(key) => api.post(`${apiCase(c.id)}/status`, { status: next }, { idempotencyKey: key })}
          onDone={(updated) => {
            setDone({ from: c.status, to: updated && updated.status ? updated.status : next });
            onChanged();
          }}
        />
      ) : (
        <p data-testid="admin-status-final">{t('admin.status.final')}</p>
      )}
    </div>
  );
}

// Who is bound now, each with a button that fills in the unbinding form.
function MemberList({ state, onPick }) {
  return (
    <Loaded state={state}>
      {(data) =>
        data.members.length ? (
          <div class="table-wrap">
            <table class="stack" data-testid="admin-member-list">
              <caption>{t('admin.member.current')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.member.col.user')}</th>
                  <th scope="col">{t('admin.member.role')}</th>
                  <th scope="col">{t('admin.member.col.since')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('admin.member.unbind_title')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((m) => (
                  <tr key={m.user_id} data-testid="admin-member-row" data-user-id={m.user_id}>
                    <td data-label={t('admin.member.col.user')}>
                      <span class="mono">#{m.user_id}</span> {m.username}
                    </td>
                    <td data-label={t('admin.member.role')}>{roleText(m.role)}</td>
                    <td data-label={t('admin.member.col.since')}>{formatDateTime(m.added_at)}</td>
                    <td>
                      <button type="button" class="btn btn-secondary" onClick={() => onPick(String(m.user_id))}>
                        {t('admin.member.pick_unbind', { id: m.user_id })}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p data-testid="admin-member-none">{t('admin.member.none')}</p>
        )
      }
    </Loaded>
  );
}

function MemberCard({ c }) {
  const [bind, setBind] = useState({ user_id: '', role: 'officer' });
  const [unbindId, setUnbindId] = useState('');
  const [log, setLog] = useState([]);
  const members = useAsync(() => api.get(`${apiCase(c.id)}/members`), [c.id, log.length]);
  const created = staffCreatedThisVisit().filter((u) => MEMBER_ROLES.includes(u.role));
  const bindId = parseUserId(bind.user_id);
  const unbind = parseUserId(unbindId);
  const record = (entry) => setLog((l) => [{ ...entry, at: Date.now() }, ...l]);
  return (
    <div class="card" data-testid="admin-members">
      <h2>{t('admin.member.title')}</h2>
      <p class="hint">{t('admin.member.intro')}</p>
      <MemberList state={members} onPick={setUnbindId} />
      {created.length ? (
        <div class="admin-picks">
          <p class="hint">{t('admin.member.created_pick')}</p>
          <ul class="admin-pick-list">
            {created.map((u) => (
              <li key={u.id}>
                <button
                  type="button"
                  class="btn btn-secondary"
                  onClick={() => setBind({ user_id: String(u.id), role: u.role })}
                  aria-label={t('admin.member.pick_named', { id: u.id, username: u.username, role: roleText(u.role) })}
                >
                  #{u.id} {u.username}（{roleText(u.role)}）
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="grid">
        <ActionPanel
          title={t('admin.member.bind_title')}
          scope="member"
          testid="admin-bind-panel"
          shownFields={['user_id', 'role']}
          nextLabel={t('admin.member.bind_next')}
          submitLabel={t('admin.member.bind_submit')}
          fields={({ errors }) => (
            <div>
              <TextField
                label={t('admin.member.user_id')}
                hint={t('admin.member.user_id_hint')}
                value={bind.user_id}
                onInput={(v) => setBind({ ...bind, user_id: v })}
                error={errors.user_id}
                required
                inputMode="numeric"
                autocomplete="off"
                name="bind_user_id"
              />
              <SelectField
                label={t('admin.member.role')}
                hint={t('admin.member.role_hint')}
                value={bind.role}
                onInput={(v) => setBind({ ...bind, role: v })}
                error={errors.role}
                required
                name="bind_role"
                options={MEMBER_ROLES.map((r) => ({ value: r, label: roleText(r) }))}
              />
            </div>
          )}
          validate={() => (bindId ? null : { user_id: t('admin.member.err.user_id_format') })}
          summary={() => t('admin.member.bind_confirm', { id: bindId, role: roleText(bind.role), name: c.name })}
          submit={(key) =>
            api.post(`${apiCase(c.id)}/members`, { user_id: Number(bindId), role: bind.role }, { idempotencyKey: key })
          }
          onDone={() => {
            record({ kind: 'bound', user_id: bindId, role: bind.role });
            setBind({ user_id: '', role: bind.role });
          }}
        />
        <ActionPanel
          title={t('admin.member.unbind_title')}
          scope="unbind"
          testid="admin-unbind-panel"
          variant="danger"
          shownFields={[]}
          nextLabel={t('admin.member.unbind_next')}
          submitLabel={t('admin.member.unbind_submit')}
          fields={({ errors }) => (
            <TextField
              label={t('admin.member.user_id')}
              hint={t('admin.member.unbind_hint')}
              value={unbindId}
              onInput={setUnbindId}
              error={errors.user_id}
              required
              inputMode="numeric"
              autocomplete="off"
              name="unbind_user_id"
            />
          )}
          validate={() => (unbind ? null : { user_id: t('admin.member.err.user_id_format') })}
          summary={() => t('admin.member.unbind_confirm', { id: unbind, name: c.name })}
          submit={(key) => api.del(`${apiCase(c.id)}/members/${encodeURIComponent(unbind)}`, { idempotencyKey: key })}
          onDone={() => {
            record({ kind: 'unbound', user_id: unbind });
            setUnbindId('');
          }}
        />
      </div>
      {log.length ? (
        <div class="table-wrap">
          <table class="stack" data-testid="admin-member-log">
            <caption>{t('admin.member.log')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.member.col.time')}</th>
                <th scope="col">{t('admin.member.col.user')}</th>
                <th scope="col">{t('admin.member.col.change')}</th>
              </tr>
            </thead>
            <tbody>
              {log.map((e) => (
                <tr key={`${e.at}-${e.user_id}-${e.kind}`} data-testid="admin-member-log-row">
                  <td data-label={t('admin.member.col.time')}>{formatDateTime(e.at)}</td>
                  <td data-label={t('admin.member.col.user')} class="mono">
                    #{e.user_id}
                  </td>
                  <td data-label={t('admin.member.col.change')}>
                    {e.kind === 'bound' ? t('admin.member.bound', { role: roleText(e.role) }) : t('admin.member.unbound')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

export function CaseAdmin({ params, query }) {
  const caseId = params.case;
  const state = useAsync(() => api.get(apiCase(caseId)), [caseId]);
  const justCreated = query && query.get('created') === '1';
  return (
    <section>
      <AdminNav current="case" />
      <Loaded state={state}>
        {(c) => (
          <div>
            <PageTitle>{t('admin.manage.title', { name: c.name })}</PageTitle>
            {justCreated ? (
              <Notice kind="success">
                <p data-testid="admin-case-created">{t('admin.manage.created', { id: c.id })}</p>
              </Notice>
            ) : null}
            <div class="grid">
              <FactsCard c={c} />
              <StatusCard c={c} onChanged={state.reload} />
            </div>
            <MemberCard c={c} />
          </div>
        )}
      </Loaded>
    </section>
  );
}
