// The ledger, read side: the verifier key, checkpoints, proofs (public) and the entries
// themselves (auditors, courts, admins). Formats: ledger/FORMAT.md.
#include <limits>

#include "api/app.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "crypto/encoding.h"
#include "ledger/canonical_json.h"
#include "ledger/entry.h"
#include "service/authorization.h"
#include "service/ledger_store.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

// Indices and sizes are stored as BIGINT.
constexpr uint64_t kMaxIndex = std::numeric_limits<int64_t>::max();

HttpResponse TextResponse(std::string body) {
  HttpResponse response;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

Json HashList(const std::vector<ledger::Hash>& hashes) {
  Json list = Json::array();
  for (const ledger::Hash& hash : hashes) list.push_back(crypto::Base64Encode(hash));
  return list;
}

Json OptionalTime(const std::optional<int64_t>& ms) {
  return ms ? Json(ledger::FormatUtcMillis(*ms)) : Json(nullptr);
}

struct NoInput {};

StatusOr<NoInput> ParseNoParams(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return NoInput{};
}

struct InclusionInput {
  uint64_t index = 0;
  uint64_t size = 0;
};

StatusOr<InclusionInput> ParseInclusion(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"index", "size"}));
  InclusionInput input;
  ASSIGN_OR_RETURN(input.index, RequiredUintParam(request, "index", kMaxIndex));
  ASSIGN_OR_RETURN(input.size, RequiredUintParam(request, "size", kMaxIndex));
  if (input.index >= input.size) return Status::InvalidArgument("index", "must be less than size");
  return input;
}

struct ConsistencyInput {
  uint64_t from = 0;
  uint64_t to = 0;
};

StatusOr<ConsistencyInput> ParseConsistency(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"from", "to"}));
  ConsistencyInput input;
  ASSIGN_OR_RETURN(input.from, RequiredUintParam(request, "from", kMaxIndex));
  ASSIGN_OR_RETURN(input.to, RequiredUintParam(request, "to", kMaxIndex));
  if (input.from > input.to) return Status::InvalidArgument("from", "must not exceed to");
  return input;
}

struct PageInput {
  uint64_t start = 0;
  int limit = 0;
};

StatusOr<PageInput> ParsePage(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"start", "limit"}));
  PageInput input;
  ASSIGN_OR_RETURN(input.start, OptionalUintParam(request, "start", 0, kMaxIndex));
  ASSIGN_OR_RETURN(uint64_t limit, OptionalUintParam(request, "limit", 100, kMaxEntriesPage));
  if (limit == 0) return Status::InvalidArgument("limit", "must be from 1 to 1000");
  input.limit = static_cast<int>(limit);
  return input;
}

struct ReceiptLookupInput {
  ledger::Hash leaf_hash;
};

StatusOr<ReceiptLookupInput> ParseReceiptLookup(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"leaf_hash"}));
  auto it = request.query.find("leaf_hash");
  if (it == request.query.end()) return Status::InvalidArgument("leaf_hash", "is required");
  StatusOr<std::string> bytes = crypto::Base64Decode(it->second);
  if (!bytes.ok() || bytes->size() != ledger::kHashSize) {
    return Status::InvalidArgument("leaf_hash", "must be the base64 of a 32-byte hash");
  }
  return ReceiptLookupInput{*bytes};
}

StatusOr<HttpResponse> HandleKey(RequestContext& ctx, const NoInput&) {
  return TextResponse(ctx.app.ledger_signer().verifier_key() + "\n");
}

StatusOr<HttpResponse> HandleKeys(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(std::vector<StoredVerifierKey> keys, ReadVerifierKeys(*ctx.db));
  Json list = Json::array();
  for (const StoredVerifierKey& key : keys) {
    list.push_back({{"key_id", key.key_id},
                    {"verifier_key", key.verifier_key},
                    {"first_used_at", ledger::FormatUtcMillis(key.first_used_at_ms)},
                    {"retired_at", OptionalTime(key.retired_at_ms)}});
  }
  return JsonResponse(200, {{"keys", list}});
}

StatusOr<HttpResponse> HandleCheckpoint(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest, ReadLatestCheckpoint(*ctx.db));
  if (!latest) return Status::Unavailable("the ledger has not signed its first checkpoint yet", 1);
  return TextResponse(latest->note);
}

StatusOr<HttpResponse> HandleCheckpoints(RequestContext& ctx, const PageInput& input) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kReadLedgerEntries));
  ASSIGN_OR_RETURN(std::vector<StoredCheckpoint> checkpoints,
                   ReadCheckpoints(*ctx.db, input.start, input.limit));
  Json list = Json::array();
  for (const StoredCheckpoint& c : checkpoints) {
    list.push_back({{"size", c.size},
                    {"root", crypto::Base64Encode(c.root)},
                    {"note", c.note},
                    {"signed_at", ledger::FormatUtcMillis(c.signed_at_ms)}});
  }
  return JsonResponse(200, {{"checkpoints", list}});
}

// A receipt's leaf hash to its index: a receipt handed out while its entry still waited in
// the queue has no index, and this is how its holder learns it later.
StatusOr<HttpResponse> HandleReceipt(RequestContext& ctx, const ReceiptLookupInput& input) {
  ASSIGN_OR_RETURN(std::optional<ReceiptStatus> receipt,
                   ReceiptOfLeafHash(*ctx.db, input.leaf_hash));
  if (!receipt) return Status::NotFound("no ledger entry has this leaf hash");
  return JsonResponse(200, ReceiptStatusJson(*receipt));
}

StatusOr<HttpResponse> HandleInclusion(RequestContext& ctx, const InclusionInput& input) {
  ASSIGN_OR_RETURN(InclusionProofView proof, ReadInclusionProof(*ctx.db, input.index, input.size));
  return JsonResponse(200, {{"index", proof.index},
                            {"size", proof.size},
                            {"leaf_hash", crypto::Base64Encode(proof.leaf_hash)},
                            {"hashes", HashList(proof.hashes)}});
}

StatusOr<HttpResponse> HandleConsistency(RequestContext& ctx, const ConsistencyInput& input) {
  ASSIGN_OR_RETURN(std::vector<ledger::Hash> proof,
                   ReadConsistencyProof(*ctx.db, input.from, input.to));
  return JsonResponse(200, {{"from", input.from}, {"to", input.to}, {"hashes", HashList(proof)}});
}

StatusOr<HttpResponse> HandleEntries(RequestContext& ctx, const PageInput& input) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kReadLedgerEntries));
  ASSIGN_OR_RETURN(std::vector<StoredEntry> entries,
                   ReadEntries(*ctx.db, input.start, input.limit));
  Json list = Json::array();
  for (const StoredEntry& entry : entries) {
    // The bytes are what was hashed; "entry" is a convenience a verifier must not hash.
    StatusOr<Json> decoded = ledger::ParseCanonicalJson(entry.bytes);
    list.push_back({{"index", entry.index},
                    {"data", crypto::Base64Encode(entry.bytes)},
                    {"leaf_hash", crypto::Base64Encode(entry.leaf_hash)},
                    {"entry", decoded.ok() ? *decoded : Json(nullptr)}});
  }
  return JsonResponse(200, {{"entries", list}});
}

template <typename Input>
void AddGet(Router& router, const char* pattern, Access access,
            std::function<StatusOr<Input>(const HttpRequest&, const Json*)> parse,
            std::function<StatusOr<HttpResponse>(RequestContext&, const Input&)> handle,
            bool replica_ok = false) {
  Route route = MakeRoute<Input>("GET", pattern, access, std::move(parse), std::move(handle),
                                 /*json_body=*/false);
  route.replica_ok = replica_ok;
  router.Add(std::move(route));
}

}  // namespace

void RegisterLedgerRoutes(Router& router) {
  // Public proofs and checkpoints may come from the replica: a replica's checkpoint is older
  // but signed, and a proof beyond its head is answered by the primary (request_executor.cc).
  AddGet<NoInput>(router, "/api/v1/ledger/keys", Access::kPublic, ParseNoParams, HandleKeys,
                  /*replica_ok=*/true);
  AddGet<NoInput>(router, "/api/v1/ledger/checkpoint", Access::kPublic, ParseNoParams,
                  HandleCheckpoint, /*replica_ok=*/true);
  AddGet<PageInput>(router, "/api/v1/ledger/checkpoints", Access::kAuthenticated, ParsePage,
                    HandleCheckpoints);
  AddGet<InclusionInput>(router, "/api/v1/ledger/proof/inclusion", Access::kPublic, ParseInclusion,
                         HandleInclusion, /*replica_ok=*/true);
  AddGet<ReceiptLookupInput>(router, "/api/v1/ledger/receipt", Access::kPublic, ParseReceiptLookup,
                             HandleReceipt);
  AddGet<ConsistencyInput>(router, "/api/v1/ledger/proof/consistency", Access::kPublic,
                           ParseConsistency, HandleConsistency, /*replica_ok=*/true);
  AddGet<PageInput>(router, "/api/v1/ledger/entries", Access::kAuthenticated, ParsePage,
                    HandleEntries);
  Route key = MakeRoute<NoInput>("GET", "/api/v1/ledger/key", Access::kPublic, ParseNoParams,
                                 HandleKey, /*json_body=*/false);
  key.uses_database = false;
  router.Add(std::move(key));
}

}  // namespace restitution
