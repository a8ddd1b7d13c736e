// Distribution runs (清退批次): a round drafted over the claims as they stand, endorsed by a
// second officer, approved by a court user of the case, executed (money moves in the case's
// double-entry pool, service/pool.h) and paid line by line by the bank.
//
// The round's claims: every claim of the case that is confirmed or disputed when the run is
// drafted, in claim id order. C is the allowed amount of a confirmed claim; for a disputed
// claim, the amount in dispute: the open objection's requested amount when it names one, else
// the larger of the allowed amount and the declared net. P is what earlier executed runs sent
// to be paid to the claim and the bank did not return (pending or paid), plus what is still
// held in reserve for it; P is capped at C (a claim recognised lower than it was already paid
// simply receives nothing more). The record date is the Beijing date the run is declared for
// (today by default, never in the future); it is recorded on the run and its ledger entry, and
// the claims are taken as they stand when drafting, whatever the record date.
//
// A draft is stale when the (claim, status, C, P) list it was computed from has changed since:
// endorse, approve and execute recompute its fingerprint and answer 409 (reason "stale"); the
// run must then be cancelled and drafted again. One run per case is active (drafted, endorsed
// or approved) at a time.
//
// Every step is a ledger entry in the same transaction (ledger/FORMAT.md, "Distributions").
#ifndef RESTITUTION_SERVICE_DISTRIBUTION_RUNS_H_
#define RESTITUTION_SERVICE_DISTRIBUTION_RUNS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/money.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

// POST /api/v1/cases/{case}/distributions {amount, min_payment, record_date?}.
struct DraftInput {
  Money amount;
  Money min_payment;
  std::optional<int> record_date;  // yyyymmdd; today (Beijing) when absent
};
StatusOr<DraftInput> ParseDraftInput(const nlohmann::json& body);

// POST …/approve {order_reference}: the court order's number, e.g. "(2026)沪0104执1号".
struct ApproveInput {
  std::string order_reference;
};
StatusOr<ApproveInput> ParseApproveInput(const nlohmann::json& body);
// "(YYYY)" or "（YYYY）" with a year 1990-2099, then the court's and the case's designation
// with at least one digit, ending in 号; at most 64 characters, no spaces or controls.
bool IsValidOrderReference(const std::string& text);

// A run as stored.
struct DistributionRun {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string status;  // drafted, endorsed, approved, executed, cancelled
  std::optional<int> round_no;
  Money amount;
  Money min_payment;
  int record_date = 0;
  Money pool_before;
  int64_t claims = 0;
  int64_t paid_count = 0;
  int64_t reserved_count = 0;
  int64_t deferred_count = 0;
  Money recognised;
  Money prior;
  Money paid;
  Money reserved;
  Money deferred;
  Money surplus;
  std::string level_numerator;
  std::string level_denominator;
  std::string level;  // the rising-tide level r reached, 6 decimals rounded down
  // (Σ P + paid + reserved) ÷ Σ C over the round's claims, 6 decimals rounded down: the share
  // of what they are recognised at that is paid or held for them once the run is executed.
  std::string ratio;
  std::string fingerprint;  // raw 32 bytes
  int64_t chunks = 0;
  int64_t drafted_by = 0;
  int64_t drafted_at_ms = 0;
  std::optional<int64_t> endorsed_by, endorsed_at_ms;
  std::optional<int64_t> approved_by, approved_at_ms;
  std::optional<std::string> order_reference;
  std::optional<int64_t> executed_by, executed_at_ms;
  std::optional<int64_t> cancelled_by, cancelled_at_ms;
  int64_t payment_lines = 0;
  int64_t payment_lines_open = 0;
  // Computed on reads of an active run: its claims changed since drafting.
  std::optional<bool> stale;

  bool active() const {
    return status == "drafted" || status == "endorsed" || status == "approved";
  }
  bool reconciled() const { return status == "executed" && payment_lines_open == 0; }
};

struct RunChange {
  DistributionRun run;
  QueuedEntry entry;
};

// Officers of the case. RuleViolated: amount above the available pool (reason
// "insufficient_funds"), nothing outstanding (reason "nothing_outstanding"), record date in
// the future; Conflict (reason "active_run") while another run of the case is active.
StatusOr<RunChange> DraftDistribution(DbConnection& db, const ServiceContext& ctx,
                                      const Principal& officer, int64_t case_id,
                                      const DraftInput& input);

// drafted -> endorsed, by an officer of the case other than the drafter (PermissionDenied,
// reason "same_officer").
StatusOr<RunChange> EndorseDistribution(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& officer, int64_t case_id, int64_t run_id);
// endorsed -> approved, by a court user of the case. Conflict (reason "unreconciled") while an
// executed run of the case still has payment lines without a bank result.
StatusOr<RunChange> ApproveDistribution(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& court, int64_t case_id, int64_t run_id,
                                        const ApproveInput& input);
// drafted | endorsed | approved -> cancelled, by an officer of the case.
StatusOr<RunChange> CancelDistribution(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id, int64_t run_id);

// approved -> executed, by an officer of the case: pool -> payable (Σ pay), pool -> reserve
// (Σ reserve), one pending payment line per paid claim plus every released reserve waiting for
// a batch. Conflict (reason "already_executed") the second time: money moves once.
StatusOr<RunChange> ExecuteDistribution(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& officer, int64_t case_id, int64_t run_id);

// Reads: the case's officers and court users, auditors (RequireCaseStaff).
StatusOr<std::vector<DistributionRun>> ListDistributions(DbConnection& db, const Principal& reader,
                                                         int64_t case_id);
// The run; for an active run, `stale` says whether its claims changed since drafting.
StatusOr<DistributionRun> GetDistribution(DbConnection& db, const Principal& reader,
                                          int64_t case_id, int64_t run_id);

struct AllocationRow {
  int64_t claim_id = 0;
  bool disputed = false;
  Money recognised;
  Money prior;
  Money pay;
  Money reserve;
  Money deferred;
};
inline constexpr int kAllocationsPageSize = 1000;
struct AllocationsPage {
  std::vector<AllocationRow> rows;
  int page = 1;
  int64_t total = 0;
};
// Page n (from 1) of the run's allocations, in claim id order.
StatusOr<AllocationsPage> ListAllocations(DbConnection& db, const Principal& reader,
                                          int64_t case_id, int64_t run_id, int page);

// Payments: the batch file and the bank's results (service/distribution_payments.cc).
inline constexpr int kMaxPaymentsExportRows = 50000;
struct PaymentsExport {
  std::string csv;  // BOM, header, one CRLF line per payment line
  int rows = 0;
  int64_t next_after = 0;  // 0 when this was the last page; else pass as `after`
  bool with_personal_data = false;
  Money total;
  QueuedEntry entry;
};
// Officers of the case get payee name, bank and account (a PII access, logged); court users
// and auditors get the same file with those three columns empty. The run must be executed.
StatusOr<PaymentsExport> ExportPayments(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& reader, int64_t case_id, int64_t run_id,
                                        int64_t after_id, int limit, const std::string& request_id);

inline constexpr size_t kMaxPaymentResults = 500;
inline constexpr size_t kMaxFailureReasonChars = 200;
struct PaymentResultInput {
  std::string reference;
  bool paid = false;
  std::optional<std::string> reason;  // required for failed
};
// {results:[{reference, status:"paid"|"failed", reason?}]}: 1..500 lines, each once.
StatusOr<std::vector<PaymentResultInput>> ParsePaymentResults(const nlohmann::json& body);

struct PaymentResultsOutcome {
  int64_t applied = 0;    // lines that got their result now
  int64_t unchanged = 0;  // lines that already had this very result
  int64_t open_lines = 0;
  bool reconciled = false;
  std::optional<QueuedEntry> entry;  // absent when nothing changed
};
// Officers of the case. paid: payable -> paid; failed: payable -> pool and the claim's P drops
// by the amount, so the next round pays it. A line's result is final: the same result again is
// accepted and changes nothing; the other one is Conflict (reason "result_recorded").
StatusOr<PaymentResultsOutcome> RecordPaymentResults(DbConnection& db, const ServiceContext& ctx,
                                                     const Principal& officer, int64_t case_id,
                                                     int64_t run_id,
                                                     const std::vector<PaymentResultInput>& input);

// Called by ResolveObjection in its transaction, after the claim's new decision is saved
// (`claim_status` is "confirmed", "rejected" or "pending_countersign"; `allowed` its allowed
// amount). Releases whatever is held in reserve for the claim: the part the confirmed amount
// earns at the highest level an executed run of the case reached (less what the claim was
// already sent) goes reserve -> payable as a payment line joining the next run's batch; the
// rest goes back to the pool. A rejection, or an adjustment waiting for countersignature,
// returns everything to the pool (the rising tide pays a later confirmation). No-op (nullopt)
// when nothing is held.
StatusOr<std::optional<QueuedEntry>> ReleaseClaimReserve(DbConnection& db,
                                                         const ServiceContext& ctx,
                                                         const Principal& officer, int64_t case_id,
                                                         int64_t claim_id, int64_t objection_id,
                                                         const std::string& claim_status,
                                                         const std::optional<Money>& allowed);

// GET /api/v1/cases/{case}/distributions/public: every executed round, no personal data.
struct PublicRound {
  int round_no = 0;
  int64_t run_id = 0;
  int64_t executed_at_ms = 0;
  int record_date = 0;
  Money pool_before;
  Money amount;
  Money paid;
  Money reserved;
  Money deferred;
  Money surplus;
  std::string ratio;
  std::string level;
  int64_t paid_count = 0;
  int64_t reserved_count = 0;
  int64_t claims = 0;
};
// NotFound when the case does not exist.
StatusOr<std::vector<PublicRound>> ListPublicRounds(DbConnection& db, int64_t case_id);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_DISTRIBUTION_RUNS_H_
