-- Recovered assets (查封/扣押/冻结 → 评估 → 变现 or 解除) and the case's refund pool kept as
-- double-entry accounts (service/pool.h). Text that may name a person (an asset's holder, its
-- reference such as a bank account, free-text reasons) is sealed (*_enc); the ledger gets
-- keyed commitments only. Dates given by officers are yyyymmdd integers (China time).

-- Every movement of a case's money: one immutable row per balanced transfer, never updated or
-- deleted (a mistake is corrected by a reversing transfer). The replay audit rebuilds the same
-- figures from the ledger entries' "transfers".
CREATE TABLE pool_transfers (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_id BIGINT NOT NULL,
  kind VARCHAR(32) NOT NULL,
  from_account ENUM('recoveries','pool','reserve','payable','paid','disposal_costs') NOT NULL,
  to_account ENUM('recoveries','pool','reserve','payable','paid','disposal_costs') NOT NULL,
  amount_fen BIGINT NOT NULL,
  asset_id BIGINT NULL,
  run_id BIGINT NULL,
  claim_id BIGINT NULL,
  at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY pool_transfers_case (case_id, id),
  KEY pool_transfers_asset (asset_id),
  CONSTRAINT pool_transfers_amount_positive CHECK (amount_fen > 0),
  CONSTRAINT pool_transfers_two_accounts CHECK (from_account <> to_account),
  CONSTRAINT pool_transfers_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each account's balance, one row per (case, account), created on a case's first transfer.
-- Every read-modify-write locks the case's rows (SELECT … FOR UPDATE), so two transfers on one
-- case take turns. Only the contra account `recoveries` may be negative; the rows of a case
-- add up to zero.
CREATE TABLE pool_balances (
  case_id BIGINT NOT NULL,
  account ENUM('recoveries','pool','reserve','payable','paid','disposal_costs') NOT NULL,
  balance_fen BIGINT NOT NULL,
  PRIMARY KEY (case_id, account),
  CONSTRAINT pool_balances_not_negative CHECK (account = 'recoveries' OR balance_fen >= 0),
  CONSTRAINT pool_balances_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A seized, frozen or impounded asset. Its kind and its source (State Council Decree 737,
-- Art. 26) are fixed when it is recorded; its status moves seized → valued → liquidated, or
-- to released (returned to a third party). A reversed liquidation puts it back where it was.
CREATE TABLE assets (
  id BIGINT NOT NULL AUTO_INCREMENT,
  case_id BIGINT NOT NULL,
  kind ENUM('frozen_deposit','real_estate','vehicle','equity','securities','crypto','goods',
            'other') NOT NULL,
  source ENUM('remaining_funds','proceeds_of_funds','insider_gains','hidden_funds',
              'fees_and_commissions','other') NOT NULL,
  status ENUM('seized','valued','liquidated','released') NOT NULL,
  description VARCHAR(1000) NOT NULL,
  holder_enc VARBINARY(2048) NOT NULL,
  reference_enc VARBINARY(1024) NULL,
  release_reason_enc BLOB NULL,
  released_by BIGINT NULL,
  released_at_ms BIGINT NULL,
  created_by BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY assets_case (case_id, id),
  CONSTRAINT assets_case_fk FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Appraisals (评估); several per asset, the latest counting.
CREATE TABLE asset_valuations (
  id BIGINT NOT NULL AUTO_INCREMENT,
  asset_id BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  appraiser VARCHAR(200) NOT NULL,
  valued_on INT NOT NULL,  -- yyyymmdd
  recorded_by BIGINT NOT NULL,
  recorded_at_ms BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY asset_valuations_asset (asset_id, id),
  CONSTRAINT asset_valuations_amount CHECK (amount_fen >= 0),
  CONSTRAINT asset_valuations_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Realisations: a sale (变现, early when 先行处置) or a frozen deposit taken into the pool. At
-- most one per asset is in force (reversed_at_ms NULL); a reversal keeps the row and records
-- who corrected it, when and why.
CREATE TABLE asset_liquidations (
  id BIGINT NOT NULL AUTO_INCREMENT,
  asset_id BIGINT NOT NULL,
  method ENUM('sale','deposit_transfer') NOT NULL,
  proceeds_fen BIGINT NOT NULL,
  costs_fen BIGINT NOT NULL,
  realised_on INT NOT NULL,  -- yyyymmdd
  early_sale TINYINT NOT NULL,
  early_sale_reason ENUM('perishable','depreciating','costly_to_keep') NULL,
  previous_status ENUM('seized','valued') NOT NULL,
  recorded_by BIGINT NOT NULL,
  recorded_at_ms BIGINT NOT NULL,
  reversed_by BIGINT NULL,
  reversed_at_ms BIGINT NULL,
  reversal_reason_enc BLOB NULL,
  PRIMARY KEY (id),
  KEY asset_liquidations_asset (asset_id, id),
  CONSTRAINT asset_liquidations_amounts CHECK (proceeds_fen > 0 AND costs_fen >= 0 AND
                                               costs_fen <= proceeds_fen),
  CONSTRAINT asset_liquidations_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
