// What the task force and the claimants do with the seized books (账册) of a case, beyond
// reading one person's figures (books.h): an officer imports the platform's CSV whole (every
// earlier row of the case replaced in the same transaction), lists the book holders who have
// not filed a claim, and a claimant looks up their own scheduled amount and accepts or
// disputes the figures the books give for their claim.
//
// Holders' names and ID numbers are stored only sealed ("book_accounts.holder"); rows are
// found by the person blind index (person_index.h), never by clear values. Nothing personal
// goes on the ledger.
#ifndef RESTITUTION_SERVICE_BOOK_IMPORT_H_
#define RESTITUTION_SERVICE_BOOK_IMPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/books.h"
#include "service/books_csv.h"
#include "service/claims.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/money.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

struct BookImportResult {
  int64_t import_id = 0;
  int64_t rows = 0;
  std::string source_encoding;  // "utf-8", "utf-8-bom" or "gbk"
  std::vector<std::string> ignored_columns;
  Money total_deposits;
  Money total_withdrawals;
  int64_t matched_claims = 0;     // claims of the case (any status) whose person is in the books
  int64_t unmatched_holders = 0;  // persons in the books without a claim in the case
  QueuedEntry entry;              // books_imported
};

// POST /api/v1/cases/{case}/books: officers bound to the case only (PermissionDenied for other
// roles, NotFound for an officer of another case). The file is parsed whole (books_csv.h,
// today_yyyymmdd bounds birth dates); on a bad file the parser's Status is returned with every
// row error in `errors` and nothing is written. A file without data rows is refused (it would
// silently erase the books). On success the case's book_accounts are replaced by the file's
// rows, a book_imports row records the file's SHA-256, and a books_imported ledger entry is
// queued, all in the caller's transaction. RuleViolated when the case is closed.
StatusOr<BookImportResult> ImportBooks(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id,
                                       std::string_view csv_bytes, int today_yyyymmdd,
                                       std::vector<BooksCsvError>* errors);

// One person of the books who has no claim in the case (withdrawn claims count as claims).
struct UnclaimedHolder {
  std::string holder_name;       // as on the person's first account (by platform account)
  std::string id_number_masked;  // first 6 + "********" + last 4
  std::vector<BookAccountFigures> accounts;
  Money deposits;
  Money withdrawals;
  Money net;  // max(0, deposits - withdrawals)
};

struct UnclaimedTotals {
  int64_t holders = 0;
  int64_t accounts = 0;
  Money deposits;
  Money withdrawals;
  Money net;  // Σ of the holders' nets
};

struct UnclaimedPage {
  std::vector<UnclaimedHolder> holders;  // largest net first
  UnclaimedTotals totals;                // of every unclaimed holder, not just this page
  int page = 1;
  int page_size = 50;
};

// GET /api/v1/cases/{case}/books/unclaimed?page=: officers bound to the case only. It shows
// names, so every page read is written to the PII access log ("books_unclaimed").
StatusOr<UnclaimedPage> ListUnclaimedHolders(DbConnection& db, const ServiceContext& ctx,
                                             const Principal& officer, int64_t case_id, int page,
                                             const std::string& request_id);

// How many look-ups a claimant account may make per rolling hour (across all cases).
inline constexpr int kBookLookupsPerHour = 10;

struct BookLookupResult {
  // TooManyAttempts (with retry_after_seconds) when the account has used its look-ups; the
  // refusal is recorded as a security event in the caller's transaction, which must commit.
  std::optional<Status> refusal;
  // nullopt: no matching records (the same whether the ID number is absent or the name wrong).
  std::optional<BookFigures> figures;
};

// POST /api/v1/cases/{case}/books/lookup {name, id_number}: claimants only (PermissionDenied
// otherwise), NotFound for a case that does not exist. Matches when a book account of the case
// has this ID number and its sealed holder name equals `name` (both trimmed); the figures are
// then those of every account of that person. Every look-up performed is written to the PII
// access log ("books_lookup"), whatever it found: the caller's transaction must commit even
// when nothing matched.
StatusOr<BookLookupResult> LookupBookFigures(DbConnection& db, const ServiceContext& ctx,
                                             const Principal& claimant, int64_t case_id,
                                             const std::string& name,
                                             const std::string& normalized_id_number,
                                             const std::string& client_address,
                                             const std::string& request_id);

enum class BookFiguresResponse { kAccept, kDispute };
std::optional<BookFiguresResponse> ParseBookFiguresResponse(std::string_view name);

struct BookFiguresResponseResult {
  ClaimRecord claim;
  BookFigures figures;
  int64_t import_id = 0;  // the import the figures come from
  QueuedEntry entry;      // claim_book_figures_accepted or claim_book_figures_disputed
};

// POST …/claims/{id}/book-figures {response, note?}: the claim's filer only (NotFound for
// everyone else), while the claim is submitted or deficient (Conflict otherwise). Records the
// response in the timeline and on the ledger (the note sealed, off the ledger); the claim's
// status and amounts do not change. RuleViolated ("no_book_records") when the books hold
// nothing for the claim's person.
StatusOr<BookFiguresResponseResult> RespondToBookFigures(
    DbConnection& db, const ServiceContext& ctx, const Principal& claimant, int64_t case_id,
    int64_t claim_id, BookFiguresResponse response, const std::optional<std::string>& note);

// "110105********002X": the first 6 and last 4 characters of a normalised ID number.
std::string MaskIdNumber(std::string_view id_number);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_BOOK_IMPORT_H_
