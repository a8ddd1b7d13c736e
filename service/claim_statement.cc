#include "service/claim_statement.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "ledger/entry.h"
#include "service/claims.h"
#include "service/distribution_rule.h"
#include "service/distribution_store.h"
#include "service/ledger_store.h"
#include "service/money.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

struct Line {
  int64_t id = 0;
  std::optional<int64_t> run_id;
  std::string kind;
  std::optional<int64_t> release_id;
  Money amount;
  std::optional<std::string> reference;
  std::string status;
  std::optional<int64_t> result_at_ms;
  std::optional<int64_t> result_queue_id;
};

Json TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? Json(ledger::FormatUtcMillis(*ms)) : Json(nullptr);
}

StatusOr<Json> OptionalReceipt(DbConnection& db, const std::optional<int64_t>& queue_id) {
  if (!queue_id || *queue_id == 0) return Json(nullptr);
  return ReceiptJson(db, *queue_id);
}

// The claim's amount in dispute, as a round would count it.
StatusOr<Money> Recognised(DbConnection& db, const ClaimRecord& claim) {
  const int64_t allowed = claim.allowed ? claim.allowed->fen() : 0;
  if (claim.status == ClaimStatus::kConfirmed) return Money::FromFen(allowed);
  if (claim.status != ClaimStatus::kDisputed) return Money();
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT requested_fen FROM claim_objections WHERE "
                                          "claim_id = ? AND status = 'open' ORDER BY id LIMIT 1",
                                          {claim.id}));
  if (!rows.empty() && !rows[0].IsNull(0)) return Money::FromFen(rows[0].Int(0));
  return Money::FromFen(std::max(allowed, claim.declared_net.fen()));
}

Json LineJson(const Line& line) {
  return {{"reference", line.reference ? Json(*line.reference) : Json(nullptr)},
          {"amount", line.amount.ToString()},
          {"status", line.status},
          {"result_at", TimeOrNull(line.result_at_ms)}};
}

}  // namespace

StatusOr<Json> ReadClaimStatement(DbConnection& db, const Principal& reader, int64_t case_id,
                                  int64_t claim_id) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadVisibleClaim(db, reader, case_id, claim_id));
  ASSIGN_OR_RETURN(Money recognised, Recognised(db, claim));

  ASSIGN_OR_RETURN(SqlRows line_rows,
                   db.Query("SELECT id, run_id, kind, release_id, amount_fen, reference, status, "
                            "result_at_ms, result_queue_id FROM distribution_payments WHERE "
                            "case_id = ? AND claim_id = ? ORDER BY id",
                            {case_id, claim.id}));
  std::vector<Line> lines;
  Money paid;
  Money pending;
  for (const SqlRow& row : line_rows) {
    Line l;
    l.id = row.Int(0);
    l.run_id = row.OptionalInt(1);
    l.kind = row.Bytes(2);
    l.release_id = row.OptionalInt(3);
    l.amount = Money::FromFen(row.Int(4));
    l.reference = row.OptionalBytes(5);
    l.status = row.Bytes(6);
    l.result_at_ms = row.OptionalInt(7);
    l.result_queue_id = row.OptionalInt(8);
    if (l.status == "paid") {
      ASSIGN_OR_RETURN(paid, paid.Add(l.amount));
    } else if (l.status == "pending") {
      ASSIGN_OR_RETURN(pending, pending.Add(l.amount));
    }
    lines.push_back(std::move(l));
  }
  auto round_line = [&](int64_t run_id) -> const Line* {
    for (const Line& l : lines) {
      if (l.kind == "round" && l.run_id && *l.run_id == run_id) return &l;
    }
    return nullptr;
  };

  ASSIGN_OR_RETURN(SqlRows alloc_rows,
                   db.Query("SELECT r.id, r.round_no, r.executed_at_ms, r.record_date, "
                            "r.executed_queue_id, a.disputed, a.recognised_fen, a.prior_fen, "
                            "a.pay_fen, a.reserve_fen, a.deferred_fen, r.ratio, r.level FROM "
                            "distribution_runs r JOIN distribution_allocations a ON a.run_id = "
                            "r.id AND a.claim_id = ? WHERE r.case_id = ? AND r.status = "
                            "'executed' ORDER BY r.round_no",
                            {claim.id, case_id}));
  Json rounds = Json::array();
  for (const SqlRow& row : alloc_rows) {
    const int64_t run_id = row.Int(0);
    const Money pay = Money::FromFen(row.Int(8));
    const Money reserve = Money::FromFen(row.Int(9));
    const Money deferred = Money::FromFen(row.Int(10));
    Json round = {{"round", row.Int(1)},
                  {"run", run_id},
                  {"date", ledger::FormatUtcMillis(row.Int(2))},
                  {"record_date", FormatYmd(static_cast<int>(row.Int(3)))},
                  {"claim_status", row.Int(5) != 0 ? "disputed" : "confirmed"},
                  {"recognised", Money::FromFen(row.Int(6)).ToString()},
                  {"prior", Money::FromFen(row.Int(7)).ToString()},
                  {"round_ratio", row.Bytes(11)},
                  {"round_level", row.Bytes(12)}};
    std::optional<int64_t> receipt_queue = row.Int(4);
    if (!pay.IsZero()) {
      round["amount"] = pay.ToString();
      const Line* line = round_line(run_id);
      round["status"] = line ? line->status : "pending";
      if (line) {
        round["reference"] = line->reference ? Json(*line->reference) : Json(nullptr);
        round["result_at"] = TimeOrNull(line->result_at_ms);
        if (line->result_queue_id) receipt_queue = line->result_queue_id;
      }
    } else if (!reserve.IsZero()) {
      round["amount"] = reserve.ToString();
      round["status"] = "reserved";
    } else if (!deferred.IsZero()) {
      round["amount"] = deferred.ToString();
      round["status"] = "deferred";
    } else {
      continue;  // nothing for this claim in this round (already ahead of the level)
    }
    ASSIGN_OR_RETURN(round["receipt"], OptionalReceipt(db, receipt_queue));
    ASSIGN_OR_RETURN(SqlRows chunk, db.Query("SELECT ledger_queue_id FROM distribution_chunks "
                                             "WHERE run_id = ? AND last_claim_id >= ? ORDER BY "
                                             "last_claim_id LIMIT 1",
                                             {run_id, claim.id}));
    std::optional<int64_t> chunk_queue;
    if (!chunk.empty()) chunk_queue = chunk[0].Int(0);
    ASSIGN_OR_RETURN(round["allocation_receipt"], OptionalReceipt(db, chunk_queue));
    rounds.push_back(std::move(round));
  }

  ASSIGN_OR_RETURN(SqlRows release_rows,
                   db.Query("SELECT id, objection_id, reserved_fen, payable_fen, returned_fen, "
                            "released_at_ms, ledger_queue_id FROM distribution_reserve_releases "
                            "WHERE case_id = ? AND claim_id = ? ORDER BY id",
                            {case_id, claim.id}));
  Json releases = Json::array();
  for (const SqlRow& row : release_rows) {
    Json release = {{"objection", row.Int(1)},
                    {"reserved", Money::FromFen(row.Int(2)).ToString()},
                    {"payable", Money::FromFen(row.Int(3)).ToString()},
                    {"returned_to_pool", Money::FromFen(row.Int(4)).ToString()},
                    {"date", ledger::FormatUtcMillis(row.Int(5))},
                    {"payment", nullptr}};
    for (const Line& l : lines) {
      if (l.release_id && *l.release_id == row.Int(0)) {
        Json payment = LineJson(l);
        payment["run"] = l.run_id ? Json(*l.run_id) : Json(nullptr);
        ASSIGN_OR_RETURN(payment["receipt"], OptionalReceipt(db, l.result_queue_id));
        release["payment"] = std::move(payment);
      }
    }
    ASSIGN_OR_RETURN(release["receipt"], OptionalReceipt(db, row.Int(6)));
    releases.push_back(std::move(release));
  }

  ASSIGN_OR_RETURN(SqlRows position, db.Query("SELECT reserved_fen FROM distribution_positions "
                                              "WHERE case_id = ? AND claim_id = ?",
                                              {case_id, claim.id}));
  const Money reserved = position.empty() ? Money() : Money::FromFen(position[0].Int(0));
  ASSIGN_OR_RETURN(Money cumulative, paid.Add(pending));
  const Money remaining =
      cumulative >= recognised ? Money() : Money::FromFen(recognised.fen() - cumulative.fen());
  return Json{{"claim_id", claim.id},
              {"case_id", case_id},
              {"claim_status", std::string(ClaimStatusName(claim.status))},
              {"recognised", recognised.ToString()},
              {"rounds", std::move(rounds)},
              {"releases", std::move(releases)},
              {"cumulative_paid", cumulative.ToString()},
              {"paid", paid.ToString()},
              {"pending", pending.ToString()},
              {"reserved", reserved.ToString()},
              {"cumulative_ratio", FormatRatio(cumulative.fen(), recognised.fen())},
              {"remaining", remaining.ToString()}};
}

}  // namespace restitution
