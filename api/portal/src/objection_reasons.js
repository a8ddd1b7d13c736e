// Objection reason codes (the service's ObjectionReason; claim_objections.reason_code), in the
// order a form lists them. The label of each is the catalogue's objection.kind.<code>.
export const OBJECTION_REASONS = ['amount_wrong', 'wrongly_rejected', 'records_missing', 'returns_overcounted', 'other'];

// The codes that can dispute a decision ("confirmed" or "rejected"): a rejection has no amount
// to call wrong, and only a rejection can be wrong to reject. The service refuses the rest.
export function objectionReasonsFor(decision) {
  return OBJECTION_REASONS.filter((code) => {
    if (code === 'amount_wrong') return decision === 'confirmed';
    if (code === 'wrongly_rejected') return decision === 'rejected';
    return true;
  });
}

// The catalogue key for a timeline event's reason code: an objection's reason, or a
// rejection's under rejectPrefix (the claimant's and the office's catalogues word them apart).
export function eventReasonKey(action, code, rejectPrefix) {
  return action === 'objection_lodged' ? `objection.kind.${code}` : `${rejectPrefix}.${code}`;
}
