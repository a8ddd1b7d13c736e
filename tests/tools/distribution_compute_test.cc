#include "tools/distribution_compute.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/test_database.h"

#ifndef RESTITUTIONCTL_PATH
#error "RESTITUTIONCTL_PATH must name the restitutionctl binary under test"
#endif

namespace restitution {
namespace {

using nlohmann::json;

struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CommandRun Compute(const std::string& plan) {
  std::istringstream in(plan);
  std::ostringstream out;
  std::ostringstream err;
  CommandRun run;
  run.exit_code = DistributionComputeCommand(in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// The plan of the issue's example, small enough to check by hand: A = 1000.00 over claims of
// 5000.00, 3000.00 (1000.00 already paid) and 2000.00 disputed. Outstanding 5000 + 2000 + 2000
// = 9000 > 1000: level r with 5000r + (3000r − 1000)⁺ + 2000r = 1000. With claim 2 waiting
// (breakpoint ⅓): 7000r = 1000, r = 1/7 < ⅓. Shares 714.285714…, 0, 285.714285…: floors
// 714.28 and 285.71 (in fen: 71428 and 28571, fractions 4/7 and 3/7), one fen left, to the 4/7.
constexpr char kPlan[] = R"({"amount":"1000.00","min_payment":"10.00","claims":[
  {"id":"C-1","amount":"5000.00","prior":"0.00","status":"confirmed"},
  {"id":"C-2","amount":"3000.00","prior":"1000.00","status":"confirmed"},
  {"id":"C-3","amount":"2000.00","status":"disputed"}]})";

TEST(DistributionComputeTest, ComputesTheExampleExactly) {
  const CommandRun run = Compute(kPlan);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "{\"allocations\":[\n"
            "{\"id\":\"C-1\",\"pay\":\"714.29\",\"reserve\":\"0.00\",\"deferred\":\"0.00\"},\n"
            "{\"id\":\"C-2\",\"pay\":\"0.00\",\"reserve\":\"0.00\",\"deferred\":\"0.00\"},\n"
            "{\"id\":\"C-3\",\"pay\":\"0.00\",\"reserve\":\"285.71\",\"deferred\":\"0.00\"}\n"
            "],\n"
            "\"totals\":{\"paid\":\"714.29\",\"reserved\":\"285.71\",\"deferred\":\"0.00\","
            "\"surplus\":\"0.00\"},\n"
            "\"level\":\"0.142857\"}\n");
  // And it is JSON.
  const json result = json::parse(run.out);
  EXPECT_EQ(result["allocations"].size(), 3u);
}

TEST(DistributionComputeTest, DefaultsAndSurplusAndDeferral) {
  // No min_payment, no priors: everything fits, 0.50 surplus.
  CommandRun run =
      Compute(R"({"amount":"3.00","claims":[{"id":"a","amount":"1.50","status":"confirmed"},)"
              R"({"id":"b","amount":"1.00","status":"confirmed"}]})");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json result = json::parse(run.out);
  EXPECT_EQ(result["allocations"][0]["pay"], "1.50");
  EXPECT_EQ(result["allocations"][1]["pay"], "1.00");
  EXPECT_EQ(result["totals"]["surplus"], "0.50");
  EXPECT_EQ(result["level"], "1.000000");
  // A share below the minimum payment is deferred.
  run = Compute(R"({"amount":"2.00","min_payment":"1.50","claims":[{"id":"a","amount":"1.00",)"
                R"("status":"confirmed"},{"id":"b","amount":"3.00","status":"confirmed"}]})");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  result = json::parse(run.out);
  EXPECT_EQ(result["allocations"][0]["deferred"], "0.50");
  EXPECT_EQ(result["allocations"][0]["pay"], "0.00");
  EXPECT_EQ(result["allocations"][1]["pay"], "1.50");
  EXPECT_EQ(result["totals"]["deferred"], "0.50");
  EXPECT_EQ(result["totals"]["paid"], "1.50");
  EXPECT_EQ(result["level"], "0.500000");
}

TEST(DistributionComputeTest, IdsAreEscapedAndKeptVerbatim) {
  const std::string id = "案件\"1\"\\\n\t\x01/x";
  json plan = {
      {"amount", "1.00"},
      {"claims", json::array({{{"id", id}, {"amount", "1.00"}, {"status", "confirmed"}}})}};
  const CommandRun run = Compute(plan.dump());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(json::parse(run.out)["allocations"][0]["id"], id);
}

// Every result agrees with the engine run directly on the same claims.
TEST(DistributionComputeTest, RandomPlansMatchTheEngine) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    json claims = json::array();
    RoundPlan plan;
    const int n = std::uniform_int_distribution<int>(1, 40)(rng);
    for (int i = 0; i < n; ++i) {
      const int64_t c = std::uniform_int_distribution<int64_t>(0, 10'000'000)(rng);
      const int64_t p = std::uniform_int_distribution<int64_t>(0, 3)(rng) == 0
                            ? std::uniform_int_distribution<int64_t>(0, c)(rng)
                            : 0;
      const bool disputed = std::uniform_int_distribution<int>(0, 5)(rng) == 0;
      claims.push_back({{"id", "C-" + std::to_string(i)},
                        {"amount", Money::FromFen(c).ToString()},
                        {"prior", Money::FromFen(p).ToString()},
                        {"status", disputed ? "disputed" : "confirmed"}});
      plan.claims.push_back(
          RoundClaim{Money::FromFen(c), Money::FromFen(p),
                     disputed ? RoundClaimStatus::kDisputed : RoundClaimStatus::kConfirmed});
    }
    plan.amount = Money::FromFen(std::uniform_int_distribution<int64_t>(0, 50'000'000)(rng));
    plan.min_payment = Money::FromFen(std::uniform_int_distribution<int64_t>(0, 1000)(rng));
    const json document = {{"amount", plan.amount.ToString()},
                           {"min_payment", plan.min_payment.ToString()},
                           {"claims", claims}};
    EXPECT_TRUE(ParseDistributionPlanFast(document.dump()).has_value());
    const CommandRun run = Compute(document.dump());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const json result = json::parse(run.out);
    StatusOr<RoundResult> expected = ComputeRound(plan);
    ASSERT_TRUE(expected.ok());
    ASSERT_EQ(result["allocations"].size(), plan.claims.size());
    for (int i = 0; i < n; ++i) {
      const json& a = result["allocations"][i];
      const RoundAllocation& e = expected->allocations[i];
      EXPECT_EQ(a["id"], "C-" + std::to_string(i));
      EXPECT_EQ(a["pay"], e.pay.ToString());
      EXPECT_EQ(a["reserve"], e.reserve.ToString());
      EXPECT_EQ(a["deferred"], e.deferred.ToString());
    }
    EXPECT_EQ(result["totals"]["paid"], expected->totals.paid.ToString());
    EXPECT_EQ(result["totals"]["reserved"], expected->totals.reserved.ToString());
    EXPECT_EQ(result["totals"]["deferred"], expected->totals.deferred.ToString());
    EXPECT_EQ(result["totals"]["surplus"], expected->totals.surplus.ToString());
  }
}

// A bad plan: exit 1, nothing on stdout, and stderr names the field.
void ExpectRefused(const std::string& plan, const std::string& fragment) {
  SCOPED_TRACE(plan);
  const CommandRun run = Compute(plan);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find(fragment), std::string::npos) << run.err;
}

std::string OneClaim(const std::string& claim_members) {
  return R"({"amount":"10.00","claims":[{"id":"A","amount":"5.00","status":"confirmed"},{)" +
         claim_members + "}]}";
}

TEST(DistributionComputeTest, BadPlansAreRefusedNamingTheField) {
  // Malformed JSON, and JSON that is not a plan.
  ExpectRefused("", "not valid JSON");
  ExpectRefused(R"({"amount":"1.00","claims":[)", "not valid JSON");
  ExpectRefused("[]", "must be a JSON object");
  ExpectRefused(std::string("{\"amount\":\"1.00\"}\0{}", 20), "not valid JSON");
  // Top-level members.
  ExpectRefused(R"({"claims":[{"id":"A","amount":"5.00","status":"confirmed"}]})",
                "amount: is required");
  ExpectRefused(R"({"amount":"1.00"})", "claims: is required");
  ExpectRefused(R"({"amount":"1.00","claims":[]})", "claims: must not be empty");
  ExpectRefused(R"({"amount":"1.00","claims":{}})", "claims: must be an array");
  ExpectRefused(R"({"amount":"1.00","claims":[1]})", "claims[0]: must be an object");
  ExpectRefused(R"({"amount":1000,"claims":[{"id":"A","amount":"5.00","status":"confirmed"}]})",
                "amount: must be a string");
  ExpectRefused(R"({"amount":"-1.00","claims":[{"id":"A","amount":"5.00","status":"confirmed"}]})",
                "amount: must not be negative");
  ExpectRefused(
      R"({"amount":"1.00","min_payment":"0.001","claims":[{"id":"A","amount":"5.00","status":"confirmed"}]})",
      "min_payment: must have at most two decimal places");
  ExpectRefused(
      R"({"amount":"1.00","round":2,"claims":[{"id":"A","amount":"5.00","status":"confirmed"}]})",
      "round: unknown field");
  ExpectRefused(
      R"({"amount":"1.00","amount":"2.00","claims":[{"id":"A","amount":"5.00","status":"confirmed"}]})",
      "amount: duplicate key");
  // Claim members, named by index.
  ExpectRefused(OneClaim(R"("id":"B","amount":"1.5.0","status":"confirmed")"),
                "claims[1].amount: must");
  ExpectRefused(OneClaim(R"("id":"B","amount":5,"status":"confirmed")"),
                "claims[1].amount: must be a string");
  ExpectRefused(OneClaim(R"("id":"B","amount":"5.00","amount":"6.00","status":"confirmed")"),
                "claims[1].amount: duplicate key");
  ExpectRefused(OneClaim(R"("id":"B","amount":"5.00","prior":"5.01","status":"confirmed")"),
                "claims[1].prior: must not exceed");
  ExpectRefused(OneClaim(R"("id":"B","amount":"5.00","prior":"-0.01","status":"confirmed")"),
                "claims[1].prior: must not be negative");
  ExpectRefused(OneClaim(R"("id":"B","amount":"5.00","status":"rejected")"),
                "claims[1].status: must be \"confirmed\" or \"disputed\"");
  ExpectRefused(OneClaim(R"("id":"B","amount":"5.00")"), "claims[1].status: is required");
  ExpectRefused(OneClaim(R"("amount":"5.00","status":"confirmed")"), "claims[1].id: is required");
  ExpectRefused(OneClaim(R"("id":7,"amount":"5.00","status":"confirmed")"),
                "claims[1].id: must be a string");
  ExpectRefused(OneClaim(R"("id":"B","status":"confirmed")"), "claims[1].amount: is required");
  ExpectRefused(OneClaim(R"("id":"B","amount":"5.00","status":"confirmed","name":"x")"),
                "claims[1].name: unknown field");
  ExpectRefused(OneClaim(R"("id":"A","amount":"5.00","status":"confirmed")"),
                "claims[1].id: duplicate id (claims[0] has the same id)");
  ExpectRefused(OneClaim(R"("id":")" + std::string(kMaxPlanClaimIdBytes + 1, 'x') +
                         R"(","amount":"5.00","status":"confirmed")"),
                "claims[1].id: is too long");
  // The first problem in the document wins.
  ExpectRefused(R"({"amount":"1.00","claims":[{"id":"A","amount":"5.00","prior":"6.00",)"
                R"("status":"confirmed"},{"id":"A","amount":"x","status":"confirmed"}]})",
                "claims[0].prior");
  // Amounts adding up beyond int64 fen.
  ExpectRefused(R"({"amount":"1.00","claims":[{"id":"A","amount":"92233720368547758.07",)"
                R"("status":"confirmed"},{"id":"B","amount":"0.01","status":"confirmed"}]})",
                "claims: the claims' amounts add up to more than");
}

TEST(DistributionComputeTest, DuplicateIdsNameTheFirstRepeat) {
  ExpectRefused(R"({"amount":"1.00","claims":[)"
                R"({"id":"X","amount":"1.00","status":"confirmed"},)"
                R"({"id":"Y","amount":"1.00","status":"confirmed"},)"
                R"({"id":"Y","amount":"1.00","status":"confirmed"},)"
                R"({"id":"X","amount":"1.00","status":"confirmed"}]})",
                "claims[2].id: duplicate id (claims[1] has the same id)");
}

// The streaming fast path and the API's DOM parser agree on every input: the same plan, or the
// same error. Checked on hand-picked plans with nulls and odd shapes that only the DOM path
// accepts, and on thousands of random corruptions of a valid plan.
// Returns whether the fast path accepted the text.
bool ExpectSameParse(const std::string& text) {
  SCOPED_TRACE(text);
  const bool fast_accepted = ParseDistributionPlanFast(text).has_value();
  const StatusOr<DistributionPlan> fast = ParseDistributionPlan(text);
  const StatusOr<DistributionPlan> dom = ParseDistributionPlanWithDom(text);
  EXPECT_EQ(fast.ok(), dom.ok()) << (fast.ok() ? dom.status() : fast.status()).ToString();
  if (fast.ok() != dom.ok()) return fast_accepted;
  if (!fast.ok()) {
    EXPECT_EQ(fast.status().code(), dom.status().code());
    EXPECT_EQ(fast.status().field(), dom.status().field());
    EXPECT_EQ(fast.status().message(), dom.status().message());
    return fast_accepted;
  }
  EXPECT_EQ(fast->ids, dom->ids);
  if (fast->ids != dom->ids) return fast_accepted;
  EXPECT_EQ(fast->plan.amount, dom->plan.amount);
  EXPECT_EQ(fast->plan.min_payment, dom->plan.min_payment);
  EXPECT_EQ(fast->plan.claims.size(), dom->plan.claims.size());
  if (fast->plan.claims.size() != dom->plan.claims.size()) return fast_accepted;
  for (size_t i = 0; i < fast->plan.claims.size(); ++i) {
    EXPECT_EQ(fast->plan.claims[i].recognised, dom->plan.claims[i].recognised);
    EXPECT_EQ(fast->plan.claims[i].prior, dom->plan.claims[i].prior);
    EXPECT_EQ(fast->plan.claims[i].status, dom->plan.claims[i].status);
  }
  return fast_accepted;
}

TEST(DistributionComputeTest, FastPathAgreesWithTheApiParser) {
  // The plain plan takes the fast path; one with nulls is left to the DOM path.
  EXPECT_TRUE(ExpectSameParse(kPlan));
  EXPECT_FALSE(ExpectSameParse(
      R"({"amount":"1.00","min_payment":null,"claims":[{"id":"A","amount":"5.00","status":"confirmed"}]})"));
  ExpectSameParse(R"({"amount":"1.00","min_payment":null,"claims":[{"id":"A","amount":"5.00",)"
                  R"("prior":null,"status":"confirmed"}]})");
  ExpectSameParse(R"({"amount":"1.00","claims":[{"id":"A","amount":"5.00","status":null}]})");
  ExpectSameParse(R"({"amount":"1.00","claims":[{"id":"A","amount":"5.00","status":"confirmed",)"
                  R"("x":{"y":[1,2]}}]})");
  ExpectSameParse(
      R"({"amount":"1.00","claims":[{"id":"A","amount":"5.00","status":"confirmed"}]} )");
  ExpectSameParse(
      R"({"amount":"1.00","claims":[{"id":"A","amount":"5.00","status":"confirmed"}]}x)");
  ExpectSameParse(
      R"({"claims":[{"id":"A","amount":"5.00","status":"confirmed"}],"amount":"1.00"})");
  ExpectSameParse(R"({"amount":"1.00","claims":[[]]})");
  ExpectSameParse(R"({"amount":"1.00","claims":"none"})");
  ExpectSameParse(R"({"amount":["1.00"],"claims":[]})");
  ExpectSameParse("\"plan\"");
  ExpectSameParse(
      "{\"amount\":\"1.00\",\"claims\":[{\"id\":\"\xff\",\"amount\":\"1.00\","
      "\"status\":\"confirmed\"}]}");
  std::mt19937_64 rng(11);
  const std::string base = kPlan;
  const std::string alphabet = "{}[]\",:.0123456789-abcdeinorstuxyz \\n";
  int fast_accepted = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text = base;
    const int edits = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = std::uniform_int_distribution<size_t>(0, text.size() - 1)(rng);
      const char c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
      switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        default:
          text[at] = c;
          break;
      }
    }
    fast_accepted += ExpectSameParse(text);
    if (HasFailure()) return;
  }
  // Some corruptions (a digit changed, a space added) leave a valid plan for the fast path.
  EXPECT_GT(fast_accepted, 50);
}

// ---------------------------------------------------------------------------------------------
// The real binary, with the plan on a pipe.

std::string CtlPath() {
  const char* dir = std::getenv("RESTITUTION_TEST_BIN_DIR");
  if (dir != nullptr && *dir != '\0') {
    const std::string path = std::string(dir) + "/restitutionctl";
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return RESTITUTIONCTL_PATH;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

CommandRun RunBinary(const std::vector<std::string>& args, const std::string& stdin_text) {
  // A directory of its own: ctest runs these tests in parallel, and a shared file name let one
  // test's run truncate another's output.
  const testing::TempDir dir;
  const std::string out_path = dir.path() + "/distribution_compute.out";
  const std::string err_path = dir.path() + "/distribution_compute.err";
  int pipe_fds[2];
  CommandRun run;
  if (pipe(pipe_fds) != 0) return run;
  const std::string path = CtlPath();
  std::vector<std::string> argv_strings = {path};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || err < 0) _exit(126);
    dup2(pipe_fds[0], STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  close(pipe_fds[0]);
  size_t written = 0;
  while (written < stdin_text.size()) {
    const ssize_t n = write(pipe_fds[1], stdin_text.data() + written, stdin_text.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  close(pipe_fds[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = ReadWhole(out_path);
  run.err = ReadWhole(err_path);
  return run;
}

TEST(DistributionComputeBinaryTest, ComputesThroughAPipe) {
  const CommandRun direct = Compute(kPlan);
  const CommandRun run = RunBinary({"distribution", "compute"}, kPlan);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, direct.out);
  EXPECT_EQ(run.err, "");
}

TEST(DistributionComputeBinaryTest, ManyClaimsThroughAPipe) {
  // Larger than a pipe's buffer both ways.
  json claims = json::array();
  for (int i = 0; i < 5000; ++i) {
    claims.push_back({{"id", "C-" + std::to_string(i)},
                      {"amount", Money::FromFen(1000 + 37 * i).ToString()},
                      {"status", i % 11 == 0 ? "disputed" : "confirmed"}});
  }
  const std::string plan = json{{"amount", "123456.78"}, {"claims", claims}}.dump();
  const CommandRun run = RunBinary({"distribution", "compute"}, plan);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, Compute(plan).out);
  const json result = json::parse(run.out);
  ASSERT_EQ(result["allocations"].size(), 5000u);
  EXPECT_EQ(result["totals"]["surplus"], "0.00");
}

TEST(DistributionComputeBinaryTest, BadPlanExitsNonZeroWithNothingOnStdout) {
  const CommandRun run =
      RunBinary({"distribution", "compute"},
                R"({"amount":"10.00","claims":[{"id":"A","amount":"5.00","status":"confirmed"},)"
                R"({"id":"B","amount":"5.00","prior":"7.00","status":"confirmed"}]})");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("claims[1].prior"), std::string::npos) << run.err;
}

TEST(DistributionComputeBinaryTest, ExtraArgumentsAreAUsageError) {
  const CommandRun run = RunBinary({"distribution", "compute", "--fast"}, kPlan);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace restitution
