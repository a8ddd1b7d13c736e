-- Claims (债权申报): one per person per case, every version kept, reviewed by the case's task
-- force against the seized books, open to objection. Personal data (identity, bank account,
-- evidence files, free-text notes) is stored only sealed (AES-256-GCM, *_enc); people are
-- found by keyed blind indexes (*_hash), never by clear values.

CREATE TABLE claims (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_id BIGINT NOT NULL,
  filer_user_id BIGINT NOT NULL,       -- the claimant account that filed (self, agent or heir)
  person_hash BINARY(32) NOT NULL,     -- blind index of the participant's ID number
  status ENUM('submitted','deficient','pending_countersign','confirmed','rejected','disputed',
              'withdrawn') NOT NULL,
  -- The decision an objection disputes, so "upheld" can restore it.
  decision ENUM('confirmed','rejected') NULL,
  region CHAR(6) NOT NULL,
  filed_as ENUM('self','agent','heir') NOT NULL,
  late TINYINT NOT NULL,
  version INT NOT NULL,
  declared_principal_fen BIGINT NOT NULL,
  declared_returns_fen BIGINT NOT NULL,
  declared_net_fen BIGINT NOT NULL,
  allowed_fen BIGINT NULL,
  confirmed_by BIGINT NULL,
  countersigned_by BIGINT NULL,
  reject_reason VARCHAR(32) NULL,
  decided_at_ms BIGINT NULL,
  cure_by_ms BIGINT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  -- One person, one claim per case, however many platform accounts they used.
  UNIQUE KEY claims_person (case_id, person_hash),
  KEY claims_queue (case_id, status, id),
  KEY claims_region (case_id, region),
  KEY claims_filer (filer_user_id),
  CONSTRAINT claims_case_fk FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT claims_filer_fk FOREIGN KEY (filer_user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every declaration and amendment, whole and sealed (identity, accounts, contributions,
-- returns, filer), with its amounts in clear for review and statistics.
CREATE TABLE claim_versions (
  claim_id BIGINT NOT NULL,
  version INT NOT NULL,
  declaration_enc MEDIUMBLOB NOT NULL,
  declared_principal_fen BIGINT NOT NULL,
  declared_returns_fen BIGINT NOT NULL,
  declared_net_fen BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (claim_id, version),
  CONSTRAINT claim_versions_claim_fk FOREIGN KEY (claim_id) REFERENCES claims (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The claim's history as the claimant's timeline shows it: every action with its actor.
-- Free text (deficiency messages, notes) is sealed.
CREATE TABLE claim_events (
  id BIGINT NOT NULL AUTO_INCREMENT,
  claim_id BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  action VARCHAR(32) NOT NULL,
  actor_user_id BIGINT NOT NULL,
  actor_role VARCHAR(16) NOT NULL,
  from_status VARCHAR(24) NULL,
  to_status VARCHAR(24) NULL,
  amount_fen BIGINT NULL,
  reason_code VARCHAR(32) NULL,
  note_enc BLOB NULL,
  ledger_queue_id BIGINT NULL,
  PRIMARY KEY (id),
  KEY claim_events_claim (claim_id, id),
  CONSTRAINT claim_events_claim_fk FOREIGN KEY (claim_id) REFERENCES claims (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Evidence files (PDF, JPEG, PNG, checked by content), sealed; their SHA-256 is on the ledger.
CREATE TABLE claim_evidence (
  id BIGINT NOT NULL AUTO_INCREMENT,
  claim_id BIGINT NOT NULL,
  purpose ENUM('evidence','authority') NOT NULL,  -- authority: an agent's or heir's proof
  media_type ENUM('pdf','jpeg','png') NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 BINARY(32) NOT NULL,
  filename_enc VARBINARY(1024) NOT NULL,
  content_enc LONGBLOB NOT NULL,
  uploaded_by BIGINT NOT NULL,
  uploaded_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY claim_evidence_claim (claim_id, id),
  CONSTRAINT claim_evidence_claim_fk FOREIGN KEY (claim_id) REFERENCES claims (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Objections (异议) against a decision, within the case's window.
CREATE TABLE claim_objections (
  id BIGINT NOT NULL AUTO_INCREMENT,
  claim_id BIGINT NOT NULL,
  status ENUM('open','resolved') NOT NULL,
  reason_enc BLOB NOT NULL,
  requested_fen BIGINT NULL,
  disputed_decision ENUM('confirmed','rejected') NOT NULL,
  outcome ENUM('upheld','adjusted') NULL,
  resolution_note_enc BLOB NULL,
  lodged_by BIGINT NOT NULL,
  lodged_at_ms BIGINT NOT NULL,
  resolved_by BIGINT NULL,
  resolved_at_ms BIGINT NULL,
  PRIMARY KEY (id),
  KEY claim_objections_claim (claim_id, id),
  CONSTRAINT claim_objections_claim_fk FOREIGN KEY (claim_id) REFERENCES claims (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Seized books (账册): one import is one whole file, all rows or none.
CREATE TABLE book_imports (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_id BIGINT NOT NULL,
  file_sha256 BINARY(32) NOT NULL,
  source_encoding VARCHAR(16) NOT NULL,
  row_count INT NOT NULL,
  imported_by BIGINT NOT NULL,
  imported_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY book_imports_case (case_id, id),
  CONSTRAINT book_imports_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One platform account of the books. The latest import of a case replaces earlier rows.
CREATE TABLE book_accounts (
  case_id BIGINT NOT NULL,
  platform_account VARCHAR(64) NOT NULL,
  import_id BIGINT NOT NULL,
  person_hash BINARY(32) NOT NULL,
  holder_enc VARBINARY(1024) NOT NULL,  -- sealed {"name","id_number"}
  deposits_fen BIGINT NOT NULL,
  withdrawals_fen BIGINT NOT NULL,
  PRIMARY KEY (case_id, platform_account),
  KEY book_accounts_person (case_id, person_hash),
  CONSTRAINT book_accounts_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every read of a claimant's personal data by staff: who, what, when. Auditors query it.
CREATE TABLE pii_access_log (
  id BIGINT NOT NULL AUTO_INCREMENT,
  at_ms BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  role VARCHAR(16) NOT NULL,
  case_id BIGINT NULL,
  claim_id BIGINT NULL,
  what VARCHAR(64) NOT NULL,
  request_id VARCHAR(64) NULL,
  PRIMARY KEY (id),
  KEY pii_access_log_at (at_ms),
  KEY pii_access_log_user (user_id, at_ms),
  KEY pii_access_log_claim (claim_id, at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
