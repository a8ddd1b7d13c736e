// Building blocks every page uses, so labels, errors, progress and slowness look and
// behave the same everywhere. Inline styles are never strings (the CSP forbids them).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText, fieldKey, t, tOr } from '../i18n.js';
import { formatMoney } from '../money.js';

let nextId = 0;
export function useId(prefix = 'f') {
  const ref = useRef(null);
  if (ref.current === null) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

// A labelled control with its hint and its error right under it (aria-describedby, so a
// screen reader reads the error when the field gets focus).
export function Field({ label, hint, error, required, children, id: givenId }) {
  const autoId = useId();
  const id = givenId || autoId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = typeof children === 'function' ? children({ id, describedBy, invalid: !!error }) : children;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>
        {label}
        {required ? <span class="required"> *<span class="sr-only">{t('common.required')}</span></span> : null}
      </label>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {control}
      {error ? (
        <p class="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

// <TextField label=... value=... onInput=(v)=>... error=... />
export function TextField({ label, hint, error, required, value, onInput, type = 'text', ...rest }) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type={type}
          value={value ?? ''}
          onInput={(e) => onInput(e.currentTarget.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          aria-required={required ? 'true' : undefined}
          {...rest}
        />
      )}
    </Field>
  );
}

export function SelectField({ label, hint, error, required, value, onInput, options, ...rest }) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          value={value ?? ''}
          onChange={(e) => onInput(e.currentTarget.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          {...rest}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function TextArea({ label, hint, error, required, value, onInput, ...rest }) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          value={value ?? ''}
          onInput={(e) => onInput(e.currentTarget.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid ? 'true' : undefined}
          {...rest}
        />
      )}
    </Field>
  );
}

// A labelled file input (onChange gets the event: read e.currentTarget.files).
export function FileField({ label, hint, error, required, ...rest }) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {({ id, describedBy, invalid }) => (
        <input id={id} type="file" aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} {...rest} />
      )}
    </Field>
  );
}

// A button that shows it is working and cannot be pressed twice meanwhile.
export function Button({ busy, children, variant = 'primary', type = 'button', disabled, ...rest }) {
  return (
    <button
      type={type}
      class={`btn btn-${variant}`}
      disabled={disabled || busy}
      aria-busy={busy ? 'true' : undefined}
      {...rest}
    >
      {busy ? <span class="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

// An error that belongs to no single field (or a summary above a form); scopes: see errorText.
export function ErrorMessage({ error, onRetry, scopes }) {
  if (!error) return null;
  const text = typeof error === 'string' ? error : errorText(error, scopes);
  const field = error && error.field ? tOr(`field.${fieldKey(error.field)}`, error.field) : null;
  return (
    <div class="alert alert-error" role="alert">
      <p>
        {field ? <strong>{field}: </strong> : null}
        {text}
      </p>
      {onRetry ? (
        <Button variant="secondary" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </div>
  );
}

export function Notice({ kind = 'info', children }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {children}
    </div>
  );
}

// value/max as numbers of bytes or steps; max 0 = unknown length (indeterminate).
export function ProgressBar({ value, max, label }) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : null;
  return (
    <div class="progress">
      <div
        class="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow={pct ?? undefined}
      >
        <div class={`progress-fill${pct === null ? ' progress-indeterminate' : ''}`} style={{ width: `${pct ?? 30}%` }} />
      </div>
      <span class="progress-text">{pct === null ? label : `${label} ${pct}%`}</span>
    </div>
  );
}

// Loading state that admits slowness: after a few seconds it says the service is slow
// and the request is still going, instead of a spinner that looks frozen.
export function Loading({ label }) {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), 4000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label || t('common.loading')}</span>
      {slow ? <p class="hint">{t('common.slow')}</p> : null}
    </div>
  );
}

// Runs an async loader when deps change: {data, error, loading, reload}.
export function useAsync(loader, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    Promise.resolve()
      .then(loader)
      .then(
        (data) => mine === generation.current && setState({ data, error: null, loading: false }),
        (error) => mine === generation.current && setState({ data: undefined, error, loading: false }),
      );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    run();
  }, [run]);
  return { ...state, reload: run };
}

// Renders children(data) once loaded; loading and error states with a retry otherwise.
export function Async({ state, children, label }) {
  if (state.error) return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (state.loading && state.data === undefined) return <Loading label={label} />;
  return children(state.data);
}

export function Money({ value }) {
  return <span class="money">{formatMoney(value)}</span>;
}

export function StatusBadge({ status, kind = 'claim' }) {
  return <span class={`badge badge-${status}`}>{tOr(`${kind}.status.${status}`, status)}</span>;
}

// Field errors of a form: {fieldName: message}; set from an ApiError naming a field.
export function useFormErrors() {
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState(null);
  const clear = () => {
    setErrors({});
    setGeneral(null);
  };
  // Places an ApiError next to its field when the form shows that field, else above it
  // (keep the scopes with ErrorMessage for the words above the form).
  const fromApi = (error, shownFields = [], scopes) => {
    if (error && error.field && shownFields.includes(error.field)) {
      setErrors({ [error.field]: errorText(error, scopes) });
      setGeneral(null);
    } else {
      setErrors({});
      setGeneral(error);
    }
  };
  return { errors, setErrors, general, setGeneral, clear, fromApi };
}

export function PageTitle({ children }) {
  useEffect(() => {
    document.title = `${typeof children === 'string' ? children : ''} · ${t('app.title')}`;
  });
  return <h1 tabIndex={-1} id="page-title">{children}</h1>;
}
