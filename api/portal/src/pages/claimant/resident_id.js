// GB 11643 check character of an 18-character resident ID number (the service checks it
// again; this only catches a typing mistake before the claimant moves on).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentIdProblem(text) {
  const s = String(text || '').trim().toUpperCase();
  if (!s) return 'empty';
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return 'id_format';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * WEIGHTS[i];
  return CHECK[sum % 11] === s[17] ? null : 'id_check';
}
