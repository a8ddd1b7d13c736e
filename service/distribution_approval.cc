// Four eyes and a court: a second officer endorses the draft, a court user of the case approves
// it with the court order's number; an officer may cancel a run that has not been executed.
#include <string>

#include "crypto/encoding.h"
#include "ledger/utf8.h"
#include "service/cases.h"
#include "service/distribution_runs.h"
#include "service/distribution_store.h"
#include "service/json_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxOrderReferenceChars = 64;

// The code points of valid UTF-8 text.
std::u32string CodePoints(const std::string& text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = length == 1 ? c : length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 7);
    for (int k = 1; k < length && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += length;
  }
  return out;
}

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

}  // namespace

bool IsValidOrderReference(const std::string& text) {
  if (!ledger::IsValidUtf8(text)) return false;
  const std::u32string cps = CodePoints(text);
  if (cps.size() < 9 || cps.size() > kMaxOrderReferenceChars) return false;
  for (char32_t c : cps) {
    if (c <= 0x20 || c == 0x7F || c == 0x3000 || (c >= 0x80 && c <= 0x9F)) return false;
  }
  if (cps[0] != U'(' && cps[0] != U'（') return false;
  if (cps[5] != U')' && cps[5] != U'）') return false;
  for (size_t i = 1; i <= 4; ++i) {
    if (!IsDigit(cps[i])) return false;
  }
  const int year = static_cast<int>((cps[1] - U'0') * 1000 + (cps[2] - U'0') * 100 +
                                    (cps[3] - U'0') * 10 + (cps[4] - U'0'));
  if (year < 1990 || year > 2099) return false;
  if (cps.back() != U'号') return false;
  // The court's and the case's designation between ")" and "号": at least a character that is
  // not a digit (沪0104执) and a number.
  bool digit = false;
  bool other = false;
  for (size_t i = 6; i + 1 < cps.size(); ++i) {
    if (IsDigit(cps[i])) {
      digit = true;
    } else {
      other = true;
    }
  }
  return digit && other;
}

StatusOr<ApproveInput> ParseApproveInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"order_reference"}));
  ApproveInput input;
  ASSIGN_OR_RETURN(input.order_reference,
                   reader.RequiredString("order_reference", kMaxOrderReferenceChars * 4));
  if (!IsValidOrderReference(input.order_reference)) {
    return Status::InvalidArgument("order_reference",
                                   "must be a court order's number such as (2026)沪0104执1号");
  }
  return input;
}

StatusOr<RunChange> EndorseDistribution(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& officer, int64_t case_id, int64_t run_id) {
  RETURN_IF_ERROR(RequireCaseRole(db, officer, Role::kOfficer, case_id, "endorse distributions"));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/true));
  if (run.status != "drafted") return InvalidTransition(run, "endorsed");
  if (run.drafted_by == officer.user_id) {
    return Status::PermissionDenied(
               "a second officer, not the one who drafted it, endorses a "
               "distribution")
        .WithReason("same_officer");
  }
  RETURN_IF_ERROR(CheckNotStale(db, run));
  const int64_t now = ctx.NowMs();
  ASSIGN_OR_RETURN(
      QueuedEntry entry,
      AppendLedgerEntry(db, RunEntry("distribution_endorsed", case_id, officer, now,
                                     {{"run", run.id},
                                      {"drafted_by", run.drafted_by},
                                      {"fingerprint", crypto::HexEncode(run.fingerprint)}})));
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_runs SET status = 'endorsed', endorsed_by = ?, "
                          "endorsed_at_ms = ?, endorsed_queue_id = ? WHERE id = ?",
                          {officer.user_id, now, entry.queue_id, run.id})
                      .status());
  run.status = "endorsed";
  run.endorsed_by = officer.user_id;
  run.endorsed_at_ms = now;
  run.stale = false;
  return RunChange{std::move(run), entry};
}

StatusOr<RunChange> ApproveDistribution(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& court, int64_t case_id, int64_t run_id,
                                        const ApproveInput& input) {
  RETURN_IF_ERROR(RequireCaseRole(db, court, Role::kCourt, case_id, "approve distributions"));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/true));
  if (run.status != "endorsed") return InvalidTransition(run, "approved");
  // The next round waits until the bank has answered for every line of the last one: a failed
  // payment changes what the claims are owed.
  ASSIGN_OR_RETURN(SqlRows open,
                   db.Query("SELECT id, payment_lines_open FROM distribution_runs WHERE case_id "
                            "= ? AND status = 'executed' AND payment_lines_open > 0 ORDER BY id "
                            "LIMIT 1",
                            {case_id}));
  if (!open.empty()) {
    return Status::Conflict("distribution " + std::to_string(open[0].Int(0)) + " still has " +
                            std::to_string(open[0].Int(1)) +
                            " payment lines without a bank result; record them first")
        .WithReason("unreconciled");
  }
  RETURN_IF_ERROR(CheckNotStale(db, run));
  const int64_t now = ctx.NowMs();
  ASSIGN_OR_RETURN(
      QueuedEntry entry,
      AppendLedgerEntry(db, RunEntry("distribution_approved", case_id, court, now,
                                     {{"run", run.id},
                                      {"order_reference", input.order_reference},
                                      {"endorsed_by", *run.endorsed_by},
                                      {"fingerprint", crypto::HexEncode(run.fingerprint)}})));
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_runs SET status = 'approved', approved_by = ?, "
                          "approved_at_ms = ?, approved_queue_id = ?, order_reference = ? WHERE "
                          "id = ?",
                          {court.user_id, now, entry.queue_id, input.order_reference, run.id})
                      .status());
  run.status = "approved";
  run.approved_by = court.user_id;
  run.approved_at_ms = now;
  run.order_reference = input.order_reference;
  run.stale = false;
  return RunChange{std::move(run), entry};
}

StatusOr<RunChange> CancelDistribution(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id, int64_t run_id) {
  RETURN_IF_ERROR(RequireCaseRole(db, officer, Role::kOfficer, case_id, "cancel distributions"));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/true));
  if (!run.active()) return InvalidTransition(run, "cancelled");
  const int64_t now = ctx.NowMs();
  const std::string from = run.status;
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   AppendLedgerEntry(db, RunEntry("distribution_cancelled", case_id, officer, now,
                                                  {{"run", run.id}, {"from", from}})));
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_runs SET status = 'cancelled', active_case_id = "
                          "NULL, cancelled_by = ?, cancelled_at_ms = ?, cancelled_queue_id = ? "
                          "WHERE id = ?",
                          {officer.user_id, now, entry.queue_id, run.id})
                      .status());
  run.status = "cancelled";
  run.cancelled_by = officer.user_id;
  run.cancelled_at_ms = now;
  return RunChange{std::move(run), entry};
}

}  // namespace restitution
