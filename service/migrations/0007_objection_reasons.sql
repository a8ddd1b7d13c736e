-- Objections by reason code, as the best claims agents take them: why the filer disputes the
-- decision, in the clear beside the sealed free text, so that officers can sort objections
-- and the case can count them by reason. Objections lodged before this have 'other'.
ALTER TABLE claim_objections
  ADD COLUMN reason_code ENUM('amount_wrong','wrongly_rejected','records_missing',
                              'returns_overcounted','other') NOT NULL DEFAULT 'other'
  AFTER status;
