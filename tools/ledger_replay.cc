#include "tools/ledger_replay.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "service/ledger_store.h"
#include "service/money.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

// A disagreement between the entries (or the database) and the replay.
Status Differs(std::string message) { return Status::RuleViolated("", std::move(message)); }

std::string Yuan(int64_t fen) { return Money::FromFen(fen).ToString(); }

StatusOr<int64_t> IntField(const Json& payload, const char* name) {
  if (!payload.is_object() || !payload.contains(name) || !payload[name].is_number_integer()) {
    return Differs(std::string("payload member \"") + name + "\" is missing or not an integer");
  }
  return payload[name].get<int64_t>();
}

StatusOr<std::string> StringField(const Json& payload, const char* name) {
  if (!payload.is_object() || !payload.contains(name) || !payload[name].is_string()) {
    return Differs(std::string("payload member \"") + name + "\" is missing or not a string");
  }
  return payload[name].get<std::string>();
}

std::string Describe(const PoolTransfer& t) {
  return std::string(PoolAccountName(t.from)) + " -> " + std::string(PoolAccountName(t.to)) + " " +
         t.amount.ToString();
}

std::string Describe(const std::vector<PoolTransfer>& transfers) {
  std::string text = "[";
  for (size_t i = 0; i < transfers.size(); ++i) {
    text += (i ? ", " : "") + Describe(transfers[i]);
  }
  return text + "]";
}

// The transfers an entry's other members imply, zero amounts left out as the service does.
void AddIfPositive(std::vector<PoolTransfer>* out, PoolAccount from, PoolAccount to, int64_t fen) {
  if (fen > 0) out->push_back({from, to, Money::FromFen(fen)});
}

Status ExpectTransfers(const std::vector<PoolTransfer>& got, const std::vector<PoolTransfer>& want,
                       const std::string& why) {
  bool same = got.size() == want.size();
  for (size_t i = 0; same && i < got.size(); ++i) {
    same =
        got[i].from == want[i].from && got[i].to == want[i].to && got[i].amount == want[i].amount;
  }
  if (same) return Status::Ok();
  return Differs("its transfers are " + Describe(got) + ", but " + why + " imply " +
                 Describe(want));
}

std::string FingerprintLine(const ReplayedAllocation& a) {
  return std::to_string(a.claim_id) + (a.disputed ? ",d," : ",c,") + std::to_string(a.recognised) +
         "," + std::to_string(a.prior) + "\n";
}

struct Line {
  int64_t claim = 0;
  int64_t amount = 0;
  std::string reference;  // empty for a release line whose reference was not seen yet
  bool release = false;
  bool resulted = false;
};

struct Liquidation {
  int64_t net = 0;
  int64_t costs = 0;
  bool reversed = false;
};

struct PendingRelease {
  int64_t claim = 0;
  int64_t amount = 0;
};

// What the replay keeps beside the report's figures.
struct CaseExtra {
  std::optional<int64_t> active_run;
  int64_t executed_rounds = 0;
  Int128 best_numerator = 0;  // the highest level an executed run reached
  Int128 best_denominator = 1;
  std::vector<PendingRelease> pending_releases;  // released reserves waiting for a batch
};

struct RunExtra {
  int64_t next_chunk = 0;
  std::vector<Line> lines;  // the batch: round lines, then released reserves
};

}  // namespace

class LedgerReplay::Impl {
 public:
  void Add(uint64_t index, const ledger::EntryDraft& entry) {
    if (report_.failure) return;
    ++report_.entries;
    report_.last_index = index;
    blame_.reset();
    Status status = Apply(index, entry);
    if (!status.ok()) {
      report_.failure = blame_ ? ReplayFailure{blame_->first, blame_->second, status.message()}
                               : ReplayFailure{index, entry.type, status.message()};
    }
  }

  void AddBytes(uint64_t index, const std::string& bytes) {
    if (report_.failure) return;
    StatusOr<ledger::EntryDraft> entry = ledger::DecodeEntry(bytes);
    if (!entry.ok()) {
      ++report_.entries;
      report_.failure =
          ReplayFailure{index, "", "the entry does not decode: " + entry.status().message()};
      return;
    }
    Add(index, *entry);
  }

  bool failed() const { return report_.failure.has_value(); }

  LedgerReplayReport Finish() {
    if (!report_.failure) {
      for (const auto& [id, run] : report_.runs) {
        if (run.computed) continue;
        // The chunks are written in the drafting transaction, right behind the drafted entry;
        // at the very end of a log still being written they may not be sequenced yet.
        report_.notes.push_back("run " + std::to_string(id) + " (drafted at index " +
                                std::to_string(run.drafted_index) + "): only " +
                                std::to_string(run_extra_[id].next_chunk) + " of its " +
                                std::to_string(run.chunks) +
                                " allocation chunks are on the log; not recomputed");
      }
    }
    return std::move(report_);
  }

 private:
  Status Apply(uint64_t index, const ledger::EntryDraft& e) {
    const std::string& type = e.type;
    if (type == "asset_liquidated") return AssetLiquidated(index, e);
    if (type == "asset_deposit_transferred") return DepositTransferred(index, e);
    if (type == "asset_liquidation_reversed") return LiquidationReversed(index, e);
    if (type == "distribution_drafted") return Drafted(index, e);
    if (type == "distribution_allocations") return Allocations(index, e);
    if (type == "distribution_endorsed") return Endorsed(e);
    if (type == "distribution_approved") return Approved(e);
    if (type == "distribution_cancelled") return Cancelled(e);
    if (type == "distribution_executed") return Executed(index, e);
    if (type == "distribution_payment_results") return PaymentResults(index, e);
    if (type == "distribution_reserve_released") return ReserveReleased(index, e);
    if (e.payload.contains("transfers")) {
      // A type this audit does not know that moves money: its transfers still count.
      ASSIGN_OR_RETURN(ReplayedCase * c, CaseOf(e));
      ASSIGN_OR_RETURN(std::vector<PoolTransfer> transfers, Transfers(e.payload));
      return ApplyTransfers(index, e.type, c, transfers);
    }
    return Status::Ok();
  }

  StatusOr<ReplayedCase*> CaseOf(const ledger::EntryDraft& e) {
    if (!e.case_id) return Differs("moves money but belongs to no case (\"case\" is null)");
    return &report_.cases[*e.case_id];
  }

  StatusOr<std::vector<PoolTransfer>> Transfers(const Json& payload) {
    if (!payload.contains("transfers")) return Differs("payload member \"transfers\" is missing");
    StatusOr<std::vector<PoolTransfer>> parsed = ParseTransfersJson(payload["transfers"]);
    if (!parsed.ok()) {
      return Differs("malformed transfer: " + parsed.status().field() + " " +
                     parsed.status().message());
    }
    for (size_t i = 0; i < parsed->size(); ++i) {
      const std::string text = payload["transfers"][i]["amount"].get<std::string>();
      if (text != (*parsed)[i].amount.ToString()) {
        return Differs("malformed transfer: transfers[" + std::to_string(i) + "].amount \"" + text +
                       "\" is not a money string with two decimals");
      }
    }
    return parsed;
  }

  Status ApplyTransfers(uint64_t index, const std::string& type, ReplayedCase* c,
                        const std::vector<PoolTransfer>& transfers) {
    for (size_t i = 0; i < transfers.size(); ++i) {
      const PoolTransfer& t = transfers[i];
      int64_t& from = c->balances[static_cast<size_t>(t.from)];
      int64_t& to = c->balances[static_cast<size_t>(t.to)];
      if (__builtin_sub_overflow(from, t.amount.fen(), &from) ||
          __builtin_add_overflow(to, t.amount.fen(), &to)) {
        return Differs("transfer " + std::to_string(i) + " (" + Describe(t) +
                       ") overflows the balances");
      }
      if (t.from != PoolAccount::kRecoveries && from < 0) {
        return Differs("transfer " + std::to_string(i) + " (" + Describe(t) + ") takes account " +
                       std::string(PoolAccountName(t.from)) + " below zero (" + Yuan(from) + ")");
      }
    }
    int64_t sum = 0;
    for (int64_t balance : c->balances) {
      if (__builtin_add_overflow(sum, balance, &sum)) return Differs("the balances overflow");
    }
    if (sum != 0) return Differs("the case's accounts add up to " + Yuan(sum) + ", not zero");
    c->last_transfer_index = index;
    c->last_transfer_type = type;
    report_.transfers += transfers.size();
    return Status::Ok();
  }

  // --- Assets -------------------------------------------------------------------------------

  Status AssetLiquidated(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedCase * c, CaseOf(e));
    ASSIGN_OR_RETURN(int64_t liquidation, IntField(p, "liquidation"));
    ASSIGN_OR_RETURN(int64_t proceeds, IntField(p, "proceeds_fen"));
    ASSIGN_OR_RETURN(int64_t costs, IntField(p, "costs_fen"));
    ASSIGN_OR_RETURN(int64_t net, IntField(p, "net_fen"));
    if (proceeds <= 0 || costs < 0 || costs > proceeds) {
      return Differs("proceeds " + Yuan(proceeds) + " and costs " + Yuan(costs) +
                     " are out of range");
    }
    if (net != proceeds - costs) {
      return Differs("net_fen " + Yuan(net) + " is not proceeds " + Yuan(proceeds) + " - costs " +
                     Yuan(costs));
    }
    ASSIGN_OR_RETURN(std::vector<PoolTransfer> transfers, Transfers(p));
    std::vector<PoolTransfer> want;
    AddIfPositive(&want, PoolAccount::kRecoveries, PoolAccount::kPool, net);
    AddIfPositive(&want, PoolAccount::kRecoveries, PoolAccount::kDisposalCosts, costs);
    RETURN_IF_ERROR(ExpectTransfers(transfers, want, "its net and costs"));
    liquidations_[liquidation] = Liquidation{net, costs, false};
    return ApplyTransfers(index, e.type, c, transfers);
  }

  Status DepositTransferred(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedCase * c, CaseOf(e));
    ASSIGN_OR_RETURN(int64_t liquidation, IntField(p, "liquidation"));
    ASSIGN_OR_RETURN(int64_t amount, IntField(p, "amount_fen"));
    if (amount <= 0) return Differs("amount_fen " + Yuan(amount) + " is not positive");
    ASSIGN_OR_RETURN(std::vector<PoolTransfer> transfers, Transfers(p));
    std::vector<PoolTransfer> want;
    AddIfPositive(&want, PoolAccount::kRecoveries, PoolAccount::kPool, amount);
    RETURN_IF_ERROR(ExpectTransfers(transfers, want, "its amount_fen"));
    liquidations_[liquidation] = Liquidation{amount, 0, false};
    return ApplyTransfers(index, e.type, c, transfers);
  }

  Status LiquidationReversed(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedCase * c, CaseOf(e));
    ASSIGN_OR_RETURN(int64_t liquidation, IntField(p, "liquidation"));
    auto found = liquidations_.find(liquidation);
    if (found == liquidations_.end()) {
      return Differs("reverses liquidation " + std::to_string(liquidation) +
                     ", which no earlier entry recorded");
    }
    if (found->second.reversed) {
      return Differs("reverses liquidation " + std::to_string(liquidation) + " a second time");
    }
    ASSIGN_OR_RETURN(std::vector<PoolTransfer> transfers, Transfers(p));
    std::vector<PoolTransfer> want;
    AddIfPositive(&want, PoolAccount::kDisposalCosts, PoolAccount::kRecoveries,
                  found->second.costs);
    AddIfPositive(&want, PoolAccount::kPool, PoolAccount::kRecoveries, found->second.net);
    RETURN_IF_ERROR(ExpectTransfers(transfers, want, "the liquidation it reverses"));
    found->second.reversed = true;
    return ApplyTransfers(index, e.type, c, transfers);
  }

  // --- Distribution runs --------------------------------------------------------------------

  StatusOr<ReplayedRun*> RunOf(const ledger::EntryDraft& e) {
    ASSIGN_OR_RETURN(int64_t id, IntField(e.payload, "run"));
    auto found = report_.runs.find(id);
    if (found == report_.runs.end()) {
      return Differs("run " + std::to_string(id) + " was never drafted on the ledger");
    }
    if (!e.case_id || *e.case_id != found->second.case_id) {
      return Differs("run " + std::to_string(id) + " belongs to case " +
                     std::to_string(found->second.case_id) + ", not this entry's case");
    }
    return &found->second;
  }

  Status Drafted(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedCase * c, CaseOf(e));
    ASSIGN_OR_RETURN(int64_t id, IntField(p, "run"));
    if (report_.runs.count(id) > 0) return Differs("run " + std::to_string(id) + " drafted twice");
    CaseExtra& extra = case_extra_[*e.case_id];
    if (extra.active_run) {
      return Differs("run " + std::to_string(*extra.active_run) + " of the case is still " +
                     report_.runs[*extra.active_run].status + " (one active run per case)");
    }
    ReplayedRun run;
    run.id = id;
    run.case_id = *e.case_id;
    run.drafted_index = index;
    run.drafted_by = e.actor.user_id;
    run.status = "drafted";
    ASSIGN_OR_RETURN(run.amount, IntField(p, "amount_fen"));
    ASSIGN_OR_RETURN(run.min_payment, IntField(p, "min_payment_fen"));
    ASSIGN_OR_RETURN(run.pool_before, IntField(p, "pool_available_fen"));
    ASSIGN_OR_RETURN(run.claims, IntField(p, "claims"));
    ASSIGN_OR_RETURN(run.chunks, IntField(p, "chunks"));
    ASSIGN_OR_RETURN(run.recognised, IntField(p, "recognised_fen"));
    ASSIGN_OR_RETURN(run.prior, IntField(p, "prior_fen"));
    ASSIGN_OR_RETURN(run.paid, IntField(p, "paid_fen"));
    ASSIGN_OR_RETURN(run.reserved, IntField(p, "reserved_fen"));
    ASSIGN_OR_RETURN(run.deferred, IntField(p, "deferred_fen"));
    ASSIGN_OR_RETURN(run.surplus, IntField(p, "surplus_fen"));
    ASSIGN_OR_RETURN(run.paid_count, IntField(p, "paid_count"));
    ASSIGN_OR_RETURN(run.reserved_count, IntField(p, "reserved_count"));
    ASSIGN_OR_RETURN(run.deferred_count, IntField(p, "deferred_count"));
    ASSIGN_OR_RETURN(run.level_numerator, StringField(p, "level_numerator"));
    ASSIGN_OR_RETURN(run.level_denominator, StringField(p, "level_denominator"));
    ASSIGN_OR_RETURN(run.level, StringField(p, "level"));
    ASSIGN_OR_RETURN(run.ratio, StringField(p, "ratio"));
    ASSIGN_OR_RETURN(run.fingerprint, StringField(p, "fingerprint"));
    const int64_t pool = c->balances[static_cast<size_t>(PoolAccount::kPool)];
    if (run.pool_before != pool) {
      return Differs("pool_available_fen is " + Yuan(run.pool_before) +
                     ", but the transfers before it leave " + Yuan(pool) + " in the pool");
    }
    if (run.amount <= 0 || run.amount > run.pool_before || run.min_payment < 0) {
      return Differs("amount " + Yuan(run.amount) + " (minimum payment " + Yuan(run.min_payment) +
                     ") is not within the available pool " + Yuan(run.pool_before));
    }
    if (run.paid + run.reserved + run.deferred + run.surplus != run.amount) {
      return Differs("paid + reserved + deferred + surplus do not add up to amount_fen " +
                     Yuan(run.amount));
    }
    if (run.claims < 1 || run.chunks < 1 || run.chunks > run.claims) {
      return Differs(std::to_string(run.claims) + " claims in " + std::to_string(run.chunks) +
                     " chunks is impossible");
    }
    extra.active_run = id;
    run_extra_[id] = RunExtra{};
    report_.runs[id] = std::move(run);
    return Status::Ok();
  }

  Status Allocations(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedRun * run, RunOf(e));
    RunExtra& extra = run_extra_[run->id];
    ASSIGN_OR_RETURN(int64_t chunk, IntField(p, "chunk"));
    ASSIGN_OR_RETURN(int64_t chunks, IntField(p, "chunks"));
    if (run->computed || run->status != "drafted") {
      return Differs("an allocation chunk for run " + std::to_string(run->id) + ", which is " +
                     (run->computed ? "complete" : run->status));
    }
    if (chunk != extra.next_chunk || chunks != run->chunks) {
      return Differs("chunk " + std::to_string(chunk) + " of " + std::to_string(chunks) +
                     ", expected chunk " + std::to_string(extra.next_chunk) + " of " +
                     std::to_string(run->chunks) + " of run " + std::to_string(run->id));
    }
    if (!p.contains("claims") || !p["claims"].is_array() || p["claims"].empty()) {
      return Differs("payload member \"claims\" is missing, empty or not an array");
    }
    const ReplayedCase& c = report_.cases[run->case_id];
    run->chunk_entries.emplace_back(run->allocations.size(), index);
    for (const Json& row : p["claims"]) {
      const std::string where =
          "run " + std::to_string(run->id) + ", row " + std::to_string(run->allocations.size());
      bool shaped = row.is_array() && row.size() == 7 && row[1].is_string() &&
                    (row[1] == "c" || row[1] == "d");
      for (size_t k : {0, 2, 3, 4, 5, 6}) {
        shaped = shaped && row[k].is_number_integer() && row[k].get<int64_t>() >= 0;
      }
      if (!shaped) {
        return Differs(where +
                       ": not [claim id, \"c\"|\"d\", C, P, pay, reserve, deferred] with "
                       "integers >= 0");
      }
      ReplayedAllocation a;
      a.claim_id = row[0].get<int64_t>();
      a.disputed = row[1] == "d";
      a.recognised = row[2].get<int64_t>();
      a.prior = row[3].get<int64_t>();
      a.pay = row[4].get<int64_t>();
      a.reserve = row[5].get<int64_t>();
      a.deferred = row[6].get<int64_t>();
      if (!run->allocations.empty() && a.claim_id <= run->allocations.back().claim_id) {
        return Differs(where + ": claim " + std::to_string(a.claim_id) + " is not after claim " +
                       std::to_string(run->allocations.back().claim_id) + " (claim id order)");
      }
      // P: what earlier executed runs sent and the bank did not return, plus what is held.
      ReplayedPosition position;
      auto found = c.positions.find(a.claim_id);
      if (found != c.positions.end()) position = found->second;
      const int64_t implied =
          std::clamp<int64_t>(position.committed + position.reserved, 0, a.recognised);
      if (a.prior != implied) {
        return Differs("run " + std::to_string(run->id) + ", claim " + std::to_string(a.claim_id) +
                       ": P is " + Yuan(a.prior) + ", but the ledger implies " + Yuan(implied) +
                       " (committed " + Yuan(position.committed) + " + reserved " +
                       Yuan(position.reserved) + ", capped at C " + Yuan(a.recognised) + ")");
      }
      run->allocations.push_back(a);
    }
    extra.next_chunk += 1;
    if (extra.next_chunk == run->chunks) return Recompute(run);
    return Status::Ok();
  }

  // Every chunk is in: the engine re-run over the claims in that order.
  Status Recompute(ReplayedRun* run) {
    const std::pair<uint64_t, std::string> drafted{run->drafted_index, "distribution_drafted"};
    const std::string name = "run " + std::to_string(run->id);
    if (static_cast<int64_t>(run->allocations.size()) != run->claims) {
      blame_ = drafted;
      return Differs(name + " announces " + std::to_string(run->claims) +
                     " claims; its chunks hold " + std::to_string(run->allocations.size()));
    }
    RoundPlan plan;
    plan.amount = Money::FromFen(run->amount);
    plan.min_payment = Money::FromFen(run->min_payment);
    plan.claims.reserve(run->allocations.size());
    Int128 recognised = 0;
    Int128 prior = 0;
    crypto::Sha256Hasher hasher;
    for (const ReplayedAllocation& a : run->allocations) {
      RoundClaim claim;
      claim.recognised = Money::FromFen(a.recognised);
      claim.prior = Money::FromFen(a.prior);
      claim.status = a.disputed ? RoundClaimStatus::kDisputed : RoundClaimStatus::kConfirmed;
      plan.claims.push_back(claim);
      recognised += a.recognised;
      prior += a.prior;
      hasher.Update(FingerprintLine(a));
    }
    const std::string fingerprint = crypto::HexEncode(hasher.Finish());
    StatusOr<RoundResult> result = ComputeRound(plan);
    if (!result.ok()) {
      blame_ = drafted;
      return Differs("the engine refuses " + name + "'s plan: " + result.status().field() + " " +
                     result.status().message());
    }
    int64_t paid_count = 0;
    int64_t reserved_count = 0;
    int64_t deferred_count = 0;
    for (size_t i = 0; i < run->allocations.size(); ++i) {
      const ReplayedAllocation& a = run->allocations[i];
      const RoundAllocation& want = result->allocations[i];
      if (a.pay != want.pay.fen() || a.reserve != want.reserve.fen() ||
          a.deferred != want.deferred.fen()) {
        blame_ = std::make_pair(ChunkIndexOf(*run, i), std::string("distribution_allocations"));
        return Differs(name + ", claim " + std::to_string(a.claim_id) + ": recorded pay " +
                       Yuan(a.pay) + ", reserve " + Yuan(a.reserve) + ", deferred " +
                       Yuan(a.deferred) + "; the engine gives pay " + want.pay.ToString() +
                       ", reserve " + want.reserve.ToString() + ", deferred " +
                       want.deferred.ToString());
      }
      paid_count += a.pay > 0;
      reserved_count += a.reserve > 0;
      deferred_count += a.deferred > 0;
    }
    blame_ = drafted;
    const RoundTotals& t = result->totals;
    const auto check = [&](const char* what, const std::string& recorded,
                           const std::string& replayed) -> Status {
      if (recorded == replayed) return Status::Ok();
      return Differs(name + ": " + what + " is " + recorded + ", the replay gives " + replayed);
    };
    const auto fen = [](int64_t v) { return std::to_string(v); };
    RETURN_IF_ERROR(check("recognised_fen", fen(run->recognised), Int128ToString(recognised)));
    RETURN_IF_ERROR(check("prior_fen", fen(run->prior), Int128ToString(prior)));
    RETURN_IF_ERROR(check("paid_fen", fen(run->paid), fen(t.paid.fen())));
    RETURN_IF_ERROR(check("reserved_fen", fen(run->reserved), fen(t.reserved.fen())));
    RETURN_IF_ERROR(check("deferred_fen", fen(run->deferred), fen(t.deferred.fen())));
    RETURN_IF_ERROR(check("surplus_fen", fen(run->surplus), fen(t.surplus.fen())));
    RETURN_IF_ERROR(
        check("paid_count", std::to_string(run->paid_count), std::to_string(paid_count)));
    RETURN_IF_ERROR(check("reserved_count", std::to_string(run->reserved_count),
                          std::to_string(reserved_count)));
    RETURN_IF_ERROR(check("deferred_count", std::to_string(run->deferred_count),
                          std::to_string(deferred_count)));
    RETURN_IF_ERROR(
        check("level_numerator", run->level_numerator, Int128ToString(result->level.numerator)));
    RETURN_IF_ERROR(check("level_denominator", run->level_denominator,
                          Int128ToString(result->level.denominator)));
    RETURN_IF_ERROR(check("level", run->level,
                          FormatRatio(result->level.numerator, result->level.denominator)));
    RETURN_IF_ERROR(check("ratio", run->ratio,
                          FormatRatio(prior + t.paid.fen() + t.reserved.fen(), recognised)));
    RETURN_IF_ERROR(check("fingerprint", run->fingerprint, fingerprint));
    blame_.reset();
    run->computed = true;
    report_.runs_recomputed += 1;
    return Status::Ok();
  }

  static uint64_t ChunkIndexOf(const ReplayedRun& run, size_t position) {
    uint64_t index = run.drafted_index;
    for (const auto& [begin, chunk_index] : run.chunk_entries) {
      if (begin <= position) index = chunk_index;
    }
    return index;
  }

  Status RequireComplete(const ReplayedRun& run) {
    if (run.computed) return Status::Ok();
    return Differs("run " + std::to_string(run.id) + "'s allocation chunks are not complete");
  }

  Status Endorsed(const ledger::EntryDraft& e) {
    ASSIGN_OR_RETURN(ReplayedRun * run, RunOf(e));
    if (run->status != "drafted")
      return Differs("endorses run " + std::to_string(run->id) + ", which is " + run->status);
    RETURN_IF_ERROR(RequireComplete(*run));
    ASSIGN_OR_RETURN(int64_t drafted_by, IntField(e.payload, "drafted_by"));
    ASSIGN_OR_RETURN(std::string fingerprint, StringField(e.payload, "fingerprint"));
    if (drafted_by != run->drafted_by) {
      return Differs("drafted_by is " + std::to_string(drafted_by) + ", but user " +
                     std::to_string(run->drafted_by) + " drafted run " + std::to_string(run->id));
    }
    if (e.actor.user_id == run->drafted_by) return Differs("the drafter endorses their own run");
    if (fingerprint != run->fingerprint) return Differs("fingerprint differs from the draft's");
    run->status = "endorsed";
    run->endorsed_by = e.actor.user_id;
    return Status::Ok();
  }

  Status Approved(const ledger::EntryDraft& e) {
    ASSIGN_OR_RETURN(ReplayedRun * run, RunOf(e));
    if (run->status != "endorsed")
      return Differs("approves run " + std::to_string(run->id) + ", which is " + run->status);
    ASSIGN_OR_RETURN(int64_t endorsed_by, IntField(e.payload, "endorsed_by"));
    ASSIGN_OR_RETURN(std::string fingerprint, StringField(e.payload, "fingerprint"));
    ASSIGN_OR_RETURN(std::string order_reference, StringField(e.payload, "order_reference"));
    if (endorsed_by != run->endorsed_by.value_or(-1)) {
      return Differs("endorsed_by is " + std::to_string(endorsed_by) + ", but user " +
                     std::to_string(run->endorsed_by.value_or(-1)) + " endorsed run " +
                     std::to_string(run->id));
    }
    if (fingerprint != run->fingerprint) return Differs("fingerprint differs from the draft's");
    for (const auto& [id, other] : report_.runs) {
      if (other.case_id == run->case_id && other.status == "executed" && other.open_lines > 0) {
        return Differs("approved while run " + std::to_string(id) + " still has " +
                       std::to_string(other.open_lines) + " payment lines without a bank result");
      }
    }
    run->status = "approved";
    run->order_reference = order_reference;
    return Status::Ok();
  }

  Status Cancelled(const ledger::EntryDraft& e) {
    ASSIGN_OR_RETURN(ReplayedRun * run, RunOf(e));
    ASSIGN_OR_RETURN(std::string from, StringField(e.payload, "from"));
    if (from != run->status || (from != "drafted" && from != "endorsed" && from != "approved")) {
      return Differs("cancels run " + std::to_string(run->id) + " from " + from + ", but it is " +
                     run->status);
    }
    run->status = "cancelled";
    case_extra_[run->case_id].active_run.reset();
    return Status::Ok();
  }

  Status Executed(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedRun * run, RunOf(e));
    const std::string name = "run " + std::to_string(run->id);
    if (run->status != "approved") return Differs("executes " + name + ", which is " + run->status);
    ReplayedCase& c = report_.cases[run->case_id];
    CaseExtra& extra = case_extra_[run->case_id];
    ASSIGN_OR_RETURN(int64_t round, IntField(p, "round"));
    ASSIGN_OR_RETURN(std::string order_reference, StringField(p, "order_reference"));
    ASSIGN_OR_RETURN(int64_t pool_before, IntField(p, "pool_before_fen"));
    ASSIGN_OR_RETURN(int64_t paid, IntField(p, "paid_fen"));
    ASSIGN_OR_RETURN(int64_t reserved, IntField(p, "reserved_fen"));
    ASSIGN_OR_RETURN(int64_t payment_lines, IntField(p, "payment_lines"));
    ASSIGN_OR_RETURN(int64_t release_lines, IntField(p, "release_lines"));
    ASSIGN_OR_RETURN(int64_t release_fen, IntField(p, "release_fen"));
    ASSIGN_OR_RETURN(std::vector<PoolTransfer> transfers, Transfers(p));
    if (round != extra.executed_rounds + 1) {
      return Differs("round is " + std::to_string(round) + ", but it is the case's round " +
                     std::to_string(extra.executed_rounds + 1));
    }
    if (order_reference != run->order_reference.value_or("")) {
      return Differs("order_reference differs from the approving order's");
    }
    const int64_t pool = c.balances[static_cast<size_t>(PoolAccount::kPool)];
    if (pool_before != pool) {
      return Differs("pool_before_fen is " + Yuan(pool_before) + ", but the transfers before it " +
                     "leave " + Yuan(pool) + " in the pool");
    }
    if (paid != run->paid || reserved != run->reserved) {
      return Differs("paid_fen " + Yuan(paid) + " and reserved_fen " + Yuan(reserved) +
                     " are not the drafted totals " + Yuan(run->paid) + " and " +
                     Yuan(run->reserved));
    }
    if (payment_lines != run->paid_count) {
      return Differs("payment_lines is " + std::to_string(payment_lines) + ", but " +
                     std::to_string(run->paid_count) + " claims have a pay share");
    }
    int64_t pending_fen = 0;
    for (const PendingRelease& r : extra.pending_releases) pending_fen += r.amount;
    if (release_lines != static_cast<int64_t>(extra.pending_releases.size()) ||
        release_fen != pending_fen) {
      return Differs("release_lines " + std::to_string(release_lines) + " of " + Yuan(release_fen) +
                     ", but " + std::to_string(extra.pending_releases.size()) +
                     " released reserves of " + Yuan(pending_fen) + " wait for a batch");
    }
    std::vector<PoolTransfer> want;
    AddIfPositive(&want, PoolAccount::kPool, PoolAccount::kPayable, run->paid);
    AddIfPositive(&want, PoolAccount::kPool, PoolAccount::kReserve, run->reserved);
    RETURN_IF_ERROR(ExpectTransfers(transfers, want, name + "'s drafted paid and reserved totals"));
    RETURN_IF_ERROR(ApplyTransfers(index, e.type, &c, transfers));

    RunExtra& lines = run_extra_[run->id];
    for (const ReplayedAllocation& a : run->allocations) {
      if (a.pay > 0) {
        lines.lines.push_back(
            Line{a.claim_id, a.pay,
                 "R" + std::to_string(run->id) + "-C" + std::to_string(a.claim_id), false, false});
      }
      if (a.pay > 0 || a.reserve > 0) {
        ReplayedPosition& position = c.positions[a.claim_id];
        position.committed += a.pay;
        position.reserved += a.reserve;
        position.last_index = index;
        position.last_type = e.type;
      }
    }
    for (const PendingRelease& r : extra.pending_releases) {
      lines.lines.push_back(Line{r.claim, r.amount, "", true, false});
    }
    extra.pending_releases.clear();
    run->payment_lines = payment_lines + release_lines;
    run->open_lines = run->payment_lines;
    run->pool_before = pool_before;
    run->round = round;
    run->status = "executed";
    extra.active_run.reset();
    extra.executed_rounds = round;
    const std::optional<Int128> num = ParseInt128Digits(run->level_numerator);
    const std::optional<Int128> den = ParseInt128Digits(run->level_denominator);
    if (num && den && *den > 0 && *num * extra.best_denominator > extra.best_numerator * *den) {
      extra.best_numerator = *num;
      extra.best_denominator = *den;
    }
    return Status::Ok();
  }

  // The line a result names: a round line by its reference; a released reserve's line (whose
  // reference carries the release's database id, which the ledger does not) by its claim and
  // amount, the first time it is named.
  Line* FindLine(RunExtra& extra, int64_t run_id, const std::string& reference, int64_t claim,
                 int64_t amount) {
    for (Line& line : extra.lines) {
      if (line.reference == reference) return &line;
    }
    const std::string prefix = "R" + std::to_string(run_id) + "-C" + std::to_string(claim) + "-V";
    if (reference.rfind(prefix, 0) != 0 || reference.size() == prefix.size()) return nullptr;
    for (Line& line : extra.lines) {
      if (line.release && line.reference.empty() && line.claim == claim && line.amount == amount) {
        line.reference = reference;
        return &line;
      }
    }
    return nullptr;
  }

  Status PaymentResults(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedRun * run, RunOf(e));
    const std::string name = "run " + std::to_string(run->id);
    if (run->status != "executed")
      return Differs("results for " + name + ", which is " + run->status);
    ASSIGN_OR_RETURN(int64_t paid_fen, IntField(p, "paid_fen"));
    ASSIGN_OR_RETURN(int64_t failed_fen, IntField(p, "failed_fen"));
    ASSIGN_OR_RETURN(int64_t open_lines, IntField(p, "open_lines"));
    ASSIGN_OR_RETURN(std::vector<PoolTransfer> transfers, Transfers(p));
    if (!p.contains("results") || !p["results"].is_array() || p["results"].empty()) {
      return Differs("payload member \"results\" is missing, empty or not an array");
    }
    RunExtra& extra = run_extra_[run->id];
    ReplayedCase& c = report_.cases[run->case_id];
    int64_t paid = 0;
    int64_t failed = 0;
    std::vector<std::pair<int64_t, int64_t>> returned;  // (claim, amount) of failed lines
    for (size_t i = 0; i < p["results"].size(); ++i) {
      const Json& r = p["results"][i];
      const std::string where = "results[" + std::to_string(i) + "]";
      ASSIGN_OR_RETURN(std::string reference, StringField(r, "reference"));
      ASSIGN_OR_RETURN(int64_t claim, IntField(r, "claim"));
      ASSIGN_OR_RETURN(int64_t amount, IntField(r, "amount_fen"));
      ASSIGN_OR_RETURN(std::string status, StringField(r, "status"));
      if (status != "paid" && status != "failed") {
        return Differs(where + ": status \"" + status + "\" is neither paid nor failed");
      }
      Line* line = FindLine(extra, run->id, reference, claim, amount);
      if (line == nullptr) {
        return Differs(where + ": " + reference + " (claim " + std::to_string(claim) + ", " +
                       Yuan(amount) + ") is not a payment line of " + name);
      }
      if (line->claim != claim || line->amount != amount) {
        return Differs(where + ": " + reference + " is claim " + std::to_string(claim) + ", " +
                       Yuan(amount) + ", but the execution made it claim " +
                       std::to_string(line->claim) + ", " + Yuan(line->amount));
      }
      if (line->resulted) return Differs(where + ": " + reference + " already has a result");
      line->resulted = true;
      if (status == "paid") {
        paid += amount;
      } else {
        failed += amount;
        returned.emplace_back(claim, amount);
      }
    }
    if (paid != paid_fen || failed != failed_fen) {
      return Differs("paid_fen " + Yuan(paid_fen) + " and failed_fen " + Yuan(failed_fen) +
                     ", but its lines add up to " + Yuan(paid) + " paid and " + Yuan(failed) +
                     " failed");
    }
    const int64_t open = run->open_lines - static_cast<int64_t>(p["results"].size());
    if (open_lines != open) {
      return Differs("open_lines is " + std::to_string(open_lines) + ", but " +
                     std::to_string(open) + " lines of " + name + " are still without a result");
    }
    std::vector<PoolTransfer> want;
    AddIfPositive(&want, PoolAccount::kPayable, PoolAccount::kPaid, paid);
    AddIfPositive(&want, PoolAccount::kPayable, PoolAccount::kPool, failed);
    RETURN_IF_ERROR(ExpectTransfers(transfers, want, "its paid and failed lines"));
    RETURN_IF_ERROR(ApplyTransfers(index, e.type, &c, transfers));
    for (const auto& [claim, amount] : returned) {
      ReplayedPosition& position = c.positions[claim];
      position.committed -= amount;
      position.last_index = index;
      position.last_type = e.type;
    }
    run->open_lines = open;
    return Status::Ok();
  }

  Status ReserveReleased(uint64_t index, const ledger::EntryDraft& e) {
    const Json& p = e.payload;
    ASSIGN_OR_RETURN(ReplayedCase * c, CaseOf(e));
    ASSIGN_OR_RETURN(int64_t claim, IntField(p, "claim"));
    ASSIGN_OR_RETURN(std::string status, StringField(p, "status"));
    ASSIGN_OR_RETURN(int64_t confirmed, IntField(p, "confirmed_fen"));
    ASSIGN_OR_RETURN(std::string numerator_text, StringField(p, "level_numerator"));
    ASSIGN_OR_RETURN(std::string denominator_text, StringField(p, "level_denominator"));
    ASSIGN_OR_RETURN(int64_t committed, IntField(p, "committed_fen"));
    ASSIGN_OR_RETURN(int64_t reserved, IntField(p, "reserved_fen"));
    ASSIGN_OR_RETURN(int64_t payable, IntField(p, "payable_fen"));
    ASSIGN_OR_RETURN(int64_t returned, IntField(p, "returned_fen"));
    ASSIGN_OR_RETURN(std::vector<PoolTransfer> transfers, Transfers(p));
    const std::string name = "claim " + std::to_string(claim);
    ReplayedPosition& position = c->positions[claim];
    if (committed != position.committed || reserved != position.reserved || reserved <= 0) {
      return Differs(name + ": committed_fen " + Yuan(committed) + " and reserved_fen " +
                     Yuan(reserved) + ", but the ledger gives committed " +
                     Yuan(position.committed) + " and reserved " + Yuan(position.reserved));
    }
    if (status != "confirmed" && status != "rejected" && status != "pending_countersign") {
      return Differs(name + ": status \"" + status + "\" is not a resolution");
    }
    if (confirmed < 0 || (status != "confirmed" && confirmed != 0)) {
      return Differs(name + ": confirmed_fen " + Yuan(confirmed) + " with status " + status);
    }
    const CaseExtra& extra = case_extra_[*e.case_id];
    const std::optional<Int128> num = ParseInt128Digits(numerator_text);
    const std::optional<Int128> den = ParseInt128Digits(denominator_text);
    if (!num || !den || *den <= 0 || *num * extra.best_denominator != extra.best_numerator * *den) {
      return Differs(name + ": level " + numerator_text + "/" + denominator_text +
                     ", but the highest level an executed run of the case reached is " +
                     Int128ToString(extra.best_numerator) + "/" +
                     Int128ToString(extra.best_denominator));
    }
    const Int128 earned = *num >= *den ? Int128{confirmed} : Int128{confirmed} * *num / *den;
    const auto want_payable =
        static_cast<int64_t>(std::clamp<Int128>(earned - committed, 0, Int128{reserved}));
    if (payable != want_payable || returned != reserved - want_payable) {
      return Differs(name + ": payable_fen " + Yuan(payable) + " and returned_fen " +
                     Yuan(returned) + ", but the level and amounts give " + Yuan(want_payable) +
                     " and " + Yuan(reserved - want_payable));
    }
    std::vector<PoolTransfer> want;
    AddIfPositive(&want, PoolAccount::kReserve, PoolAccount::kPayable, payable);
    AddIfPositive(&want, PoolAccount::kReserve, PoolAccount::kPool, returned);
    RETURN_IF_ERROR(ExpectTransfers(transfers, want, "its payable and returned parts"));
    RETURN_IF_ERROR(ApplyTransfers(index, e.type, c, transfers));
    position.committed += payable;
    position.reserved = 0;
    position.last_index = index;
    position.last_type = e.type;
    if (payable > 0) case_extra_[*e.case_id].pending_releases.push_back({claim, payable});
    return Status::Ok();
  }

  LedgerReplayReport report_;
  std::optional<std::pair<uint64_t, std::string>> blame_;
  std::map<int64_t, Liquidation> liquidations_;
  std::map<int64_t, CaseExtra> case_extra_;
  std::map<int64_t, RunExtra> run_extra_;
};

LedgerReplay::LedgerReplay() : impl_(std::make_unique<Impl>()) {}
LedgerReplay::~LedgerReplay() = default;
void LedgerReplay::Add(uint64_t index, const ledger::EntryDraft& entry) {
  impl_->Add(index, entry);
}
void LedgerReplay::AddBytes(uint64_t index, const std::string& bytes) {
  impl_->AddBytes(index, bytes);
}
bool LedgerReplay::failed() const { return impl_->failed(); }
LedgerReplayReport LedgerReplay::Finish() { return impl_->Finish(); }

LedgerReplayReport ReplayLedger(const std::vector<ReplayEntry>& entries) {
  LedgerReplay replay;
  for (const ReplayEntry& e : entries) replay.Add(e.index, e.entry);
  return replay.Finish();
}

}  // namespace restitution
