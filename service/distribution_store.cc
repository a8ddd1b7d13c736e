#include "service/distribution_store.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "service/cases.h"

namespace restitution {
namespace {

// Rows per page of the claim scans: bounded memory per query, few round trips.
constexpr int64_t kClaimPage = 10000;

constexpr char kRunColumns[] =
    "id, case_id, status, round_no, amount_fen, min_payment_fen, record_date, pool_before_fen, "
    "claims_count, paid_count, reserved_count, deferred_count, recognised_fen, prior_fen, "
    "paid_fen, reserved_fen, deferred_fen, surplus_fen, level_numerator, level_denominator, "
    "level, ratio, fingerprint, chunks, drafted_by, drafted_at_ms, endorsed_by, endorsed_at_ms, "
    "approved_by, approved_at_ms, order_reference, executed_by, executed_at_ms, cancelled_by, "
    "cancelled_at_ms, payment_lines, payment_lines_open";

Money Fen(const SqlRow& row, size_t i) { return Money::FromFen(row.Int(i)); }

DistributionRun RunFromRow(const SqlRow& row) {
  DistributionRun r;
  r.id = row.Int(0);
  r.case_id = row.Int(1);
  r.status = row.Bytes(2);
  if (!row.IsNull(3)) r.round_no = static_cast<int>(row.Int(3));
  r.amount = Fen(row, 4);
  r.min_payment = Fen(row, 5);
  r.record_date = static_cast<int>(row.Int(6));
  r.pool_before = Fen(row, 7);
  r.claims = row.Int(8);
  r.paid_count = row.Int(9);
  r.reserved_count = row.Int(10);
  r.deferred_count = row.Int(11);
  r.recognised = Fen(row, 12);
  r.prior = Fen(row, 13);
  r.paid = Fen(row, 14);
  r.reserved = Fen(row, 15);
  r.deferred = Fen(row, 16);
  r.surplus = Fen(row, 17);
  r.level_numerator = row.Bytes(18);
  r.level_denominator = row.Bytes(19);
  r.level = row.Bytes(20);
  r.ratio = row.Bytes(21);
  r.fingerprint = row.Bytes(22);
  r.chunks = row.Int(23);
  r.drafted_by = row.Int(24);
  r.drafted_at_ms = row.Int(25);
  r.endorsed_by = row.OptionalInt(26);
  r.endorsed_at_ms = row.OptionalInt(27);
  r.approved_by = row.OptionalInt(28);
  r.approved_at_ms = row.OptionalInt(29);
  r.order_reference = row.OptionalBytes(30);
  r.executed_by = row.OptionalInt(31);
  r.executed_at_ms = row.OptionalInt(32);
  r.cancelled_by = row.OptionalInt(33);
  r.cancelled_at_ms = row.OptionalInt(34);
  r.payment_lines = row.Int(35);
  r.payment_lines_open = row.Int(36);
  return r;
}

// One of the two index-ordered scans (confirmed, disputed).
Status ScanClaims(DbConnection& db, int64_t case_id, bool disputed,
                  std::vector<RoundInputClaim>* out) {
  // The open objection is joined for disputed claims only; both scans follow claims_queue
  // (case_id, status, id), so each page is a range read in id order.
  const std::string sql =
      disputed ? "SELECT c.id, c.allowed_fen, c.declared_net_fen, o.requested_fen, "
                 "p.committed_fen, p.reserved_fen FROM claims c FORCE INDEX (claims_queue) "
                 "LEFT JOIN claim_objections o ON o.claim_id = c.id AND o.status = 'open' "
                 "LEFT JOIN distribution_positions p ON p.case_id = c.case_id AND p.claim_id = "
                 "c.id WHERE c.case_id = ? AND c.status = 'disputed' AND c.id > ? ORDER BY "
                 "c.id LIMIT ?"
               : "SELECT c.id, c.allowed_fen, 0, NULL, p.committed_fen, p.reserved_fen FROM "
                 "claims c FORCE INDEX (claims_queue) LEFT JOIN distribution_positions p ON "
                 "p.case_id = c.case_id AND p.claim_id = c.id WHERE c.case_id = ? AND c.status "
                 "= 'confirmed' AND c.id > ? ORDER BY c.id LIMIT ?";
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(SqlRows rows, db.Query(sql, {case_id, after, kClaimPage}));
    for (const SqlRow& row : rows) {
      const int64_t id = row.Int(0);
      // Two open objections would repeat the claim; the first one counts.
      if (!out->empty() && out->back().claim_id == id) continue;
      const int64_t allowed = row.IsNull(1) ? 0 : row.Int(1);
      int64_t recognised = allowed;
      if (disputed) {
        recognised = row.IsNull(3) ? std::max(allowed, row.Int(2)) : row.Int(3);
      }
      const int64_t prior = (row.IsNull(4) ? 0 : row.Int(4)) + (row.IsNull(5) ? 0 : row.Int(5));
      RoundInputClaim claim;
      claim.claim_id = id;
      claim.claim.recognised = Money::FromFen(std::max<int64_t>(recognised, 0));
      // Paid more than it is now recognised at: it simply gets nothing more.
      claim.claim.prior =
          Money::FromFen(std::clamp<int64_t>(prior, 0, claim.claim.recognised.fen()));
      claim.claim.status = disputed ? RoundClaimStatus::kDisputed : RoundClaimStatus::kConfirmed;
      out->push_back(claim);
    }
    if (rows.size() < static_cast<size_t>(kClaimPage)) break;
    after = rows.back().Int(0);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<RoundInputs> ReadRoundInputs(DbConnection& db, int64_t case_id) {
  std::vector<RoundInputClaim> confirmed;
  std::vector<RoundInputClaim> disputed;
  RETURN_IF_ERROR(ScanClaims(db, case_id, /*disputed=*/false, &confirmed));
  RETURN_IF_ERROR(ScanClaims(db, case_id, /*disputed=*/true, &disputed));
  RoundInputs inputs;
  inputs.claims.reserve(confirmed.size() + disputed.size());
  std::merge(
      confirmed.begin(), confirmed.end(), disputed.begin(), disputed.end(),
      std::back_inserter(inputs.claims),
      [](const RoundInputClaim& a, const RoundInputClaim& b) { return a.claim_id < b.claim_id; });
  // SHA-256 over "id,c|d,C,P\n" for every claim in order: any change to who is in the round,
  // their status, recognised amount or prior changes it.
  crypto::Sha256Hasher hasher;
  std::string line;
  for (const RoundInputClaim& c : inputs.claims) {
    line = std::to_string(c.claim_id);
    line += c.claim.status == RoundClaimStatus::kDisputed ? ",d," : ",c,";
    line += std::to_string(c.claim.recognised.fen());
    line += ',';
    line += std::to_string(c.claim.prior.fen());
    line += '\n';
    hasher.Update(line);
  }
  inputs.fingerprint = hasher.Finish();
  return inputs;
}

StatusOr<DistributionRun> LoadRun(DbConnection& db, int64_t case_id, int64_t run_id,
                                  bool for_update) {
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query(std::string("SELECT ") + kRunColumns +
                                " FROM distribution_runs WHERE id = ? AND case_id = ?" +
                                (for_update ? " FOR UPDATE" : ""),
                            {run_id, case_id}));
  if (rows.empty()) return Status::NotFound("distribution not found");
  return RunFromRow(rows[0]);
}

StatusOr<std::vector<DistributionRun>> LoadRuns(DbConnection& db, int64_t case_id, int limit) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kRunColumns +
                                              " FROM distribution_runs WHERE case_id = ? ORDER "
                                              "BY id DESC LIMIT ?",
                                          {case_id, int64_t{limit}}));
  std::vector<DistributionRun> runs;
  runs.reserve(rows.size());
  for (const SqlRow& row : rows) runs.push_back(RunFromRow(row));
  return runs;
}

Status RequireCaseRole(DbConnection& db, const Principal& principal, Role role, int64_t case_id,
                       const char* what) {
  if (principal.role != role) {
    return Status::PermissionDenied(std::string("only the case's ") + std::string(RoleName(role)) +
                                    "s " + what)
        .WithReason("forbidden");
  }
  return RequireCaseStaff(db, principal, case_id);
}

Status CheckNotStale(DbConnection& db, const DistributionRun& run) {
  ASSIGN_OR_RETURN(RoundInputs inputs, ReadRoundInputs(db, run.case_id));
  if (inputs.fingerprint != run.fingerprint) {
    return Status::Conflict("the case's claims changed since distribution " +
                            std::to_string(run.id) +
                            " was drafted; cancel it and draft the round again")
        .WithReason("stale");
  }
  return Status::Ok();
}

Status InvalidTransition(const DistributionRun& run, const char* action) {
  return Status::Conflict("distribution " + std::to_string(run.id) + " is " + run.status +
                          " and cannot be " + action)
      .WithReason("invalid_transition");
}

ledger::EntryDraft RunEntry(const std::string& type, int64_t case_id, const Principal& actor,
                            int64_t now_ms, nlohmann::json payload) {
  ledger::EntryDraft draft;
  draft.type = type;
  draft.case_id = case_id;
  draft.actor = ActorOf(actor);
  draft.at_ms = now_ms;
  draft.payload = std::move(payload);
  return draft;
}

StatusOr<Int128> ParseInt128(const std::string& text) {
  std::optional<Int128> value = ParseInt128Digits(text);
  if (!value) return Status::Internal("bad stored 128-bit integer");
  return *value;
}

std::string FormatYmd(int yyyymmdd) {
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", yyyymmdd / 10000, (yyyymmdd / 100) % 100,
                yyyymmdd % 100);
  return text;
}

}  // namespace restitution
