// The case's double-entry pool against a real MariaDB: balanced transfers, refusals that leave
// nothing written, concurrent transfers on one case taking turns, and the accounts adding up
// to zero (and to the sum of the stored transfers) after every operation.
#include "service/pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "service/accounts.h"
#include "service/cases.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using Json = nlohmann::json;
using testing::TestDatabase;
using testing::TestKeys;

constexpr int64_t kNowMs = 1773532800000;  // 2026-03-15T00:00:00Z

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

Money Yuan(const char* text) { return Must(Money::Parse(text, "test", /*allow_negative=*/true)); }

PoolTransfer T(PoolAccount from, PoolAccount to, const char* amount) {
  return PoolTransfer{from, to, Yuan(amount)};
}

constexpr PoolAccount kRecoveries = PoolAccount::kRecoveries;
constexpr PoolAccount kPool = PoolAccount::kPool;
constexpr PoolAccount kReserve = PoolAccount::kReserve;
constexpr PoolAccount kPayable = PoolAccount::kPayable;
constexpr PoolAccount kPaid = PoolAccount::kPaid;
constexpr PoolAccount kDisposalCosts = PoolAccount::kDisposalCosts;

class PoolTest : public ::testing::Test {
 protected:
  PoolTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [] { return kNowMs; };
  }

  void SetUp() override {
    const int64_t admin_id = InTx([&](DbConnection& db) {
      return Must(CreateStaffUser(db, ctx_, 0, "admin", "admin password 1234", "admin")).id;
    });
    admin_ = Principal{admin_id, Role::kAdmin};
    case_ = NewCase("JZ-1");
    other_case_ = NewCase("JZ-2");
  }

  template <typename F>
  auto InTx(F&& f) -> decltype(f(std::declval<DbConnection&>())) {
    using Result = decltype(f(std::declval<DbConnection&>()));
    std::optional<Result> out;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      out.emplace(f(db));
      return Status::Ok();
    });
    if (!status.ok()) throw std::runtime_error(status.ToString());
    return std::move(*out);
  }

  int64_t NewCase(const std::string& number) {
    CaseInput input;
    input.case_number = number;
    input.name = "某某案";
    input.lead_region = "110105";
    input.regions = {"110105"};
    input.registration_opens_ms = kNowMs - 86400000LL * 30;
    input.registration_closes_ms = kNowMs + 86400000LL * 365;
    return InTx([&](DbConnection& db) {
      QueuedEntry entry;
      return Must(CreateCase(db, ctx_, admin_, input, &entry)).id;
    });
  }

  // Applies the transfers in their own transaction, committed when they are accepted.
  Status Apply(int64_t case_id, const std::vector<PoolTransfer>& transfers,
               const std::string& kind = "liquidation", TransferRefs refs = {}) {
    return RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
      return ApplyTransfers(db, case_id, kind, refs, transfers, kNowMs);
    });
  }

  // As Apply, but the transaction commits whatever ApplyTransfers answers: a refusal must not
  // have written anything by the time it returns.
  Status ApplyAndCommitAnyway(int64_t case_id, const std::vector<PoolTransfer>& transfers,
                              const std::string& kind = "liquidation") {
    Status answer;
    Status committed = RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
      answer = ApplyTransfers(db, case_id, kind, {}, transfers, kNowMs);
      return Status::Ok();
    });
    if (!committed.ok()) throw std::runtime_error(committed.ToString());
    return answer;
  }

  PoolBalances Balances(int64_t case_id) {
    return Must(ReadPoolBalances(*db_, case_id, /*for_update=*/false));
  }

  int64_t Count(const std::string& sql, std::vector<SqlParam> params = {}) {
    return Must(db_->Query(sql, params))[0].Int(0);
  }

  // The invariants, checked from the tables themselves: every account but recoveries at zero
  // or above, the accounts adding up to zero, and each balance equal to what the stored
  // transfers moved into the account minus what they moved out.
  void ExpectBalanced(int64_t case_id) {
    SqlRows rows = Must(
        db_->Query("SELECT account, balance_fen FROM pool_balances WHERE case_id = ?", {case_id}));
    int64_t sum = 0;
    for (const SqlRow& row : rows) {
      sum += row.Int(1);
      if (row.Bytes(0) != "recoveries") {
        EXPECT_GE(row.Int(1), 0) << row.Bytes(0);
      }
      const int64_t moved = Count(
          "SELECT COALESCE(SUM(CASE WHEN to_account = ? THEN amount_fen ELSE -amount_fen "
          "END), 0) FROM pool_transfers WHERE case_id = ? AND (to_account = ? OR "
          "from_account = ?)",
          {row.Bytes(0), case_id, row.Bytes(0), row.Bytes(0)});
      EXPECT_EQ(row.Int(1), moved) << row.Bytes(0);
    }
    EXPECT_EQ(sum, 0);
    EXPECT_TRUE(rows.empty() || rows.size() == kPoolAccountCount) << rows.size();
  }

  TestKeys keys_;
  TestDatabase tdb_;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
  Principal admin_;
  int64_t case_ = 0;
  int64_t other_case_ = 0;
};

TEST(PoolAccountTest, NamesRoundTrip) {
  for (PoolAccount a : {kRecoveries, kPool, kReserve, kPayable, kPaid, kDisposalCosts}) {
    EXPECT_EQ(ParsePoolAccount(PoolAccountName(a)), a);
  }
  EXPECT_EQ(PoolAccountName(kDisposalCosts), "disposal_costs");
  EXPECT_FALSE(ParsePoolAccount("Pool").has_value());
  EXPECT_FALSE(ParsePoolAccount("").has_value());
}

TEST(PoolTransfersJsonTest, RoundTripsInOrder) {
  const std::vector<PoolTransfer> transfers = {T(kRecoveries, kPool, "1000.50"),
                                               T(kRecoveries, kDisposalCosts, "0.01"),
                                               T(kPool, kReserve, "12.34")};
  const Json json = TransfersJson(transfers);
  EXPECT_EQ(json.dump(), R"([{"amount":"1000.50","from":"recoveries","to":"pool"},)"
                         R"({"amount":"0.01","from":"recoveries","to":"disposal_costs"},)"
                         R"({"amount":"12.34","from":"pool","to":"reserve"}])");
  std::vector<PoolTransfer> parsed = Must(ParseTransfersJson(json));
  ASSERT_EQ(parsed.size(), 3u);
  for (size_t i = 0; i < parsed.size(); ++i) {
    EXPECT_EQ(parsed[i].from, transfers[i].from);
    EXPECT_EQ(parsed[i].to, transfers[i].to);
    EXPECT_EQ(parsed[i].amount, transfers[i].amount);
  }
  EXPECT_TRUE(Must(ParseTransfersJson(Json::array())).empty());
}

TEST(PoolTransfersJsonTest, RefusesEveryOtherShape) {
  auto field_of = [](const Json& json) { return ParseTransfersJson(json).status().field(); };
  const Json good = {{"from", "pool"}, {"to", "reserve"}, {"amount", "1.00"}};
  EXPECT_EQ(field_of(good), "transfers");  // an object, not an array
  EXPECT_EQ(field_of(Json::array({good, 5})), "transfers[1]");
  Json extra = good;
  extra["kind"] = "x";
  EXPECT_EQ(field_of(Json::array({extra})), "transfers[0]");
  Json missing = good;
  missing.erase("to");
  EXPECT_EQ(field_of(Json::array({missing})), "transfers[0]");
  Json bad_account = good;
  bad_account["from"] = "bank";
  EXPECT_EQ(field_of(Json::array({bad_account})), "transfers[0].from");
  Json same = good;
  same["to"] = "pool";
  EXPECT_EQ(field_of(Json::array({same})), "transfers[0].to");
  for (const Json& amount : {Json(100), Json("-1.00"), Json("0.00"), Json("1.001"), Json("")}) {
    Json bad = good;
    bad["amount"] = amount;
    EXPECT_EQ(field_of(Json::array({bad})), "transfers[0].amount") << amount.dump();
  }
}

TEST_F(PoolTest, ANewCaseHasZeroBalancesAndNoRows) {
  const PoolBalances b = Balances(case_);
  for (size_t i = 0; i < kPoolAccountCount; ++i) EXPECT_TRUE(b.balance[i].IsZero());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pool_balances"), 0);
  ExpectBalanced(case_);
}

TEST_F(PoolTest, TransfersMoveMoneyBetweenAccounts) {
  ASSERT_TRUE(Apply(case_,
                    {T(kRecoveries, kPool, "900.00"), T(kRecoveries, kDisposalCosts, "100.00")},
                    "liquidation", TransferRefs{7, std::nullopt, std::nullopt})
                  .ok());
  ExpectBalanced(case_);
  PoolBalances b = Balances(case_);
  EXPECT_EQ(b.Of(kRecoveries), Yuan("-1000.00"));
  EXPECT_EQ(b.Of(kPool), Yuan("900.00"));
  EXPECT_EQ(b.Of(kDisposalCosts), Yuan("100.00"));
  EXPECT_EQ(b.Available(), Yuan("900.00"));
  EXPECT_TRUE(b.Reserved().IsZero());

  ASSERT_TRUE(Apply(case_, {T(kPool, kReserve, "300.00"), T(kPool, kPayable, "500.00")},
                    "distribution_pay", TransferRefs{std::nullopt, 3, std::nullopt})
                  .ok());
  ExpectBalanced(case_);
  ASSERT_TRUE(
      Apply(case_, {T(kPayable, kPaid, "450.00"), T(kPayable, kPool, "50.00")}, "payment_paid")
          .ok());
  ExpectBalanced(case_);
  ASSERT_TRUE(Apply(case_, {T(kReserve, kPool, "300.00")}, "reserve_release").ok());
  ExpectBalanced(case_);
  b = Balances(case_);
  EXPECT_EQ(b.Of(kPool), Yuan("450.00"));
  EXPECT_TRUE(b.Of(kReserve).IsZero());
  EXPECT_TRUE(b.Of(kPayable).IsZero());
  EXPECT_EQ(b.Of(kPaid), Yuan("450.00"));

  // Every transfer is one row, in order, with its kind and references.
  std::vector<StoredPoolTransfer> stored = Must(ReadPoolTransfers(*db_, case_, 100));
  ASSERT_EQ(stored.size(), 7u);
  EXPECT_EQ(stored.back().kind, "liquidation");
  EXPECT_EQ(stored.back().transfer.from, kRecoveries);
  EXPECT_EQ(stored.back().transfer.to, kPool);
  EXPECT_EQ(stored.back().transfer.amount, Yuan("900.00"));
  EXPECT_EQ(stored.back().refs.asset_id, 7);
  EXPECT_FALSE(stored.back().refs.run_id.has_value());
  EXPECT_EQ(stored.back().at_ms, kNowMs);
  EXPECT_EQ(stored[4].refs.run_id, 3);
  EXPECT_EQ(stored.front().kind, "reserve_release");
  // Paging backwards.
  std::vector<StoredPoolTransfer> older = Must(ReadPoolTransfers(*db_, case_, 2, stored[1].id));
  ASSERT_EQ(older.size(), 2u);
  EXPECT_EQ(older[0].id, stored[2].id);
  EXPECT_EQ(older[1].id, stored[3].id);

  // The other case is untouched.
  EXPECT_TRUE(Balances(other_case_).Of(kRecoveries).IsZero());
  ExpectBalanced(other_case_);
}

TEST_F(PoolTest, RefusalsLeaveNothingWritten) {
  ASSERT_TRUE(Apply(case_, {T(kRecoveries, kPool, "100.00")}).ok());
  const int64_t transfers = Count("SELECT COUNT(*) FROM pool_transfers");

  // More than the pool holds, even by a fen.
  Status short_by_a_fen = ApplyAndCommitAnyway(case_, {T(kPool, kReserve, "100.01")});
  EXPECT_EQ(short_by_a_fen.code(), StatusCode::kRuleViolated);
  EXPECT_EQ(short_by_a_fen.reason(), "insufficient_funds");
  EXPECT_NE(short_by_a_fen.message().find("pool"), std::string::npos);

  // The second transfer of a batch fails: the first is not written either.
  Status second = ApplyAndCommitAnyway(
      case_, {T(kRecoveries, kPool, "50.00"), T(kReserve, kPaid, "0.01")}, "distribution_pay");
  EXPECT_EQ(second.reason(), "insufficient_funds");
  EXPECT_NE(second.message().find("reserve"), std::string::npos);

  // Order matters: money must be in an account before it leaves it.
  Status order = ApplyAndCommitAnyway(
      case_, {T(kPool, kPayable, "150.00"), T(kRecoveries, kPool, "50.00")}, "distribution_pay");
  EXPECT_EQ(order.reason(), "insufficient_funds");

  // Our own mistakes: a non-positive amount, one account on both sides, a bad kind.
  EXPECT_EQ(ApplyAndCommitAnyway(case_, {T(kRecoveries, kPool, "0.00")}).code(),
            StatusCode::kInternal);
  EXPECT_EQ(ApplyAndCommitAnyway(case_, {PoolTransfer{kPool, kPool, Yuan("1.00")}}).code(),
            StatusCode::kInternal);
  EXPECT_EQ(ApplyAndCommitAnyway(case_, {T(kRecoveries, kPool, "1.00")}, "Bad Kind").code(),
            StatusCode::kInternal);
  // A case that does not exist.
  EXPECT_EQ(ApplyAndCommitAnyway(case_ + 1000, {T(kRecoveries, kPool, "1.00")}).code(),
            StatusCode::kNotFound);

  EXPECT_EQ(Count("SELECT COUNT(*) FROM pool_transfers"), transfers);
  EXPECT_EQ(Balances(case_).Of(kPool), Yuan("100.00"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pool_balances WHERE case_id = ?", {case_ + 1000}), 0);
  ExpectBalanced(case_);

  // Exactly what the pool holds may leave it.
  ASSERT_TRUE(Apply(case_, {T(kPool, kReserve, "100.00")}).ok());
  EXPECT_TRUE(Balances(case_).Available().IsZero());
  ExpectBalanced(case_);
}

TEST_F(PoolTest, CorrectionsAreReversingTransfers) {
  ASSERT_TRUE(
      Apply(case_, {T(kRecoveries, kPool, "80.00"), T(kRecoveries, kDisposalCosts, "20.00")}).ok());
  ASSERT_TRUE(Apply(case_,
                    {T(kPool, kRecoveries, "80.00"), T(kDisposalCosts, kRecoveries, "20.00")},
                    "reversal")
                  .ok());
  ExpectBalanced(case_);
  const PoolBalances b = Balances(case_);
  for (size_t i = 0; i < kPoolAccountCount; ++i) EXPECT_TRUE(b.balance[i].IsZero()) << i;
  // Both movements stay on record.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pool_transfers WHERE case_id = ?", {case_}), 4);
}

TEST_F(PoolTest, TheDatabaseItselfRefusesANegativeAccount) {
  ASSERT_TRUE(Apply(case_, {T(kRecoveries, kPool, "1.00")}).ok());
  EXPECT_FALSE(db_->Exec("UPDATE pool_balances SET balance_fen = -1 WHERE case_id = ? AND "
                         "account = 'pool'",
                         {case_})
                   .ok());
  EXPECT_FALSE(db_->Exec("INSERT INTO pool_transfers (case_id, kind, from_account, to_account, "
                         "amount_fen, at_ms) VALUES (?, 'x', 'pool', 'paid', 0, 0)",
                         {case_})
                   .ok());
  ExpectBalanced(case_);
}

TEST_F(PoolTest, ReadForUpdateCreatesAndLocksTheRows) {
  Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
    ASSIGN_OR_RETURN(PoolBalances b, ReadPoolBalances(db, case_, /*for_update=*/true));
    return b.Of(kPool).IsZero() ? Status::Ok() : Status::Internal("not zero");
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pool_balances WHERE case_id = ?", {case_}),
            static_cast<int64_t>(kPoolAccountCount));
  ExpectBalanced(case_);
}

// Two transactions on one case never hold the balances at the same time: each records the
// interval between taking the lock and finishing its read-modify-write, and no two intervals
// overlap, however the threads are scheduled. Without the lock the sleeps would make them
// overlap and lose updates; with it the final balances count every transfer.
TEST_F(PoolTest, ConcurrentTransfersOnOneCaseTakeTurns) {
  constexpr int kThreads = 6;
  constexpr int kRounds = 5;
  using Clock = std::chrono::steady_clock;
  std::mutex mu;
  std::vector<std::pair<Clock::time_point, Clock::time_point>> intervals;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int r = 0; r < kRounds; ++r) {
        Status s = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
          // The same read-modify-write a business operation does: read (locked), think, move.
          ASSIGN_OR_RETURN(PoolBalances before, ReadPoolBalances(db, case_, true));
          const Clock::time_point locked = Clock::now();
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          RETURN_IF_ERROR(ApplyTransfers(db, case_, "liquidation", {},
                                         {T(kRecoveries, kPool, "1.00")}, kNowMs));
          if (!before.Of(kPool).IsZero()) {
            RETURN_IF_ERROR(ApplyTransfers(db, case_, "distribution_pay", {},
                                           {T(kPool, kReserve, "0.50"), T(kReserve, kPaid, "0.25")},
                                           kNowMs));
          }
          std::lock_guard<std::mutex> lock(mu);
          intervals.emplace_back(locked, Clock::now());
          return Status::Ok();
        });
        if (!s.ok()) failures++;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);

  // Committed attempts only count once; a retried attempt would have recorded an interval too,
  // and it still must not overlap (it held the lock while it recorded).
  std::sort(intervals.begin(), intervals.end());
  for (size_t i = 1; i < intervals.size(); ++i) {
    EXPECT_LE(intervals[i - 1].second, intervals[i].first)
        << "transactions " << i - 1 << " and " << i << " overlapped";
  }
  const int n = kThreads * kRounds;
  const PoolBalances b = Balances(case_);
  // Every transaction took 1.00 in; all but the first moved 0.50 to reserve and 0.25 on to paid.
  EXPECT_EQ(b.Of(kRecoveries), Money::FromFen(-100 * n));
  EXPECT_EQ(b.Of(kPool), Money::FromFen(100 * n - 50 * (n - 1)));
  EXPECT_EQ(b.Of(kReserve), Money::FromFen(25 * (n - 1)));
  EXPECT_EQ(b.Of(kPaid), Money::FromFen(25 * (n - 1)));
  ExpectBalanced(case_);
}

// Competing debits: 20 transactions each try to take 1.00 from a pool of 10.00. Exactly ten
// succeed, the others are refused, and the pool ends at zero, never below.
TEST_F(PoolTest, ConcurrentDebitsNeverOverdraw) {
  ASSERT_TRUE(Apply(case_, {T(kRecoveries, kPool, "10.00")}).ok());
  constexpr int kThreads = 20;
  std::atomic<int> succeeded{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Status s = Apply(case_, {T(kPool, kPayable, "1.00")}, "distribution_pay");
      if (s.ok()) {
        succeeded++;
      } else if (s.reason() == "insufficient_funds") {
        refused++;
      } else {
        other++;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(succeeded.load(), 10);
  EXPECT_EQ(refused.load(), 10);
  EXPECT_EQ(other.load(), 0);
  EXPECT_TRUE(Balances(case_).Available().IsZero());
  EXPECT_EQ(Balances(case_).Of(kPayable), Yuan("10.00"));
  ExpectBalanced(case_);
}

// The balance rows of a new case are created by whichever transfer comes first; many first
// transfers at once must neither fail nor lose one another.
TEST_F(PoolTest, ConcurrentFirstTransfersOnANewCase) {
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      if (!Apply(other_case_, {T(kRecoveries, kPool, "2.00")}).ok()) failures++;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Balances(other_case_).Available(), Money::FromFen(200 * kThreads));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pool_balances WHERE case_id = ?", {other_case_}),
            static_cast<int64_t>(kPoolAccountCount));
  ExpectBalanced(other_case_);
}

}  // namespace
}  // namespace restitution
