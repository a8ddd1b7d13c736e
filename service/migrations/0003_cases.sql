-- Cases (案件) and the staff bound to them. A case's officers and court users can act only in
-- their own cases; to everyone else a case's non-public objects do not exist (404).
-- Times are UTC milliseconds; the API speaks RFC 3339 and dates in China Standard Time.

CREATE TABLE cases (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_number VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  lead_region CHAR(6) NOT NULL,
  status ENUM('registration','review','distribution','closed') NOT NULL,
  registration_opens_ms BIGINT NOT NULL,
  registration_closes_ms BIGINT NOT NULL,
  -- Late filings are accepted until here (flagged late); NULL: no supplementary window.
  supplementary_closes_ms BIGINT NULL,
  objection_window_days INT NOT NULL,
  -- Confirmations above this allowed amount need a second officer's countersignature.
  countersign_threshold_fen BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY cases_number (case_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Cross-region cases (跨区域案件): the lead region is one of these rows too.
CREATE TABLE case_regions (
  case_id BIGINT NOT NULL,
  region CHAR(6) NOT NULL,
  PRIMARY KEY (case_id, region),
  CONSTRAINT case_regions_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_members (
  case_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  role ENUM('officer','court') NOT NULL,
  added_by BIGINT NOT NULL,
  added_at_ms BIGINT NOT NULL,
  PRIMARY KEY (case_id, user_id),
  KEY case_members_user (user_id),
  CONSTRAINT case_members_case_fk FOREIGN KEY (case_id) REFERENCES cases (id),
  CONSTRAINT case_members_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
