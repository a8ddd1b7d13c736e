// Money in the portal is what it is in the service: integer fen, carried as BigInt and
// as the service's decimal strings ("1234.56"). Never a JavaScript number: 0.1 + 0.2.
const AMOUNT = /^(\d{1,16})(?:\.(\d{1,2}))?$/;

// "1234.5" / "1,234.50" / "１２３" -> 123450n; null when it is not an amount.
export function parseYuan(text) {
  if (text === null || text === undefined) return null;
  const s = String(text)
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[,，\s]/g, '');
  const m = AMOUNT.exec(s);
  if (!m) return null;
  return BigInt(m[1]) * 100n + BigInt((m[2] || '').padEnd(2, '0'));
}

// The service's own form: 123450n -> "1234.50" (the shape the API accepts).
export function fenToDecimal(fen) {
  const v = BigInt(fen);
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

// For people: "1234.50" or 123450n -> "¥1,234.50".
export function formatMoney(value, { symbol = true } = {}) {
  if (value === null || value === undefined || value === '') return '—';
  const fen = typeof value === 'bigint' ? value : parseSigned(value);
  if (fen === null) return String(value);
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  const yuan = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '−' : ''}${symbol ? '¥' : ''}${yuan}.${String(a % 100n).padStart(2, '0')}`;
}

function parseSigned(text) {
  const s = String(text).trim();
  if (s.startsWith('-')) {
    const v = parseYuan(s.slice(1));
    return v === null ? null : -v;
  }
  return parseYuan(s);
}

// Sum of service amounts (strings) as BigInt fen; unparsable entries count as 0.
export function sumFen(values) {
  let total = 0n;
  for (const v of values) total += parseSigned(v) ?? 0n;
  return total;
}

export { parseSigned as parseAmount };
