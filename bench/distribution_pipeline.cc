#include "bench/distribution_pipeline.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/bench_support.h"
#include "service/accounts.h"
#include "service/cases.h"
#include "service/clock.h"
#include "service/distribution_store.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "service/payment_lines.h"
#include "service/pool.h"
#include "service/transaction.h"

namespace restitution::bench {
namespace {

// As service/claims.cc seals declarations.
constexpr char kDeclarationPurpose[] = "claim_versions.declaration";
// Set-up: claims read per page, claim_versions rows per multi-row INSERT (one page a
// transaction).
constexpr int64_t kVersionPage = 10000;
constexpr size_t kVersionsPerInsert = 500;
// One line in this many fails at the bank (a few thousand of 10^6).
constexpr size_t kFailEvery = 250;
constexpr char kOrderReference[] = "(2026)沪0104执1号";
// Results batches replayed phase by phase: at most this many, and at most a tenth of them.
constexpr size_t kResultsSamples = 10;
// Execute's INSERTs replayed under a case id no case has (rolled back).
constexpr int64_t kScratchCaseId = int64_t{1} << 40;

std::string Duration(double seconds) {
  if (seconds >= 1) return Format("%.2f s", seconds);
  return Format("%.1f ms", seconds * 1e3);
}

template <typename T, typename F>
T Tx(ConnectionPool& pool, const std::string& what, F&& f) {
  std::optional<T> out;
  MustOk(RunInTransaction(pool,
                          [&](DbConnection& db) -> Status {
                            ASSIGN_OR_RETURN(T value, f(db));
                            out.emplace(std::move(value));
                            return Status::Ok();
                          }),
         what);
  return std::move(*out);
}

class Pipeline {
 public:
  explicit Pipeline(const PipelineInput& input) : in_(input), pool_(*input.pool) {}

  PipelineTiming Run() {
    SetUpStaff();
    Progress("pipeline set-up: a sealed declaration (claim_versions) for every claim");
    Steady::time_point t0 = Steady::now();
    WriteDeclarations();
    timing_.setup_versions_seconds = Seconds(Steady::now() - t0);
    Progress(Format("pipeline set-up: declarations in %s",
                    Duration(timing_.setup_versions_seconds).c_str()));

    const int64_t run_id = in_.run.id;
    Progress("timed: endorse");
    Step("endorse",
         "endorse by a second officer (EndorseDistribution: staleness check re-reads the "
         "round's claims)",
         [&] {
           Tx<RunChange>(pool_, "endorse", [&](DbConnection& db) {
             return EndorseDistribution(db, *in_.ctx, officer_b_, in_.case_id, run_id);
           });
         });
    SequenceStep("then: its ledger entry sequenced");
    Progress("timed: approve");
    Step("approve",
         Format("approve by a court user of the case, order %s (ApproveDistribution: "
                "staleness check again)",
                kOrderReference),
         [&] {
           const ApproveInput approve =
               Must(ParseApproveInput(nlohmann::json{{"order_reference", kOrderReference}}),
                    "approve body");
           Tx<RunChange>(pool_, "approve", [&](DbConnection& db) {
             return ApproveDistribution(db, *in_.ctx, court_, in_.case_id, run_id, approve);
           });
         });
    SequenceStep("then: its ledger entry sequenced");
    Progress("timed: execute");
    DistributionRun executed;
    Step("execute",
         Format("**execute** (ExecuteDistribution: staleness check, pool → payable %s, "
                "%lld payment lines and positions by INSERT … SELECT)",
                in_.run.paid.ToString().c_str(), static_cast<long long>(in_.run.paid_count)),
         [&] {
           executed = Tx<RunChange>(pool_, "execute", [&](DbConnection& db) {
                        return ExecuteDistribution(db, *in_.ctx, in_.drafter, in_.case_id, run_id);
                      }).run;
         });
    SequenceStep("then: its ledger entry sequenced");
    if (executed.payment_lines != in_.run.paid_count) {
      Die(Format("execute made %lld payment lines, the draft paid %lld claims",
                 static_cast<long long>(executed.payment_lines),
                 static_cast<long long>(in_.run.paid_count)));
    }

    Progress("timed: payments.csv, every page");
    std::vector<std::string> references;
    references.reserve(static_cast<size_t>(executed.payment_lines));
    Money exported;
    Step("payments.csv", "", [&] { Export(run_id, &references, &exported); });
    timing_.steps.back().what = Format(
        "**payments.csv**: %lld page%s of ≤ %d lines (ExportPayments as officer: "
        "payee name, bank, account decrypted), %lld lines, %.1f MB",
        static_cast<long long>(timing_.export_pages), timing_.export_pages == 1 ? "" : "s",
        kMaxPaymentsExportRows, static_cast<long long>(timing_.export_rows),
        static_cast<double>(timing_.export_bytes) / 1e6);
    SequenceStep("then: its ledger entries sequenced");

    Progress("timed: bank results, every line");
    ReplayResults(run_id, references);
    Step("bank results", "", [&] { Results(run_id, references); });
    timing_.steps.back().what = Format(
        "**bank results**: %lld batches of ≤ %zu lines (ParsePaymentResults + "
        "RecordPaymentResults), %lld paid, %lld failed",
        static_cast<long long>(timing_.result_batches), kMaxPaymentResults,
        static_cast<long long>(sent_paid_), static_cast<long long>(sent_failed_));
    SequenceStep("then: its ledger entries sequenced");
    // The steps end to end; the replay between the export and the results is not counted.
    for (const PipelineStep& step : timing_.steps) timing_.total_seconds += step.seconds;

    Check(executed, exported);
    ReplayExecute(executed);
    return timing_;
  }

 private:
  Principal Staff(const std::string& username, const std::string& role) {
    const UserView user = Tx<UserView>(pool_, "create " + username, [&](DbConnection& db) {
      return CreateStaffUser(db, *in_.ctx, 0, username, "bench password 1234", role);
    });
    const Principal principal{user.id, *ParseRole(role)};
    MustOk(RunInTransaction(pool_,
                            [&](DbConnection& db) {
                              QueuedEntry entry;
                              return AddCaseMember(db, *in_.ctx, in_.admin, in_.case_id,
                                                   principal.user_id, role, &entry);
                            }),
           "bind " + username);
    return principal;
  }

  void SetUpStaff() {
    officer_b_ = Staff("officer.b", "officer");
    court_ = Staff("court.a", "court");
    SequenceQueue(pool_, *in_.signer, nullptr);
  }

  // The claims were written straight into `claims` (version 1); the export reads the payee
  // from the sealed declaration of that version, as the claims flow stores it.
  void WriteDeclarations() {
    auto insert_sql = [](size_t rows) {
      std::string sql =
          "INSERT INTO claim_versions (claim_id, version, declaration_enc, "
          "declared_principal_fen, declared_returns_fen, declared_net_fen, created_by, "
          "created_at_ms) VALUES ";
      for (size_t k = 0; k < rows; ++k) sql += k == 0 ? "(?,1,?,?,0,?,?,1)" : ",(?,1,?,?,0,?,?,1)";
      return sql;
    };
    const std::string full_sql = insert_sql(kVersionsPerInsert);
    int64_t after = 0;
    std::vector<SqlParam> params;
    for (;;) {
      const SqlRows claims = Tx<SqlRows>(pool_, "read claims", [&](DbConnection& db) {
        return db.Query(
            "SELECT id, declared_principal_fen FROM claims WHERE case_id = ? AND id > ? "
            "ORDER BY id LIMIT ?",
            {in_.case_id, after, kVersionPage});
      });
      if (claims.empty()) return;
      MustOk(
          RunInTransaction(
              pool_,
              [&](DbConnection& db) -> Status {
                for (size_t done = 0; done < claims.size();) {
                  const size_t rows = std::min(kVersionsPerInsert, claims.size() - done);
                  params.clear();
                  for (size_t i = done; i < done + rows; ++i) {
                    const int64_t id = claims[i].Int(0);
                    const int64_t principal = claims[i].Int(1);
                    const std::string fen = Money::FromFen(principal).ToString();
                    const nlohmann::json declaration = {
                        {"identity",
                         {{"name", "参与人" + std::to_string(id)},
                          {"id_number", Format("1101051980%08lld", static_cast<long long>(id))},
                          {"phone", "13800138000"},
                          {"bank_name", "中国工商银行"},
                          {"bank_account", Format("62220202%011lld", static_cast<long long>(id))}}},
                        {"region", "110105"},
                        {"accounts",
                         {{{"platform_account", "u" + std::to_string(id)}, {"channel", "app"}}}},
                        {"contributions", {{{"date", "2019-05-01"}, {"amount", fen}}}},
                        {"returns", nlohmann::json::array()}};
                    ASSIGN_OR_RETURN(std::string sealed,
                                     in_.ctx->keys->Seal(kDeclarationPurpose, declaration.dump()));
                    params.emplace_back(id);
                    params.emplace_back(std::move(sealed));
                    params.emplace_back(principal);
                    params.emplace_back(principal);
                    params.emplace_back(in_.drafter.user_id);
                  }
                  RETURN_IF_ERROR(
                      db.Exec(rows == kVersionsPerInsert ? full_sql : insert_sql(rows), params)
                          .status());
                  done += rows;
                }
                return Status::Ok();
              }),
          "insert claim_versions");
      after = claims.back().Int(0);
      if (claims.size() < static_cast<size_t>(kVersionPage)) return;
    }
  }

  template <typename F>
  void Step(const std::string& name, const std::string& what, F&& f) {
    const Steady::time_point t0 = Steady::now();
    const double cpu0 = ProcessCpuSeconds();
    f();
    timing_.steps.push_back({what, name, Seconds(Steady::now() - t0), ProcessCpuSeconds() - cpu0,
                             /*sequencing=*/false});
  }

  void SequenceStep(const std::string& what) {
    size_t entries = 0;
    size_t batches = 0;
    Step("sequencing", "", [&] { batches = SequenceQueue(pool_, *in_.signer, &entries); });
    timing_.steps.back().what =
        Format("%s (%zu entr%s, %zu SequenceBatch transaction%s)", what.c_str(), entries,
               entries == 1 ? "y" : "ies", batches, batches == 1 ? "" : "s");
    timing_.steps.back().sequencing = true;
  }

  // Every page, one request (one transaction) each, as a client follows X-Next-After. The
  // references are taken from the CSV, as the bank would echo them.
  void Export(int64_t run_id, std::vector<std::string>* references, Money* total) {
    int64_t after = 0;
    for (int64_t page = 1;; ++page) {
      const Steady::time_point t0 = Steady::now();
      PaymentsExport out = Tx<PaymentsExport>(pool_, "export payments", [&](DbConnection& db) {
        return ExportPayments(db, *in_.ctx, in_.drafter, in_.case_id, run_id, after,
                              kMaxPaymentsExportRows,
                              Format("bench-export-%lld", static_cast<long long>(page)));
      });
      timing_.export_page_max_seconds =
          std::max(timing_.export_page_max_seconds, Seconds(Steady::now() - t0));
      ++timing_.export_pages;
      timing_.export_bytes += static_cast<int64_t>(out.csv.size());
      timing_.export_rows += out.rows;
      *total = Must(total->Add(out.total), "add the export's totals");
      if (!out.with_personal_data) Die("the officer's export has no payee data");
      // BOM + header line, then one CRLF line per payment; the reference is the last field.
      size_t line = out.csv.find("\r\n");
      int rows = 0;
      while (line != std::string::npos && line + 2 < out.csv.size()) {
        const size_t begin = line + 2;
        const size_t end = out.csv.find("\r\n", begin);
        if (end == std::string::npos) Die("payments.csv: a line without CRLF");
        const size_t comma = out.csv.rfind(',', end);
        if (comma == std::string::npos || comma < begin) Die("payments.csv: a line without fields");
        if (out.csv.compare(begin, 1, ",") == 0) Die("payments.csv: a line without a payee");
        references->push_back(out.csv.substr(comma + 1, end - comma - 1));
        ++rows;
        line = end;
      }
      if (rows != out.rows) Die("payments.csv: the lines differ from the rows counted");
      if (out.next_after == 0) return;
      after = out.next_after;
    }
  }

  // The bank's answer for every line: batches of the largest size the API accepts, the body
  // decoded by the handler's parser, each batch one request (one transaction).
  static bool Fails(size_t line) { return line % kFailEvery == kFailEvery / 2; }

  // The bank's answer for lines [begin, end): what POST …/payment-results carries.
  static nlohmann::json ResultsBody(const std::vector<std::string>& references, size_t begin,
                                    size_t end) {
    nlohmann::json lines = nlohmann::json::array();
    for (size_t i = begin; i < end; ++i) {
      if (Fails(i)) {
        lines.push_back(
            {{"reference", references[i]}, {"status", "failed"}, {"reason", "账户已销户"}});
      } else {
        lines.push_back({{"reference", references[i]}, {"status", "paid"}});
      }
    }
    return nlohmann::json{{"results", std::move(lines)}};
  }

  void Results(int64_t run_id, const std::vector<std::string>& references) {
    std::vector<double> batch_seconds;
    for (size_t begin = 0; begin < references.size(); begin += kMaxPaymentResults) {
      const size_t end = std::min(references.size(), begin + kMaxPaymentResults);
      const nlohmann::json body = ResultsBody(references, begin, end);
      for (size_t i = begin; i < end; ++i) ++(Fails(i) ? sent_failed_ : sent_paid_);
      const Steady::time_point t0 = Steady::now();
      const std::vector<PaymentResultInput> input = Must(ParsePaymentResults(body), "results body");
      const PaymentResultsOutcome outcome =
          Tx<PaymentResultsOutcome>(pool_, "record payment results", [&](DbConnection& db) {
            return RecordPaymentResults(db, *in_.ctx, in_.drafter, in_.case_id, run_id, input);
          });
      batch_seconds.push_back(Seconds(Steady::now() - t0));
      if (outcome.applied != static_cast<int64_t>(end - begin)) {
        Die(Format("a results batch applied %lld of %zu lines",
                   static_cast<long long>(outcome.applied), end - begin));
      }
      ++timing_.result_batches;
    }
    timing_.batch_p50_seconds = Percentile(batch_seconds, 0.50);
    timing_.batch_p99_seconds = Percentile(batch_seconds, 0.99);
    timing_.batch_max_seconds = Percentile(batch_seconds, 1.0);
  }

  // A sample of batches, each replayed with RecordPaymentResults' statements in its order on a
  // connection of its own, each phase timed, then rolled back: the real batches follow.
  void ReplayResults(int64_t run_id, const std::vector<std::string>& references) {
    const size_t batches = (references.size() + kMaxPaymentResults - 1) / kMaxPaymentResults;
    if (batches == 0) return;
    const size_t samples = std::clamp<size_t>(batches / 10, 1, kResultsSamples);
    Progress(Format("bank results: %zu batches replayed phase by phase (rolled back)", samples));
    enum Phase { kLock, kLookup, kTransfers, kLedger, kFailed, kPaid, kRunRow, kRollback };
    std::array<double, kRollback + 1> sum{};
    PooledConnection connection = Must(pool_.Acquire(), "a connection");
    DbConnection& db = *connection;
    for (size_t k = 0; k < samples; ++k) {
      const size_t begin = (k * batches / samples) * kMaxPaymentResults;
      const size_t end = std::min(references.size(), begin + kMaxPaymentResults);
      const std::vector<PaymentResultInput> input =
          Must(ParsePaymentResults(ResultsBody(references, begin, end)), "results body");
      MustOk(db.Begin(), "begin");
      Steady::time_point t = Steady::now();
      auto lap = [&](Phase phase) {
        const Steady::time_point now = Steady::now();
        sum[phase] += Seconds(now - t);
        t = now;
      };
      MustOk(RequireCaseRole(db, in_.drafter, Role::kOfficer, in_.case_id, "record results"),
             "the role check");
      const DistributionRun run = Must(LoadRun(db, in_.case_id, run_id, true), "lock the run");
      lap(kLock);
      std::vector<std::string> batch_references;
      for (const PaymentResultInput& r : input) batch_references.push_back(r.reference);
      const std::map<std::string, PaymentLine> found =
          Must(LockPaymentLines(db, in_.case_id, batch_references), "lock the lines");
      struct Line {
        PaymentLine line;
        const PaymentResultInput* result = nullptr;
      };
      std::vector<Line> lines;
      Money paid;
      Money failed;
      for (const PaymentResultInput& r : input) {
        const auto it = found.find(r.reference);
        if (it == found.end() || it->second.status != "pending") {
          Die("replay: a line is not pending");
        }
        Money& total = r.paid ? paid : failed;
        total = Must(total.Add(Money::FromFen(it->second.amount_fen)), "add");
        lines.push_back({it->second, &r});
      }
      lap(kLookup);
      const int64_t now = in_.ctx->NowMs();
      TransferRefs refs;
      refs.run_id = run.id;
      std::vector<PoolTransfer> transfers;
      if (!paid.IsZero()) {
        const std::vector<PoolTransfer> t1 = {{PoolAccount::kPayable, PoolAccount::kPaid, paid}};
        MustOk(ApplyTransfers(db, in_.case_id, "payment_paid", refs, t1, now), "transfer");
        transfers.push_back(t1[0]);
      }
      if (!failed.IsZero()) {
        const std::vector<PoolTransfer> t1 = {{PoolAccount::kPayable, PoolAccount::kPool, failed}};
        MustOk(ApplyTransfers(db, in_.case_id, "payment_failed", refs, t1, now), "transfer");
        transfers.push_back(t1[0]);
      }
      lap(kTransfers);
      nlohmann::json json_lines = nlohmann::json::array();
      for (const Line& l : lines) {
        json_lines.push_back({{"reference", l.result->reference},
                              {"claim", l.line.claim_id},
                              {"amount_fen", l.line.amount_fen},
                              {"status", l.result->paid ? "paid" : "failed"}});
      }
      const int64_t open = run.payment_lines_open - static_cast<int64_t>(lines.size());
      const QueuedEntry entry =
          Must(AppendLedgerEntry(
                   db, RunEntry("distribution_payment_results", in_.case_id, in_.drafter, now,
                                {{"run", run.id},
                                 {"results", std::move(json_lines)},
                                 {"paid_fen", paid.fen()},
                                 {"failed_fen", failed.fen()},
                                 {"open_lines", open},
                                 {"transfers", TransfersJson(transfers)}})),
               "append the entry");
      lap(kLedger);
      const PaymentResultStamp stamp{now, in_.drafter.user_id, entry.queue_id};
      std::vector<int64_t> paid_ids;
      for (const Line& l : lines) {
        if (l.result->paid) {
          paid_ids.push_back(l.line.id);
        } else {
          MustOk(MarkPaymentLineFailed(db, in_.case_id, l.line, *l.result->reason, stamp),
                 "mark a line failed");
        }
      }
      lap(kFailed);
      MustOk(MarkPaymentLinesPaid(db, paid_ids, stamp), "mark the lines paid");
      lap(kPaid);
      MustOk(db.Exec("UPDATE distribution_runs SET payment_lines_open = ? WHERE id = ?",
                     {open, run.id})
                 .status(),
             "update the run");
      lap(kRunRow);
      db.Rollback();
      lap(kRollback);
    }
    const char* names[] = {
        "role check + LoadRun … FOR UPDATE (the run row)",
        "LockPaymentLines: SELECT … reference IN (100 references) FOR UPDATE",
        "ApplyTransfers (payable → paid, payable → pool)",
        "ledger entry: the lines' JSON, AppendLedgerEntry",
        "MarkPaymentLineFailed: two UPDATEs per failed line (the line, its claim's position)",
        "MarkPaymentLinesPaid: UPDATE … id IN (100 lines)",
        "UPDATE distribution_runs (lines open)",
        "rollback (the replay only; the real batch commits instead)"};
    timing_.results_samples = samples;
    for (size_t i = 0; i < sum.size(); ++i) {
      timing_.results_phases.push_back({names[i], sum[i] / static_cast<double>(samples)});
    }
  }

  // Execute's heavy parts again after the pipeline, rolled back: its staleness check (the
  // same reads; the fingerprint now differs, the positions having moved) and its two set-based
  // INSERTs, the same statements under a case id no case has, so every row is new as in a
  // first round.
  void ReplayExecute(const DistributionRun& run) {
    Progress("execute's parts replayed (rolled back)");
    PooledConnection connection = Must(pool_.Acquire(), "a connection");
    DbConnection& db = *connection;
    MustOk(db.Begin(), "begin");
    Steady::time_point t = Steady::now();
    auto lap = [&](const std::string& what) {
      const Steady::time_point now = Steady::now();
      timing_.execute_phases.push_back({what, Seconds(now - t)});
      t = now;
    };
    const RoundInputs inputs = Must(ReadRoundInputs(db, in_.case_id), "read the round's claims");
    lap(
        Format("staleness check: ReadRoundInputs over %zu claims and the fingerprint (the same "
               "check runs in endorse and approve)",
               inputs.claims.size()));
    const int64_t lines =
        Must(db.Exec("INSERT INTO distribution_payments (case_id, run_id, claim_id, kind, "
                     "amount_fen, reference, status, created_at_ms) SELECT ?, run_id, "
                     "claim_id, 'round', pay_fen, CONCAT('R', run_id, '-C', claim_id), "
                     "'pending', ? FROM distribution_allocations WHERE run_id = ? AND "
                     "pay_fen > 0 ORDER BY claim_id",
                     {kScratchCaseId, in_.ctx->NowMs(), run.id}),
             "insert the payment lines");
    lap(Format("payment lines: INSERT … SELECT of %lld rows (primary key and three indexes)",
               static_cast<long long>(lines)));
    const int64_t positions =
        Must(db.Exec("INSERT INTO distribution_positions (case_id, claim_id, committed_fen, "
                     "reserved_fen) SELECT ?, claim_id, pay_fen, reserve_fen FROM "
                     "distribution_allocations WHERE run_id = ? AND (pay_fen > 0 OR "
                     "reserve_fen > 0) ORDER BY claim_id ON DUPLICATE KEY UPDATE "
                     "committed_fen = committed_fen + VALUES(committed_fen), reserved_fen = "
                     "reserved_fen + VALUES(reserved_fen)",
                     {kScratchCaseId, run.id}),
             "insert the positions");
    lap(Format("positions: INSERT … SELECT … ON DUPLICATE KEY UPDATE, %lld new rows",
               static_cast<long long>(positions)));
    db.Rollback();
    lap("rollback (the replay only; execute commits instead)");
  }

  void Expect(bool holds, const std::string& what) {
    if (!holds) Die("invariant broken after the pipeline: " + what);
    timing_.checked.push_back(what);
  }

  void Check(const DistributionRun& executed, Money exported) {
    const DistributionRun& drafted = in_.run;
    // The lines as stored, by bank result.
    const SqlRows lines = Tx<SqlRows>(pool_, "count the lines", [&](DbConnection& db) {
      return db.Query(
          "SELECT status, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM distribution_payments "
          "WHERE run_id = ? GROUP BY status",
          {drafted.id});
    });
    for (const SqlRow& row : lines) {
      const std::string status = row.Bytes(0);
      if (status == "paid") {
        timing_.paid_count = row.Int(1);
        timing_.paid_sum = Money::FromFen(row.Int(2));
      } else if (status == "failed") {
        timing_.failed_count = row.Int(1);
        timing_.failed_sum = Money::FromFen(row.Int(2));
      } else {
        Die(Format("%lld payment lines are still %s", static_cast<long long>(row.Int(1)),
                   status.c_str()));
      }
    }
    const Money lines_sum = Must(timing_.paid_sum.Add(timing_.failed_sum), "add");
    Expect(timing_.paid_count + timing_.failed_count == drafted.paid_count,
           "paid + failed lines = the claims the draft pays");
    Expect(lines_sum == drafted.paid, "paid + failed sums = the draft's paid total");
    Expect(timing_.failed_count > 0 && timing_.paid_count > 0, "both results were recorded");
    Expect(timing_.export_rows == drafted.paid_count && exported == drafted.paid,
           "payments.csv lists every line once, adding up to the draft's paid total");

    const DistributionRun after = Tx<DistributionRun>(pool_, "read the run", [&](DbConnection& db) {
      return GetDistribution(db, in_.drafter, in_.case_id, drafted.id);
    });
    Expect(after.status == "executed" && after.reconciled() &&
               after.payment_lines == executed.payment_lines,
           "the run is executed and reconciled (no open line)");
    Expect(after.paid == drafted.paid && after.reserved == drafted.reserved &&
               after.deferred == drafted.deferred && after.surplus == drafted.surplus,
           "the run's totals are the draft's");

    const PoolBalances pool = Tx<PoolBalances>(pool_, "read the pool", [&](DbConnection& db) {
      return ReadPoolBalances(db, in_.case_id, /*for_update=*/false);
    });
    Money sum;
    for (const Money& m : pool.balance) sum = Must(sum.Add(m), "add the balances");
    Expect(sum.IsZero(), "the pool's accounts sum to zero");
    const Money pool_left =
        Must(Must(in_.funded.Sub(drafted.paid), "sub").Sub(drafted.reserved), "sub");
    Expect(pool.Of(PoolAccount::kRecoveries) == Money::FromFen(-in_.funded.fen()) &&
               pool.Of(PoolAccount::kPaid) == timing_.paid_sum &&
               pool.Of(PoolAccount::kPayable).IsZero() &&
               pool.Of(PoolAccount::kReserve) == drafted.reserved &&
               pool.Available() == Must(pool_left.Add(timing_.failed_sum), "add"),
           "recoveries = −funded, paid = Σ paid lines, payable = 0, reserve = the draft's, "
           "pool = funded − paid − reserved + Σ failed lines");

    const SqlRows positions = Tx<SqlRows>(pool_, "sum the positions", [&](DbConnection& db) {
      return db.Query(
          "SELECT COALESCE(SUM(committed_fen), 0), COALESCE(SUM(reserved_fen), 0), "
          "COALESCE(SUM(committed_fen < 0), 0) FROM distribution_positions WHERE case_id = ?",
          {in_.case_id});
    });
    Expect(positions[0].Int(0) == timing_.paid_sum.fen() &&
               positions[0].Int(1) == drafted.reserved.fen() && positions[0].Int(2) == 0,
           "claims' positions: Σ committed = Σ paid lines (failed ones returned), none negative");
    const SqlRows queue = Tx<SqlRows>(pool_, "look at the queue", [&](DbConnection& db) {
      return db.Query("SELECT COUNT(*) FROM ledger_queue");
    });
    Expect(queue[0].Int(0) == 0, "every ledger entry is sequenced");
  }

  const PipelineInput& in_;
  ConnectionPool& pool_;
  Principal officer_b_;
  Principal court_;
  PipelineTiming timing_;
  int64_t sent_paid_ = 0;
  int64_t sent_failed_ = 0;
};

}  // namespace

size_t SequenceQueue(ConnectionPool& pool, const ledger::NoteSigner& signer, size_t* entries) {
  size_t batches = 0;
  for (;;) {
    BatchResult batch;
    MustOk(RunInTransaction(pool,
                            [&](DbConnection& db) -> Status {
                              ASSIGN_OR_RETURN(batch, SequenceBatch(db, signer, SystemNowMs(),
                                                                    SequencerOptions{}));
                              return Status::Ok();
                            }),
           "sequence the ledger queue");
    ++batches;
    if (entries != nullptr) *entries += batch.entries.size();
    if (!batch.more_waiting) return batches;
  }
}

PipelineTiming MeasurePipeline(const PipelineInput& input) { return Pipeline(input).Run(); }

template <typename Versus>
void PrintWhereTimeGoes(const PipelineTiming& t, const Versus& versus) {
  double execute_seconds = 0;
  for (const PipelineStep& s : t.steps) {
    if (s.name == "execute") execute_seconds = s.seconds;
  }
  if (!t.execute_phases.empty()) {
    std::printf(
        "\n### Where execute's time goes\n\n"
        "Its heavy parts replayed after the pipeline on a connection of their own, in one "
        "transaction rolled back: the same reads and the same two statements as "
        "service/distribution_execution.cc, the INSERTs under a case id no case has (every "
        "row new, as in a first round).\n\n"
        "| part | time | ÷ R |\n|---|---|---|\n");
    double parts = 0;
    for (size_t i = 0; i < t.execute_phases.size(); ++i) {
      const PhaseTime& p = t.execute_phases[i];
      std::printf("| %s | %s | %s |\n", p.what.c_str(), Duration(p.seconds).c_str(),
                  versus(p.seconds).c_str());
      if (i + 1 < t.execute_phases.size()) parts += p.seconds;
    }
    const double rest = execute_seconds - parts;
    if (rest >= 0) {
      std::printf(
          "| the rest of execute (its measured time less the parts above: LoadRun, pool "
          "transfers, ledger entry, run row, commit) | %s | %s |\n",
          Duration(rest).c_str(), versus(rest).c_str());
    } else {
      std::printf(
          "| the rest of execute | not measurable here: the parts replayed took %s, execute "
          "itself %s (within the noise of a shared machine) | — |\n",
          Duration(parts).c_str(), Duration(execute_seconds).c_str());
    }
  }
  if (!t.results_phases.empty()) {
    double results_seconds = 0;
    for (const PipelineStep& s : t.steps) {
      if (s.name == "bank results") results_seconds = s.seconds;
    }
    double phases = 0;
    for (const PhaseTime& p : t.results_phases) phases += p.seconds;
    std::printf(
        "\n### Where the bank results' time goes\n\n"
        "%zu of the %lld batches, spread over the file, replayed phase by phase just before the "
        "real ones: the calls RecordPaymentResults makes, in its order, on a connection of their "
        "own, then rolled back. Its absolute times are not the real batches' (other pages in the "
        "buffer pool, a shared machine): read the shares. Last column: each share of the real "
        "step's %s, against R. A batch of %zu lines is about %zu statements, plus two for each "
        "failed line.\n\n"
        "| phase | per batch (replay, mean) | share | share of the real step ÷ R |\n"
        "|---|---|---|---|\n",
        t.results_samples, static_cast<long long>(t.result_batches),
        Duration(results_seconds).c_str(), kMaxPaymentResults,
        2 * ((kMaxPaymentResults + kPaymentLinesPerStatement - 1) / kPaymentLinesPerStatement) + 6);
    for (const PhaseTime& p : t.results_phases) {
      const double share = phases > 0 ? p.seconds / phases : 0;
      std::printf("| %s | %s | %.0f %% | %s |\n", p.what.c_str(), Duration(p.seconds).c_str(),
                  100 * share, versus(share * results_seconds).c_str());
    }
    std::printf("| sum of the phases | %s | | |\n", Duration(phases).c_str());
    std::printf("| the real batches: p50 (parse, the same work, commit) | %s | | |\n",
                Duration(t.batch_p50_seconds).c_str());
  }
}

void PrintPipeline(const PipelineTiming& t, size_t claims, std::optional<double> insert_seconds) {
  auto versus = [&](double seconds) {
    return insert_seconds ? Format("%.3f", seconds / *insert_seconds) : std::string("—");
  };
  std::printf(
      "\n### Distribution pipeline, %zu confirmed claims\n\n"
      "After the draft above: each step through the service function its HTTP handler calls, "
      "in a transaction of its own as one request (commit included; a paged or batched step is "
      "all of its requests, one after the other), then the ledger entries it queued sequenced "
      "into the Merkle log (until their receipts).\n\n",
      claims);
  std::printf("| step | time | ÷ R |\n|---|---|---|\n");
  if (insert_seconds) {
    std::printf("| **R**: the bulk insert above | %s | physical reference |\n",
                Duration(*insert_seconds).c_str());
  }
  for (const PipelineStep& s : t.steps) {
    std::printf("| %s | %s | %s |\n", s.what.c_str(), Duration(s.seconds).c_str(),
                versus(s.seconds).c_str());
  }
  std::printf("| pipeline, endorse until the last receipt | %s | %s |\n",
              Duration(t.total_seconds).c_str(), versus(t.total_seconds).c_str());
  std::printf("\nClient CPU (this process) against wall time:");
  for (size_t i = 0; i < t.steps.size(); ++i) {
    const PipelineStep& s = t.steps[i];
    if (s.sequencing) continue;
    std::printf("%s %s %s of %s", i == 0 ? "" : ";", s.name.c_str(), Duration(s.cpu).c_str(),
                Duration(s.seconds).c_str());
  }
  std::printf(
      ". Export: slowest page %s. Bank results per batch of ≤ %zu: p50 %s, p99 %s, max %s.\n",
      Duration(t.export_page_max_seconds).c_str(), kMaxPaymentResults,
      Duration(t.batch_p50_seconds).c_str(), Duration(t.batch_p99_seconds).c_str(),
      Duration(t.batch_max_seconds).c_str());
  std::printf("\nResults: %lld lines paid (%s), %lld failed (%s; one line in %zu).\n",
              static_cast<long long>(t.paid_count), t.paid_sum.ToString().c_str(),
              static_cast<long long>(t.failed_count), t.failed_sum.ToString().c_str(), kFailEvery);
  std::printf("\nChecked after the pipeline:");
  for (size_t i = 0; i < t.checked.size(); ++i) {
    std::printf("%s %s", i == 0 ? "" : ";", t.checked[i].c_str());
  }
  std::printf(".\n");
  PrintWhereTimeGoes(t, versus);
  std::printf(
      "\nSet-up, not compared: officer.b and court.a created and bound to the case; a "
      "sealed declaration (claim_versions, payee name and bank account) written for each "
      "claim in %s.\n",
      Duration(t.setup_versions_seconds).c_str());
}

}  // namespace restitution::bench
