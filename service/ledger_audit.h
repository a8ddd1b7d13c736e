// The offline audit of the ledger as the database holds it (restitutionctl ledger verify
// without --url). It reads every entry, every stored node and every checkpoint, under one
// read-only snapshot, and hands them to ledger::LogVerifier, which trusts only the verifier
// keys: a row changed, deleted or moved in any of the ledger tables shows up as a failure
// naming the first index where the stored log and the signed checkpoints part ways.
#ifndef RESTITUTION_SERVICE_LEDGER_AUDIT_H_
#define RESTITUTION_SERVICE_LEDGER_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/log_verifier.h"
#include "ledger/merkle.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"

namespace restitution {

// What an audit found, from the database or from a running service.
struct LedgerAuditReport {
  std::optional<ledger::LogFailure> failure;  // the first disagreement; none when all is well
  uint64_t entries = 0;       // entries checked (all of them unless there is a failure)
  uint64_t claimed_size = 0;  // the size the source claims: its tree head or latest checkpoint
  ledger::Hash root;          // MTH of the entries checked
  uint64_t checkpoints_checked = 0;    // signed, and matched by the recomputed tree
  uint64_t consistency_proofs = 0;     // between successive checkpoints, verified
  uint64_t inclusion_proofs = 0;       // of entries in the latest checkpoint, verified
  uint64_t covered_size = 0;           // size of the largest checkpoint that matched
  std::vector<std::string> keys_used;  // "<name>+<key id>" of the keys that signed
  std::vector<std::string> notes;      // worth saying, not failures
};

// Copies the verifier's findings (failure, counts, root, keys) into report.
void TakeVerifierFindings(const ledger::LogVerifier& verifier, LedgerAuditReport* report);

struct LedgerAuditOptions {
  ledger::LogVerifierOptions verifier;  // the trusted keys; require_stored_nodes is forced on
  int page_size = kMaxEntriesPage;      // entries and checkpoints read per query
};

// Audits the ledger tables through db, which must not be in a transaction (the audit runs in
// its own read-only one, for a consistent snapshot, and rolls it back). A Status error means
// the ledger could not be read; every disagreement is in the report instead.
StatusOr<LedgerAuditReport> AuditLedgerDatabase(DbConnection& db,
                                                const LedgerAuditOptions& options);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_LEDGER_AUDIT_H_
