// restitutionctl ledger verify: the offline audit that trusts nothing but the verifier key.
//
//   restitutionctl ledger verify [--key VKEY]... [--key-file FILE]...
//       reads the ledger from the database of the configuration (RESTITUTION_CONFIG and
//       RESTITUTION_* variables); without a key it trusts the local ledger-signing.key, and
//       says so
//   restitutionctl ledger verify --url https://HOST[:PORT] --username NAME --password-file FILE
//                                (--key VKEY | --key-file FILE)... [--ca-file PEM] [--all-proofs]
//       reads it from a running service with an auditor (or court, or admin) login
//
// Prints a summary and exits 0 when everything agrees, 1 naming the first index where
// anything disagrees, 2 for a usage error or a ledger that cannot be read.
#ifndef RESTITUTION_TOOLS_LEDGER_VERIFY_H_
#define RESTITUTION_TOOLS_LEDGER_VERIFY_H_

#include <string>
#include <vector>

#include "service/config.h"

namespace restitution {

// args are the words after "ledger verify". Returns the exit status.
int LedgerVerifyCommand(const std::vector<std::string>& args, const Environment& env);

}  // namespace restitution

#endif  // RESTITUTION_TOOLS_LEDGER_VERIFY_H_
