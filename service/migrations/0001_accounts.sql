-- Accounts, sessions and the security machinery around them.
-- Times are UTC milliseconds since the epoch (BIGINT *_ms): no time-zone conversions anywhere.
-- Personal data (a claimant's phone) is stored only encrypted (*_enc, AES-256-GCM with the key
-- id inside the blob) and found through a keyed blind index (*_hash, HMAC-SHA256).

CREATE TABLE users (
  id BIGINT NOT NULL AUTO_INCREMENT,
  -- HMAC of "login:" + normalised username (a phone number for claimants): the only way to find
  -- an account by name, so a claimant's phone never sits in an index in clear.
  login_hash BINARY(32) NOT NULL,
  -- Staff usernames are not personal data and are kept readable; claimants have NULL here.
  username VARCHAR(64) NULL,
  phone_enc VARBINARY(512) NULL,
  role ENUM('claimant','officer','court','auditor','admin') NOT NULL,
  status ENUM('pending','active','disabled') NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_by BIGINT NULL,
  created_at_ms BIGINT NOT NULL,
  activated_at_ms BIGINT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY users_login_hash (login_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bearer tokens are 256-bit random values; only their SHA-256 is stored.
CREATE TABLE sessions (
  token_hash BINARY(32) NOT NULL,
  user_id BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT NULL,
  PRIMARY KEY (token_hash),
  KEY sessions_user (user_id),
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed-login accounting, per account and per client address: slowed, then locked.
CREATE TABLE login_throttle (
  scope ENUM('account','address') NOT NULL,
  subject_hash BINARY(32) NOT NULL,
  failures INT NOT NULL,
  last_failure_at_ms BIGINT NOT NULL,
  locked_until_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, subject_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Six-digit codes sent by SMS; stored as HMACs, single use, expiring, attempt-limited.
CREATE TABLE verification_codes (
  id BIGINT NOT NULL AUTO_INCREMENT,
  user_id BIGINT NOT NULL,
  code_hash BINARY(32) NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  consumed_at_ms BIGINT NULL,
  PRIMARY KEY (id),
  KEY verification_codes_user (user_id, created_at_ms),
  CONSTRAINT verification_codes_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Transactional outbox: a message is queued in the same transaction as the change that causes
-- it and handed to the MessageSender after commit, so a rolled-back change never texts anyone.
CREATE TABLE outbox (
  id BIGINT NOT NULL AUTO_INCREMENT,
  channel ENUM('sms') NOT NULL,
  recipient_enc VARBINARY(512) NOT NULL,
  body_enc VARBINARY(4096) NOT NULL,
  created_at_ms BIGINT NOT NULL,
  sent_at_ms BIGINT NULL,
  attempts INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY outbox_pending (sent_at_ms, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Idempotency-Key: the first response to (user, key) is stored, encrypted (it may hold a token
-- or personal data), in the same transaction as the change it reports.
CREATE TABLE idempotency_keys (
  user_id BIGINT NOT NULL,  -- 0 for requests made before login
  key_hash BINARY(32) NOT NULL,
  request_hash BINARY(32) NOT NULL,
  status_code INT NOT NULL,
  response_enc MEDIUMBLOB NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, key_hash),
  KEY idempotency_keys_age (created_at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Security events: logins, logouts, failures, authorization denials. Never a secret.
CREATE TABLE security_events (
  id BIGINT NOT NULL AUTO_INCREMENT,
  at_ms BIGINT NOT NULL,
  event VARCHAR(48) NOT NULL,
  user_id BIGINT NULL,
  role VARCHAR(16) NULL,
  client_address VARCHAR(64) NULL,
  request_id VARCHAR(64) NULL,
  route VARCHAR(128) NULL,
  detail VARCHAR(255) NULL,
  PRIMARY KEY (id),
  KEY security_events_at (at_ms),
  KEY security_events_user (user_id, at_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
