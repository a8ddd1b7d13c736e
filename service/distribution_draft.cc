// Drafting a run: the round's claims read in index order, the engine (distribution_rule.h) run
// once, every allocation stored with chunked multi-row INSERTs and written to the ledger in
// chunks small enough for an entry, all in the caller's transaction. No query per claim.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "service/cases.h"
#include "service/distribution_rule.h"
#include "service/distribution_runs.h"
#include "service/distribution_store.h"
#include "service/json_input.h"
#include "service/pool.h"
#include "service/time_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

// Multi-row INSERTs in chunks of these sizes (largest first), as in book_import.cc: any number
// of claims uses a handful of distinct prepared statements.
constexpr size_t kChunkSizes[] = {500, 100, 20, 5, 1};
constexpr char kInsertPrefix[] =
    "INSERT INTO distribution_allocations (run_id, claim_id, disputed, recognised_fen, "
    "prior_fen, pay_fen, reserve_fen, deferred_fen) VALUES ";
constexpr char kInsertRow[] = "(?, ?, ?, ?, ?, ?, ?, ?)";
constexpr size_t kColumns = 8;

// A distribution_allocations ledger entry's payload stays below this many bytes, leaving room
// for the envelope within ledger::kMaxEntryBytes.
constexpr size_t kChunkPayloadBytes = 60000;

Status InsertAllocations(DbConnection& db, int64_t run_id, const std::vector<RoundInputClaim>& in,
                         const RoundResult& result) {
  size_t done = 0;
  std::vector<SqlParam> params;
  for (size_t size : kChunkSizes) {
    const std::string sql = kInsertPrefix + RepeatSql(kInsertRow, size);
    while (in.size() - done >= size) {
      params.clear();
      params.reserve(size * kColumns);
      for (size_t i = done; i < done + size; ++i) {
        const RoundClaim& c = in[i].claim;
        const RoundAllocation& a = result.allocations[i];
        params.emplace_back(run_id);
        params.emplace_back(in[i].claim_id);
        params.emplace_back(c.status == RoundClaimStatus::kDisputed ? 1 : 0);
        params.emplace_back(c.recognised.fen());
        params.emplace_back(c.prior.fen());
        params.emplace_back(a.pay.fen());
        params.emplace_back(a.reserve.fen());
        params.emplace_back(a.deferred.fen());
      }
      RETURN_IF_ERROR(db.Exec(sql, params).status());
      done += size;
    }
  }
  return Status::Ok();
}

size_t Digits(int64_t v) { return std::to_string(v).size(); }

struct ChunkRange {
  size_t begin = 0;
  size_t end = 0;
};

// The allocations cut into ledger entries of at most kChunkPayloadBytes of payload each.
std::vector<ChunkRange> ChunkRanges(const std::vector<RoundInputClaim>& in,
                                    const RoundResult& result) {
  std::vector<ChunkRange> ranges;
  size_t begin = 0;
  size_t bytes = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const RoundClaim& c = in[i].claim;
    const RoundAllocation& a = result.allocations[i];
    // [id,"c",C,P,pay,reserve,deferred], plus the comma before it.
    const size_t row = 14 + Digits(in[i].claim_id) + Digits(c.recognised.fen()) +
                       Digits(c.prior.fen()) + Digits(a.pay.fen()) + Digits(a.reserve.fen()) +
                       Digits(a.deferred.fen());
    if (i > begin && bytes + row > kChunkPayloadBytes) {
      ranges.push_back({begin, i});
      begin = i;
      bytes = 0;
    }
    bytes += row;
  }
  if (begin < in.size()) ranges.push_back({begin, in.size()});
  return ranges;
}

// One distribution_allocations entry per range: per claim [id, "c"|"d", C, P, pay, reserve,
// deferred] in fen, claim id order. Each chunk's claim range is kept so a claim's statement
// can name the entry that recorded its allocation.
Status AppendAllocationChunks(DbConnection& db, const Principal& officer, int64_t case_id,
                              int64_t run_id, int64_t now, const std::vector<RoundInputClaim>& in,
                              const RoundResult& result, const std::vector<ChunkRange>& ranges) {
  const auto chunks = static_cast<int64_t>(ranges.size());
  for (size_t k = 0; k < ranges.size(); ++k) {
    Json rows = Json::array();
    for (size_t i = ranges[k].begin; i < ranges[k].end; ++i) {
      const RoundClaim& c = in[i].claim;
      const RoundAllocation& a = result.allocations[i];
      rows.push_back(Json::array(
          {in[i].claim_id, c.status == RoundClaimStatus::kDisputed ? "d" : "c", c.recognised.fen(),
           c.prior.fen(), a.pay.fen(), a.reserve.fen(), a.deferred.fen()}));
    }
    const int64_t first = in[ranges[k].begin].claim_id;
    const int64_t last = in[ranges[k].end - 1].claim_id;
    ASSIGN_OR_RETURN(
        QueuedEntry entry,
        AppendLedgerEntry(db, RunEntry("distribution_allocations", case_id, officer, now,
                                       {{"run", run_id},
                                        {"chunk", static_cast<int64_t>(k)},
                                        {"chunks", chunks},
                                        {"claims", std::move(rows)}})));
    RETURN_IF_ERROR(db.Exec("INSERT INTO distribution_chunks (run_id, chunk_no, first_claim_id, "
                            "last_claim_id, ledger_queue_id) VALUES (?, ?, ?, ?, ?)",
                            {run_id, static_cast<int64_t>(k), first, last, entry.queue_id})
                        .status());
  }
  return Status::Ok();
}

Status TooLarge() {
  return Status::RuleViolated("", "the case's recognised amounts are too large to add up")
      .WithReason("overflow");
}

}  // namespace

StatusOr<DraftInput> ParseDraftInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"amount", "min_payment", "record_date"}));
  DraftInput input;
  ASSIGN_OR_RETURN(input.amount, reader.RequiredMoney("amount"));
  if (input.amount.IsZero()) return Status::InvalidArgument("amount", "must be more than 0.00");
  ASSIGN_OR_RETURN(input.min_payment, reader.RequiredMoney("min_payment"));
  ASSIGN_OR_RETURN(std::optional<std::string> date, reader.OptionalString("record_date", 10));
  if (date) {
    ASSIGN_OR_RETURN(int ymd, ParseDate(*date, "record_date"));
    input.record_date = ymd;
  }
  return input;
}

StatusOr<RunChange> DraftDistribution(DbConnection& db, const ServiceContext& ctx,
                                      const Principal& officer, int64_t case_id,
                                      const DraftInput& input) {
  RETURN_IF_ERROR(RequireCaseRole(db, officer, Role::kOfficer, case_id, "draft distributions"));
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id));
  if (c.status == CaseStatus::kClosed) {
    return Status::RuleViolated("", "the case is closed").WithReason("case_closed");
  }
  const int64_t now = ctx.NowMs();
  const int today = ChinaDate(now);
  const int record_date = input.record_date.value_or(today);
  if (record_date > today) {
    return Status::RuleViolated("record_date", "cannot be in the future (Beijing date)");
  }
  ASSIGN_OR_RETURN(SqlRows active,
                   db.Query("SELECT id, status FROM distribution_runs WHERE active_case_id = ? "
                            "FOR UPDATE",
                            {case_id}));
  if (!active.empty()) {
    return Status::Conflict("distribution " + std::to_string(active[0].Int(0)) + " is still " +
                            active[0].Bytes(1) + "; execute or cancel it first")
        .WithReason("active_run");
  }
  ASSIGN_OR_RETURN(PoolBalances balances, ReadPoolBalances(db, case_id, /*for_update=*/false));
  if (input.amount > balances.Available()) {
    return Status::RuleViolated("amount", "is more than the pool has available (" +
                                              balances.Available().ToString() + ")")
        .WithReason("insufficient_funds");
  }

  ASSIGN_OR_RETURN(RoundInputs inputs, ReadRoundInputs(db, case_id));
  Int128 recognised = 0;
  Int128 prior = 0;
  RoundPlan plan;
  plan.amount = input.amount;
  plan.min_payment = input.min_payment;
  plan.claims.reserve(inputs.claims.size());
  for (const RoundInputClaim& claim : inputs.claims) {
    recognised += claim.claim.recognised.fen();
    prior += claim.claim.prior.fen();
    plan.claims.push_back(claim.claim);
  }
  if (recognised > std::numeric_limits<int64_t>::max()) return TooLarge();
  if (recognised == prior) {
    return Status::RuleViolated("", "no confirmed or disputed claim has anything outstanding")
        .WithReason("nothing_outstanding");
  }
  ASSIGN_OR_RETURN(RoundResult result, ComputeRound(plan));
  plan.claims = {};  // the engine's copy is no longer needed: 10^6 claims are 24 MB

  int64_t paid_count = 0;
  int64_t reserved_count = 0;
  int64_t deferred_count = 0;
  for (const RoundAllocation& a : result.allocations) {
    if (!a.pay.IsZero()) ++paid_count;
    if (!a.reserve.IsZero()) ++reserved_count;
    if (!a.deferred.IsZero()) ++deferred_count;
  }
  const RoundTotals& t = result.totals;
  // The round's ratio: what the round's claims have had paid or held for them once it is
  // executed, over what they are recognised at.
  const Int128 covered = prior + t.paid.fen() + t.reserved.fen();
  const std::string ratio = FormatRatio(covered, recognised);
  const std::string level = FormatRatio(result.level.numerator, result.level.denominator);
  const std::string level_num = Int128ToString(result.level.numerator);
  const std::string level_den = Int128ToString(result.level.denominator);
  const auto recognised_fen = static_cast<int64_t>(recognised);
  const auto prior_fen = static_cast<int64_t>(prior);
  const auto claims = static_cast<int64_t>(inputs.claims.size());
  const std::vector<ChunkRange> ranges = ChunkRanges(inputs.claims, result);
  const auto chunks = static_cast<int64_t>(ranges.size());

  StatusOr<int64_t> inserted = db.Insert(
      "INSERT INTO distribution_runs (case_id, active_case_id, status, amount_fen, "
      "min_payment_fen, record_date, pool_before_fen, claims_count, paid_count, reserved_count, "
      "deferred_count, recognised_fen, prior_fen, paid_fen, reserved_fen, deferred_fen, "
      "surplus_fen, level_numerator, level_denominator, level, ratio, fingerprint, chunks, "
      "drafted_by, drafted_at_ms, drafted_queue_id) VALUES (?, ?, 'drafted', ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
      {case_id,
       case_id,
       input.amount.fen(),
       input.min_payment.fen(),
       int64_t{record_date},
       balances.Available().fen(),
       claims,
       paid_count,
       reserved_count,
       deferred_count,
       recognised_fen,
       prior_fen,
       t.paid.fen(),
       t.reserved.fen(),
       t.deferred.fen(),
       t.surplus.fen(),
       level_num,
       level_den,
       level,
       ratio,
       inputs.fingerprint,
       chunks,
       officer.user_id,
       now});
  if (!inserted.ok()) {
    // Another draft of the case committed between our check and this insert.
    if (inserted.status().reason() == "duplicate_key") {
      return Status::Conflict("another distribution of the case is active")
          .WithReason("active_run");
    }
    return inserted.status();
  }
  const int64_t run_id = *inserted;

  ASSIGN_OR_RETURN(
      QueuedEntry drafted,
      AppendLedgerEntry(db, RunEntry("distribution_drafted", case_id, officer, now,
                                     {{"run", run_id},
                                      {"amount_fen", input.amount.fen()},
                                      {"min_payment_fen", input.min_payment.fen()},
                                      {"record_date", FormatYmd(record_date)},
                                      {"pool_available_fen", balances.Available().fen()},
                                      {"claims", claims},
                                      {"chunks", chunks},
                                      {"recognised_fen", recognised_fen},
                                      {"prior_fen", prior_fen},
                                      {"paid_fen", t.paid.fen()},
                                      {"reserved_fen", t.reserved.fen()},
                                      {"deferred_fen", t.deferred.fen()},
                                      {"surplus_fen", t.surplus.fen()},
                                      {"paid_count", paid_count},
                                      {"reserved_count", reserved_count},
                                      {"deferred_count", deferred_count},
                                      {"level_numerator", level_num},
                                      {"level_denominator", level_den},
                                      {"level", level},
                                      {"ratio", ratio},
                                      {"fingerprint", crypto::HexEncode(inputs.fingerprint)}})));
  RETURN_IF_ERROR(InsertAllocations(db, run_id, inputs.claims, result));
  RETURN_IF_ERROR(
      AppendAllocationChunks(db, officer, case_id, run_id, now, inputs.claims, result, ranges));
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_runs SET drafted_queue_id = ? WHERE id = ?",
                          {drafted.queue_id, run_id})
                      .status());
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/false));
  run.stale = false;
  return RunChange{std::move(run), drafted};
}

}  // namespace restitution
