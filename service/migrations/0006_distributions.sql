-- Distribution runs (清退批次): a draft over the claims as they stand, endorsed by a second
-- officer, approved by the court, executed (money moves in the double-entry pool of 0005),
-- paid by the bank line by line. Amounts are fen. The ledger holds every figure here too
-- (ledger/FORMAT.md, "Distributions"), so an auditor can recompute each run without this
-- database.

CREATE TABLE distribution_runs (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_id BIGINT NOT NULL,
  -- case_id while the run is drafted, endorsed or approved, NULL once executed or cancelled:
  -- the unique key allows one active run per case, whatever races.
  active_case_id BIGINT NULL,
  status ENUM('drafted','endorsed','approved','executed','cancelled') NOT NULL,
  round_no INT NULL,                 -- 1, 2, … in order of execution
  amount_fen BIGINT NOT NULL,        -- A
  min_payment_fen BIGINT NOT NULL,   -- M
  record_date INT NOT NULL,          -- yyyymmdd, Beijing date
  pool_before_fen BIGINT NOT NULL,   -- available pool when drafted; when executed, at execution
  claims_count INT NOT NULL,
  paid_count INT NOT NULL,
  reserved_count INT NOT NULL,
  deferred_count INT NOT NULL,
  recognised_fen BIGINT NOT NULL,    -- Σ C
  prior_fen BIGINT NOT NULL,         -- Σ P
  paid_fen BIGINT NOT NULL,
  reserved_fen BIGINT NOT NULL,
  deferred_fen BIGINT NOT NULL,
  surplus_fen BIGINT NOT NULL,
  level_numerator VARCHAR(40) NOT NULL,    -- the rising-tide level r, exactly (128-bit decimal)
  level_denominator VARCHAR(40) NOT NULL,
  level VARCHAR(24) NOT NULL,              -- r as a decimal string, 6 decimals, rounded down
  ratio VARCHAR(24) NOT NULL,              -- (Σ P + paid + reserved) ÷ Σ C, 6 decimals, down
  fingerprint BINARY(32) NOT NULL,         -- SHA-256 of the ordered (claim, status, C, P) list
  chunks INT NOT NULL,
  drafted_by BIGINT NOT NULL,
  drafted_at_ms BIGINT NOT NULL,
  drafted_queue_id BIGINT NOT NULL,
  endorsed_by BIGINT NULL,
  endorsed_at_ms BIGINT NULL,
  endorsed_queue_id BIGINT NULL,
  approved_by BIGINT NULL,
  approved_at_ms BIGINT NULL,
  approved_queue_id BIGINT NULL,
  order_reference VARCHAR(64) NULL,
  executed_by BIGINT NULL,
  executed_at_ms BIGINT NULL,
  executed_queue_id BIGINT NULL,
  cancelled_by BIGINT NULL,
  cancelled_at_ms BIGINT NULL,
  cancelled_queue_id BIGINT NULL,
  payment_lines INT NOT NULL DEFAULT 0,       -- lines in the run's batch
  payment_lines_open INT NOT NULL DEFAULT 0,  -- of which still without a bank result
  PRIMARY KEY (id),
  UNIQUE KEY distribution_runs_active (active_case_id),
  KEY distribution_runs_case (case_id, id),
  CONSTRAINT distribution_runs_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per eligible claim per run, in claim id order (the order the engine saw them).
-- No foreign keys: a draft inserts up to millions of rows, and the run row is written first
-- in the same transaction.
CREATE TABLE distribution_allocations (
  run_id BIGINT NOT NULL,
  claim_id BIGINT NOT NULL,
  disputed TINYINT NOT NULL,
  recognised_fen BIGINT NOT NULL,
  prior_fen BIGINT NOT NULL,
  pay_fen BIGINT NOT NULL,
  reserve_fen BIGINT NOT NULL,
  deferred_fen BIGINT NOT NULL,
  PRIMARY KEY (run_id, claim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The ledger entries (distribution_allocations) that carry a run's allocations, each a range
-- of claim ids: a claim's receipt for its allocation.
CREATE TABLE distribution_chunks (
  run_id BIGINT NOT NULL,
  chunk_no INT NOT NULL,
  first_claim_id BIGINT NOT NULL,
  last_claim_id BIGINT NOT NULL,
  ledger_queue_id BIGINT NOT NULL,
  PRIMARY KEY (run_id, chunk_no),
  KEY distribution_chunks_claims (run_id, last_claim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each claim's standing across executed runs: the P of the next round is committed + reserved.
CREATE TABLE distribution_positions (
  case_id BIGINT NOT NULL,
  claim_id BIGINT NOT NULL,
  committed_fen BIGINT NOT NULL,  -- sent to be paid and not failed (pending or paid)
  reserved_fen BIGINT NOT NULL,   -- still held in reserve while the claim is disputed
  PRIMARY KEY (case_id, claim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A claim's reserve released when its objection is resolved.
CREATE TABLE distribution_reserve_releases (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_id BIGINT NOT NULL,
  claim_id BIGINT NOT NULL,
  objection_id BIGINT NOT NULL,
  reserved_fen BIGINT NOT NULL,  -- what was held
  payable_fen BIGINT NOT NULL,   -- earned by the confirmed amount: paid with the next batch
  returned_fen BIGINT NOT NULL,  -- back to the pool
  released_at_ms BIGINT NOT NULL,
  ledger_queue_id BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY distribution_reserve_releases_claim (claim_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Payment lines: what the bank is asked to pay, and its answer.
CREATE TABLE distribution_payments (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_id BIGINT NOT NULL,
  -- The run whose batch (payments.csv) lists the line. NULL for a released reserve until the
  -- next run is executed.
  run_id BIGINT NULL,
  claim_id BIGINT NOT NULL,
  kind ENUM('round','release') NOT NULL,
  release_id BIGINT NULL,
  amount_fen BIGINT NOT NULL,
  -- R{run}-C{claim} for a round's payment, R{run}-C{claim}-V{release} for a released reserve.
  reference VARCHAR(64) NULL,
  status ENUM('pending','paid','failed') NOT NULL,
  failure_reason VARCHAR(800) NULL,  -- the bank's reason, as reported (never on the ledger)
  created_at_ms BIGINT NOT NULL,
  result_at_ms BIGINT NULL,
  result_by BIGINT NULL,
  result_queue_id BIGINT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY distribution_payments_reference (case_id, reference),
  KEY distribution_payments_run (run_id, id),
  KEY distribution_payments_claim (claim_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
