// Every string the portal shows comes from one catalogue per language (i18n/zh.js,
// i18n/en.js). Chinese is the default; the choice is remembered on the device.
import en from './i18n/en.js';
import zh from './i18n/zh.js';

const CATALOGUES = { zh, en };
const KEY = 'restitution.lang';
const listeners = new Set();

let lang = (() => {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && CATALOGUES[saved]) return saved;
  } catch {
    // Private mode: fall through to the default.
  }
  return 'zh';
})();

export function currentLang() {
  return lang;
}

export function setLang(next) {
  if (!CATALOGUES[next] || next === lang) return;
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Not remembered; still switched for this visit.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// t('claim.status.submitted'), t('pay.amount', {amount: '¥1.00'}): {name} is replaced.
// A missing key shows the key itself, so a gap is visible, never blank.
export function t(key, params) {
  let s = CATALOGUES[lang][key];
  if (s === undefined) s = CATALOGUES.zh[key];
  if (s === undefined) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  return s;
}

// t() with a fallback when the key may not exist (service codes we do not know yet).
export function tOr(key, fallback, params) {
  const s = t(key, params);
  return s === key ? fallback : s;
}

// An area's own words for an error code: "<scope>.<code>" of the first scope that has them
// (e.g. 'dist.error' where the shared words speak of claims), else null.
export function ownErrorText(error, scopes = []) {
  for (const scope of scopes) {
    const own = tOr(`${scope}.${error.code}`, null);
    if (own) return own;
  }
  return null;
}

// The words for an API error, next to its field: the area's own words (scopes); for bad input,
// the rule the value broke ("error.msg.<rule>", the service's names in input_rules.h); else
// the catalogue's text for the error code ("error.<code>"); else the service's message.
export function errorText(error, scopes) {
  if (!error) return '';
  const own = scopes ? ownErrorText(error, scopes) : null;
  if (own) return own;
  if (error.code === 'network' || error.code === 'timeout') return t(`error.${error.code}`);
  if (error.rule && (error.code === 'validation_failed' || error.code === 'rule_violated')) {
    const rule = tOr(`error.msg.${error.rule}`, null);
    if (rule) return rule;
  }
  return tOr(`error.${error.code}`, error.message || t('error.unknown'));
}

// "contributions[2].amount" -> "contributions.amount": the catalogue key of a field name.
export function fieldKey(field) {
  return String(field || '').replace(/\[\d+\]/g, '');
}

// Dates and times of the service are Beijing dates and times (registration windows are
// Beijing midnights stored in UTC): shown in Beijing time whatever the device's zone.
// A plain "YYYY-MM-DD" is a calendar date and is shown as it is.
function formatBeijing(value, withTime) {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const [y, m, d] = text.split('-').map(Number);
    return lang === 'zh' ? `${y}/${m}/${d}` : `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}`;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return text;
  const options = { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' };
  if (withTime) Object.assign(options, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return date.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', options);
}

export function formatDateTime(value) {
  return formatBeijing(value, true);
}

export function formatDate(value) {
  return formatBeijing(value, false);
}
