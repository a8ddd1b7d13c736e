#include "service/claims_export.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/entry.h"
#include "service/cases.h"
#include "service/claims.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kDeclarationPurpose[] = "claim_versions.declaration";

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

}  // namespace

std::string CsvField(std::string_view value) {
  std::string text(value);
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

StatusOr<ClaimsExport> ExportClaims(DbConnection& db, const ServiceContext& ctx,
                                    const Principal& reader, int64_t case_id, int64_t after_id,
                                    int limit, const std::string& request_id) {
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  limit = std::clamp(limit, 1, kMaxExportRows);
  ClaimsExport out;
  out.with_personal_data = reader.role == Role::kOfficer;
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT c.id, c.status, c.region, c.filed_as, c.late, c.version, "
                            "c.declared_principal_fen, c.declared_returns_fen, c.declared_net_fen, "
                            "c.allowed_fen, c.created_at_ms, v.declaration_enc FROM claims c JOIN "
                            "claim_versions v ON v.claim_id = c.id AND v.version = c.version "
                            "WHERE c.case_id = ? AND c.id > ? ORDER BY c.id LIMIT ?",
                            {case_id, after_id, int64_t{limit} + 1}));
  const bool more = rows.size() > static_cast<size_t>(limit);
  if (more) rows.pop_back();

  out.csv = "\xEF\xBB\xBF";  // UTF-8 byte-order mark: Excel then reads the file as UTF-8
  std::vector<std::string> header = {"claim_id",
                                     "status",
                                     "region",
                                     "filed_as",
                                     "late",
                                     "version",
                                     "declared_principal",
                                     "declared_returns",
                                     "declared_net",
                                     "allowed_amount",
                                     "created_at"};
  if (out.with_personal_data) {
    for (const char* column :
         {"name", "id_number", "phone", "bank_name", "bank_account", "bank_account_holder",
          "filer_name", "filer_id_number", "filer_relationship"}) {
      header.emplace_back(column);
    }
  }
  AppendRow(header, &out.csv);
  for (const SqlRow& row : rows) {
    std::vector<std::string> fields = {std::to_string(row.Int(0)),
                                       row.Bytes(1),
                                       row.Bytes(2),
                                       row.Bytes(3),
                                       row.Int(4) != 0 ? "yes" : "no",
                                       std::to_string(row.Int(5)),
                                       Money::FromFen(row.Int(6)).ToString(),
                                       Money::FromFen(row.Int(7)).ToString(),
                                       Money::FromFen(row.Int(8)).ToString(),
                                       row.IsNull(9) ? "" : Money::FromFen(row.Int(9)).ToString(),
                                       ledger::FormatUtcMillis(row.Int(10))};
    if (out.with_personal_data) {
      ASSIGN_OR_RETURN(std::string text, ctx.keys->Open(kDeclarationPurpose, row.Bytes(11)));
      const Json declaration = Json::parse(text, nullptr, false);
      if (!declaration.is_object()) return Status::Internal("stored declaration is not JSON");
      const Json identity = declaration.value("identity", Json::object());
      const Json filer = declaration.value("filer", Json::object());
      for (const char* key :
           {"name", "id_number", "phone", "bank_name", "bank_account", "bank_account_holder"}) {
        fields.push_back(JsonString(identity, key));
      }
      for (const char* key : {"name", "id_number", "relationship"}) {
        fields.push_back(JsonString(filer, key));
      }
    }
    AppendRow(fields, &out.csv);
    ++out.rows;
  }
  out.next_after = more && !rows.empty() ? rows.back().Int(0) : 0;
  if (out.with_personal_data) {
    RETURN_IF_ERROR(
        LogPersonalDataAccess(db, ctx, reader, case_id, std::nullopt, "claims_export", request_id));
  }
  ledger::EntryDraft draft;
  draft.type = "claims_exported";
  draft.case_id = case_id;
  draft.actor = ActorOf(reader);
  draft.at_ms = ctx.NowMs();
  draft.payload = {{"rows", out.rows},
                   {"after", after_id},
                   {"with_personal_data", out.with_personal_data},
                   {"csv_sha256", crypto::HexEncode(crypto::Sha256(out.csv))}};
  ASSIGN_OR_RETURN(out.entry, AppendLedgerEntry(db, draft));
  return out;
}

}  // namespace restitution
