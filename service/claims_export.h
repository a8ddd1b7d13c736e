// The claims register as CSV (GET /api/v1/cases/{case}/claims.csv): what the task force hands
// to the court and the bank. UTF-8 with a byte-order mark so Chinese Excel opens it as UTF-8,
// RFC 4180 quoting, and every cell that Excel would read as a formula neutralised — names and
// references are typed by claimants, and a register must never run code when opened.
#ifndef RESTITUTION_SERVICE_CLAIMS_EXPORT_H_
#define RESTITUTION_SERVICE_CLAIMS_EXPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

// One CSV field: quoted when it holds a comma, quote, CR or LF; a leading =, +, -, @, tab or
// CR gets a single quote in front (OWASP "CSV injection").
std::string CsvField(std::string_view value);

constexpr int kMaxExportRows = 50000;

struct ClaimsExport {
  std::string csv;  // BOM, header line, one line per claim, CRLF line ends
  int rows = 0;
  int64_t next_after = 0;  // 0 when this was the last page; else pass as `after`
  bool with_personal_data = false;
  QueuedEntry entry;  // the claims_exported ledger entry
};

// Claims of the case with id > after_id, in id order, at most limit (<= kMaxExportRows).
// Officers of the case get the participants' identity and refund accounts (each export is a
// PII access, logged); court users and auditors get the figures only. Every export is a
// ledger entry (rows, SHA-256 of the CSV, whether it held personal data).
StatusOr<ClaimsExport> ExportClaims(DbConnection& db, const ServiceContext& ctx,
                                    const Principal& reader, int64_t case_id, int64_t after_id,
                                    int limit, const std::string& request_id);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIMS_EXPORT_H_
