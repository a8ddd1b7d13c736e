// The audit of a running service, as an outside auditor does it: over HTTPS, with an auditor
// login, trusting only the verifier keys it was given. It reads every entry and recomputes
// the tree from the served bytes (never from the decoded "entry" the service adds), verifies
// every stored checkpoint and the latest one, checks successive checkpoints consistent both
// by recomputation and with the service's own consistency proofs, and checks inclusion proofs
// for entries against the latest checkpoint.
#ifndef RESTITUTION_TOOLS_REMOTE_LEDGER_AUDIT_H_
#define RESTITUTION_TOOLS_REMOTE_LEDGER_AUDIT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "crypto/status.h"
#include "ledger/log_verifier.h"
#include "service/ledger_audit.h"
#include "tools/https_client.h"

namespace restitution {

struct RemoteAuditOptions {
  ledger::LogVerifierOptions verifier;  // the trusted keys
  std::string username;                 // an auditor, court or admin account
  std::string password;
  bool all_proofs = false;      // an inclusion proof for every entry
  size_t sampled_proofs = 256;  // otherwise this many, spread across the log
  int page_size = 1000;         // entries and checkpoints per request (the service's maximum)
  // Called with each served entry's bytes the latest checkpoint covers, in index order (the
  // replay audit, tools/ledger_replay.h, reads the log this way).
  std::function<void(uint64_t index, const std::string& bytes)> on_entry;
};

// A Status error means the service could not be used (unreachable, login refused, a response
// that is not the documented shape); every disagreement is in the report instead.
StatusOr<LedgerAuditReport> AuditLedgerService(HttpsClient& client,
                                               const RemoteAuditOptions& options);

}  // namespace restitution

#endif  // RESTITUTION_TOOLS_REMOTE_LEDGER_AUDIT_H_
