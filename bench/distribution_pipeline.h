// The distribution pipeline after the draft, for distribution_bench: endorse, approve, execute,
// the payments.csv export (every page) and the bank's results for every line (every batch),
// each step through the service functions the HTTP handlers call, each in a transaction of its
// own as a request would be, timed, and each followed by the sequencing of the ledger entries it
// queued. Then the invariants a finished round must hold; a failed one stops the program.
#ifndef RESTITUTION_BENCH_DISTRIBUTION_PIPELINE_H_
#define RESTITUTION_BENCH_DISTRIBUTION_PIPELINE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/checkpoint.h"
#include "service/connection_pool.h"
#include "service/distribution_runs.h"
#include "service/money.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution::bench {

// SequenceBatch until the ledger queue is empty; returns the number of batches and adds the
// entries sequenced to *entries when given.
size_t SequenceQueue(ConnectionPool& pool, const ledger::NoteSigner& signer, size_t* entries);

// What the draft left: a drafted run of a case whose pool holds `funded` and nothing else.
struct PipelineInput {
  ConnectionPool* pool = nullptr;
  const ServiceContext* ctx = nullptr;
  const ledger::NoteSigner* signer = nullptr;
  Principal admin;
  Principal drafter;  // an officer of the case, who drafted the run
  int64_t case_id = 0;
  DistributionRun run;  // as drafted
  Money funded;         // what the pool was credited with before the draft
};

struct PipelineStep {
  std::string what;
  std::string name;  // short, for the CPU line
  double seconds = 0;
  double cpu = 0;           // client CPU (this process) during the step
  bool sequencing = false;  // a "then: sequenced" row
};

// A phase of a step, replayed apart (the same statements, rolled back).
struct PhaseTime {
  std::string what;
  double seconds = 0;
};

struct PipelineTiming {
  double setup_versions_seconds = 0;  // claim_versions written for the export (set-up)
  std::vector<PipelineStep> steps;
  double total_seconds = 0;  // the steps end to end (the results replay not counted)
  // The export.
  int64_t export_pages = 0;
  int64_t export_bytes = 0;
  int64_t export_rows = 0;
  double export_page_max_seconds = 0;
  // The bank's results.
  int64_t result_batches = 0;
  double batch_p50_seconds = 0;
  double batch_p99_seconds = 0;
  double batch_max_seconds = 0;
  // A sample of results batches replayed phase by phase before the real ones: mean per batch.
  size_t results_samples = 0;
  std::vector<PhaseTime> results_phases;
  // Execute's parts, replayed after the pipeline: the staleness check alone, and its two
  // set-based INSERTs under a scratch case and run.
  std::vector<PhaseTime> execute_phases;
  int64_t paid_count = 0;
  Money paid_sum;
  int64_t failed_count = 0;
  Money failed_sum;
  // Invariants, as checked (a failure dies before the report).
  std::vector<std::string> checked;
};

PipelineTiming MeasurePipeline(const PipelineInput& input);

// "### Distribution pipeline, N confirmed claims" and its notes, on stdout.
void PrintPipeline(const PipelineTiming& timing, size_t claims,
                   std::optional<double> insert_seconds);

}  // namespace restitution::bench

#endif  // RESTITUTION_BENCH_DISTRIBUTION_PIPELINE_H_
