// The declaration wizard (new claim, or amending one in answer to a deficiency notice):
// identity, refund bank account, platform accounts, contributions, returns, review with
// the net amount, submit (one idempotency key across retries), then evidence upload.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Async, Button, ErrorMessage, Notice, PageTitle, useAsync } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { Link, navigate } from '../../router.jsx';
import { emptyDeclaration, fromStored, STEPS, stepOfField, toApi, validateStep } from './declaration.js';
import { AccountsStep, BankStep, IdentityStep, MoneyRowsStep, ReviewStep } from './declare_steps.jsx';
import { claimantErrorText } from './errors.js';
import { EvidenceList, EvidenceUploader } from './evidence.jsx';
import { caseOpen } from './status.jsx';

// set(d, "contributions[2].amount", v) -> a new declaration.
function setPath(d, path, value) {
  const next = JSON.parse(JSON.stringify(d));
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let o = next;
  for (let i = 0; i < keys.length - 1; i++) o = o[keys[i]];
  o[keys[keys.length - 1]] = value;
  return next;
}

function Wizard({ caseData, initial, claimId }) {
  const amend = !!claimId;
  const [d, setD] = useState(initial);
  const [step, setStep] = useState('identity');
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState(null);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(null); // the claim after a new declaration
  const [evidence, setEvidence] = useState([]);
  const key = useRef(newIdempotencyKey());
  const heading = useRef(null);

  useEffect(() => {
    if (heading.current) heading.current.focus({ preventScroll: false });
  }, [step, submitted]);

  const set = (path, value) => {
    setD((cur) => setPath(cur, path, value));
    if (errors[path]) setErrors((e) => ({ ...e, [path]: undefined }));
  };

  const texts = (problems) => Object.fromEntries(Object.entries(problems).map(([k, code]) => [k, t(`error.msg.${code}`)]));

  const goTo = (s) => {
    setGeneral(null);
    setStep(s);
  };

  const next = () => {
    const problems = validateStep(step, d);
    if (Object.keys(problems).length) {
      setErrors(texts(problems));
      setGeneral(t('declare.fix_errors'));
      return;
    }
    setErrors({});
    goTo(STEPS[STEPS.indexOf(step) + 1]);
  };

  const submit = async () => {
    // Every step once more, so a field changed and left wrong is caught here.
    for (const s of STEPS) {
      const problems = validateStep(s, d);
      if (Object.keys(problems).length) {
        setErrors(texts(problems));
        setGeneral(t('declare.fix_errors'));
        setStep(s);
        return;
      }
    }
    setBusy(true);
    setGeneral(null);
    try {
      const body = toApi(d);
      const res = amend
        ? await api.put(`/api/v1/cases/${caseData.id}/claims/${claimId}`, body, { idempotencyKey: key.current })
        : await api.post(`/api/v1/cases/${caseData.id}/claims`, body, { idempotencyKey: key.current });
      if (amend) {
        navigate(`/my/claims/${caseData.id}/${claimId}?amended=1`);
        return;
      }
      setSubmitted(res);
      setBusy(false);
    } catch (err) {
      setBusy(false);
      // A definite refusal was not stored: the corrected declaration gets a new key. After
      // a timeout or a lost connection the same key is kept, so a retry cannot file twice.
      if (err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408) key.current = newIdempotencyKey();
      if (err.field) {
        const s = stepOfField(err.field);
        setErrors({ [err.field]: claimantErrorText(err) });
        setGeneral(s === 'review' ? err : t('declare.server_error_at', { step: t(`declare.step.${s}`) }));
        setStep(s);
      } else {
        setErrors({});
        setGeneral(err);
      }
    }
  };

  if (submitted) {
    return (
      <section>
        <PageTitle>{t('declare.done.title')}</PageTitle>
        <Notice kind="success">
          <p>
            {t('declare.done.text')} <strong data-testid="claim-id">{submitted.id}</strong>
          </p>
          <p>{t('declare.done.keep')}</p>
        </Notice>
        <h2 tabIndex={-1} ref={heading}>
          {t('declare.step.evidence')}
        </h2>
        <p>{t('declare.evidence.intro')}</p>
        <EvidenceUploader caseId={caseData.id} claimId={submitted.id} allowAuthority={d.filed_as !== 'self'} onUploaded={(e) => setEvidence((l) => [...l, e])} />
        <h3>{t('evidence.list_title')}</h3>
        <EvidenceList items={evidence} caseId={caseData.id} claimId={submitted.id} />
        <div class="actions">
          <Link href={`/my/claims/${caseData.id}/${submitted.id}`} class="btn btn-primary claimant-link-btn">
            {t('declare.done.view_claim')}
          </Link>
        </div>
      </section>
    );
  }

  const index = STEPS.indexOf(step);
  const props = { d, set, errors, regions: caseData.regions || [], regionNames: caseData.region_names || {}, goTo };
  return (
    <section>
      <PageTitle>{amend ? t('declare.amend_title', { id: claimId }) : t('declare.title')}</PageTitle>
      <p class="hint">{caseData.name}</p>
      <ol class="steps" aria-label={t('declare.steps_label')}>
        {[...STEPS, ...(amend ? [] : ['evidence'])].map((s, i) => (
          <li key={s} aria-current={s === step ? 'step' : undefined}>
            {i < index ? (
              <button type="button" class="link-button claimant-step-link" onClick={() => goTo(s)}>
                {t(`declare.step.${s}`)}
              </button>
            ) : (
              t(`declare.step.${s}`)
            )}
          </li>
        ))}
      </ol>
      <h2 tabIndex={-1} ref={heading}>
        {t('declare.step_of', { n: index + 1, total: STEPS.length })} {t(`declare.step.${step}`)}
      </h2>
      {general ? typeof general === 'string' ? <div class="alert alert-error" role="alert"><p>{general}</p></div> : <div class="alert alert-error" role="alert"><p>{claimantErrorText(general)}</p>{general.status === 0 || general.status >= 500 ? <Button variant="secondary" onClick={submit}>{t('common.retry')}</Button> : null}</div> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (step === 'review') submit();
          else next();
        }}
      >
        {step === 'identity' ? <IdentityStep {...props} /> : null}
        {step === 'bank' ? <BankStep {...props} /> : null}
        {step === 'accounts' ? <AccountsStep {...props} /> : null}
        {step === 'contributions' ? <MoneyRowsStep {...props} list="contributions" /> : null}
        {step === 'returns' ? <MoneyRowsStep {...props} list="returns" /> : null}
        {step === 'review' ? <ReviewStep {...props} /> : null}
        {busy ? <Notice>{t('declare.submitting')}</Notice> : null}
        <div class="actions">
          {index > 0 ? (
            <Button variant="secondary" onClick={() => goTo(STEPS[index - 1])} disabled={busy}>
              {t('declare.back')}
            </Button>
          ) : null}
          <Button type="submit" busy={busy}>
            {step === 'review' ? (amend ? t('declare.submit_amend') : t('declare.submit')) : t('declare.next')}
          </Button>
        </div>
      </form>
      <p class="hint">{t('declare.memory_note')}</p>
    </section>
  );
}

export function DeclarePage({ params }) {
  const state = useAsync(() => api.get(`/api/v1/cases/${encodeURIComponent(params.case)}`), [params.case]);
  return (
    <Async state={state}>
      {(c) =>
        caseOpen(c) ? (
          <Wizard caseData={c} initial={emptyDeclaration(c.regions && c.regions.length === 1 ? c.regions[0] : '')} />
        ) : (
          <section>
            <PageTitle>{t('declare.title')}</PageTitle>
            <Notice kind="warning">{t('declare.case_closed', { name: c.name })}</Notice>
            <Link href="/my">{t('declare.back_to_my')}</Link>
          </section>
        )
      }
    </Async>
  );
}

export function AmendPage({ params }) {
  const state = useAsync(
    () =>
      Promise.all([
        api.get(`/api/v1/cases/${encodeURIComponent(params.case)}`),
        api.get(`/api/v1/cases/${encodeURIComponent(params.case)}/claims/${encodeURIComponent(params.id)}`),
      ]),
    [params.case, params.id],
  );
  return (
    <Async state={state}>
      {([c, claim]) =>
        claim.status === 'submitted' || claim.status === 'deficient' ? (
          <Wizard caseData={c} claimId={claim.id} initial={fromStored(claim.declaration)} />
        ) : (
          <section>
            <PageTitle>{t('declare.amend_title', { id: claim.id })}</PageTitle>
            <ErrorMessage error={t('declare.cannot_amend')} />
            <Link href={`/my/claims/${c.id}/${claim.id}`}>{t('claim.back')}</Link>
          </section>
        )
      }
    </Async>
  );
}
