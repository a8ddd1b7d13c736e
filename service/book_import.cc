// Importing the seized books, and the claimant's response to the figures they give.
#include "service/book_import.h"

#include <future>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "service/authorization.h"
#include "service/cases.h"
#include "service/person_index.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kHolderPurpose[] = "book_accounts.holder";

// Multi-row INSERTs go in chunks of these sizes (largest first), as in ledger_sequencer.cc: a
// file of any size uses at most a handful of distinct prepared statements per connection.
constexpr size_t kChunkSizes[] = {256, 64, 16, 4, 1};
constexpr char kInsertPrefix[] =
    "INSERT INTO book_accounts (case_id, platform_account, import_id, person_hash, holder_enc, "
    "deposits_fen, withdrawals_fen) VALUES ";
constexpr char kInsertRow[] = "(?, ?, ?, ?, ?, ?, ?)";

Status RowErrors(size_t rows) {
  return Status::InvalidArgument("file", std::to_string(rows) +
                                             (rows == 1 ? " row has" : " rows have") +
                                             " errors; nothing was imported");
}

// The parser compares platform accounts exactly, but book_accounts' key compares them in the
// table's case-insensitive collation: two accounts that differ only in letter case would
// collide there. Caught here with their line numbers; subtler collisions (accents, full-width
// letters) surface as a duplicate key on insert.
Status CheckCaseCollisions(const std::vector<BookRow>& rows, std::vector<BooksCsvError>* errors) {
  std::unordered_map<std::string, int> first_line;
  first_line.reserve(rows.size());
  size_t bad_rows = 0;
  size_t unlisted = 0;
  for (const BookRow& row : rows) {
    std::string key = row.platform_account;
    for (char& ch : key) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    const auto [it, inserted] = first_line.emplace(std::move(key), row.line);
    if (inserted) continue;
    ++bad_rows;
    if (errors->size() < kBooksCsvMaxListedErrors) {
      errors->push_back({row.line, "platform_account",
                         "differs from the platform account on line " + std::to_string(it->second) +
                             " only in letter case: accounts are compared without regard to "
                             "case, so each must differ in more than that"});
    } else {
      ++unlisted;
    }
  }
  if (bad_rows == 0) return Status::Ok();
  if (unlisted > 0) {
    errors->push_back({0, "", "… and " + std::to_string(unlisted) + " more errors not listed"});
  }
  return RowErrors(bad_rows);
}

// The parameters of rows [begin, begin + count): holder sealed, person indexed.
StatusOr<std::vector<SqlParam>> RowParams(const ServiceContext& ctx, int64_t case_id,
                                          int64_t import_id, const std::vector<BookRow>& rows,
                                          size_t begin, size_t count) {
  std::vector<SqlParam> params;
  params.reserve(count * 7);
  for (size_t i = begin; i < begin + count; ++i) {
    const BookRow& row = rows[i];
    const Json holder = {{"name", row.holder_name}, {"id_number", row.id_number}};
    ASSIGN_OR_RETURN(std::string sealed, ctx.keys->Seal(kHolderPurpose, holder.dump()));
    params.emplace_back(case_id);
    params.emplace_back(row.platform_account);
    params.emplace_back(import_id);
    params.emplace_back(PersonIndex(*ctx.keys, row.id_number));
    params.emplace_back(std::move(sealed));
    params.emplace_back(row.total_deposits.fen());
    params.emplace_back(row.total_withdrawals.fen());
  }
  return params;
}

// Inserts every row in chunks. Sealing and indexing the next chunk (CPU work: about 1.3 s of a
// 300,000-row import) runs on a helper thread while the database inserts the current one; the
// helper only reads the rows and the keys, and is always joined before this returns.
Status InsertRows(DbConnection& db, const ServiceContext& ctx, int64_t case_id, int64_t import_id,
                  const std::vector<BookRow>& rows) {
  struct Chunk {
    size_t begin = 0;
    size_t count = 0;
  };
  std::vector<Chunk> chunks;
  size_t planned = 0;
  for (size_t size : kChunkSizes) {
    while (rows.size() - planned >= size) {
      chunks.push_back({planned, size});
      planned += size;
    }
  }
  auto prepare = [&](const Chunk& chunk) {
    return RowParams(ctx, case_id, import_id, rows, chunk.begin, chunk.count);
  };
  std::future<StatusOr<std::vector<SqlParam>>> next;
  if (!chunks.empty()) next = std::async(std::launch::async, prepare, chunks[0]);
  for (size_t k = 0; k < chunks.size(); ++k) {
    StatusOr<std::vector<SqlParam>> params = next.get();
    if (k + 1 < chunks.size()) next = std::async(std::launch::async, prepare, chunks[k + 1]);
    if (!params.ok()) return params.status();
    StatusOr<int64_t> inserted =
        db.Exec(kInsertPrefix + RepeatSql(kInsertRow, chunks[k].count), *params);
    if (!inserted.ok()) {
      if (inserted.status().reason() == "duplicate_key") {
        return Status::InvalidArgument(
            "file",
            "two platform accounts differ only in letter case, accents or character width and "
            "cannot be told apart; make each account unique. Nothing was imported");
      }
      return inserted.status();
    }
  }
  return Status::Ok();
}

Status TotalTooLarge(const char* what) {
  return Status::InvalidArgument("file", std::string("the file's total ") + what +
                                             " are too large to add up; nothing was imported");
}

StatusOr<int64_t> CountQuery(DbConnection& db, const std::string& sql, int64_t case_id) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(sql, {case_id}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace

StatusOr<BookImportResult> ImportBooks(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id,
                                       std::string_view csv_bytes, int today_yyyymmdd,
                                       std::vector<BooksCsvError>* errors) {
  std::vector<BooksCsvError> unused;
  if (errors == nullptr) errors = &unused;
  errors->clear();
  if (officer.role != Role::kOfficer) {
    return Status::PermissionDenied("only the case's officers import its books")
        .WithReason("forbidden");
  }
  RETURN_IF_ERROR(RequireCaseStaff(db, officer, case_id));

  // Parsed before anything is locked or written: a bad file costs nobody a wait, and every
  // error reported in `errors` comes before the first write.
  ASSIGN_OR_RETURN(BooksCsvResult parsed, ParseBooksCsv(csv_bytes, today_yyyymmdd, errors));
  if (parsed.rows.empty()) {
    return Status::InvalidArgument(
        "file",
        "the file has a header but no rows; nothing was imported (an empty file would erase "
        "the books)");
  }
  RETURN_IF_ERROR(CheckCaseCollisions(parsed.rows, errors));
  Money total_deposits;
  Money total_withdrawals;
  for (const BookRow& row : parsed.rows) {
    StatusOr<Money> deposits = total_deposits.Add(row.total_deposits);
    if (!deposits.ok()) return TotalTooLarge("deposits");
    StatusOr<Money> withdrawals = total_withdrawals.Add(row.total_withdrawals);
    if (!withdrawals.ok()) return TotalTooLarge("withdrawals");
    total_deposits = *deposits;
    total_withdrawals = *withdrawals;
  }

  // The case row is only share-locked: its status cannot change under the import, while claims
  // (whose foreign key share-locks the same row) are still declared during a long import.
  ASSIGN_OR_RETURN(SqlRows case_rows,
                   db.Query("SELECT status FROM cases WHERE id = ? LOCK IN SHARE MODE", {case_id}));
  if (case_rows.empty()) return Status::NotFound("case not found");
  if (ParseCaseStatus(case_rows[0].Bytes(0)) == CaseStatus::kClosed) {
    return Status::RuleViolated("", "the case is closed; its books can no longer change")
        .WithReason("case_closed");
  }
  const int64_t now = ctx.NowMs();
  const std::string file_sha256 = crypto::Sha256(csv_bytes);
  const auto row_count = static_cast<int64_t>(parsed.rows.size());
  ASSIGN_OR_RETURN(
      const int64_t import_id,
      db.Insert("INSERT INTO book_imports (case_id, file_sha256, source_encoding, "
                "row_count, imported_by, imported_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                {case_id, file_sha256, parsed.source_encoding, row_count, officer.user_id, now}));
  // One import of a case at a time: locking every import row of the case waits for any other
  // import still in progress (its new row is uncommitted), so the DELETE below sees all of the
  // earlier books committed. Two imports that start together deadlock here and one is retried.
  RETURN_IF_ERROR(
      db.Query("SELECT id FROM book_imports WHERE case_id = ? FOR UPDATE", {case_id}).status());
  RETURN_IF_ERROR(db.Exec("DELETE FROM book_accounts WHERE case_id = ?", {case_id}).status());

  RETURN_IF_ERROR(InsertRows(db, ctx, case_id, import_id, parsed.rows));

  BookImportResult result;
  result.import_id = import_id;
  result.rows = row_count;
  result.source_encoding = parsed.source_encoding;
  result.ignored_columns = std::move(parsed.ignored_columns);
  result.total_deposits = total_deposits;
  result.total_withdrawals = total_withdrawals;
  ASSIGN_OR_RETURN(result.matched_claims,
                   CountQuery(db,
                              "SELECT COUNT(*) FROM claims c WHERE c.case_id = ? AND EXISTS "
                              "(SELECT 1 FROM book_accounts b WHERE b.case_id = c.case_id AND "
                              "b.person_hash = c.person_hash)",
                              case_id));
  ASSIGN_OR_RETURN(result.unmatched_holders,
                   CountQuery(db,
                              "SELECT COUNT(DISTINCT b.person_hash) FROM book_accounts b WHERE "
                              "b.case_id = ? AND NOT EXISTS (SELECT 1 FROM claims c WHERE "
                              "c.case_id = b.case_id AND c.person_hash = b.person_hash)",
                              case_id));

  ledger::EntryDraft draft;
  draft.type = "books_imported";
  draft.case_id = case_id;
  draft.actor = ActorOf(officer);
  draft.at_ms = now;
  draft.payload = {{"import", import_id},
                   {"rows", row_count},
                   {"file_sha256", crypto::HexEncode(file_sha256)},
                   {"total_deposits_fen", total_deposits.fen()},
                   {"total_withdrawals_fen", total_withdrawals.fen()}};
  ASSIGN_OR_RETURN(result.entry, AppendLedgerEntry(db, draft));
  return result;
}

std::optional<BookFiguresResponse> ParseBookFiguresResponse(std::string_view name) {
  if (name == "accept") return BookFiguresResponse::kAccept;
  if (name == "dispute") return BookFiguresResponse::kDispute;
  return std::nullopt;
}

StatusOr<BookFiguresResponseResult> RespondToBookFigures(
    DbConnection& db, const ServiceContext& ctx, const Principal& claimant, int64_t case_id,
    int64_t claim_id, BookFiguresResponse response, const std::optional<std::string>& note) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadOwnClaim(db, claimant, case_id, claim_id));
  if (claim.status != ClaimStatus::kSubmitted && claim.status != ClaimStatus::kDeficient) {
    return Status::Conflict(
               "the books' figures can be accepted or disputed only while the claim "
               "is submitted or deficient; it is " +
               std::string(ClaimStatusName(claim.status)))
        .WithReason("invalid_transition");
  }
  ASSIGN_OR_RETURN(std::optional<BookFigures> figures,
                   ReadBookFigures(db, case_id, claim.person_hash));
  if (!figures) {
    return Status::RuleViolated("", "the books hold no record for this claim's participant")
        .WithReason("no_book_records");
  }
  ASSIGN_OR_RETURN(SqlRows import_rows,
                   db.Query("SELECT MAX(import_id) FROM book_accounts WHERE case_id = ? AND "
                            "person_hash = ?",
                            {case_id, claim.person_hash}));
  const int64_t import_id = import_rows.empty() ? 0 : import_rows[0].Int(0);
  const bool accept = response == BookFiguresResponse::kAccept;
  Json payload = {{"import", import_id},
                  {"accounts", static_cast<int64_t>(figures->accounts.size())},
                  {"book_deposits_fen", figures->deposits.fen()},
                  {"book_withdrawals_fen", figures->withdrawals.fen()},
                  {"amount_fen", figures->net.fen()}};
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, claimant, claim,
                                    accept ? "book_figures_accepted" : "book_figures_disputed",
                                    std::nullopt, std::move(payload), note));
  return BookFiguresResponseResult{std::move(claim), std::move(*figures), import_id, entry};
}

}  // namespace restitution
