// distribution_bench: how fast one distribution round is computed for 10^6 confirmed claims,
// next to what the machine itself can do, measured by the same process in the same run:
//
//   reference R: bulk insert of N allocation-shaped rows (two ids and five BIGINTs) into the
//                MariaDB the bench is pointed at, through DbConnection, with multi-row INSERTs in
//                one transaction: the least any draft that stores its allocations must pay.
//
// Measured against it: the engine alone (service/distribution_rule.h) for a first round and a
// second round with priors; `restitutionctl distribution compute` in-process (parse the plan
// JSON, compute, print the result JSON); the end-to-end draft of a run (DraftDistribution in
// RunInTransaction: load, compute, store allocations, ledger entries, commit) and the time
// until its ledger entries are sequenced; the draft again phase by phase; and what-if scans
// showing where the load phase's time goes (DraftBench, below). The goal: draft <= 3×
// the bulk insert. Then the rest of the round (distribution_pipeline.h): endorse, approve,
// execute, the payments.csv export and the bank's results for every line, each timed beside R,
// and the invariants of the finished round checked (a broken one exits non-zero).
//
// The database named by --database (default restitution_distribution_bench) is dropped and
// created afresh; a database this program did not create (no bench_allocation_ref table) is
// never dropped. Connection from RESTITUTION_DB_SOCKET (or _HOST/_PORT), _USER, _PASSWORD.
// Report (Markdown) on stdout, progress on stderr. A benchmark, not a test.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_support.h"
#include "bench/distribution_pipeline.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "service/accounts.h"
#include "service/asset_lifecycle.h"
#include "service/assets.h"
#include "service/cases.h"
#include "service/clock.h"
#include "service/connection_pool.h"
#include "service/db_config.h"
#include "service/db_connection.h"
#include "service/distribution_rule.h"
#include "service/distribution_runs.h"
#include "service/distribution_store.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "service/migrations.h"
#include "service/money.h"
#include "service/pool.h"
#include "service/principal.h"
#include "service/service_context.h"
#include "service/service_keys.h"
#include "service/transaction.h"
#include "tools/distribution_compute.h"

namespace restitution::bench {
namespace {

// The table that marks a database as this program's, and reference R's table.
constexpr char kReferenceTable[] = "bench_allocation_ref";
// Rows per multi-row INSERT in reference R (7 placeholders each: 7000 per statement).
constexpr size_t kRowsPerInsert = 1000;
constexpr double kGoalDraftRatio = 3.0;

std::string Duration(double seconds) {
  if (seconds >= 1) return Format("%.2f s", seconds);
  return Format("%.1f ms", seconds * 1e3);
}

// ---------------------------------------------------------------------------------------------
// Options.

struct Options {
  size_t claims = 1'000'000;
  int repeats = 3;  // engine timings: the best of this many
  std::string database;
  bool keep_database = false;
  bool skip_database = false;
  bool skip_pipeline = false;
};

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::fprintf(stderr, "distribution_bench: %s\n", problem.c_str());
  std::fprintf(stderr,
               "usage: distribution_bench [--quick] [--claims N] [--repeats R] [--database NAME]"
               " [--keep] [--no-pipeline] [--no-database]\n"
               "  --quick        smoke run: 100000 claims, 1 repeat\n"
               "  --claims N     confirmed claims per round (default 1000000)\n"
               "  --repeats R    engine timings are the best of R runs (default 3)\n"
               "  --database D   database to drop and create (default $RESTITUTION_DB_NAME, "
               "else restitution_distribution_bench)\n"
               "  --keep         leave the database behind\n"
               "  --no-pipeline  stop after the draft (no endorse … bank results)\n"
               "  --no-database  engine and CLI only, no reference (not a full report)\n");
  std::exit(problem.empty() ? 0 : 2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  const char* env_name = std::getenv("RESTITUTION_DB_NAME");
  options.database =
      env_name != nullptr && *env_name != '\0' ? env_name : "restitution_distribution_bench";
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto number = [&]() -> long long {
      if (i + 1 >= argc) Usage(flag + " needs a number");
      char* end = nullptr;
      const long long value = std::strtoll(argv[++i], &end, 10);
      if (end == argv[i] || *end != '\0' || value < 1) Usage(flag + " needs a positive number");
      return value;
    };
    if (flag == "--quick") {
      options.claims = 100'000;
      options.repeats = 1;
    } else if (flag == "--claims") {
      options.claims = static_cast<size_t>(number());
    } else if (flag == "--repeats") {
      options.repeats = static_cast<int>(number());
    } else if (flag == "--database") {
      if (i + 1 >= argc) Usage("--database needs a name");
      options.database = argv[++i];
    } else if (flag == "--keep") {
      options.keep_database = true;
    } else if (flag == "--no-pipeline") {
      options.skip_pipeline = true;
    } else if (flag == "--no-database") {
      options.skip_database = true;
    } else if (flag == "--help" || flag == "-h") {
      Usage("");
    } else {
      Usage("unknown flag " + flag);
    }
  }
  if (options.claims > kMaxRoundClaims) Usage("--claims is above kMaxRoundClaims");
  if (options.database.empty() || options.database.size() > 64 ||
      !std::all_of(options.database.begin(), options.database.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
      })) {
    Usage("--database must be 1 to 64 letters, digits or underscores");
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// The plans.

// Recognised amounts of an illegal fund-raising case: log-normal around 50,000.00 yuan
// (median), from 100.00 to 10,000,000.00.
RoundPlan FirstRound(size_t claims, std::mt19937_64& rng) {
  std::lognormal_distribution<double> yuan(std::log(50'000.0), 1.2);
  RoundPlan plan;
  plan.claims.reserve(claims);
  int64_t total = 0;
  for (size_t i = 0; i < claims; ++i) {
    const double y = std::clamp(yuan(rng), 100.0, 10'000'000.0);
    const int64_t fen = static_cast<int64_t>(y * 100.0);  // the bench's data, not money logic
    plan.claims.push_back(
        RoundClaim{Money::FromFen(fen), Money::FromFen(0), RoundClaimStatus::kConfirmed});
    total += fen;
  }
  plan.amount = Money::FromFen(total / 10 * 3);  // about 30 %
  plan.min_payment = Money::FromFen(1000);       // 10.00
  return plan;
}

// The second round: what the first paid becomes the prior (deferred shares stay outstanding),
// and another 20 % of the recognised total comes in.
RoundPlan SecondRound(const RoundPlan& first, const RoundResult& result) {
  RoundPlan plan = first;
  int64_t total = 0;
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    plan.claims[i].prior = result.allocations[i].pay;
    total += plan.claims[i].recognised.fen();
  }
  plan.amount = Money::FromFen(total / 10 * 2);
  return plan;
}

struct EngineTiming {
  double best_seconds = 0;
  RoundResult result;
};

EngineTiming TimeEngine(const RoundPlan& plan, int repeats) {
  EngineTiming timing;
  for (int k = 0; k < repeats; ++k) {
    const Steady::time_point start = Steady::now();
    StatusOr<RoundResult> result = ComputeRound(plan);
    const double seconds = Seconds(Steady::now() - start);
    if (!result.ok()) Die("ComputeRound: " + result.status().ToString());
    if (k == 0 || seconds < timing.best_seconds) timing.best_seconds = seconds;
    if (k == 0) timing.result = std::move(result).value();
  }
  return timing;
}

// `restitutionctl distribution compute` in-process, phase by phase.
struct CliTiming {
  size_t plan_bytes = 0;
  size_t result_bytes = 0;
  double read_seconds = 0;     // whole command minus its phases: stdin copy and stdout write
  double parse_seconds = 0;    // ParseDistributionPlan
  double compute_seconds = 0;  // ComputeRound
  double print_seconds = 0;    // FormatDistributionResult
  double command_seconds = 0;  // DistributionComputeCommand over string streams
};

std::string PlanJson(const RoundPlan& plan) {
  std::string json = "{\"amount\":\"" + plan.amount.ToString() + "\",\"min_payment\":\"" +
                     plan.min_payment.ToString() + "\",\"claims\":[";
  json.reserve(plan.claims.size() * 90);
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const RoundClaim& c = plan.claims[i];
    if (i > 0) json += ',';
    json += "{\"id\":\"C-" + std::to_string(i + 1) + "\",\"amount\":\"" + c.recognised.ToString() +
            "\",\"prior\":\"" + c.prior.ToString() + "\",\"status\":\"confirmed\"}";
  }
  json += "]}";
  return json;
}

CliTiming TimeCli(const RoundPlan& plan) {
  CliTiming timing;
  const std::string json = PlanJson(plan);
  timing.plan_bytes = json.size();
  Steady::time_point start = Steady::now();
  StatusOr<DistributionPlan> parsed = ParseDistributionPlan(json);
  timing.parse_seconds = Seconds(Steady::now() - start);
  if (!parsed.ok()) Die("ParseDistributionPlan: " + parsed.status().ToString());
  start = Steady::now();
  StatusOr<RoundResult> result = ComputeRound(parsed->plan);
  timing.compute_seconds = Seconds(Steady::now() - start);
  if (!result.ok()) Die("ComputeRound: " + result.status().ToString());
  start = Steady::now();
  const std::string text = FormatDistributionResult(*parsed, *result);
  timing.print_seconds = Seconds(Steady::now() - start);
  timing.result_bytes = text.size();

  std::istringstream in(json);
  std::ostringstream out;
  std::ostringstream err;
  start = Steady::now();
  const int status = DistributionComputeCommand(in, out, err);
  timing.command_seconds = Seconds(Steady::now() - start);
  if (status != 0) Die("distribution compute: " + err.str());
  if (out.str() != text) Die("distribution compute printed something else than its phases");
  timing.read_seconds = std::max(0.0, timing.command_seconds - timing.parse_seconds -
                                          timing.compute_seconds - timing.print_seconds);
  return timing;
}

// ---------------------------------------------------------------------------------------------
// The database side.

class Database {
 public:
  explicit Database(const Options& options) : options_(options) {}

  void Create() {
    const DbConfig server_config =
        ServerConfigFromEnvironment(/*pool_size=*/1, /*lock_wait_timeout_seconds=*/600);
    std::unique_ptr<DbConnection> server = Connect(server_config);
    const SqlRows schema = Must(server->Query("SELECT COUNT(*) FROM information_schema.SCHEMATA "
                                              "WHERE SCHEMA_NAME = ?",
                                              {options_.database}),
                                "look for the database");
    if (schema[0].Int(0) > 0) {
      const SqlRows tables =
          Must(server->Query("SELECT COUNT(*), SUM(TABLE_NAME = ?) FROM information_schema.TABLES "
                             "WHERE TABLE_SCHEMA = ?",
                             {kReferenceTable, options_.database}),
               "look at the database");
      if (tables[0].Int(0) > 0 && tables[0].Int(1) == 0) {
        Die("database " + options_.database +
            " exists and was not made by distribution_bench (no " + kReferenceTable +
            " table); refusing to drop it. Name another with --database.");
      }
      MustOk(server->Exec("DROP DATABASE " + options_.database).status(), "drop the database");
    }
    MustOk(server
               ->Exec("CREATE DATABASE " + options_.database +
                      " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
               .status(),
           "create the database");
    config_ = server_config;
    config_.database = options_.database;
    db_ = Connect(config_);
    MustOk(db_->Exec(std::string("CREATE TABLE ") + kReferenceTable +
                     " (run_id BIGINT NOT NULL, claim_id BIGINT NOT NULL,"
                     " recognised BIGINT NOT NULL, prior BIGINT NOT NULL, pay BIGINT NOT NULL,"
                     " reserve BIGINT NOT NULL, deferred BIGINT NOT NULL,"
                     " PRIMARY KEY (run_id, claim_id)) ENGINE=InnoDB")
               .status(),
           "create the reference table");
    version_ = Variable("VERSION()");
    flush_ = Variable("@@innodb_flush_log_at_trx_commit");
    buffer_pool_mib_ = Variable("@@innodb_buffer_pool_size DIV 1048576");
  }

  void Drop() {
    if (db_ == nullptr || options_.keep_database) return;
    MustOk(db_->Exec("DROP DATABASE " + options_.database).status(), "drop the database");
  }

  // Reference R: one transaction, multi-row INSERTs, the round's allocations as the rows.
  double BulkInsert(int64_t run_id, const RoundPlan& plan, const RoundResult& result) {
    const size_t n = plan.claims.size();
    auto insert_sql = [](size_t rows) {
      std::string sql = "INSERT INTO " + std::string(kReferenceTable) +
                        " (run_id, claim_id, recognised, prior, pay, reserve, deferred) VALUES ";
      for (size_t k = 0; k < rows; ++k) sql += k == 0 ? "(?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?)";
      return sql;
    };
    const std::string full_sql = insert_sql(kRowsPerInsert);
    std::vector<SqlParam> params;
    params.reserve(kRowsPerInsert * 7);
    const Steady::time_point start = Steady::now();
    MustOk(db_->Begin(), "begin");
    for (size_t done = 0; done < n;) {
      const size_t rows = std::min(kRowsPerInsert, n - done);
      // The tail, if any, has a statement of its own.
      const std::string tail_sql = rows < kRowsPerInsert ? insert_sql(rows) : std::string();
      const std::string* sql = rows < kRowsPerInsert ? &tail_sql : &full_sql;
      params.clear();
      for (size_t i = done; i < done + rows; ++i) {
        const RoundAllocation& a = result.allocations[i];
        params.emplace_back(run_id);
        params.emplace_back(static_cast<int64_t>(i + 1));
        params.emplace_back(plan.claims[i].recognised.fen());
        params.emplace_back(plan.claims[i].prior.fen());
        params.emplace_back(a.pay.fen());
        params.emplace_back(a.reserve.fen());
        params.emplace_back(a.deferred.fen());
      }
      MustOk(db_->Exec(*sql, params).status(), "bulk insert");
      done += rows;
    }
    MustOk(db_->Commit(), "commit the bulk insert");
    return Seconds(Steady::now() - start);
  }

  const DbConfig& config() const { return config_; }
  DbConnection& connection() { return *db_; }
  const std::string& version() const { return version_; }
  const std::string& flush() const { return flush_; }
  const std::string& buffer_pool_mib() const { return buffer_pool_mib_; }

 private:
  std::unique_ptr<DbConnection> Connect(const DbConfig& config) {
    return Must(DbConnection::Open(config), "connect to " + config.database);
  }

  std::string Variable(const std::string& expression) {
    const SqlRows rows =
        Must(db_->Query("SELECT CAST(" + expression + " AS CHAR)"), "read " + expression);
    return rows.empty() || rows[0].IsNull(0) ? "NULL" : rows[0].Bytes(0);
  }

  const Options& options_;
  DbConfig config_;
  std::unique_ptr<DbConnection> db_;
  std::string version_;
  std::string flush_;
  std::string buffer_pool_mib_;
};

// ---------------------------------------------------------------------------------------------
// End-to-end draft: a case in a freshly migrated schema (in the same database as reference R),
// made through the service layer (staff users, case, officer binding, pool transfer), with N
// confirmed claims written straight into `claims` by multi-row INSERTs (set-up, untimed against
// R: the claims flow has its own tests). Then, timed:
//   draft:     DraftDistribution inside RunInTransaction, commit included (what POST
//              …/distributions costs, less HTTP);
//   sequenced: from that commit until SequenceBatch has put every entry the draft queued into
//              the Merkle log (what a receipt for the last allocation chunk waits for).
// Then the draft again, phase by phase, on a connection of its own: the same public functions
// and the same statements as service/distribution_draft.cc, under a run id no run has, so each
// phase gets its own clock. The service code is not changed for this.

// Run ids of the phase-by-phase replay: far above any AUTO_INCREMENT id of distribution_runs.
constexpr int64_t kReplayRunId = int64_t{1} << 40;
// Claims per multi-row INSERT and per transaction in the set-up.
constexpr size_t kClaimsPerInsert = 1000;
constexpr size_t kClaimsPerTransaction = 100'000;
// As in distribution_draft.cc: allocation INSERT chunk sizes and the ledger chunk payload bound.
constexpr size_t kAllocationChunkSizes[] = {500, 100, 20, 5, 1};
constexpr size_t kChunkPayloadBytes = 60000;

struct DraftPhases {
  double load_sql_seconds = 0;       // ReadRoundInputs (index scans and the fingerprint)
  double fingerprint_seconds = 0;    // the fingerprint's SHA-256 alone, recomputed
  double compute_seconds = 0;        // ComputeRound
  double allocations_seconds = 0;    // INSERT … distribution_allocations, 500 rows each
  double ledger_json_seconds = 0;    // building the chunks' JSON payloads
  double ledger_append_seconds = 0;  // AppendLedgerEntry + distribution_chunks rows
  double commit_seconds = 0;
  double load_cpu = 0;  // client CPU seconds of the phases above
  double allocations_cpu = 0;
  double ledger_append_cpu = 0;
  size_t chunks = 0;
};

// A read-only what-if after the replay: another way to read the round's confirmed claims.
struct ScanVariant {
  std::string name;
  double seconds = 0;
  double cpu = 0;
  size_t rows = 0;
  int64_t disk_reads = 0;  // Innodb_buffer_pool_reads during the scan: pages read from disk
};

struct TableSize {
  std::string name;
  double mib = 0;
  int64_t rows = 0;
};

struct DraftTiming {
  double setup_claims_seconds = 0;
  double draft_seconds = 0;
  double sequence_seconds = 0;
  size_t sequenced_entries = 0;
  size_t sequence_batches = 0;
  int64_t ledger_bytes = 0;  // the draft's entries as sequenced
  int64_t chunks = 0;
  bool matches_engine = false;
  double draft_cpu = 0;
  DraftPhases phases;
  double index_build_seconds = 0;
  std::vector<ScanVariant> scans;
  std::vector<TableSize> tables;
  std::optional<PipelineTiming> pipeline;
};

class DraftBench {
 public:
  DraftBench(Database& database, const RoundPlan& plan, const RoundResult& engine,
             bool with_pipeline)
      : database_(database), plan_(plan), engine_(engine), with_pipeline_(with_pipeline) {}

  DraftTiming Run() {
    SetUpKeys();
    DbConfig config = database_.config();
    config.pool_size = 2;
    pool_ = std::make_unique<ConnectionPool>(config);
    MustOk(ApplyMigrations(database_.connection()), "apply the migrations");
    SetUpCase();
    DraftTiming timing;
    Progress(Format("set-up: %zu confirmed claims by multi-row INSERTs", plan_.claims.size()));
    const Steady::time_point setup0 = Steady::now();
    InsertClaims();
    timing.setup_claims_seconds = Seconds(Steady::now() - setup0);
    Progress(Format("set-up: claims in %s; pool credited, set-up entries sequenced",
                    Duration(timing.setup_claims_seconds).c_str()));
    FundPool();
    Sequence(nullptr);

    Progress("timed: DraftDistribution in RunInTransaction");
    DraftInput input;
    input.amount = plan_.amount;
    input.min_payment = plan_.min_payment;
    std::optional<RunChange> change;
    const Steady::time_point draft0 = Steady::now();
    const double draft_cpu0 = ProcessCpuSeconds();
    MustOk(RunInTransaction(*pool_,
                            [&](DbConnection& db) -> Status {
                              ASSIGN_OR_RETURN(RunChange c, DraftDistribution(db, ctx_, officer_,
                                                                              case_id_, input));
                              change.emplace(std::move(c));
                              return Status::Ok();
                            }),
           "draft the distribution");
    timing.draft_seconds = Seconds(Steady::now() - draft0);
    timing.draft_cpu = ProcessCpuSeconds() - draft_cpu0;
    Progress(
        Format("draft: %s; timed: sequencing its entries", Duration(timing.draft_seconds).c_str()));
    const Steady::time_point seq0 = Steady::now();
    timing.sequence_batches = Sequence(&timing.sequenced_entries);
    timing.sequence_seconds = Seconds(Steady::now() - seq0);
    const DistributionRun& run = change->run;
    timing.chunks = run.chunks;
    const SqlRows bytes =
        Must(database_.connection().Query(
                 "SELECT COALESCE(SUM(LENGTH(entry)), 0) FROM ledger_entries WHERE queue_id >= ?",
                 {change->entry.queue_id}),
             "measure the draft's entries");
    timing.ledger_bytes = bytes[0].Int(0);
    const RoundTotals& t = engine_.totals;
    timing.matches_engine = run.claims == static_cast<int64_t>(plan_.claims.size()) &&
                            run.paid == t.paid && run.reserved == t.reserved &&
                            run.deferred == t.deferred && run.surplus == t.surplus;
    if (!timing.matches_engine) Die("the draft's totals differ from the engine's on the same plan");
    if (timing.sequenced_entries != static_cast<size_t>(run.chunks) + 1) {
      Die(Format("sequenced %zu entries after the draft, expected %lld", timing.sequenced_entries,
                 static_cast<long long>(run.chunks + 1)));
    }

    Progress("phase by phase (same functions and statements, scratch run id)");
    timing.phases = Phases();
    timing.tables = TableSizes();
    Progress("what-if: other ways to read the round's claims (read-only)");
    WhatIfScans(&timing);
    if (with_pipeline_) {
      PipelineInput rest;
      rest.pool = pool_.get();
      rest.ctx = &ctx_;
      rest.signer = signer_.get();
      rest.admin = admin_;
      rest.drafter = officer_;
      rest.case_id = case_id_;
      rest.run = change->run;
      rest.funded = plan_.amount;
      timing.pipeline = MeasurePipeline(rest);
    }
    std::filesystem::remove_all(temp_dir_);
    return timing;
  }

 private:
  void SetUpKeys() {
    std::string pattern = (std::filesystem::temp_directory_path() / "distribution-bench.XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) Die("mkdtemp failed");
    temp_dir_ = pattern;
    keys_dir_ = pattern + "/keys";
    MustOk(ServiceKeys::InitMissing(keys_dir_, nullptr), "create keys");
    keys_ = std::make_unique<ServiceKeys>(Must(ServiceKeys::Load(keys_dir_), "load keys"));
    ctx_.keys = keys_.get();
    ctx_.policy.scrypt.log2_n = 10;  // staff passwords here protect nothing
    signer_ = std::make_unique<ledger::NoteSigner>(
        "bench.restitution.local/distribution",
        Must(keys_->LedgerSigningKey(), "the ledger signing key"));
  }

  template <typename T, typename F>
  T Tx(const std::string& what, F&& f) {
    std::optional<T> out;
    MustOk(RunInTransaction(*pool_,
                            [&](DbConnection& db) -> Status {
                              ASSIGN_OR_RETURN(T value, f(db));
                              out.emplace(std::move(value));
                              return Status::Ok();
                            }),
           what);
    return std::move(*out);
  }

  Principal Staff(const std::string& username, const std::string& role) {
    const UserView user = Tx<UserView>("create " + username, [&](DbConnection& db) {
      return CreateStaffUser(db, ctx_, 0, username, "bench password 1234", role);
    });
    return Principal{user.id, *ParseRole(role)};
  }

  void SetUpCase() {
    admin_ = Staff("admin", "admin");
    officer_ = Staff("officer.a", "officer");
    CaseInput input;
    input.case_number = "BENCH-1";
    input.name = "distribution bench";
    input.lead_region = "110105";
    input.regions = {"110105"};
    input.registration_opens_ms = 0;
    input.registration_closes_ms = 4102444800000;
    case_id_ = Tx<CaseView>("create the case", [&](DbConnection& db) {
                 QueuedEntry entry;
                 return CreateCase(db, ctx_, admin_, input, &entry);
               }).id;
    MustOk(RunInTransaction(*pool_,
                            [&](DbConnection& db) {
                              QueuedEntry entry;
                              return AddCaseMember(db, ctx_, admin_, case_id_, officer_.user_id,
                                                   "officer", &entry);
                            }),
           "bind the officer");
  }

  // Claim i+1 of the plan: allowed = its recognised amount; one filer (the officer: claims_filer
  // is not unique), a distinct person hash each (claims_person is).
  void InsertClaims() {
    const size_t n = plan_.claims.size();
    auto insert_sql = [](size_t rows) {
      std::string sql =
          "INSERT INTO claims (case_id, filer_user_id, person_hash, status, decision, region, "
          "filed_as, late, version, declared_principal_fen, declared_returns_fen, "
          "declared_net_fen, allowed_fen, decided_at_ms, created_at_ms, updated_at_ms) VALUES ";
      for (size_t k = 0; k < rows; ++k) {
        if (k > 0) sql += ',';
        sql += "(?,?,?,'confirmed','confirmed','110105','self',0,1,?,0,?,?,1,1,1)";
      }
      return sql;
    };
    const std::string full_sql = insert_sql(kClaimsPerInsert);
    std::vector<SqlParam> params;
    for (size_t tx_begin = 0; tx_begin < n; tx_begin += kClaimsPerTransaction) {
      const size_t tx_end = std::min(n, tx_begin + kClaimsPerTransaction);
      MustOk(RunInTransaction(
                 *pool_,
                 [&](DbConnection& db) -> Status {
                   for (size_t done = tx_begin; done < tx_end;) {
                     const size_t rows = std::min(kClaimsPerInsert, tx_end - done);
                     const std::string tail_sql =
                         rows < kClaimsPerInsert ? insert_sql(rows) : std::string();
                     params.clear();
                     for (size_t i = done; i < done + rows; ++i) {
                       std::string person(32, '\0');
                       for (int b = 0; b < 8; ++b)
                         person[b] = static_cast<char>((i >> (8 * b)) & 0xFF);
                       const int64_t allowed = plan_.claims[i].recognised.fen();
                       params.emplace_back(case_id_);
                       params.emplace_back(officer_.user_id);
                       params.emplace_back(std::move(person));
                       params.emplace_back(allowed);
                       params.emplace_back(allowed);
                       params.emplace_back(allowed);
                     }
                     RETURN_IF_ERROR(
                         db.Exec(rows < kClaimsPerInsert ? tail_sql : full_sql, params).status());
                     done += rows;
                   }
                   return Status::Ok();
                 }),
             "insert claims");
    }
  }

  // A frozen deposit seized and taken into the pool, as an officer does it (the pool's
  // transfers then have their ledger entries, as everywhere else).
  void FundPool() {
    AssetInput asset;
    asset.kind = AssetKind::kFrozenDeposit;
    asset.description = "frozen deposits of the fund-raiser";
    asset.source = AssetSource::kRemainingFunds;
    asset.holder = "中国工商银行北京分行";
    asset.reference = "0200001234567890123";
    const int64_t asset_id = Tx<AssetChange>("record the deposit", [&](DbConnection& db) {
                               return RecordAsset(db, ctx_, officer_, case_id_, asset);
                             }).asset.id;
    DepositTransferInput transfer;
    transfer.amount = plan_.amount;
    transfer.date = 20261201;
    Tx<AssetChange>("take the deposit into the pool", [&](DbConnection& db) {
      return TransferDepositToPool(db, ctx_, officer_, case_id_, asset_id, transfer);
    });
  }

  // SequenceBatch until the queue is empty; returns the number of batches.
  size_t Sequence(size_t* entries) { return SequenceQueue(*pool_, *signer_, entries); }

  // The draft's work, phase by phase, in one transaction on a connection of its own.
  DraftPhases Phases() {
    DraftPhases phases;
    DbConnection& db = database_.connection();
    MustOk(db.Begin(), "begin");
    Steady::time_point t0 = Steady::now();
    double cpu0 = ProcessCpuSeconds();
    const RoundInputs inputs = Must(ReadRoundInputs(db, case_id_), "read the round's claims");
    phases.load_sql_seconds = Seconds(Steady::now() - t0);
    phases.load_cpu = ProcessCpuSeconds() - cpu0;
    if (inputs.claims.size() != plan_.claims.size()) Die("the replay read another claim count");

    t0 = Steady::now();
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
    if (hasher.Finish() != inputs.fingerprint) Die("the replay's fingerprint differs");
    phases.fingerprint_seconds = Seconds(Steady::now() - t0);

    t0 = Steady::now();
    RoundPlan plan;
    plan.amount = plan_.amount;
    plan.min_payment = plan_.min_payment;
    plan.claims.reserve(inputs.claims.size());
    for (const RoundInputClaim& c : inputs.claims) plan.claims.push_back(c.claim);
    const RoundResult result = Must(ComputeRound(plan), "compute");
    phases.compute_seconds = Seconds(Steady::now() - t0);

    t0 = Steady::now();
    cpu0 = ProcessCpuSeconds();
    size_t done = 0;
    std::vector<SqlParam> params;
    for (size_t size : kAllocationChunkSizes) {
      std::string sql =
          "INSERT INTO distribution_allocations (run_id, claim_id, disputed, recognised_fen, "
          "prior_fen, pay_fen, reserve_fen, deferred_fen) VALUES ";
      for (size_t k = 0; k < size; ++k) sql += k == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)";
      while (inputs.claims.size() - done >= size) {
        params.clear();
        for (size_t i = done; i < done + size; ++i) {
          const RoundClaim& c = inputs.claims[i].claim;
          const RoundAllocation& a = result.allocations[i];
          params.emplace_back(kReplayRunId);
          params.emplace_back(inputs.claims[i].claim_id);
          params.emplace_back(c.status == RoundClaimStatus::kDisputed ? 1 : 0);
          params.emplace_back(c.recognised.fen());
          params.emplace_back(c.prior.fen());
          params.emplace_back(a.pay.fen());
          params.emplace_back(a.reserve.fen());
          params.emplace_back(a.deferred.fen());
        }
        MustOk(db.Exec(sql, params).status(), "insert allocations");
        done += size;
      }
    }
    phases.allocations_seconds = Seconds(Steady::now() - t0);
    phases.allocations_cpu = ProcessCpuSeconds() - cpu0;

    // The chunks: cut by the same rule as the draft (byte estimate per row), JSON built and
    // timed apart from the appends.
    const int64_t now = SystemNowMs();
    size_t begin = 0;
    size_t bytes = 0;
    std::vector<std::pair<size_t, size_t>> ranges;
    auto digits = [](int64_t v) { return std::to_string(v).size(); };
    for (size_t i = 0; i < inputs.claims.size(); ++i) {
      const RoundClaim& c = inputs.claims[i].claim;
      const RoundAllocation& a = result.allocations[i];
      const size_t row = 14 + digits(inputs.claims[i].claim_id) + digits(c.recognised.fen()) +
                         digits(c.prior.fen()) + digits(a.pay.fen()) + digits(a.reserve.fen()) +
                         digits(a.deferred.fen());
      if (i > begin && bytes + row > kChunkPayloadBytes) {
        ranges.emplace_back(begin, i);
        begin = i;
        bytes = 0;
      }
      bytes += row;
    }
    if (begin < inputs.claims.size()) ranges.emplace_back(begin, inputs.claims.size());
    phases.chunks = ranges.size();
    for (size_t k = 0; k < ranges.size(); ++k) {
      t0 = Steady::now();
      nlohmann::json rows = nlohmann::json::array();
      for (size_t i = ranges[k].first; i < ranges[k].second; ++i) {
        const RoundClaim& c = inputs.claims[i].claim;
        const RoundAllocation& a = result.allocations[i];
        rows.push_back(nlohmann::json::array(
            {inputs.claims[i].claim_id, c.status == RoundClaimStatus::kDisputed ? "d" : "c",
             c.recognised.fen(), c.prior.fen(), a.pay.fen(), a.reserve.fen(), a.deferred.fen()}));
      }
      ledger::EntryDraft entry = RunEntry("distribution_allocations", case_id_, officer_, now,
                                          {{"run", kReplayRunId},
                                           {"chunk", static_cast<int64_t>(k)},
                                           {"chunks", static_cast<int64_t>(ranges.size())},
                                           {"claims", std::move(rows)}});
      const Steady::time_point t1 = Steady::now();
      const double cpu1 = ProcessCpuSeconds();
      phases.ledger_json_seconds += Seconds(t1 - t0);
      const QueuedEntry queued = Must(AppendLedgerEntry(db, entry), "append a chunk");
      MustOk(
          db.Exec("INSERT INTO distribution_chunks (run_id, chunk_no, first_claim_id, "
                  "last_claim_id, ledger_queue_id) VALUES (?, ?, ?, ?, ?)",
                  {kReplayRunId, static_cast<int64_t>(k), inputs.claims[ranges[k].first].claim_id,
                   inputs.claims[ranges[k].second - 1].claim_id, queued.queue_id})
              .status(),
          "insert a chunk row");
      phases.ledger_append_seconds += Seconds(Steady::now() - t1);
      phases.ledger_append_cpu += ProcessCpuSeconds() - cpu1;
    }

    t0 = Steady::now();
    MustOk(db.Commit(), "commit the replay");
    phases.commit_seconds = Seconds(Steady::now() - t0);
    return phases;
  }

  std::vector<TableSize> TableSizes() {
    // Fresh statistics, so the sizes below are InnoDB's current estimate.
    MustOk(database_.connection()
               .Query("ANALYZE TABLE claims, distribution_allocations, ledger_queue, "
                      "ledger_entries, " +
                      std::string(kReferenceTable))
               .status(),
           "analyze the tables");
    const SqlRows rows =
        Must(database_.connection().Query(
                 "SELECT TABLE_NAME, DATA_LENGTH + INDEX_LENGTH, TABLE_ROWS FROM "
                 "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN "
                 "('claims', 'distribution_allocations', 'ledger_queue', 'ledger_entries', ?) "
                 "ORDER BY DATA_LENGTH + INDEX_LENGTH DESC",
                 {std::string(kReferenceTable)}),
             "table sizes");
    std::vector<TableSize> sizes;
    for (const SqlRow& row : rows) {
      sizes.push_back({row.Bytes(0), static_cast<double>(row.Int(1)) / (1 << 20), row.Int(2)});
    }
    return sizes;
  }

  // The server's count of pages it had to read from disk (not found in the buffer pool).
  int64_t DiskReads() {
    const SqlRows rows = Must(
        database_.connection().Query("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                                     "WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_READS'"),
        "read Innodb_buffer_pool_reads");
    return rows.empty() ? 0 : std::atoll(rows[0].Bytes(0).c_str());
  }

  // Pages of 10000 as ReadRoundInputs reads them; every column decoded, as it does.
  ScanVariant PagedScan(const std::string& name, const std::string& sql) {
    DbConnection& db = database_.connection();
    ScanVariant scan;
    scan.name = name;
    const int64_t reads0 = DiskReads();
    const Steady::time_point t0 = Steady::now();
    const double cpu0 = ProcessCpuSeconds();
    int64_t after = 0;
    int64_t checksum = 0;
    for (;;) {
      const SqlRows rows = Must(db.Query(sql, {case_id_, after, int64_t{10000}}), name);
      for (const SqlRow& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) checksum += row.IsNull(i) ? 0 : row.Int(i);
      }
      scan.rows += rows.size();
      if (rows.size() < 10000) break;
      after = rows.back().Int(0);
    }
    scan.seconds = Seconds(Steady::now() - t0);
    scan.cpu = ProcessCpuSeconds() - cpu0;
    scan.disk_reads = DiskReads() - reads0;
    if (scan.rows != plan_.claims.size() || checksum == 0) Die(name + ": unexpected rows");
    return scan;
  }

  void WhatIfScans(DraftTiming* timing) {
    DbConnection& db = database_.connection();
    {
      ScanVariant scan;
      scan.name = "ReadRoundInputs again, as the draft runs it";
      const int64_t reads0 = DiskReads();
      const Steady::time_point t0 = Steady::now();
      const double cpu0 = ProcessCpuSeconds();
      scan.rows = Must(ReadRoundInputs(db, case_id_), "read the round's claims").claims.size();
      scan.seconds = Seconds(Steady::now() - t0);
      scan.cpu = ProcessCpuSeconds() - cpu0;
      scan.disk_reads = DiskReads() - reads0;
      timing->scans.push_back(scan);
    }
    const std::string join =
        " LEFT JOIN distribution_positions p ON p.case_id = c.case_id AND p.claim_id = c.id";
    const std::string where =
        " WHERE c.case_id = ? AND c.status = 'confirmed' AND c.id > ? ORDER BY c.id LIMIT ?";
    timing->scans.push_back(
        PagedScan("its confirmed-claims query alone (claims_queue ⟕ positions)",
                  "SELECT c.id, c.allowed_fen, 0, NULL, p.committed_fen, p.reserved_fen FROM "
                  "claims c FORCE INDEX (claims_queue)" +
                      join + where));
    timing->scans.push_back(
        PagedScan("the same without the positions join",
                  "SELECT c.id, c.allowed_fen FROM claims c FORCE INDEX (claims_queue)" + where));
    const Steady::time_point t0 = Steady::now();
    MustOk(db.Exec("ALTER TABLE claims ADD INDEX bench_claims_round "
                   "(case_id, status, id, allowed_fen)")
               .status(),
           "add the covering index");
    timing->index_build_seconds = Seconds(Steady::now() - t0);
    timing->scans.push_back(PagedScan(
        "covering index (case_id, status, id, allowed_fen) ⟕ positions",
        "SELECT c.id, c.allowed_fen, 0, NULL, p.committed_fen, p.reserved_fen FROM claims c "
        "FORCE INDEX (bench_claims_round)" +
            join + where));
    timing->scans.push_back(PagedScan(
        "covering index, without the positions join",
        "SELECT c.id, c.allowed_fen FROM claims c FORCE INDEX (bench_claims_round)" + where));
    // The pipeline that follows runs on the service's own indexes.
    MustOk(db.Exec("ALTER TABLE claims DROP INDEX bench_claims_round").status(),
           "drop the covering index");
  }

  Database& database_;
  const RoundPlan& plan_;
  const RoundResult& engine_;
  bool with_pipeline_;
  std::string temp_dir_;  // holds keys_dir_; removed at the end
  std::string keys_dir_;
  std::unique_ptr<ServiceKeys> keys_;
  ServiceContext ctx_;
  std::unique_ptr<ledger::NoteSigner> signer_;
  std::unique_ptr<ConnectionPool> pool_;
  Principal admin_;
  Principal officer_;
  int64_t case_id_ = 0;
};

std::optional<DraftTiming> MeasureDraft(Database& database, const RoundPlan& plan,
                                        const RoundResult& engine, bool with_pipeline) {
  return DraftBench(database, plan, engine, with_pipeline).Run();
}

// ---------------------------------------------------------------------------------------------

int Run(const Options& options) {
  std::mt19937_64 rng(20261207);
  Progress(Format("generating %zu confirmed claims", options.claims));
  const RoundPlan first = FirstRound(options.claims, rng);

  Progress("engine: first round");
  EngineTiming round1 = TimeEngine(first, options.repeats);
  const RoundPlan second = SecondRound(first, round1.result);
  Progress("engine: second round, with priors");
  const EngineTiming round2 = TimeEngine(second, options.repeats);
  Progress("restitutionctl distribution compute, in-process (second round's plan)");
  const CliTiming cli = TimeCli(second);

  std::optional<double> insert_seconds;
  std::optional<DraftTiming> draft;
  std::unique_ptr<Database> database;
  if (!options.skip_database) {
    database = std::make_unique<Database>(options);
    database->Create();
    Progress(Format("reference R: bulk insert of %zu allocation rows", options.claims));
    insert_seconds = database->BulkInsert(1, first, round1.result);
    Progress("end-to-end draft");
    draft = MeasureDraft(*database, first, round1.result, !options.skip_pipeline);
  }

  auto versus_insert = [&](double seconds) {
    return insert_seconds ? Format("%.3f", seconds / *insert_seconds) : std::string("—");
  };
  std::printf("### Distribution rule, %zu confirmed claims\n\n", options.claims);
  if (database) {
    std::printf("MariaDB %s, innodb_flush_log_at_trx_commit=%s, buffer pool %s MiB.\n\n",
                database->version().c_str(), database->flush().c_str(),
                database->buffer_pool_mib().c_str());
  }
  std::printf("| what | time | ÷ R |\n|---|---|---|\n");
  if (insert_seconds) {
    std::printf(
        "| **R**: bulk insert of %zu allocation rows (7 BIGINTs), %zu rows per INSERT, "
        "one transaction | %s | physical reference |\n",
        options.claims, kRowsPerInsert, Duration(*insert_seconds).c_str());
  }
  std::printf("| engine, first round (no priors), best of %d | %s | %s |\n", options.repeats,
              Duration(round1.best_seconds).c_str(), versus_insert(round1.best_seconds).c_str());
  std::printf("| engine, second round (priors from the first), best of %d | %s | %s |\n",
              options.repeats, Duration(round2.best_seconds).c_str(),
              versus_insert(round2.best_seconds).c_str());
  std::printf("| `distribution compute`: parse plan JSON (%.1f MB) | %s | %s |\n",
              static_cast<double>(cli.plan_bytes) / 1e6, Duration(cli.parse_seconds).c_str(),
              versus_insert(cli.parse_seconds).c_str());
  std::printf("| `distribution compute`: compute | %s | %s |\n",
              Duration(cli.compute_seconds).c_str(), versus_insert(cli.compute_seconds).c_str());
  std::printf("| `distribution compute`: print result JSON (%.1f MB) | %s | %s |\n",
              static_cast<double>(cli.result_bytes) / 1e6, Duration(cli.print_seconds).c_str(),
              versus_insert(cli.print_seconds).c_str());
  std::printf("| `distribution compute`: whole command over string streams | %s | %s |\n",
              Duration(cli.command_seconds).c_str(), versus_insert(cli.command_seconds).c_str());
  if (draft) {
    const DraftTiming& d = *draft;
    const double total = d.draft_seconds + d.sequence_seconds;
    std::printf(
        "| **end-to-end draft**: DraftDistribution in RunInTransaction (load, compute, "
        "store allocations, %lld ledger chunks, commit) | %s | **%s** (goal ≤ %.0f) |\n",
        static_cast<long long>(d.chunks), Duration(d.draft_seconds).c_str(),
        versus_insert(d.draft_seconds).c_str(), kGoalDraftRatio);
    std::printf(
        "| then: the draft's %zu ledger entries (%.1f MB) sequenced into the Merkle log, "
        "%zu SequenceBatch transaction(s) | %s | %s |\n",
        d.sequenced_entries, static_cast<double>(d.ledger_bytes) / 1e6, d.sequence_batches,
        Duration(d.sequence_seconds).c_str(), versus_insert(d.sequence_seconds).c_str());
    std::printf("| draft + sequenced (until the last chunk has its receipt) | %s | %s |\n",
                Duration(total).c_str(), versus_insert(total).c_str());
  } else {
    std::printf("| end-to-end draft | not measured (--no-database) | goal ≤ %.0f |\n",
                kGoalDraftRatio);
  }
  if (draft && insert_seconds) {
    const double ratio = draft->draft_seconds / *insert_seconds;
    std::printf(
        "\nGoal, draft ≤ %.0f× R: **%s** (%.2f×). The draft's totals equal the engine's "
        "on the same plan.\n",
        kGoalDraftRatio, ratio <= kGoalDraftRatio ? "met" : "not met", ratio);
  }
  if (draft) {
    const DraftPhases& p = draft->phases;
    const double sum = p.load_sql_seconds + p.compute_seconds + p.allocations_seconds +
                       p.ledger_json_seconds + p.ledger_append_seconds + p.commit_seconds;
    std::printf(
        "\n### The draft, phase by phase\n\n"
        "The draft's work replayed in one transaction on a connection of its own, each "
        "phase timed: the same service functions (ReadRoundInputs, ComputeRound, "
        "RunEntry, AppendLedgerEntry) and the same statements as "
        "service/distribution_draft.cc, under a scratch run id.\n\n");
    std::printf("| phase | time | ÷ R | share |\n|---|---|---|---|\n");
    auto row = [&](const std::string& what, double seconds) {
      std::printf("| %s | %s | %s | %.0f %% |\n", what.c_str(), Duration(seconds).c_str(),
                  versus_insert(seconds).c_str(), sum > 0 ? 100 * seconds / sum : 0.0);
    };
    row("load: ReadRoundInputs (paged index scans of claims ⟕ positions, and the fingerprint)",
        p.load_sql_seconds);
    std::printf("| … of which the fingerprint's SHA-256 (recomputed apart) | %s | %s | |\n",
                Duration(p.fingerprint_seconds).c_str(),
                versus_insert(p.fingerprint_seconds).c_str());
    row("compute: ComputeRound", p.compute_seconds);
    row("store allocations: multi-row INSERTs of 500 × 8 columns", p.allocations_seconds);
    row(Format("ledger: the %zu chunks' JSON payloads built", p.chunks), p.ledger_json_seconds);
    row("ledger: AppendLedgerEntry (encode, hash, queue INSERT) + distribution_chunks rows",
        p.ledger_append_seconds);
    row("commit", p.commit_seconds);
    std::printf("| sum of the phases | %s | %s | |\n", Duration(sum).c_str(),
                versus_insert(sum).c_str());
    std::printf(
        "\nClient CPU (this process: connector, row decoding, JSON, hashing) against "
        "wall time: whole draft %s of %s; load %s of %s; store allocations %s of %s; "
        "ledger appends %s of %s. The rest is waiting for the server and the disk.\n",
        Duration(draft->draft_cpu).c_str(), Duration(draft->draft_seconds).c_str(),
        Duration(p.load_cpu).c_str(), Duration(p.load_sql_seconds).c_str(),
        Duration(p.allocations_cpu).c_str(), Duration(p.allocations_seconds).c_str(),
        Duration(p.ledger_append_cpu).c_str(), Duration(p.ledger_append_seconds).c_str());
    if (!draft->tables.empty()) {
      std::printf(
          "\nTables at the end (InnoDB's estimates after ANALYZE TABLE), against a buffer pool of "
          "%s MiB:",
          database->buffer_pool_mib().c_str());
      for (size_t i = 0; i < draft->tables.size(); ++i) {
        const TableSize& t = draft->tables[i];
        std::printf("%s %s %.0f MiB (~%lld rows)", i == 0 ? "" : ",", t.name.c_str(), t.mib,
                    static_cast<long long>(t.rows));
      }
      std::printf(".\n");
    }
    if (!draft->scans.empty()) {
      const double again = draft->scans[0].seconds;
      std::printf(
          "\n### What-if: reading the round's claims\n\n"
          "Read-only, after the replay, one after the other; pages of 10000 rows in id "
          "order, every column decoded. A scan through claims_queue fetches each row "
          "from the clustered index too: when the claims table is larger than the "
          "buffer pool (see above) it cannot stay cached, however often it ran before: "
          "see the pages read from disk (Innodb_buffer_pool_reads, 16 KiB each). The covering "
          "index is added to this throwaway database only "
          "(built in %s); the service is unchanged.\n\n"
          "| scan | time | client CPU | pages read from disk | ÷ R | ÷ ReadRoundInputs again "
          "|\n|---|---|---|---|---|---|\n",
          Duration(draft->index_build_seconds).c_str());
      for (const ScanVariant& v : draft->scans) {
        std::printf("| %s | %s | %s | %lld | %s | %.2f |\n", v.name.c_str(),
                    Duration(v.seconds).c_str(), Duration(v.cpu).c_str(),
                    static_cast<long long>(v.disk_reads), versus_insert(v.seconds).c_str(),
                    again > 0 ? v.seconds / again : 0.0);
      }
    }
    std::printf(
        "\nSet-up, not compared: %zu claims written by multi-row INSERTs (%zu rows each, "
        "%zu per transaction) in %s.\n",
        options.claims, kClaimsPerInsert, kClaimsPerTransaction,
        Duration(draft->setup_claims_seconds).c_str());
  }
  std::printf(
      "\nLevels reached: first round %s, second round %s; first round paid %s, "
      "deferred %s.\n",
      FormatRatio(round1.result.level.numerator, round1.result.level.denominator).c_str(),
      FormatRatio(round2.result.level.numerator, round2.result.level.denominator).c_str(),
      round1.result.totals.paid.ToString().c_str(),
      round1.result.totals.deferred.ToString().c_str());
  if (draft && draft->pipeline) PrintPipeline(*draft->pipeline, options.claims, insert_seconds);
  if (database) database->Drop();
  return 0;
}

}  // namespace
}  // namespace restitution::bench

int main(int argc, char** argv) {
  restitution::bench::SetProgramName("distribution_bench");
  const restitution::bench::Options options = restitution::bench::ParseOptions(argc, argv);
  return restitution::bench::Run(options);
}
