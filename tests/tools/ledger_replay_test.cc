// The replay audit (tools/ledger_replay.h) against a real MariaDB: a case's money and two
// distribution runs built through the service layer (a frozen deposit and a sale into the pool,
// confirmed and disputed claims, a run drafted, endorsed, approved and executed, bank results
// with a failure, a reserve released, a second run paying the released reserve), sequenced into
// the log. The untouched log replays clean; a forged allocation chunk, transfers that do not
// match the drafted totals and database rows changed behind the ledger's back are each named at
// the right entry.
#include "tools/ledger_replay.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "service/accounts.h"
#include "service/asset_lifecycle.h"
#include "service/cases.h"
#include "service/distribution_runs.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "service/pool.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using Json = nlohmann::json;
using testing::TestDatabase;
using testing::TestKeys;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

crypto::Ed25519PrivateKey KeyFromSeed(char first) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(first + i));
  return Must(crypto::Ed25519PrivateKey::FromSeed(seed));
}

class LedgerReplayTest : public ::testing::Test {
 protected:
  LedgerReplayTest()
      : ctx_(keys_.Context()),
        signer_("restitution.test/ledger", KeyFromSeed('a')),
        db_(tdb_.Connect()) {
    ctx_.clock = [] { return int64_t{1773532800000}; };  // 2026-03-15T00:00:00Z
  }

  template <typename T, typename F>
  T Tx(F&& f) {
    std::optional<StatusOr<T>> out;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      out.emplace(f(db));
      return out->ok() ? Status::Ok() : out->status();
    });
    if (!out) throw std::runtime_error(status.ToString());
    return Must(std::move(*out));
  }

  Principal Staff(const std::string& username, const std::string& role) {
    UserView user = Tx<UserView>([&](DbConnection& db) {
      return CreateStaffUser(db, ctx_, 0, username, "staff password 1234", role);
    });
    return Principal{user.id, *ParseRole(role)};
  }

  void Bind(int64_t case_id, const Principal& user, const std::string& role) {
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
      QueuedEntry entry;
      return AddCaseMember(db, ctx_, admin_, case_id, user.user_id, role, &entry);
    });
    if (!status.ok()) throw std::runtime_error(status.ToString());
  }

  // A claim written straight into the table (the claims flow has its own tests).
  int64_t Claim(const std::string& status, int64_t allowed, int64_t declared_net) {
    std::string person(32, 'p');
    person[0] = static_cast<char>(++claims_);
    return Tx<int64_t>([&](DbConnection& db) -> StatusOr<int64_t> {
      return db.Insert(
          "INSERT INTO claims (case_id, filer_user_id, person_hash, status, decision, region, "
          "filed_as, late, version, declared_principal_fen, declared_returns_fen, "
          "declared_net_fen, allowed_fen, decided_at_ms, created_at_ms, updated_at_ms) VALUES "
          "(?, ?, ?, ?, 'confirmed', '110105', 'self', 0, 1, ?, 0, ?, ?, 1, 1, 1)",
          {case_id_, officer_a_.user_id, person, status, declared_net, declared_net, allowed});
    });
  }

  int64_t Run(int64_t amount_fen, int64_t min_payment_fen) {
    DraftInput draft;
    draft.amount = Money::FromFen(amount_fen);
    draft.min_payment = Money::FromFen(min_payment_fen);
    const int64_t run = Tx<RunChange>([&](DbConnection& db) {
                          return DraftDistribution(db, ctx_, officer_a_, case_id_, draft);
                        }).run.id;
    Tx<RunChange>(
        [&](DbConnection& db) { return EndorseDistribution(db, ctx_, officer_b_, case_id_, run); });
    Tx<RunChange>([&](DbConnection& db) {
      return ApproveDistribution(db, ctx_, court_, case_id_, run,
                                 ApproveInput{"(2026)沪0104执" + std::to_string(run) + "号"});
    });
    Tx<RunChange>(
        [&](DbConnection& db) { return ExecuteDistribution(db, ctx_, officer_a_, case_id_, run); });
    return run;
  }

  void Results(int64_t run, const std::vector<PaymentResultInput>& results) {
    Tx<PaymentResultsOutcome>([&](DbConnection& db) {
      return RecordPaymentResults(db, ctx_, officer_a_, case_id_, run, results);
    });
  }

  // The scenario, sequenced into the log.
  void SetUp() override {
    admin_ = Staff("admin", "admin");
    officer_a_ = Staff("officer.a", "officer");
    officer_b_ = Staff("officer.b", "officer");
    court_ = Staff("court", "court");
    CaseInput input;
    input.case_number = "JZ-1";
    input.name = "某某案";
    input.lead_region = "110105";
    input.regions = {"110105"};
    input.registration_opens_ms = 0;
    input.registration_closes_ms = 4102444800000;
    case_id_ = Tx<CaseView>([&](DbConnection& db) {
                 QueuedEntry entry;
                 return CreateCase(db, ctx_, admin_, input, &entry);
               }).id;
    Bind(case_id_, officer_a_, "officer");
    Bind(case_id_, officer_b_, "officer");
    Bind(case_id_, court_, "court");

    // Into the pool: a frozen deposit of 1,000.00 and a car sold for 600.00 less 100.00 costs.
    AssetInput deposit;
    deposit.kind = AssetKind::kFrozenDeposit;
    deposit.description = "冻结存款";
    deposit.source = AssetSource::kRemainingFunds;
    deposit.holder = "某银行";
    const int64_t deposit_id = Tx<AssetChange>([&](DbConnection& db) {
                                 return RecordAsset(db, ctx_, officer_a_, case_id_, deposit);
                               }).asset.id;
    Tx<AssetChange>([&](DbConnection& db) {
      return TransferDepositToPool(db, ctx_, officer_a_, case_id_, deposit_id,
                                   DepositTransferInput{Money::FromFen(100000), 20260301});
    });
    AssetInput car = deposit;
    car.kind = AssetKind::kVehicle;
    car.description = "车辆";
    const int64_t car_id = Tx<AssetChange>([&](DbConnection& db) {
                             return RecordAsset(db, ctx_, officer_a_, case_id_, car);
                           }).asset.id;
    Tx<AssetChange>([&](DbConnection& db) {
      return ValueAsset(db, ctx_, officer_a_, case_id_, car_id,
                        ValuationInput{Money::FromFen(70000), "某评估公司", 20260302});
    });
    LiquidationInput sale;
    sale.proceeds = Money::FromFen(60000);
    sale.costs = Money::FromFen(10000);
    sale.date = 20260303;
    Tx<AssetChange>([&](DbConnection& db) {
      return LiquidateAsset(db, ctx_, officer_a_, case_id_, car_id, sale);
    });

    c1_ = Claim("confirmed", 100000, 100000);  // 1,000.00
    c2_ = Claim("confirmed", 50000, 50000);    // 500.00
    c3_ = Claim("disputed", 80000, 100000);    // in dispute: 1,000.00
    c4_ = Claim("confirmed", 1000, 1000);      // 10.00: below the minimum payment in round 1
    run1_ = Run(100000, 500);
    // Claim 2's bank account bounces: its pay returns to the pool and to its outstanding.
    Results(run1_, {{"R" + std::to_string(run1_) + "-C" + std::to_string(c1_), true, std::nullopt},
                    {"R" + std::to_string(run1_) + "-C" + std::to_string(c2_), false,
                     std::string("账户已销户")}});
    // Claim 3's objection resolved at 800.00: its reserve is released.
    Tx<std::optional<QueuedEntry>>([&](DbConnection& db) -> StatusOr<std::optional<QueuedEntry>> {
      RETURN_IF_ERROR(db.Exec("UPDATE claims SET status = 'confirmed', allowed_fen = 80000 WHERE "
                              "id = ?",
                              {c3_})
                          .status());
      return ReleaseClaimReserve(db, ctx_, officer_a_, case_id_, c3_, 1, "confirmed",
                                 Money::FromFen(80000));
    });
    run2_ = Run(30000, 500);
    Sequence();
    entries_ = ReadAll();
  }

  void Sequence() {
    SequencerOptions options;
    options.max_batch = 4096;
    bool more = true;
    while (more) {
      Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
        ASSIGN_OR_RETURN(BatchResult batch, SequenceBatch(db, signer_, 1773532900000, options));
        more = batch.more_waiting;
        return Status::Ok();
      });
      if (!status.ok()) throw std::runtime_error(status.ToString());
    }
  }

  std::vector<ReplayEntry> ReadAll() {
    std::vector<ReplayEntry> out;
    for (const StoredEntry& stored : Must(ReadEntries(*db_, 0, kMaxEntriesPage))) {
      out.push_back({stored.index, Must(ledger::DecodeEntry(stored.bytes))});
    }
    return out;
  }

  // The index of the n-th entry (from 0) of the type for the run.
  uint64_t IndexOf(const std::string& type, int64_t run, int n = 0) const {
    for (const ReplayEntry& e : entries_) {
      if (e.entry.type == type && e.entry.payload.value("run", int64_t{-1}) == run && n-- == 0) {
        return e.index;
      }
    }
    throw std::runtime_error("no " + type + " entry for run " + std::to_string(run));
  }

  static void ExpectFailure(const LedgerReplayReport& report, uint64_t index,
                            const std::string& type, const std::string& words) {
    ASSERT_TRUE(report.failure.has_value()) << "no failure; expected one at index " << index;
    EXPECT_EQ(report.failure->index, index) << report.failure->message;
    EXPECT_EQ(report.failure->type, type) << report.failure->message;
    EXPECT_NE(report.failure->message.find(words), std::string::npos) << report.failure->message;
  }

  TestKeys keys_;
  ServiceContext ctx_;
  ledger::NoteSigner signer_;
  TestDatabase tdb_;
  std::unique_ptr<DbConnection> db_;
  Principal admin_, officer_a_, officer_b_, court_;
  int64_t case_id_ = 0;
  int claims_ = 0;
  int64_t c1_ = 0, c2_ = 0, c3_ = 0, c4_ = 0;
  int64_t run1_ = 0, run2_ = 0;
  std::vector<ReplayEntry> entries_;
};

TEST_F(LedgerReplayTest, TheUntouchedLogReplaysClean) {
  const LedgerReplayReport report = ReplayLedger(entries_);
  ASSERT_FALSE(report.failure) << report.failure->index << " " << report.failure->type << ": "
                               << report.failure->message;
  EXPECT_EQ(report.runs_recomputed, 2u);
  // The rebuilt balances are the service's own.
  const PoolBalances balances = Must(ReadPoolBalances(*db_, case_id_, /*for_update=*/false));
  const ReplayedCase& c = report.cases.at(case_id_);
  for (size_t a = 0; a < kPoolAccountCount; ++a) {
    EXPECT_EQ(c.balances[a], balances.balance[a].fen()) << a;
  }
  EXPECT_EQ(c.balances[static_cast<size_t>(PoolAccount::kDisposalCosts)], 10000);
  EXPECT_EQ(c.balances[static_cast<size_t>(PoolAccount::kRecoveries)], -160000);
  // Claim 2's failed payment lowered its P back to nothing before the second draft.
  const ReplayedRun& second = report.runs.at(run2_);
  for (const ReplayedAllocation& a : second.allocations) {
    if (a.claim_id == c2_) {
      EXPECT_EQ(a.prior, 0);
    }
    if (a.claim_id == c3_) {
      EXPECT_FALSE(a.disputed);
    }
  }
  EXPECT_EQ(second.status, "executed");

  const LedgerReplayReport database = Must(ReplayDatabase(*db_));
  EXPECT_FALSE(database.failure) << database.failure->message;
  EXPECT_TRUE(database.notes.empty()) << database.notes[0];
}

TEST_F(LedgerReplayTest, ForgedAllocationChunkIsNamed) {
  const uint64_t chunk = IndexOf("distribution_allocations", run1_);
  std::vector<ReplayEntry> forged = entries_;
  Json& rows = forged[chunk].entry.payload["claims"];
  // Claim 1 gets a fen more than the engine gives it (and claim 2 a fen less, so the totals of
  // the drafted entry still add up).
  rows[0][4] = rows[0][4].get<int64_t>() + 1;
  rows[1][4] = rows[1][4].get<int64_t>() - 1;
  ExpectFailure(ReplayLedger(forged), chunk, "distribution_allocations",
                "claim " + std::to_string(c1_) + ": recorded pay");
}

TEST_F(LedgerReplayTest, ForgedPriorIsNamed) {
  const uint64_t chunk = IndexOf("distribution_allocations", run2_);
  std::vector<ReplayEntry> forged = entries_;
  // Claim 2's failed payment is on the log: the second round must see P = 0 for it.
  for (Json& row : forged[chunk].entry.payload["claims"]) {
    if (row[0] == c2_) row[3] = 100;
  }
  ExpectFailure(ReplayLedger(forged), chunk, "distribution_allocations",
                "claim " + std::to_string(c2_) + ": P is 1.00, but the ledger implies 0.00");
}

TEST_F(LedgerReplayTest, DraftedTotalsThatTheEngineDoesNotGiveAreNamed) {
  const uint64_t drafted = IndexOf("distribution_drafted", run1_);
  std::vector<ReplayEntry> forged = entries_;
  Json& p = forged[drafted].entry.payload;
  p["paid_fen"] = p["paid_fen"].get<int64_t>() + 1;
  p["surplus_fen"] = p["surplus_fen"].get<int64_t>() - 1;
  ExpectFailure(ReplayLedger(forged), drafted, "distribution_drafted", "paid_fen");
}

TEST_F(LedgerReplayTest, ExecutedTransfersThatDoNotMatchTheDraftAreNamed) {
  const uint64_t executed = IndexOf("distribution_executed", run1_);
  std::vector<ReplayEntry> forged = entries_;
  Json& transfer = forged[executed].entry.payload["transfers"][0];
  ASSERT_EQ(transfer["to"], "payable");
  transfer["amount"] = "1.00";
  ExpectFailure(ReplayLedger(forged), executed, "distribution_executed", "drafted paid");
}

TEST_F(LedgerReplayTest, PaymentResultsInconsistentWithTheirTransfersAreNamed) {
  const uint64_t results = IndexOf("distribution_payment_results", run1_);
  std::vector<ReplayEntry> forged = entries_;
  // The failed line reported as paid, and the totals adjusted to match: the transfers (payable
  // back to the pool) no longer do.
  Json& p = forged[results].entry.payload;
  for (Json& line : p["results"]) line["status"] = "paid";
  p["paid_fen"] = p["paid_fen"].get<int64_t>() + p["failed_fen"].get<int64_t>();
  p["failed_fen"] = 0;
  ExpectFailure(ReplayLedger(forged), results, "distribution_payment_results",
                "its paid and failed lines");
}

TEST_F(LedgerReplayTest, ABalanceDrivenBelowZeroIsNamed) {
  std::vector<ReplayEntry> forged = entries_;
  // An unknown type that moves money still counts, and may not overdraw the pool.
  ReplayEntry extra;
  extra.index = forged.size();
  extra.entry.type = "test_withdrawal";
  extra.entry.case_id = case_id_;
  extra.entry.payload = {
      {"transfers", {{{"from", "pool"}, {"to", "paid"}, {"amount", "99999.00"}}}}};
  forged.push_back(extra);
  ExpectFailure(ReplayLedger(forged), extra.index, "test_withdrawal", "below zero");
  forged.back().entry.payload["transfers"][0]["amount"] = "1.5";
  ExpectFailure(ReplayLedger(forged), extra.index, "test_withdrawal", "two decimals");
}

TEST_F(LedgerReplayTest, AllocationRowChangedInTheDatabaseIsNamed) {
  ASSERT_EQ(Must(db_->Exec("UPDATE distribution_allocations SET pay_fen = pay_fen + 1 WHERE "
                           "run_id = ? AND claim_id = ?",
                           {run2_, c2_})),
            1);
  const LedgerReplayReport report = Must(ReplayDatabase(*db_));
  ExpectFailure(report, IndexOf("distribution_allocations", run2_), "distribution_allocations",
                "the database disagrees with the ledger: distribution_allocations of run " +
                    std::to_string(run2_));
}

TEST_F(LedgerReplayTest, PoolBalanceChangedInTheDatabaseIsNamed) {
  // Still adding up to zero: only the replay can tell.
  ASSERT_EQ(Must(db_->Exec("UPDATE pool_balances SET balance_fen = balance_fen + 100 WHERE "
                           "case_id = ? AND account = 'pool'",
                           {case_id_})),
            1);
  ASSERT_EQ(Must(db_->Exec("UPDATE pool_balances SET balance_fen = balance_fen - 100 WHERE "
                           "case_id = ? AND account = 'recoveries'",
                           {case_id_})),
            1);
  const LedgerReplayReport report = Must(ReplayDatabase(*db_));
  ExpectFailure(report, IndexOf("distribution_executed", run2_), "distribution_executed",
                "pool_balances of case " + std::to_string(case_id_) + ", account pool, holds");
}

TEST_F(LedgerReplayTest, RunTotalsChangedInTheDatabaseAreNamed) {
  ASSERT_EQ(
      Must(db_->Exec("UPDATE distribution_runs SET ratio = '0.999999' WHERE id = ?", {run1_})), 1);
  const LedgerReplayReport report = Must(ReplayDatabase(*db_));
  ExpectFailure(report, IndexOf("distribution_drafted", run1_), "distribution_drafted",
                "has ratio 0.999999");
}

}  // namespace
}  // namespace restitution
