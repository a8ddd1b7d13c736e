// The seized books (账册) of a case: the officers' CSV import and list of holders without a
// claim, the book figures beside a claim's declared ones, and the claimant's scheduled amount
// with their acceptance or dispute of it.
#include <algorithm>
#include <cctype>

#include "api/app.h"
#include "api/error_response.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "service/book_import.h"
#include "service/books.h"
#include "service/claims.h"
#include "service/json_input.h"
#include "service/resident_id.h"
#include "service/time_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxBooksFileBytes = 64 * 1024 * 1024;
constexpr size_t kMaxNoteBytes = 2000;

int Today() { return ChinaDate(SystemNowMs()); }

Json AccountsJson(const std::vector<BookAccountFigures>& accounts) {
  Json list = Json::array();
  for (const BookAccountFigures& a : accounts) {
    list.push_back({{"platform_account", a.platform_account},
                    {"deposits", a.deposits.ToString()},
                    {"withdrawals", a.withdrawals.ToString()}});
  }
  return list;
}

Json FiguresJson(const BookFigures& f) {
  return {{"accounts", AccountsJson(f.accounts)},
          {"deposits", f.deposits.ToString()},
          {"withdrawals", f.withdrawals.ToString()},
          {"net", f.net.ToString()}};
}

struct NoInput {};
StatusOr<NoInput> ParseNoQuery(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return NoInput{};
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/cases/{case}/books

// The media type without parameters, lower-cased: "text/csv; charset=gbk" -> "text/csv".
std::string MediaType(const std::string& header) {
  std::string type = header.substr(0, header.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(),
                            [](unsigned char c) { return std::isspace(c) != 0; }),
             type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

// The file itself is parsed by the handler, on a worker: a 64 MiB file must not hold up the
// reactor thread that every other connection shares.
StatusOr<NoInput> ParseBooksUpload(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  const std::string type = MediaType(request.Header("content-type"));
  if (type != "text/csv" && type != "application/octet-stream") {
    return Status::InvalidArgument("Content-Type",
                                   "must be text/csv or application/octet-stream (the raw CSV "
                                   "file as the request body)");
  }
  return NoInput{};
}

Json CsvErrorsJson(const std::vector<BooksCsvError>& errors) {
  Json list = Json::array();
  for (const BooksCsvError& e : errors) {
    list.push_back({{"line", e.line > 0 ? Json(e.line) : Json(nullptr)},
                    {"column", e.column.empty() ? Json(nullptr) : Json(e.column)},
                    {"message", e.message}});
  }
  return list;
}

StatusOr<HttpResponse> HandleImport(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  std::vector<BooksCsvError> errors;
  StatusOr<BookImportResult> imported = ImportBooks(*ctx.db, ctx.app.services(), ctx.caller(),
                                                    case_id, ctx.request.body, Today(), &errors);
  if (!imported.ok()) {
    // ImportBooks lists errors only before its first write, so answering (which commits the
    // transaction) leaves the database as it was.
    if (imported.status().code() == StatusCode::kInvalidArgument && !errors.empty()) {
      return ErrorResponseWithDetails(imported.status(), {{"errors", CsvErrorsJson(errors)}});
    }
    return imported.status();
  }
  const BookImportResult& r = *imported;
  ctx.ledger_entry = r.entry;
  return JsonResponse(201, {{"import_id", r.import_id},
                            {"rows", r.rows},
                            {"source_encoding", r.source_encoding},
                            {"ignored_columns", r.ignored_columns},
                            {"total_deposits", r.total_deposits.ToString()},
                            {"total_withdrawals", r.total_withdrawals.ToString()},
                            {"matched_claims", r.matched_claims},
                            {"unmatched_holders", r.unmatched_holders}});
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/cases/{case}/books/unclaimed

struct PageInput {
  int page = 1;
};

StatusOr<PageInput> ParsePage(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"page"}));
  ASSIGN_OR_RETURN(uint64_t page, OptionalUintParam(request, "page", 1, 1000000));
  if (page == 0) return Status::InvalidArgument("page", "starts at 1");
  return PageInput{static_cast<int>(page)};
}

StatusOr<HttpResponse> HandleUnclaimed(RequestContext& ctx, const PageInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(UnclaimedPage page,
                   ListUnclaimedHolders(*ctx.db, ctx.app.services(), ctx.caller(), case_id,
                                        input.page, ctx.request.request_id));
  Json holders = Json::array();
  for (const UnclaimedHolder& h : page.holders) {
    holders.push_back({{"holder_name", h.holder_name},
                       {"id_number_masked", h.id_number_masked},
                       {"accounts", AccountsJson(h.accounts)},
                       {"deposits", h.deposits.ToString()},
                       {"withdrawals", h.withdrawals.ToString()},
                       {"net", h.net.ToString()}});
  }
  const UnclaimedTotals& t = page.totals;
  HttpResponse response = JsonResponse(200, {{"holders", holders},
                                             {"totals",
                                              {{"holders", t.holders},
                                               {"accounts", t.accounts},
                                               {"deposits", t.deposits.ToString()},
                                               {"withdrawals", t.withdrawals.ToString()},
                                               {"net", t.net.ToString()}}},
                                             {"page", page.page},
                                             {"page_size", page.page_size}});
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/cases/{case}/books/lookup

struct LookupInput {
  std::string name;
  std::string id_number;  // normalised
};

StatusOr<LookupInput> ParseLookup(const HttpRequest& request, const Json* body) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"name", "id_number"}));
  LookupInput input;
  ASSIGN_OR_RETURN(input.name, reader.RequiredString("name", 200));
  ASSIGN_OR_RETURN(std::string id_text, reader.RequiredString("id_number", 32));
  ASSIGN_OR_RETURN(ResidentId id, ParseResidentId(id_text, "id_number", Today()));
  input.id_number = std::move(id.number);
  return input;
}

StatusOr<HttpResponse> HandleLookup(RequestContext& ctx, const LookupInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(
      BookLookupResult found,
      LookupBookFigures(*ctx.db, ctx.app.services(), ctx.caller(), case_id, input.name,
                        input.id_number, ctx.request.client_address, ctx.request.request_id));
  // Refusals and misses are answers, not failures: the transaction commits, so the look-up
  // (or the throttling event) stays on record.
  if (found.refusal) return ErrorResponse(*found.refusal);
  if (!found.figures) return ErrorResponse(Status::NotFound("no matching records"));
  const BookFigures& f = *found.figures;
  HttpResponse response = JsonResponse(200, {{"accounts", AccountsJson(f.accounts)},
                                             {"deposits", f.deposits.ToString()},
                                             {"withdrawals", f.withdrawals.ToString()},
                                             {"scheduled_net", f.net.ToString()}});
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

// ---------------------------------------------------------------------------------------------
// GET /api/v1/cases/{case}/claims/{id}/books

StatusOr<HttpResponse> HandleClaimBooks(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadVisibleClaim(*ctx.db, ctx.caller(), case_id, claim_id));
  ASSIGN_OR_RETURN(std::optional<BookFigures> figures,
                   ReadBookFigures(*ctx.db, case_id, claim.person_hash));
  // The platform accounts are the participant's data: staff reads are on the access log.
  if (ctx.caller().user_id != claim.filer_user_id) {
    RETURN_IF_ERROR(LogPersonalDataAccess(*ctx.db, ctx.app.services(), ctx.caller(), case_id,
                                          claim.id, "claim_book_figures", ctx.request.request_id));
  }
  const bool discrepancy = figures && figures->net != claim.declared_net;
  HttpResponse response =
      JsonResponse(200, {{"claim_id", claim.id},
                         {"declared",
                          {{"principal", claim.declared_principal.ToString()},
                           {"returns", claim.declared_returns.ToString()},
                           {"net", claim.declared_net.ToString()}}},
                         {"books", figures ? FiguresJson(*figures) : Json(nullptr)},
                         {"discrepancy", discrepancy}});
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/cases/{case}/claims/{id}/book-figures

struct ResponseInput {
  BookFiguresResponse response = BookFiguresResponse::kAccept;
  std::optional<std::string> note;
};

StatusOr<ResponseInput> ParseResponse(const HttpRequest& request, const Json* body) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"response", "note"}));
  ResponseInput input;
  ASSIGN_OR_RETURN(std::string response, reader.RequiredString("response", 16));
  std::optional<BookFiguresResponse> parsed = ParseBookFiguresResponse(response);
  if (!parsed) return Status::InvalidArgument("response", "must be \"accept\" or \"dispute\"");
  input.response = *parsed;
  ASSIGN_OR_RETURN(input.note, reader.OptionalString("note", kMaxNoteBytes));
  return input;
}

StatusOr<HttpResponse> HandleResponse(RequestContext& ctx, const ResponseInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(BookFiguresResponseResult result,
                   RespondToBookFigures(*ctx.db, ctx.app.services(), ctx.caller(), case_id,
                                        claim_id, input.response, input.note));
  ctx.ledger_entry = result.entry;
  return JsonResponse(
      200, {{"claim_id", result.claim.id},
            {"status", std::string(ClaimStatusName(result.claim.status))},
            {"response", input.response == BookFiguresResponse::kAccept ? "accept" : "dispute"},
            {"import_id", result.import_id},
            {"books", FiguresJson(result.figures)}});
}

}  // namespace

void RegisterBookRoutes(Router& router) {
  Route import = MakeRoute<NoInput>("POST", "/api/v1/cases/{case}/books", Access::kAuthenticated,
                                    ParseBooksUpload, HandleImport, /*json_body=*/false);
  import.max_body_bytes = kMaxBooksFileBytes;
  router.Add(std::move(import));
  router.Add(MakeRoute<PageInput>("GET", "/api/v1/cases/{case}/books/unclaimed",
                                  Access::kAuthenticated, ParsePage, HandleUnclaimed,
                                  /*json_body=*/false));
  router.Add(MakeRoute<LookupInput>("POST", "/api/v1/cases/{case}/books/lookup",
                                    Access::kAuthenticated, ParseLookup, HandleLookup));
  router.Add(MakeRoute<NoInput>("GET", "/api/v1/cases/{case}/claims/{id}/books",
                                Access::kAuthenticated, ParseNoQuery, HandleClaimBooks,
                                /*json_body=*/false));
  router.Add(MakeRoute<ResponseInput>("POST", "/api/v1/cases/{case}/claims/{id}/book-figures",
                                      Access::kAuthenticated, ParseResponse, HandleResponse));
}

}  // namespace restitution
