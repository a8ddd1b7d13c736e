// Distribution runs (service/distribution_runs.h): the request bodies, and a draft over
// thousands of claims against a real MariaDB whose ledger chunks alone are enough to re-run the
// engine and get the stored allocations back. The HTTP lifecycle is in
// tests/e2e/distributions_test.cc.
#include "service/distribution_runs.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "ledger/entry.h"
#include "service/accounts.h"
#include "service/cases.h"
#include "service/distribution_rule.h"
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

TEST(DistributionParseTest, OrderReferences) {
  for (const char* good : {"(2026)沪0104执1号", "（2026）沪0104执恢12号", "(2019)京01破23号"}) {
    EXPECT_TRUE(IsValidOrderReference(good)) << good;
  }
  for (const char* bad :
       {"", "(2026)", "(2026)号", "(2026)1号", "(2026)沪号", "2026沪0104执1号", "(1899)沪0104执1号",
        "(2026)沪0104执1", "(2026)沪0104 执1号", "(20x6)沪0104执1号"}) {
    EXPECT_FALSE(IsValidOrderReference(bad)) << bad;
  }
  EXPECT_EQ(ParseApproveInput({{"order_reference", "(2026)"}}).status().field(), "order_reference");
  EXPECT_EQ(ParseApproveInput(Json::object()).status().field(), "order_reference");
}

TEST(DistributionParseTest, DraftBodies) {
  StatusOr<DraftInput> input = ParseDraftInput(
      {{"amount", "1000000.00"}, {"min_payment", "10.00"}, {"record_date", "2026-03-01"}});
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->amount.fen(), 100000000);
  EXPECT_EQ(input->min_payment.fen(), 1000);
  EXPECT_EQ(*input->record_date, 20260301);
  EXPECT_FALSE(ParseDraftInput({{"amount", "1"}, {"min_payment", "0"}})->record_date);
  auto field_of = [](const Json& body) { return ParseDraftInput(body).status().field(); };
  EXPECT_EQ(field_of({{"amount", 100}, {"min_payment", "0"}}), "amount");
  EXPECT_EQ(field_of({{"amount", "0"}, {"min_payment", "0"}}), "amount");
  EXPECT_EQ(field_of({{"amount", "1"}}), "min_payment");
  EXPECT_EQ(field_of({{"amount", "1"}, {"min_payment", "0"}, {"record_date", "2026-02-30"}}),
            "record_date");
  EXPECT_EQ(field_of({{"amount", "1"}, {"min_payment", "0"}, {"ratio", "1"}}), "ratio");
}

TEST(DistributionParseTest, PaymentResults) {
  StatusOr<std::vector<PaymentResultInput>> ok = ParsePaymentResults(
      {{"results",
        {{{"reference", "R1-C2"}, {"status", "paid"}},
         {{"reference", "R1-C3"}, {"status", "failed"}, {"reason", "账户不存在"}}}}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_TRUE((*ok)[0].paid);
  EXPECT_FALSE((*ok)[1].paid);
  EXPECT_EQ(*(*ok)[1].reason, "账户不存在");
  auto field_of = [](const Json& results) {
    return ParsePaymentResults({{"results", results}}).status().field();
  };
  EXPECT_EQ(field_of(Json::array()), "results");
  EXPECT_EQ(field_of({{{"reference", "R1-C2"}, {"status", "bounced"}}}), "results[0].status");
  EXPECT_EQ(field_of({{{"reference", "R1-C2"}, {"status", "failed"}}}), "results[0].reason");
  EXPECT_EQ(field_of({{{"reference", "R1-C2"}, {"status", "paid"}, {"reason", "x"}}}),
            "results[0].reason");
  EXPECT_EQ(field_of({{{"reference", "R1-C2"}, {"status", "paid"}},
                      {{"reference", "R1-C2"}, {"status", "paid"}}}),
            "results[1].reference");
  Json many = Json::array();
  for (size_t i = 0; i <= kMaxPaymentResults; ++i) {
    many.push_back({{"reference", "R1-C" + std::to_string(i)}, {"status", "paid"}});
  }
  EXPECT_EQ(field_of(many), "results");
}

class DistributionDraftTest : public ::testing::Test {
 protected:
  DistributionDraftTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [] { return int64_t{1773532800000}; };  // 2026-03-15T00:00:00Z
  }

  template <typename T, typename F>
  StatusOr<T> Tx(F&& f) {
    std::optional<StatusOr<T>> out;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      out.emplace(f(db));
      return out->ok() ? Status::Ok() : out->status();
    });
    if (!out) return status;
    return std::move(*out);
  }

  Principal Staff(const std::string& username, const std::string& role) {
    UserView user = Must(Tx<UserView>([&](DbConnection& db) {
      return CreateStaffUser(db, ctx_, 0, username, "staff password 1234", role);
    }));
    return Principal{user.id, *ParseRole(role)};
  }

  // A case open for registration with `officer` bound to it; its id.
  int64_t CaseWithOfficer(const Principal& admin, const Principal& officer) {
    CaseInput input;
    input.case_number = "JZ-1";
    input.name = "某某案";
    input.lead_region = "110105";
    input.regions = {"110105"};
    input.registration_opens_ms = 0;
    input.registration_closes_ms = 4102444800000;
    const int64_t case_id = Must(Tx<CaseView>([&](DbConnection& db) {
                              QueuedEntry entry;
                              return CreateCase(db, ctx_, admin, input, &entry);
                            })).id;
    EXPECT_TRUE(RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
                  QueuedEntry entry;
                  return AddCaseMember(db, ctx_, admin, case_id, officer.user_id, "officer",
                                       &entry);
                }).ok());
    return case_id;
  }

  TestKeys keys_;
  ServiceContext ctx_;
  TestDatabase tdb_;
  std::unique_ptr<DbConnection> db_;
};

// Claims written straight into the table (the claims flow has its own tests): `n` confirmed
// claims with random allowed amounts and a few disputed ones.
TEST_F(DistributionDraftTest, LedgerChunksAloneReproduceTheAllocations) {
  const Principal admin = Staff("admin", "admin");
  const Principal officer = Staff("officer.a", "officer");
  const int64_t case_id = CaseWithOfficer(admin, officer);
  constexpr int kClaims = 3000;
  std::mt19937_64 rng(7);
  ASSERT_TRUE(
      RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
        for (int i = 0; i < kClaims; ++i) {
          const int64_t allowed = 100 + static_cast<int64_t>(rng() % 100000000);
          const bool disputed = i % 97 == 0;
          std::string person(32, '\0');
          person[0] = static_cast<char>(i & 0xFF);
          person[1] = static_cast<char>((i >> 8) & 0xFF);
          RETURN_IF_ERROR(
              db.Exec("INSERT INTO claims (case_id, filer_user_id, person_hash, status, "
                      "decision, region, filed_as, late, version, "
                      "declared_principal_fen, declared_returns_fen, declared_net_fen, "
                      "allowed_fen, decided_at_ms, created_at_ms, updated_at_ms) VALUES "
                      "(?, ?, ?, ?, 'confirmed', '110105', 'self', 0, 1, ?, 0, ?, ?, 1, "
                      "1, 1)",
                      {case_id, officer.user_id, person, disputed ? "disputed" : "confirmed",
                       allowed * 2, allowed * 2, allowed})
                  .status());
        }
        std::vector<PoolTransfer> in = {
            {PoolAccount::kRecoveries, PoolAccount::kPool, Money::FromFen(12345678901)}};
        return ApplyTransfers(db, case_id, "liquidation", {}, in, 1);
      }).ok());

  DraftInput draft;
  draft.amount = Money::FromFen(12345678901);
  draft.min_payment = Money::FromFen(50000);
  const RunChange change = Must(Tx<RunChange>(
      [&](DbConnection& db) { return DraftDistribution(db, ctx_, officer, case_id, draft); }));
  const DistributionRun& run = change.run;
  EXPECT_EQ(run.claims, kClaims);
  EXPECT_EQ(run.status, "drafted");
  EXPECT_EQ(run.paid.fen() + run.reserved.fen() + run.deferred.fen() + run.surplus.fen(),
            draft.amount.fen());
  EXPECT_GT(run.chunks, 1);

  // Rebuild the plan from the distribution_allocations entries alone and re-run the engine.
  SqlRows entries = Must(db_->Query("SELECT entry FROM ledger_queue ORDER BY id"));
  RoundPlan plan;
  plan.amount = draft.amount;
  plan.min_payment = draft.min_payment;
  std::vector<Json> recorded;
  int64_t chunks = 0;
  for (const SqlRow& row : entries) {
    ASSERT_LE(row.Bytes(0).size(), ledger::kMaxEntryBytes);
    const ledger::EntryDraft entry = Must(ledger::DecodeEntry(row.Bytes(0)));
    if (entry.type != "distribution_allocations") continue;
    EXPECT_EQ(entry.payload["chunk"], chunks);
    EXPECT_EQ(entry.payload["chunks"], run.chunks);
    ++chunks;
    for (const Json& c : entry.payload["claims"]) {
      RoundClaim claim;
      claim.status = c[1] == "d" ? RoundClaimStatus::kDisputed : RoundClaimStatus::kConfirmed;
      claim.recognised = Money::FromFen(c[2].get<int64_t>());
      claim.prior = Money::FromFen(c[3].get<int64_t>());
      plan.claims.push_back(claim);
      recorded.push_back(c);
    }
  }
  EXPECT_EQ(chunks, run.chunks);
  ASSERT_EQ(plan.claims.size(), static_cast<size_t>(kClaims));
  const RoundResult again = Must(ComputeRound(plan));
  SqlRows stored =
      Must(db_->Query("SELECT claim_id, pay_fen, reserve_fen, deferred_fen FROM "
                      "distribution_allocations WHERE run_id = ? ORDER BY claim_id",
                      {run.id}));
  ASSERT_EQ(stored.size(), static_cast<size_t>(kClaims));
  int64_t reserved = 0;
  for (size_t i = 0; i < recorded.size(); ++i) {
    EXPECT_EQ(recorded[i][0].get<int64_t>(), stored[i].Int(0));
    EXPECT_EQ(recorded[i][4].get<int64_t>(), again.allocations[i].pay.fen());
    EXPECT_EQ(recorded[i][5].get<int64_t>(), again.allocations[i].reserve.fen());
    EXPECT_EQ(recorded[i][6].get<int64_t>(), again.allocations[i].deferred.fen());
    EXPECT_EQ(stored[i].Int(1), again.allocations[i].pay.fen());
    EXPECT_EQ(stored[i].Int(2), again.allocations[i].reserve.fen());
    EXPECT_EQ(stored[i].Int(3), again.allocations[i].deferred.fen());
    reserved += stored[i].Int(2);
  }
  EXPECT_EQ(reserved, run.reserved.fen());
  EXPECT_GT(run.reserved.fen(), 0);
  EXPECT_GT(run.deferred_count, 0);
  EXPECT_EQ(run.level, FormatRatio(again.level.numerator, again.level.denominator));

  // A second draft while this one is active is refused.
  StatusOr<RunChange> second = Tx<RunChange>(
      [&](DbConnection& db) { return DraftDistribution(db, ctx_, officer, case_id, draft); });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().reason(), "active_run");
}

}  // namespace
}  // namespace restitution

namespace restitution {
namespace {

// Opt-in scale check (RESTITUTION_DRAFT_SCALE=<claims>): bulk-inserts that many confirmed claims
// with multi-row INSERTs, then drafts over them, and prints both times.
TEST_F(DistributionDraftTest, ScaleDraftAgainstBulkInsert) {
  const char* scale = std::getenv("RESTITUTION_DRAFT_SCALE");
  if (scale == nullptr) GTEST_SKIP() << "set RESTITUTION_DRAFT_SCALE to run";
  const int n = std::atoi(scale);
  const Principal admin = Staff("admin", "admin");
  const Principal officer = Staff("officer.a", "officer");
  const int64_t case_id = CaseWithOfficer(admin, officer);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
                constexpr int kRows = 500;
                std::string sql =
                    "INSERT INTO claims (case_id, filer_user_id, person_hash, status, decision, "
                    "region, filed_as, late, version, declared_principal_fen, "
                    "declared_returns_fen, declared_net_fen, allowed_fen, decided_at_ms, "
                    "created_at_ms, updated_at_ms) VALUES ";
                for (int r = 0; r < kRows; ++r) {
                  sql += r ? ", " : "";
                  sql +=
                      "(?, ?, ?, 'confirmed', 'confirmed', '110105', 'self', 0, 1, ?, 0, ?, ?, "
                      "1, 1, 1)";
                }
                std::vector<SqlParam> params;
                for (int i = 0; i < n; i += kRows) {
                  params.clear();
                  for (int r = 0; r < kRows; ++r) {
                    std::string person(32, '\0');
                    const int k = i + r;
                    person[0] = static_cast<char>(k & 0xFF);
                    person[1] = static_cast<char>((k >> 8) & 0xFF);
                    person[2] = static_cast<char>((k >> 16) & 0xFF);
                    const int64_t allowed = 100000 + (k % 1000) * 1000;
                    params.emplace_back(case_id);
                    params.emplace_back(officer.user_id);
                    params.emplace_back(person);
                    params.emplace_back(allowed);
                    params.emplace_back(allowed);
                    params.emplace_back(allowed);
                  }
                  RETURN_IF_ERROR(db.Exec(sql, params).status());
                }
                std::vector<PoolTransfer> in = {{PoolAccount::kRecoveries, PoolAccount::kPool,
                                                 Money::FromFen(int64_t{n} * 50000)}};
                return ApplyTransfers(db, case_id, "liquidation", {}, in, 1);
              }).ok());
  const auto t1 = std::chrono::steady_clock::now();
  DraftInput draft;
  draft.amount = Money::FromFen(int64_t{n} * 50000);
  const RunChange change = Must(Tx<RunChange>(
      [&](DbConnection& db) { return DraftDistribution(db, ctx_, officer, case_id, draft); }));
  const auto t2 = std::chrono::steady_clock::now();
  EXPECT_EQ(change.run.claims, (n / 500) * 500);
  std::cout << "bulk insert " << std::chrono::duration<double>(t1 - t0).count() << " s, draft "
            << std::chrono::duration<double>(t2 - t1).count() << " s, chunks " << change.run.chunks
            << "\n";
}

}  // namespace
}  // namespace restitution
