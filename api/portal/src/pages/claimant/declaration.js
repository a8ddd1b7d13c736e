// The declaration being written: an empty one, one from the service's stored declaration
// (to amend), the client's checks, the body the API takes, and which wizard step owns a
// field the service names ("contributions[2].amount" -> 'contributions'). In memory only.
import { fenToDecimal, parseYuan } from '../../money.js';
import { residentIdProblem } from './resident_id.js';

export const STEPS = ['identity', 'bank', 'accounts', 'contributions', 'returns', 'review'];
export const RETURN_KINDS = ['interest', 'rebate', 'withdrawal', 'other'];

export const emptyContribution = () => ({ date: '', amount: '', ref: '' });
export const emptyReturn = () => ({ date: '', amount: '', kind: 'interest' });
export const emptyAccount = () => ({ platform_account: '', channel: '' });

export function emptyDeclaration(defaultRegion) {
  return {
    identity: { name: '', id_number: '', phone: '', bank_name: '', bank_account: '', bank_account_holder: '' },
    region: defaultRegion || '',
    filed_as: 'self',
    filer: { name: '', id_number: '', phone: '', relationship: '' },
    accounts: [emptyAccount()],
    contributions: [emptyContribution()],
    returns: [],
  };
}

const str = (v) => (v === null || v === undefined ? '' : String(v));

// The stored declaration (GET claim → declaration) back into form values.
export function fromStored(d, defaultRegion) {
  const base = emptyDeclaration(defaultRegion);
  if (!d || typeof d !== 'object') return base;
  const id = d.identity || {};
  return {
    identity: {
      name: str(id.name),
      id_number: str(id.id_number),
      phone: str(id.phone),
      bank_name: str(id.bank_name),
      bank_account: str(id.bank_account),
      bank_account_holder: str(id.bank_account_holder),
    },
    region: str(d.region) || base.region,
    filed_as: d.filed_as || 'self',
    filer: { ...base.filer, ...(d.filer || {}) },
    accounts: (d.accounts || []).map((a) => ({ platform_account: str(a.platform_account), channel: str(a.channel) })),
    contributions: (d.contributions || []).map((c) => ({ date: str(c.date), amount: str(c.amount), ref: str(c.ref) })),
    returns: (d.returns || []).map((r) => ({ date: str(r.date), amount: str(r.amount), kind: r.kind || 'other' })),
  };
}

export function sumRows(rows) {
  let total = 0n;
  for (const r of rows) total += parseYuan(r.amount) ?? 0n;
  return total;
}

// Net as the service computes it: max(0, contributions − returns), in fen.
export function netFen(d) {
  const n = sumRows(d.contributions) - sumRows(d.returns);
  return n < 0n ? 0n : n;
}

const today = () => {
  const now = new Date(Date.now() + 8 * 3600 * 1000); // Beijing date
  return now.toISOString().slice(0, 10);
};

function checkDate(v) {
  if (!v) return 'empty';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'date_format';
  if (v > today()) return 'date_future';
  if (v < '1990-01-01') return 'date_early';
  return null;
}

function checkAmount(v) {
  if (!String(v).trim()) return 'empty';
  const fen = parseYuan(v);
  if (fen === null) return 'amount';
  if (fen === 0n) return 'amount_zero';
  return null;
}

// {fieldPath: problemCode} for one step (codes are error.msg.<code> keys).
export function validateStep(step, d) {
  const e = {};
  const need = (path, v) => {
    if (!String(v || '').trim()) e[path] = 'empty';
  };
  if (step === 'identity') {
    need('identity.name', d.identity.name);
    const idp = residentIdProblem(d.identity.id_number);
    if (idp) e['identity.id_number'] = idp;
    if (!/^1[3-9]\d{9}$/.test(d.identity.phone.replace(/[\s-]/g, ''))) e['identity.phone'] = d.identity.phone ? 'phone' : 'empty';
    if (!/^\d{6}$/.test(d.region)) e.region = 'region';
    if (d.filed_as !== 'self') {
      need('filer.name', d.filer.name);
      const fp = residentIdProblem(d.filer.id_number);
      if (fp) e['filer.id_number'] = fp;
      need('filer.phone', d.filer.phone);
      need('filer.relationship', d.filer.relationship);
    }
  } else if (step === 'bank') {
    need('identity.bank_name', d.identity.bank_name);
    const digits = d.identity.bank_account.replace(/[\s-]/g, '');
    if (!digits) e['identity.bank_account'] = 'empty';
    else if (!/^\d{8,30}$/.test(digits)) e['identity.bank_account'] = 'bank_account';
  } else if (step === 'accounts') {
    if (d.accounts.length === 0) e.accounts = 'need_one';
    const seen = new Set();
    d.accounts.forEach((a, i) => {
      need(`accounts[${i}].platform_account`, a.platform_account);
      need(`accounts[${i}].channel`, a.channel);
      const k = a.platform_account.trim();
      if (k && seen.has(k)) e[`accounts[${i}].platform_account`] = 'account_duplicate';
      seen.add(k);
    });
  } else if (step === 'contributions') {
    if (d.contributions.length === 0) e.contributions = 'need_one';
    d.contributions.forEach((c, i) => {
      const dp = checkDate(c.date);
      if (dp) e[`contributions[${i}].date`] = dp;
      const ap = checkAmount(c.amount);
      if (ap) e[`contributions[${i}].amount`] = ap;
    });
  } else if (step === 'returns') {
    d.returns.forEach((r, i) => {
      const dp = checkDate(r.date);
      if (dp) e[`returns[${i}].date`] = dp;
      const ap = checkAmount(r.amount);
      if (ap) e[`returns[${i}].amount`] = ap;
    });
  }
  return e;
}

export function stepOfField(field) {
  const f = String(field || '');
  if (f.startsWith('identity.bank')) return 'bank';
  if (f.startsWith('identity') || f === 'region' || f.startsWith('filer') || f === 'filed_as') return 'identity';
  if (f.startsWith('accounts')) return 'accounts';
  if (f.startsWith('contributions')) return 'contributions';
  if (f.startsWith('returns')) return 'returns';
  return 'review';
}

const amountText = (v) => fenToDecimal(parseYuan(v) ?? 0n);

export function toApi(d) {
  const body = {
    identity: {
      name: d.identity.name.trim(),
      id_number: d.identity.id_number.trim().toUpperCase(),
      phone: d.identity.phone.replace(/[\s-]/g, ''),
      bank_name: d.identity.bank_name.trim(),
      bank_account: d.identity.bank_account.replace(/[\s-]/g, ''),
      bank_account_holder: (d.identity.bank_account_holder || '').trim() || (d.filed_as === 'heir' ? d.filer.name.trim() : d.identity.name.trim()),
    },
    region: d.region,
    filed_as: d.filed_as,
    accounts: d.accounts.map((a) => ({ platform_account: a.platform_account.trim(), channel: a.channel.trim() })),
    contributions: d.contributions.map((c) => {
      const row = { date: c.date, amount: amountText(c.amount) };
      if (c.ref && c.ref.trim()) row.ref = c.ref.trim();
      return row;
    }),
    returns: d.returns.map((r) => ({ date: r.date, amount: amountText(r.amount), kind: r.kind })),
  };
  if (d.filed_as !== 'self') {
    body.filer = {
      name: d.filer.name.trim(),
      id_number: d.filer.id_number.trim().toUpperCase(),
      phone: d.filer.phone.replace(/[\s-]/g, ''),
      relationship: d.filer.relationship.trim(),
    };
  }
  return body;
}
