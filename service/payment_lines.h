// A run's payment lines as the bank results touch them: locked by reference, then marked paid
// or failed. Set-based: a batch of results takes a few statements, not one per line (10^6
// lines made that the slowest step of a round; see bench/RESULTS.md). Internal to
// service/distribution_*.cc; bench/distribution_pipeline.cc times the same calls.
#ifndef RESTITUTION_SERVICE_PAYMENT_LINES_H_
#define RESTITUTION_SERVICE_PAYMENT_LINES_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "service/db_connection.h"

namespace restitution {

// Lines looked up or updated per statement.
constexpr size_t kPaymentLinesPerStatement = 100;

struct PaymentLine {
  int64_t id = 0;
  int64_t claim_id = 0;
  int64_t amount_fen = 0;
  std::string status;  // pending, paid or failed
  std::optional<int64_t> run_id;
};

// The case's payment lines with these references, locked (FOR UPDATE), by reference. A
// reference with no line is absent from the map.
StatusOr<std::map<std::string, PaymentLine>> LockPaymentLines(
    DbConnection& db, int64_t case_id, const std::vector<std::string>& references);

// Who recorded a result, when, and the ledger entry that carries it.
struct PaymentResultStamp {
  int64_t at_ms = 0;
  int64_t by_user_id = 0;
  int64_t queue_id = 0;
};

// Marks these pending lines paid. Internal when one of them is no longer pending: the caller
// holds their locks (LockPaymentLines) and has checked them.
Status MarkPaymentLinesPaid(DbConnection& db, const std::vector<int64_t>& line_ids,
                            const PaymentResultStamp& stamp);

// Marks the line failed with the bank's reason and takes its amount off its claim's position,
// so the next round pays it again.
Status MarkPaymentLineFailed(DbConnection& db, int64_t case_id, const PaymentLine& line,
                             const std::string& reason, const PaymentResultStamp& stamp);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_PAYMENT_LINES_H_
