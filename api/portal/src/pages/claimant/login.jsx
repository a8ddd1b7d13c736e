// Sign in: claimants with their phone number, staff with their username. Afterwards to
// the page that sent them here (a path on this site only), else to their home page.
import { useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Button, Notice, PageTitle, TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { Link, navigate } from '../../router.jsx';
import { homeFor, setSession } from '../../session.js';
import { claimantErrorText } from './errors.js';

export function safeNext(next) {
  if (!next || typeof next !== 'string') return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (/[\u0000-\u001f]/.test(next)) return null;
  return next;
}

// Signs in and moves on; shared with the registration page.
export async function signIn(username, password) {
  const res = await api.post('/api/v1/auth/login', { username, password }, { idempotencyKey: newIdempotencyKey() });
  setSession({ token: res.token, expires_at: res.expires_at, user: res.user });
  return res.user;
}

export function LoginPage({ query }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(query && query.get('next'));

  const submit = async (e) => {
    e.preventDefault();
    const fe = {};
    if (!username.trim()) fe.username = t('login.need_username');
    if (!password) fe.password = t('login.need_password');
    setErrors(fe);
    setError(null);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      const u = username.trim();
      const user = await signIn(/^[\d\s-]+$/.test(u) ? u.replace(/[\s-]/g, '') : u, password);
      navigate(next || homeFor(user.role), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const notVerified = error && error.code === 'account_not_verified';
  return (
    <section class="claimant-narrow">
      <PageTitle>{t('login.title')}</PageTitle>
      <p>{t('login.intro')}</p>
      {error ? (
        <div class="alert alert-error" role="alert">
          <p>{error.code === 'too_many_attempts' && error.retryAfterSeconds ? t('login.too_many_wait', { seconds: error.retryAfterSeconds }) : claimantErrorText(error)}</p>
          {notVerified ? (
            <p>
              <Link href="/register?step=code">{t('login.go_verify')}</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('login.username')}
          hint={t('login.username_hint')}
          value={username}
          onInput={setUsername}
          error={errors.username}
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
        />
        <TextField
          label={t('login.password')}
          type="password"
          value={password}
          onInput={setPassword}
          error={errors.password}
          autocomplete="current-password"
          required
        />
        <div class="actions">
          <Button type="submit" busy={busy}>
            {t('login.submit')}
          </Button>
        </div>
      </form>
      <p>
        {t('login.no_account')} <Link href="/register">{t('login.register_link')}</Link>
      </p>
    </section>
  );
}
