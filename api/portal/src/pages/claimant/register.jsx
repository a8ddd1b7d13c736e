// Registration in three steps: phone number and password, the six-digit code from the
// text message, then signed in (with the password just typed, kept only in this page).
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Button, Notice, PageTitle, TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { Link, navigate } from '../../router.jsx';
import { homeFor } from '../../session.js';
import { claimantErrorText } from './errors.js';
import { signIn } from './login.jsx';

const cleanPhone = (p) => p.replace(/[\s-]/g, '');
const PHONE = /^1[3-9]\d{9}$/;

export function RegisterPage({ query }) {
  const [step, setStep] = useState(query && query.get('step') === 'code' ? 'code' : 'account');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const registerKey = useRef(newIdempotencyKey());
  const verifyKey = useRef(newIdempotencyKey());

  const sendCode = async () => {
    await api.post('/api/v1/claimants/register', { phone: cleanPhone(phone), password }, { idempotencyKey: registerKey.current });
  };

  const submitAccount = async (e) => {
    e.preventDefault();
    const fe = {};
    if (!PHONE.test(cleanPhone(phone))) fe.phone = t(phone ? 'error.msg.phone' : 'error.msg.empty');
    if (password.length < 10) fe.password = t('register.password_short');
    else if (confirm !== password) fe.confirm = t('register.password_mismatch');
    setErrors(fe);
    setError(null);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      await sendCode();
      setStep('code');
      setSent(true);
    } catch (err) {
      if (err.field === 'phone' || err.field === 'password') setErrors({ [err.field]: claimantErrorText(err) });
      else setError(err);
    }
    setBusy(false);
  };

  const resend = async () => {
    setError(null);
    setBusy(true);
    registerKey.current = newIdempotencyKey();
    try {
      await sendCode();
      setSent(true);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  const submitCode = async (e) => {
    e.preventDefault();
    const fe = {};
    if (!PHONE.test(cleanPhone(phone))) fe.phone = t(phone ? 'error.msg.phone' : 'error.msg.empty');
    if (!/^\d{6}$/.test(code.trim())) fe.code = t('register.code_format');
    setErrors(fe);
    setError(null);
    if (Object.keys(fe).length) return;
    setBusy(true);
    try {
      await api.post('/api/v1/claimants/verify', { phone: cleanPhone(phone), code: code.trim() }, { idempotencyKey: verifyKey.current });
    } catch (err) {
      if (err.field === 'code' || err.code === 'invalid_code') setErrors({ code: claimantErrorText(err) });
      else setError(err);
      verifyKey.current = newIdempotencyKey();
      setBusy(false);
      return;
    }
    if (password) {
      try {
        const user = await signIn(cleanPhone(phone), password);
        navigate(homeFor(user.role), { replace: true });
        return;
      } catch {
        // Fall through to "now sign in".
      }
    }
    setBusy(false);
    setStep('done');
  };

  const steps = ['account', 'code', 'done'];
  return (
    <section class="claimant-narrow">
      <PageTitle>{t('register.title')}</PageTitle>
      <ol class="steps" aria-label={t('register.steps_label')}>
        {steps.map((s) => (
          <li key={s} aria-current={s === step ? 'step' : undefined}>
            {t(`register.step.${s}`)}
          </li>
        ))}
      </ol>
      {error ? (
        <div class="alert alert-error" role="alert">
          <p>{error.code === 'too_many_attempts' && error.retryAfterSeconds ? t('register.wait', { seconds: error.retryAfterSeconds }) : claimantErrorText(error)}</p>
        </div>
      ) : null}
      {step === 'account' ? (
        <form onSubmit={submitAccount} noValidate>
          <p>{t('register.intro')}</p>
          <TextField label={t('register.phone')} hint={t('register.phone_hint')} type="tel" inputmode="numeric" autocomplete="tel-national" maxlength={13} value={phone} onInput={setPhone} error={errors.phone} required />
          <TextField label={t('register.password')} hint={t('register.password_hint')} type="password" autocomplete="new-password" value={password} onInput={setPassword} error={errors.password} required />
          <TextField label={t('register.confirm')} type="password" autocomplete="new-password" value={confirm} onInput={setConfirm} error={errors.confirm} required />
          <div class="actions">
            <Button type="submit" busy={busy}>
              {t('register.send_code')}
            </Button>
          </div>
          <p>
            {t('register.have_account')} <Link href="/login">{t('register.login_link')}</Link>
          </p>
        </form>
      ) : null}
      {step === 'code' ? (
        <form onSubmit={submitCode} noValidate>
          {sent ? <Notice kind="success">{t('register.code_sent')}</Notice> : <p>{t('register.code_intro')}</p>}
          {!sent ? (
            <TextField label={t('register.phone')} type="tel" inputmode="numeric" autocomplete="tel-national" maxlength={13} value={phone} onInput={setPhone} error={errors.phone} required />
          ) : null}
          <TextField
            label={t('register.code')}
            hint={t('register.code_hint')}
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            maxlength={6}
            value={code}
            onInput={setCode}
            error={errors.code}
            required
          />
          <div class="actions">
            <Button type="submit" busy={busy}>
              {t('register.verify')}
            </Button>
            {password ? (
              <Button variant="secondary" onClick={resend} disabled={busy}>
                {t('register.resend')}
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => setStep('account')}>
                {t('register.start_over')}
              </Button>
            )}
          </div>
        </form>
      ) : null}
      {step === 'done' ? (
        <div>
          <Notice kind="success">{t('register.done')}</Notice>
          <p>
            <Link href="/login" class="btn btn-primary claimant-link-btn">
              {t('register.login_now')}
            </Link>
          </p>
        </div>
      ) : null}
    </section>
  );
}
