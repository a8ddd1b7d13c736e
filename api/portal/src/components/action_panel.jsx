// The one panel for an action with a check step, used by the office, admin and run pages:
// fill in (optional), check what will happen, then do it. Focus moves into the panel when it
// opens and on each step; Escape goes back a step (or closes); the button shows it is busy.
import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api.js';
import { errorText, fieldKey, t } from '../i18n.js';
import { Button, ErrorMessage, Notice, useId } from './ui.jsx';

// fields({errors}) renders the inputs (none: the panel opens on the check step);
// validate() returns {field: words} or null; summary() or children say what will happen;
// submit(idempotencyKey) does it. shownFields: catalogue field names ("regions" for
// "regions[2]") whose service errors go next to the field. errorWords(err): the area's own
// words for an error, or null for the shared ones. focusOnOpen=false for a panel that is
// part of the page from the start (focus then follows the steps only); disabled: the
// action cannot be taken now (the page says why); input: a text of what submit sends, when
// editing it after a lost answer must not reuse the key (the service refuses a reused key).
export function ActionPanel({
  title,
  fields,
  validate,
  summary,
  children,
  submit,
  shownFields = [],
  errorWords,
  onDone,
  onCancel,
  nextLabel,
  submitLabel,
  backLabel,
  variant = 'primary',
  disabled,
  input,
  focusOnOpen = true,
  testid,
}) {
  const [stage, setStage] = useState(fields ? 'edit' : 'confirm');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState(null);
  // The idempotency key lives as long as the logical action (kept across a retry).
  const key = useRef(null);
  const heading = useRef(null);
  const first = useRef(!focusOnOpen);
  const headingId = useId('panel');
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (heading.current) heading.current.focus({ preventScroll: false });
  }, [stage]);
  const back = fields ? () => setStage('edit') : onCancel;
  const next = (e) => {
    e.preventDefault();
    setGeneral(null);
    const errs = validate ? validate() : null;
    if (errs && Object.keys(errs).length) {
      setErrors(errs);
      return;
    }
    setErrors({});
    setStage('confirm');
  };
  const go = async () => {
    if (key.current && input !== undefined && key.current.input !== input) key.current = null;
    if (!key.current) key.current = { value: newIdempotencyKey(), input };
    setBusy(true);
    setGeneral(null);
    try {
      const result = await submit(key.current.value);
      key.current = null;
      setBusy(false);
      if (fields) setStage('edit');
      onDone && onDone(result);
    } catch (err) {
      setBusy(false);
      // A refusal (4xx) ends this attempt; a lost or failed (5xx) request is retried as is.
      if (err.status && err.status < 500) key.current = null;
      const own = errorWords ? errorWords(err) : null;
      const field = err.field ? fieldKey(err.field) : null;
      if (fields && field && shownFields.includes(field)) {
        setErrors({ [field]: own || errorText(err) });
        setStage('edit');
      } else {
        setErrors({});
        setGeneral(own || err);
      }
    }
  };
  const onKeyDown = (e) => {
    if (e.key !== 'Escape' || busy) return;
    const close = stage === 'confirm' ? back : onCancel;
    if (close) {
      e.stopPropagation();
      close();
    }
  };
  return (
    <section class="card action-panel" aria-labelledby={headingId} data-testid={testid} onKeyDown={onKeyDown}>
      <h3 id={headingId} tabIndex={-1} ref={heading}>
        {title}
      </h3>
      {stage === 'edit' ? (
        <form onSubmit={next} noValidate>
          {fields({ errors })}
          <ErrorMessage error={general} />
          <div class="actions">
            <Button type="submit" variant={variant} disabled={disabled}>
              {nextLabel}
            </Button>
            {onCancel ? (
              <Button variant="secondary" onClick={onCancel}>
                {t('action.cancel')}
              </Button>
            ) : null}
          </div>
        </form>
      ) : (
        <div role="alertdialog" aria-modal="false" aria-labelledby={headingId}>
          <Notice kind="warning">{children || <p>{summary ? summary() : title}</p>}</Notice>
          <ErrorMessage error={general} />
          <div class="actions">
            <Button variant={variant} busy={busy} disabled={disabled} onClick={go}>
              {submitLabel}
            </Button>
            {back ? (
              <Button variant="secondary" disabled={busy} onClick={back}>
                {backLabel}
              </Button>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
