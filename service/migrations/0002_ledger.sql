-- The verifiable ledger (ledger/FORMAT.md): an RFC 9162 Merkle log kept in MariaDB.
--
-- A business transaction never touches the tree. It inserts its entry into ledger_queue, so
-- the change and its entry commit (or vanish) together, and many business transactions
-- commit in parallel. One sequencer at a time (whoever holds ledger_head FOR UPDATE, in any
-- restitutiond process) moves queued entries into ledger_entries in batches: each gets the
-- next index, the perfect subtrees they complete go into ledger_nodes, the head moves, and
-- the queue rows go, all in one transaction.

-- Queued entries. The AUTO_INCREMENT id only orders arrivals and names an entry until it has
-- an index (receipts wait on it); it is never an index of the log.
CREATE TABLE ledger_queue (
  id BIGINT NOT NULL AUTO_INCREMENT,
  entry MEDIUMBLOB NOT NULL,       -- canonical JSON bytes, final
  leaf_hash BINARY(32) NOT NULL,   -- SHA-256(0x00 || entry)
  queued_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The tree head: one row, read FOR UPDATE by the sequencer. frontier holds the hashes of the
-- perfect subtrees RangeDecomposition(0, size), left to right (32 bytes each), so appending
-- never reads a node back.
CREATE TABLE ledger_head (
  id TINYINT NOT NULL,
  size BIGINT NOT NULL,
  root BINARY(32) NOT NULL,
  frontier VARBINARY(2048) NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT ledger_head_single_row CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO ledger_head (id, size, root, frontier, updated_at_ms)
VALUES (1, 0, UNHEX('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), '', 0);

-- The log itself: idx is the entry's 0-based index, assigned by the sequencer (size before it).
CREATE TABLE ledger_entries (
  idx BIGINT NOT NULL,
  queue_id BIGINT NOT NULL,
  entry MEDIUMBLOB NOT NULL,
  leaf_hash BINARY(32) NOT NULL,
  sequenced_at_ms BIGINT NOT NULL,
  PRIMARY KEY (idx),
  UNIQUE KEY ledger_entries_queue (queue_id),
  KEY ledger_entries_leaf (leaf_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Perfect subtrees: (level, idx) is the root of leaves [idx << level, (idx + 1) << level).
-- Written once when their last leaf arrives, never updated: proofs read O(log n) of them.
CREATE TABLE ledger_nodes (
  level TINYINT NOT NULL,
  idx BIGINT NOT NULL,
  hash BINARY(32) NOT NULL,
  PRIMARY KEY (level, idx)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every signed checkpoint (C2SP signed note), one per tree size at most.
CREATE TABLE ledger_checkpoints (
  size BIGINT NOT NULL,
  root BINARY(32) NOT NULL,
  key_id INT UNSIGNED NOT NULL,
  note TEXT NOT NULL,
  signed_at_ms BIGINT NOT NULL,
  PRIMARY KEY (size)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every key that has ever signed a checkpoint, so old checkpoints stay verifiable after a
-- rotation. retired_at_ms is set when a newer key first signs.
CREATE TABLE ledger_keys (
  key_id INT UNSIGNED NOT NULL,
  verifier_key VARCHAR(512) NOT NULL,
  first_used_at_ms BIGINT NOT NULL,
  retired_at_ms BIGINT NULL,
  PRIMARY KEY (key_id),
  UNIQUE KEY ledger_keys_vkey (verifier_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A replayed idempotent response names its ledger entry so its receipt can be rebuilt.
ALTER TABLE idempotency_keys ADD COLUMN ledger_queue_id BIGINT NULL;
