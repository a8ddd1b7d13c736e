// Ledger receipts this visit has seen for a claim (the declaration's, an evidence file's),
// kept in memory only, so the claim page can offer to verify them.
const byClaim = new Map();

export function rememberReceipt(caseId, claimId, kind, receipt) {
  if (!receipt || !receipt.leaf_hash) return;
  const k = `${caseId}/${claimId}`;
  const list = byClaim.get(k) || [];
  if (!list.some((r) => r.receipt.leaf_hash === receipt.leaf_hash)) list.push({ kind, receipt });
  byClaim.set(k, list);
}

export function receiptsOf(caseId, claimId) {
  return byClaim.get(`${caseId}/${claimId}`) || [];
}
