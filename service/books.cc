// Reading the seized books: one person's figures (books.h), the holders who have not filed a
// claim, and a claimant's own scheduled amount. The import and the claimant's response to the
// figures are in book_import.cc.
#include "service/books.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "service/authorization.h"
#include "service/book_import.h"
#include "service/cases.h"
#include "service/claims.h"
#include "service/person_index.h"
#include "service/security_events.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kHolderPurpose[] = "book_accounts.holder";
constexpr int kUnclaimedPageSize = 50;
constexpr int64_t kLookupWindowMs = 3600 * 1000;
constexpr char kLookupWhat[] = "books_lookup";

// The accounts of one person, with their sealed holders, in platform-account order.
constexpr char kPersonAccountsSql[] =
    "SELECT platform_account, deposits_fen, withdrawals_fen, holder_enc FROM book_accounts "
    "WHERE case_id = ? AND person_hash = ? ORDER BY platform_account";

// Persons of the books without a claim in the case: a withdrawn claim is still a claim.
// The case's rows are read in primary-key order and grouped in a temporary table: walking the
// person index instead costs one random primary-key lookup per row for the amounts, several
// times slower on a large book (300,000 rows: about 0.7 s against 4 s).
constexpr char kUnclaimedFrom[] =
    " FROM book_accounts b FORCE INDEX (PRIMARY) WHERE b.case_id = ? AND NOT EXISTS (SELECT 1 "
    "FROM claims c WHERE c.case_id = b.case_id AND c.person_hash = b.person_hash) GROUP BY "
    "b.person_hash";

struct Holder {
  std::string name;
  std::string id_number;
};

StatusOr<Holder> OpenHolder(const ServiceContext& ctx, const std::string& sealed) {
  ASSIGN_OR_RETURN(std::string text, ctx.keys->Open(kHolderPurpose, sealed));
  const Json holder = Json::parse(text, nullptr, false);
  if (holder.is_discarded() || !holder.is_object() || !holder.contains("name") ||
      !holder["name"].is_string() || !holder.contains("id_number") ||
      !holder["id_number"].is_string()) {
    return Status::Internal("stored book holder is malformed");
  }
  return Holder{holder["name"].get<std::string>(), holder["id_number"].get<std::string>()};
}

// Sums and net of rows (platform_account, deposits_fen, withdrawals_fen, …).
StatusOr<BookFigures> FiguresFromRows(const SqlRows& rows) {
  BookFigures figures;
  for (const SqlRow& row : rows) {
    BookAccountFigures account{row.Bytes(0), Money::FromFen(row.Int(1)),
                               Money::FromFen(row.Int(2))};
    ASSIGN_OR_RETURN(figures.deposits, figures.deposits.Add(account.deposits));
    ASSIGN_OR_RETURN(figures.withdrawals, figures.withdrawals.Add(account.withdrawals));
    figures.accounts.push_back(std::move(account));
  }
  if (figures.deposits > figures.withdrawals) {
    ASSIGN_OR_RETURN(figures.net, figures.deposits.Sub(figures.withdrawals));
  }
  return figures;
}

// Spaces a person may type around a name: ASCII white space and the ideographic space.
std::string_view TrimName(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  while (true) {
    const size_t before = text.size();
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                             text.front() == '\n')) {
      text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                             text.back() == '\n')) {
      text.remove_suffix(1);
    }
    if (text.substr(0, kIdeographicSpace.size()) == kIdeographicSpace) {
      text.remove_prefix(kIdeographicSpace.size());
    }
    if (text.size() >= kIdeographicSpace.size() &&
        text.substr(text.size() - kIdeographicSpace.size()) == kIdeographicSpace) {
      text.remove_suffix(kIdeographicSpace.size());
    }
    if (text.size() == before) return text;
  }
}

// Lookups of this claimant account within the last hour. The user row is locked first, so
// two look-ups at once by one account are counted one after the other.
StatusOr<std::optional<Status>> CheckLookupQuota(DbConnection& db, const ServiceContext& ctx,
                                                 const Principal& claimant) {
  ASSIGN_OR_RETURN(SqlRows user,
                   db.Query("SELECT id FROM users WHERE id = ? FOR UPDATE", {claimant.user_id}));
  if (user.empty()) return Status::Unauthenticated("the account no longer exists");
  const int64_t now = ctx.NowMs();
  const int64_t since = now - kLookupWindowMs;
  ASSIGN_OR_RETURN(SqlRows count, db.Query("SELECT COUNT(*) FROM pii_access_log WHERE "
                                           "user_id = ? AND at_ms > ? AND what = ?",
                                           {claimant.user_id, since, kLookupWhat}));
  if (count.empty() || count[0].Int(0) < kBookLookupsPerHour) return std::optional<Status>();
  // A slot frees when the kBookLookupsPerHour-th most recent look-up leaves the window.
  ASSIGN_OR_RETURN(SqlRows oldest,
                   db.Query("SELECT at_ms FROM pii_access_log WHERE user_id = ? AND at_ms > ? "
                            "AND what = ? ORDER BY at_ms DESC LIMIT 1 OFFSET ?",
                            {claimant.user_id, since, kLookupWhat, kBookLookupsPerHour - 1}));
  int64_t wait_ms = kLookupWindowMs;
  if (!oldest.empty()) wait_ms = oldest[0].Int(0) + kLookupWindowMs - now;
  const int retry_after = static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000));
  return std::optional<Status>(Status::TooManyAttempts(
      "at most " + std::to_string(kBookLookupsPerHour) + " look-ups per hour; try again later",
      retry_after));
}

}  // namespace

StatusOr<std::optional<BookFigures>> ReadBookFigures(DbConnection& db, int64_t case_id,
                                                     const std::string& person_hash) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT platform_account, deposits_fen, "
                                          "withdrawals_fen FROM book_accounts WHERE case_id = ? "
                                          "AND person_hash = ? ORDER BY platform_account",
                                          {case_id, person_hash}));
  if (rows.empty()) return std::optional<BookFigures>();
  ASSIGN_OR_RETURN(BookFigures figures, FiguresFromRows(rows));
  return std::optional<BookFigures>(std::move(figures));
}

std::string MaskIdNumber(std::string_view id_number) {
  if (id_number.size() < 10) return std::string(id_number.size(), '*');
  return std::string(id_number.substr(0, 6)) + "********" +
         std::string(id_number.substr(id_number.size() - 4));
}

StatusOr<UnclaimedPage> ListUnclaimedHolders(DbConnection& db, const ServiceContext& ctx,
                                             const Principal& officer, int64_t case_id, int page,
                                             const std::string& request_id) {
  if (officer.role != Role::kOfficer) {
    return Status::PermissionDenied("the unclaimed book holders are for the case's officers")
        .WithReason("forbidden");
  }
  RETURN_IF_ERROR(RequireCaseStaff(db, officer, case_id));
  UnclaimedPage out;
  out.page = std::max(1, page);
  out.page_size = kUnclaimedPageSize;

  // The import refuses books whose totals overflow, so every per-person sum fits in 64 bits.
  ASSIGN_OR_RETURN(
      SqlRows totals,
      db.Query(std::string("SELECT COUNT(*), CAST(COALESCE(SUM(t.n), 0) AS SIGNED), "
                           "CAST(COALESCE(SUM(t.d), 0) AS SIGNED), "
                           "CAST(COALESCE(SUM(t.w), 0) AS SIGNED), "
                           "CAST(COALESCE(SUM(GREATEST(t.d - t.w, 0)), 0) AS SIGNED) FROM "
                           "(SELECT COUNT(*) AS n, SUM(b.deposits_fen) AS d, "
                           "SUM(b.withdrawals_fen) AS w") +
                   kUnclaimedFrom + ") t",
               {case_id}));
  if (!totals.empty()) {
    out.totals.holders = totals[0].Int(0);
    out.totals.accounts = totals[0].Int(1);
    out.totals.deposits = Money::FromFen(totals[0].Int(2));
    out.totals.withdrawals = Money::FromFen(totals[0].Int(3));
    out.totals.net = Money::FromFen(totals[0].Int(4));
  }

  // The largest losses first: those are the people the task force most needs to reach.
  ASSIGN_OR_RETURN(
      SqlRows persons,
      db.Query(
          std::string("SELECT b.person_hash") + kUnclaimedFrom +
              " ORDER BY GREATEST(SUM(b.deposits_fen) - SUM(b.withdrawals_fen), 0) DESC, "
              "b.person_hash LIMIT ? OFFSET ?",
          {case_id, int64_t{out.page_size}, static_cast<int64_t>(out.page - 1) * out.page_size}));
  for (const SqlRow& person : persons) {
    ASSIGN_OR_RETURN(SqlRows rows, db.Query(kPersonAccountsSql, {case_id, person.Bytes(0)}));
    if (rows.empty()) continue;
    ASSIGN_OR_RETURN(BookFigures figures, FiguresFromRows(rows));
    ASSIGN_OR_RETURN(Holder holder, OpenHolder(ctx, rows[0].Bytes(3)));
    UnclaimedHolder h;
    h.holder_name = std::move(holder.name);
    h.id_number_masked = MaskIdNumber(holder.id_number);
    h.accounts = std::move(figures.accounts);
    h.deposits = figures.deposits;
    h.withdrawals = figures.withdrawals;
    h.net = figures.net;
    out.holders.push_back(std::move(h));
  }
  RETURN_IF_ERROR(LogPersonalDataAccess(db, ctx, officer, case_id, std::nullopt, "books_unclaimed",
                                        request_id));
  return out;
}

StatusOr<BookLookupResult> LookupBookFigures(DbConnection& db, const ServiceContext& ctx,
                                             const Principal& claimant, int64_t case_id,
                                             const std::string& name,
                                             const std::string& normalized_id_number,
                                             const std::string& client_address,
                                             const std::string& request_id) {
  if (claimant.role != Role::kClaimant) {
    return Status::PermissionDenied("only claimants look up their scheduled amount")
        .WithReason("forbidden");
  }
  RETURN_IF_ERROR(LoadCase(db, case_id).status());
  BookLookupResult result;
  ASSIGN_OR_RETURN(std::optional<Status> refusal, CheckLookupQuota(db, ctx, claimant));
  if (refusal) {
    SecurityEvent event;
    event.at_ms = ctx.NowMs();
    event.event = "books_lookup_throttled";
    event.user_id = claimant.user_id;
    event.role = std::string(RoleName(claimant.role));
    event.client_address = client_address;
    event.request_id = request_id;
    event.route = "POST /api/v1/cases/{case}/books/lookup";
    event.detail = "account";
    RETURN_IF_ERROR(RecordSecurityEvent(db, event));
    result.refusal = std::move(refusal);
    return result;
  }
  RETURN_IF_ERROR(
      LogPersonalDataAccess(db, ctx, claimant, case_id, std::nullopt, kLookupWhat, request_id));

  ASSIGN_OR_RETURN(SqlRows rows, db.Query(kPersonAccountsSql,
                                          {case_id, PersonIndex(*ctx.keys, normalized_id_number)}));
  const std::string_view wanted = TrimName(name);
  bool matched = false;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(Holder holder, OpenHolder(ctx, row.Bytes(3)));
    // Every row is opened, matched or not, so the time taken says little about which.
    if (!wanted.empty() && TrimName(holder.name) == wanted) matched = true;
  }
  if (!matched) return result;
  ASSIGN_OR_RETURN(BookFigures figures, FiguresFromRows(rows));
  result.figures = std::move(figures);
  return result;
}

}  // namespace restitution
