#include "service/payment_lines.h"

#include <algorithm>

namespace restitution {
namespace {

// The chunk [begin, end) of values, padded to kPaymentLinesPerStatement with its last value:
// an IN list always has that many placeholders, so each statement is prepared once.
template <typename T>
void AppendPadded(const std::vector<T>& values, size_t begin, size_t end,
                  std::vector<SqlParam>* params) {
  for (size_t i = begin; i < end; ++i) params->push_back(values[i]);
  for (size_t i = end - begin; i < kPaymentLinesPerStatement; ++i)
    params->push_back(values[end - 1]);
}

}  // namespace

StatusOr<std::map<std::string, PaymentLine>> LockPaymentLines(
    DbConnection& db, int64_t case_id, const std::vector<std::string>& references) {
  static const std::string sql =
      "SELECT reference, id, claim_id, amount_fen, status, run_id FROM distribution_payments "
      "WHERE case_id = ? AND reference IN (" +
      RepeatSql("?", kPaymentLinesPerStatement) + ") FOR UPDATE";
  std::map<std::string, PaymentLine> lines;
  for (size_t begin = 0; begin < references.size(); begin += kPaymentLinesPerStatement) {
    const size_t end = std::min(references.size(), begin + kPaymentLinesPerStatement);
    std::vector<SqlParam> params = {case_id};
    AppendPadded(references, begin, end, &params);
    ASSIGN_OR_RETURN(SqlRows rows, db.Query(sql, params));
    for (const SqlRow& row : rows) {
      lines[row.Bytes(0)] =
          PaymentLine{row.Int(1), row.Int(2), row.Int(3), row.Bytes(4), row.OptionalInt(5)};
    }
  }
  return lines;
}

Status MarkPaymentLinesPaid(DbConnection& db, const std::vector<int64_t>& line_ids,
                            const PaymentResultStamp& stamp) {
  static const std::string sql =
      "UPDATE distribution_payments SET status = 'paid', failure_reason = NULL, result_at_ms = ?, "
      "result_by = ?, result_queue_id = ? WHERE status = 'pending' AND id IN (" +
      RepeatSql("?", kPaymentLinesPerStatement) + ")";
  for (size_t begin = 0; begin < line_ids.size(); begin += kPaymentLinesPerStatement) {
    const size_t end = std::min(line_ids.size(), begin + kPaymentLinesPerStatement);
    std::vector<SqlParam> params = {stamp.at_ms, stamp.by_user_id, stamp.queue_id};
    AppendPadded(line_ids, begin, end, &params);
    ASSIGN_OR_RETURN(const int64_t updated, db.Exec(sql, params));
    if (updated != static_cast<int64_t>(end - begin)) {
      return Status::Internal("payment lines changed under their lock");
    }
  }
  return Status::Ok();
}

Status MarkPaymentLineFailed(DbConnection& db, int64_t case_id, const PaymentLine& line,
                             const std::string& reason, const PaymentResultStamp& stamp) {
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_payments SET status = 'failed', "
                          "failure_reason = ?, result_at_ms = ?, result_by = ?, "
                          "result_queue_id = ? WHERE id = ?",
                          {reason, stamp.at_ms, stamp.by_user_id, stamp.queue_id, line.id})
                      .status());
  return db
      .Exec(
          "UPDATE distribution_positions SET committed_fen = committed_fen - ? "
          "WHERE case_id = ? AND claim_id = ?",
          {line.amount_fen, case_id, line.claim_id})
      .status();
}

}  // namespace restitution
