// /admin/cases/new: create a case with every field of the API's CaseInput; each error the
// service names (error.field, e.g. "regions[1]") is shown under that field.
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Button, PageTitle, SelectField, TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { fenToDecimal, parseYuan } from '../../money.js';
import { navigate } from '../../router.jsx';
import { AdminError, AdminNav, adminCase, fieldErrorsFrom } from './common.jsx';

const CASE_FIELDS = [
  'case_number',
  'name',
  'regions',
  'lead_region',
  'registration_opens',
  'registration_closes',
  'supplementary_closes',
  'objection_window_days',
  'countersign_threshold',
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The service's rule for an administrative division code: six digits, a real province.
function isProvince(two) {
  const tens = Math.floor(two / 10);
  const units = two % 10;
  switch (tens) {
    case 1:
      return units >= 1 && units <= 5;
    case 2:
      return units >= 1 && units <= 3;
    case 3:
      return units >= 1 && units <= 7;
    case 4:
      return units >= 1 && units <= 6;
    case 5:
      return units <= 4;
    case 6:
      return units >= 1 && units <= 5;
    case 7:
      return units === 1;
    case 8:
      return units >= 1 && units <= 3;
    default:
      return false;
  }
}

export function isRegionCode(code) {
  return /^\d{6}$/.test(code) && isProvince(Number(code.slice(0, 2)));
}

// "110105, 310101 440106" (any of , ， 、 ; spaces, new lines) -> ["110105", ...]
export function splitRegions(text) {
  return String(text || '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .split(/[\s,，、;；]+/)
    .filter(Boolean);
}

export function CaseNew() {
  const [form, setForm] = useState({
    case_number: '',
    name: '',
    regions: '',
    lead_region: '',
    registration_opens: '',
    registration_closes: '',
    supplementary_closes: '',
    objection_window_days: '30',
    countersign_threshold: '100000.00',
  });
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(null);
  const set = (name) => (v) => {
    key.current = null;
    setForm((f) => ({ ...f, [name]: v }));
  };
  const regions = splitRegions(form.regions);
  const validRegions = regions.filter(isRegionCode).filter((r, i, a) => a.indexOf(r) === i);

  const validate = () => {
    const e = {};
    if (!form.case_number.trim()) e.case_number = t('admin.case.err.case_number_empty');
    if (!form.name.trim()) e.name = t('admin.case.err.name_empty');
    if (!regions.length) e.regions = t('admin.case.err.regions_empty');
    else if (regions.some((r) => !isRegionCode(r))) {
      e.regions = t('admin.case.err.regions_bad', { codes: regions.filter((r) => !isRegionCode(r)).join('、') });
    } else if (new Set(regions).size !== regions.length) e.regions = t('admin.case.err.regions_twice');
    else if (regions.length > 64) e.regions = t('admin.case.err.regions_many');
    if (!form.lead_region) e.lead_region = t('admin.case.err.lead_region_empty');
    else if (!validRegions.includes(form.lead_region)) e.lead_region = t('admin.case.err.lead_region');
    if (!DATE.test(form.registration_opens)) e.registration_opens = t('admin.case.err.date_empty');
    if (!DATE.test(form.registration_closes)) e.registration_closes = t('admin.case.err.date_empty');
    else if (DATE.test(form.registration_opens) && form.registration_closes < form.registration_opens) {
      e.registration_closes = t('admin.case.err.registration_closes');
    }
    if (form.supplementary_closes) {
      if (!DATE.test(form.supplementary_closes)) e.supplementary_closes = t('admin.case.err.date_format');
      else if (DATE.test(form.registration_closes) && form.supplementary_closes <= form.registration_closes) {
        e.supplementary_closes = t('admin.case.err.supplementary_closes');
      }
    }
    const days = form.objection_window_days.trim();
    if (!/^\d{1,3}$/.test(days) || Number(days) < 1 || Number(days) > 365) {
      e.objection_window_days = t('admin.case.err.objection_window_days');
    }
    if (parseYuan(form.countersign_threshold) === null) e.countersign_threshold = t('admin.case.err.countersign_threshold');
    return e;
  };

  const submit = async (ev) => {
    ev.preventDefault();
    setGeneral(null);
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) {
      const firstBad = CASE_FIELDS.find((f) => e[f]);
      const el = firstBad && document.querySelector(`[name="${firstBad}"]`);
      if (el) el.focus();
      return;
    }
    const body = {
      case_number: form.case_number.trim(),
      name: form.name.trim(),
      regions,
      lead_region: form.lead_region,
      registration_opens: form.registration_opens,
      registration_closes: form.registration_closes,
      objection_window_days: Number(form.objection_window_days.trim()),
      countersign_threshold: fenToDecimal(parseYuan(form.countersign_threshold)),
    };
    if (form.supplementary_closes) body.supplementary_closes = form.supplementary_closes;
    if (!key.current) key.current = newIdempotencyKey();
    setBusy(true);
    try {
      const c = await api.post('/api/v1/cases', body, { idempotencyKey: key.current });
      key.current = null;
      navigate(`${adminCase(c.id)}?created=1`);
    } catch (err) {
      if (err.status && err.status < 500) key.current = null;
      const placed = fieldErrorsFrom(err, 'case', CASE_FIELDS);
      if (placed) {
        setErrors(placed);
        const el = document.querySelector(`[name="${Object.keys(placed)[0]}"]`);
        if (el) el.focus();
      } else {
        setGeneral(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const leadOptions = [
    { value: '', label: validRegions.length ? t('admin.case.lead_choose') : t('admin.case.lead_first') },
    ...validRegions.map((r) => ({ value: r, label: r })),
  ];

  return (
    <section>
      <AdminNav current="new" />
      <PageTitle>{t('admin.case.new_title')}</PageTitle>
      <p class="hint">{t('admin.case.new_intro')}</p>
      <form class="card" onSubmit={submit} noValidate data-testid="admin-case-form">
        <fieldset class="admin-fieldset">
          <legend>{t('admin.case.section.basic')}</legend>
          <TextField
            label={t('admin.case.case_number')}
            hint={t('admin.case.case_number_hint')}
            value={form.case_number}
            onInput={set('case_number')}
            error={errors.case_number}
            required
            maxLength={64}
            name="case_number"
            autocomplete="off"
          />
          <TextField
            label={t('admin.case.name')}
            hint={t('admin.case.name_hint')}
            value={form.name}
            onInput={set('name')}
            error={errors.name}
            required
            maxLength={200}
            name="name"
            autocomplete="off"
          />
        </fieldset>
        <fieldset class="admin-fieldset">
          <legend>{t('admin.case.section.regions')}</legend>
          <TextField
            label={t('admin.case.regions')}
            hint={t('admin.case.regions_hint')}
            value={form.regions}
            onInput={set('regions')}
            error={errors.regions}
            required
            inputMode="numeric"
            name="regions"
            autocomplete="off"
          />
          {validRegions.length ? (
            <p class="hint" aria-live="polite" data-testid="admin-case-regions-parsed">
              {t('admin.case.regions_parsed', { list: validRegions.join(t('admin.manage.sep')) })}
            </p>
          ) : null}
          <SelectField
            label={t('admin.case.lead_region')}
            hint={t('admin.case.lead_region_hint')}
            value={validRegions.includes(form.lead_region) ? form.lead_region : ''}
            onInput={set('lead_region')}
            error={errors.lead_region}
            required
            name="lead_region"
            options={leadOptions}
          />
        </fieldset>
        <fieldset class="admin-fieldset">
          <legend>{t('admin.case.section.dates')}</legend>
          <p class="hint">{t('admin.case.dates_hint')}</p>
          <div class="office-form-grid">
            <TextField
              type="date"
              label={t('admin.case.registration_opens')}
              hint={t('admin.case.registration_opens_hint')}
              value={form.registration_opens}
              onInput={set('registration_opens')}
              error={errors.registration_opens}
              required
              name="registration_opens"
            />
            <TextField
              type="date"
              label={t('admin.case.registration_closes')}
              hint={t('admin.case.registration_closes_hint')}
              value={form.registration_closes}
              onInput={set('registration_closes')}
              error={errors.registration_closes}
              required
              name="registration_closes"
            />
            <TextField
              type="date"
              label={t('admin.case.supplementary_closes')}
              hint={t('admin.case.supplementary_closes_hint')}
              value={form.supplementary_closes}
              onInput={set('supplementary_closes')}
              error={errors.supplementary_closes}
              name="supplementary_closes"
            />
          </div>
        </fieldset>
        <fieldset class="admin-fieldset">
          <legend>{t('admin.case.section.rules')}</legend>
          <div class="office-form-grid">
            <TextField
              label={t('admin.case.objection_window_days')}
              hint={t('admin.case.objection_window_days_hint')}
              value={form.objection_window_days}
              onInput={set('objection_window_days')}
              error={errors.objection_window_days}
              inputMode="numeric"
              maxLength={3}
              name="objection_window_days"
            />
            <TextField
              label={t('admin.case.countersign_threshold')}
              hint={t('admin.case.countersign_threshold_hint')}
              value={form.countersign_threshold}
              onInput={set('countersign_threshold')}
              error={errors.countersign_threshold}
              inputMode="decimal"
              name="countersign_threshold"
            />
          </div>
        </fieldset>
        <AdminError error={general} scope="case" onRetry={general && general.status === 0 ? submit : undefined} />
        <div class="actions">
          <Button type="submit" busy={busy} data-testid="admin-case-submit">
            {t('admin.case.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
