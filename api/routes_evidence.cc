// Evidence files of a claim: upload (the filer), list and download (the filer and the case's
// officers and court users).
//
// An upload is either the raw file as the body, named in the query
// (POST …/evidence?filename=<percent-encoded UTF-8>&purpose=evidence|authority), or a
// multipart/form-data body with exactly one file part named "file" and an optional "purpose"
// field. Either way the file is recognised by its content, never by its name or Content-Type.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/app.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "crypto/encoding.h"
#include "ledger/entry.h"
#include "service/claim_evidence.h"
#include "service/evidence_file.h"
#include "service/multipart.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

// The file itself may be kMaxEvidenceBytes; a multipart body adds its boundaries and headers.
constexpr size_t kMultipartOverheadBytes = 64 * 1024;

struct UploadInput {
  // The file within the request body (which outlives the handler): no copy of it is made.
  size_t offset = 0;
  size_t size = 0;
  std::string filename;  // decoded, not yet sanitised (the service does that)
  EvidencePurpose purpose = EvidencePurpose::kEvidence;
};

StatusOr<EvidencePurpose> ParsePurpose(std::string_view text) {
  std::optional<EvidencePurpose> purpose = ParseEvidencePurpose(text);
  if (!purpose) return Status::InvalidArgument("purpose", "must be evidence or authority");
  return *purpose;
}

StatusOr<UploadInput> ParseMultipartUpload(const HttpRequest& request,
                                           const std::string& content_type) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  ASSIGN_OR_RETURN(std::string boundary, MultipartFormDataBoundary(content_type));
  ASSIGN_OR_RETURN(SingleFileForm form,
                   ParseSingleFileForm(request.body, boundary, "file", {"purpose"}));
  UploadInput input;
  input.offset = form.file.offset;
  input.size = form.file.size;
  input.filename = *form.file.filename;
  auto purpose = form.fields.find("purpose");
  if (purpose != form.fields.end()) {
    ASSIGN_OR_RETURN(input.purpose, ParsePurpose(purpose->second));
  }
  return input;
}

StatusOr<UploadInput> ParseRawUpload(const HttpRequest& request) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"filename", "purpose"}));
  UploadInput input;
  auto filename = request.query.find("filename");
  if (filename == request.query.end()) {
    return Status::InvalidArgument("filename", "is required: ?filename=<percent-encoded name>");
  }
  // The HTTP layer hands query values over as sent, still percent-encoded.
  ASSIGN_OR_RETURN(input.filename,
                   PercentDecode(filename->second, /*plus_is_space=*/true, "filename"));
  auto purpose = request.query.find("purpose");
  if (purpose != request.query.end()) {
    ASSIGN_OR_RETURN(std::string text,
                     PercentDecode(purpose->second, /*plus_is_space=*/true, "purpose"));
    ASSIGN_OR_RETURN(input.purpose, ParsePurpose(text));
  }
  input.offset = 0;
  input.size = request.body.size();
  return input;
}

StatusOr<UploadInput> ParseUpload(const HttpRequest& request, const Json*) {
  const std::string content_type = request.Header("content-type");
  StatusOr<UploadInput> input = IsMultipartFormData(content_type)
                                    ? ParseMultipartUpload(request, content_type)
                                    : ParseRawUpload(request);
  if (!input.ok()) return input.status();
  if (input->size > kMaxEvidenceBytes) {
    return Status::TooLarge("an evidence file may be at most 10 MiB");
  }
  return input;
}

Json EvidenceJson(const EvidenceRecord& e) {
  return {{"id", e.id},
          {"media_type", std::string(EvidenceMimeType(e.type))},
          {"size", e.size_bytes},
          {"sha256", crypto::HexEncode(e.sha256)},
          {"purpose", std::string(EvidencePurposeName(e.purpose))},
          {"filename", e.filename},
          {"uploaded_at", ledger::FormatUtcMillis(e.uploaded_at_ms)}};
}

StatusOr<HttpResponse> HandleUpload(RequestContext& ctx, const UploadInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  EvidenceUpload upload;
  upload.content = std::string_view(ctx.request.body).substr(input.offset, input.size);
  upload.filename = input.filename;
  upload.purpose = input.purpose;
  ASSIGN_OR_RETURN(
      EvidenceChange change,
      AddClaimEvidence(*ctx.db, ctx.app.services(), ctx.caller(), case_id, claim_id, upload));
  ctx.ledger_entry = change.entry;
  return JsonResponse(201, EvidenceJson(change.evidence));
}

struct NoInput {};
StatusOr<NoInput> ParseNoQuery(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return NoInput{};
}

StatusOr<HttpResponse> HandleList(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(std::vector<EvidenceRecord> list,
                   ListClaimEvidence(*ctx.db, ctx.app.services(), ctx.caller(), case_id, claim_id,
                                     ctx.request.request_id));
  Json items = Json::array();
  for (const EvidenceRecord& e : list) items.push_back(EvidenceJson(e));
  return JsonResponse(200, {{"evidence", items}});
}

StatusOr<HttpResponse> HandleDownload(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(int64_t evidence_id, ParsePathId(ctx.path_params, "eid", "evidence"));
  ASSIGN_OR_RETURN(EvidenceFile file,
                   ReadClaimEvidence(*ctx.db, ctx.app.services(), ctx.caller(), case_id, claim_id,
                                     evidence_id, ctx.request.request_id));
  HttpResponse response;
  response.content_type = std::string(EvidenceMimeType(file.record.type));
  response.body = std::move(file.content);
  // Always an attachment: the browser saves it, never renders it. The plain filename is an
  // ASCII stand-in for clients that do not read filename*.
  response.headers.emplace_back(
      "Content-Disposition", "attachment; filename=\"evidence-" + std::to_string(file.record.id) +
                                 "." + std::string(EvidenceExtension(file.record.type)) +
                                 "\"; filename*=UTF-8''" +
                                 PercentEncodeAttrChars(file.record.filename));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

}  // namespace

void RegisterEvidenceRoutes(Router& router) {
  Route upload = MakeRoute<UploadInput>("POST", "/api/v1/cases/{case}/claims/{id}/evidence",
                                        Access::kAuthenticated, ParseUpload, HandleUpload,
                                        /*json_body=*/false);
  upload.max_body_bytes = kMaxEvidenceBytes + kMultipartOverheadBytes;
  router.Add(std::move(upload));
  router.Add(MakeRoute<NoInput>("GET", "/api/v1/cases/{case}/claims/{id}/evidence",
                                Access::kAuthenticated, ParseNoQuery, HandleList,
                                /*json_body=*/false));
  router.Add(MakeRoute<NoInput>("GET", "/api/v1/cases/{case}/claims/{id}/evidence/{eid}",
                                Access::kAuthenticated, ParseNoQuery, HandleDownload,
                                /*json_body=*/false));
}

}  // namespace restitution
