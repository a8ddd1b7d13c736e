// A run's payment batch: the bank's file (payments.csv) and the bank's results line by line.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "service/cases.h"
#include "service/claims.h"
#include "service/claims_export.h"
#include "service/distribution_runs.h"
#include "service/distribution_store.h"
#include "service/json_input.h"
#include "service/payment_lines.h"
#include "service/pool.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kDeclarationPurpose[] = "claim_versions.declaration";
constexpr size_t kMaxReferenceBytes = 64;
// UTF-8 needs at most four bytes a character.
constexpr size_t kMaxBytesPerChar = 4;

std::string JsonString(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void AppendRow(const std::vector<std::string>& fields, std::string* csv) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) csv->push_back(',');
    csv->append(CsvField(fields[i]));
  }
  csv->append("\r\n");
}

size_t Utf8Characters(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Status RequireExecuted(const DistributionRun& run) {
  if (run.status != "executed") {
    return Status::Conflict("distribution " + std::to_string(run.id) + " is " + run.status +
                            "; it has payments only once executed")
        .WithReason("invalid_transition");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<PaymentsExport> ExportPayments(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& reader, int64_t case_id, int64_t run_id,
                                        int64_t after_id, int limit,
                                        const std::string& request_id) {
  if (reader.role != Role::kOfficer && reader.role != Role::kCourt &&
      reader.role != Role::kAuditor) {
    return Status::PermissionDenied("payment batches are for the case's staff and auditors")
        .WithReason("forbidden");
  }
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/false));
  RETURN_IF_ERROR(RequireExecuted(run));
  limit = std::clamp(limit, 1, kMaxPaymentsExportRows);
  PaymentsExport out;
  out.with_personal_data = reader.role == Role::kOfficer;
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT p.id, p.amount_fen, p.reference, v.declaration_enc FROM "
                            "distribution_payments p JOIN claims c ON c.id = p.claim_id JOIN "
                            "claim_versions v ON v.claim_id = c.id AND v.version = c.version "
                            "WHERE p.run_id = ? AND p.id > ? ORDER BY p.id LIMIT ?",
                            {run.id, after_id, int64_t{limit} + 1}));
  const bool more = rows.size() > static_cast<size_t>(limit);
  if (more) rows.pop_back();
  out.csv = "\xEF\xBB\xBF";  // UTF-8 byte-order mark: Excel then reads the file as UTF-8
  AppendRow({"payee_name", "bank", "account", "amount", "reference"}, &out.csv);
  for (const SqlRow& row : rows) {
    std::string name;
    std::string bank;
    std::string account;
    if (out.with_personal_data) {
      ASSIGN_OR_RETURN(std::string text, ctx.keys->Open(kDeclarationPurpose, row.Bytes(3)));
      const Json declaration = Json::parse(text, nullptr, false);
      if (!declaration.is_object()) return Status::Internal("stored declaration is not JSON");
      const Json identity = declaration.value("identity", Json::object());
      // Refunds go to an account in the holder's name, which defaults to the participant's.
      name = JsonString(identity, "bank_account_holder");
      if (name.empty()) name = JsonString(identity, "name");
      bank = JsonString(identity, "bank_name");
      account = JsonString(identity, "bank_account");
    }
    const Money amount = Money::FromFen(row.Int(1));
    ASSIGN_OR_RETURN(out.total, out.total.Add(amount));
    AppendRow({name, bank, account, amount.ToString(), row.Bytes(2)}, &out.csv);
    ++out.rows;
  }
  out.next_after = more && !rows.empty() ? rows.back().Int(0) : 0;
  if (out.with_personal_data) {
    RETURN_IF_ERROR(LogPersonalDataAccess(db, ctx, reader, case_id, std::nullopt,
                                          "distribution_payments", request_id));
  }
  ASSIGN_OR_RETURN(out.entry,
                   AppendLedgerEntry(
                       db, RunEntry("distribution_payments_exported", case_id, reader, ctx.NowMs(),
                                    {{"run", run.id},
                                     {"rows", out.rows},
                                     {"after", after_id},
                                     {"total_fen", out.total.fen()},
                                     {"with_personal_data", out.with_personal_data},
                                     {"csv_sha256", crypto::HexEncode(crypto::Sha256(out.csv))}})));
  return out;
}

StatusOr<std::vector<PaymentResultInput>> ParsePaymentResults(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"results"}));
  ASSIGN_OR_RETURN(std::vector<JsonReader> items,
                   reader.RequiredArrayOfObjects("results", kMaxPaymentResults));
  std::vector<PaymentResultInput> results;
  std::set<std::string> seen;
  for (const JsonReader& item : items) {
    RETURN_IF_ERROR(item.RejectUnknownKeys({"reference", "status", "reason"}));
    PaymentResultInput result;
    ASSIGN_OR_RETURN(result.reference, item.RequiredString("reference", kMaxReferenceBytes));
    if (!seen.insert(result.reference).second) {
      return Status::InvalidArgument(item.FieldPath("reference"),
                                     "appears more than once in this request");
    }
    ASSIGN_OR_RETURN(std::string status, item.RequiredString("status", 16));
    if (status != "paid" && status != "failed") {
      return Status::InvalidArgument(item.FieldPath("status"), "must be paid or failed");
    }
    result.paid = status == "paid";
    ASSIGN_OR_RETURN(result.reason,
                     item.OptionalString("reason", kMaxFailureReasonChars * kMaxBytesPerChar));
    if (result.reason && Utf8Characters(*result.reason) > kMaxFailureReasonChars) {
      return Status::InvalidArgument(
          item.FieldPath("reason"),
          "is too long (at most " + std::to_string(kMaxFailureReasonChars) + " characters)");
    }
    if (!result.paid && !result.reason) {
      return Status::InvalidArgument(item.FieldPath("reason"),
                                     "is required for a failed payment (the bank's reason)");
    }
    if (result.paid && result.reason) {
      return Status::InvalidArgument(item.FieldPath("reason"), "is only for failed payments");
    }
    results.push_back(std::move(result));
  }
  return results;
}

StatusOr<PaymentResultsOutcome> RecordPaymentResults(DbConnection& db, const ServiceContext& ctx,
                                                     const Principal& officer, int64_t case_id,
                                                     int64_t run_id,
                                                     const std::vector<PaymentResultInput>& input) {
  RETURN_IF_ERROR(RequireCaseRole(db, officer, Role::kOfficer, case_id, "record payment results"));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/true));
  RETURN_IF_ERROR(RequireExecuted(run));

  struct Change {
    PaymentLine line;
    const PaymentResultInput* result = nullptr;
  };
  std::vector<Change> changes;
  PaymentResultsOutcome outcome;
  Money paid;
  Money failed;
  std::vector<std::string> references;
  references.reserve(input.size());
  for (const PaymentResultInput& r : input) references.push_back(r.reference);
  if (std::set<std::string>(references.begin(), references.end()).size() != references.size()) {
    return Status::InvalidArgument("results", "a reference appears twice");
  }
  ASSIGN_OR_RETURN(const auto found, LockPaymentLines(db, case_id, references));
  for (size_t i = 0; i < input.size(); ++i) {
    const PaymentResultInput& r = input[i];
    const std::string field = "results[" + std::to_string(i) + "].reference";
    const auto line = found.find(r.reference);
    if (line == found.end() || line->second.run_id != run.id) {
      return Status::InvalidArgument(
          field, "is not a payment line of distribution " + std::to_string(run.id));
    }
    const std::string& status = line->second.status;
    const std::string wanted = r.paid ? "paid" : "failed";
    if (status == wanted) {
      ++outcome.unchanged;
      continue;
    }
    if (status != "pending") {
      return Status::Conflict("payment " + r.reference + " was already recorded as " + status +
                              "; a bank result is final")
          .WithReason("result_recorded");
    }
    const Money amount = Money::FromFen(line->second.amount_fen);
    if (r.paid) {
      ASSIGN_OR_RETURN(paid, paid.Add(amount));
    } else {
      ASSIGN_OR_RETURN(failed, failed.Add(amount));
    }
    changes.push_back(Change{line->second, &r});
  }
  outcome.applied = static_cast<int64_t>(changes.size());
  outcome.open_lines = run.payment_lines_open - outcome.applied;
  outcome.reconciled = outcome.open_lines == 0;
  if (changes.empty()) return outcome;

  const int64_t now = ctx.NowMs();
  TransferRefs refs;
  refs.run_id = run.id;
  std::vector<PoolTransfer> transfers;
  if (!paid.IsZero()) {
    std::vector<PoolTransfer> t = {{PoolAccount::kPayable, PoolAccount::kPaid, paid}};
    RETURN_IF_ERROR(ApplyTransfers(db, case_id, "payment_paid", refs, t, now));
    transfers.push_back(t[0]);
  }
  if (!failed.IsZero()) {
    // The money goes back to the pool, and the claim's P drops with it (below): the next
    // round's rising tide pays it again.
    std::vector<PoolTransfer> t = {{PoolAccount::kPayable, PoolAccount::kPool, failed}};
    RETURN_IF_ERROR(ApplyTransfers(db, case_id, "payment_failed", refs, t, now));
    transfers.push_back(t[0]);
  }
  Json lines = Json::array();
  for (const Change& c : changes) {
    lines.push_back({{"reference", c.result->reference},
                     {"claim", c.line.claim_id},
                     {"amount_fen", c.line.amount_fen},
                     {"status", c.result->paid ? "paid" : "failed"}});
  }
  ASSIGN_OR_RETURN(
      QueuedEntry entry,
      AppendLedgerEntry(db, RunEntry("distribution_payment_results", case_id, officer, now,
                                     {{"run", run.id},
                                      {"results", std::move(lines)},
                                      {"paid_fen", paid.fen()},
                                      {"failed_fen", failed.fen()},
                                      {"open_lines", outcome.open_lines},
                                      {"transfers", TransfersJson(transfers)}})));
  // Paid lines (nearly all) in chunks; a failed line carries its own reason and lowers its
  // claim's position, one by one.
  const PaymentResultStamp stamp{now, officer.user_id, entry.queue_id};
  std::vector<int64_t> paid_ids;
  for (const Change& c : changes) {
    if (c.result->paid) {
      paid_ids.push_back(c.line.id);
    } else {
      RETURN_IF_ERROR(MarkPaymentLineFailed(db, case_id, c.line, *c.result->reason, stamp));
    }
  }
  RETURN_IF_ERROR(MarkPaymentLinesPaid(db, paid_ids, stamp));
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_runs SET payment_lines_open = ? WHERE id = ?",
                          {outcome.open_lines, run.id})
                      .status());
  outcome.entry = entry;
  return outcome;
}

}  // namespace restitution
