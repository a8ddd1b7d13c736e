// The seized-books CSV parser (service/books_csv.h). Whatever the bytes, it must either
// accept rows that obey every documented rule, or refuse the whole file with a bounded,
// line-ordered error list. Accepted rows, written back out as plain quoted UTF-8 CSV, must
// parse to the same rows: nothing the parser keeps depends on how the file happened to be
// encoded or quoted.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/books_csv.h"
#include "service/resident_id.h"
#include "tests/fuzz/fuzz_check.h"

namespace restitution {
namespace {

constexpr int kToday = 20250615;

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

bool HasControl(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Render(const std::vector<BookRow>& rows) {
  std::string csv = "platform_account,holder_name,id_number,total_deposits,total_withdrawals\r\n";
  for (const BookRow& row : rows) {
    csv += Quoted(row.platform_account) + "," + Quoted(row.holder_name) + "," + row.id_number +
           "," + row.total_deposits.ToString() + "," + row.total_withdrawals.ToString() + "\r\n";
  }
  return csv;
}

void CheckRows(const BooksCsvResult& result) {
  const std::set<std::string> encodings = {"utf-8", "utf-8-bom", "gbk"};
  FUZZ_CHECK(encodings.count(result.source_encoding) == 1, result.source_encoding);
  std::set<std::string> accounts;
  int previous_line = 1;
  for (const BookRow& row : result.rows) {
    FUZZ_CHECK(row.line > previous_line, "rows in file order, after the header");
    previous_line = row.line;
    FUZZ_CHECK(!row.platform_account.empty() && CodePoints(row.platform_account) <= 64,
               "platform_account 1-64 characters");
    FUZZ_CHECK(!row.holder_name.empty() && CodePoints(row.holder_name) <= 50,
               "holder_name 1-50 characters");
    FUZZ_CHECK(!HasControl(row.platform_account) && !HasControl(row.holder_name),
               "no control characters");
    FUZZ_CHECK(accounts.insert(row.platform_account).second, "accounts are unique");
    const StatusOr<ResidentId> id = ParseResidentId(row.id_number, "id", kToday);
    FUZZ_CHECK(id.ok() && id->number == row.id_number, "ID numbers valid and normalised");
    FUZZ_CHECK(!row.total_deposits.IsNegative() && !row.total_withdrawals.IsNegative(),
               "amounts are not negative");
  }
}

void CheckRefusal(const Status& status, const std::vector<BooksCsvError>& errors) {
  FUZZ_CHECK(
      status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kTooLarge,
      "400 or 413: " + status.ToString());
  if (status.code() == StatusCode::kInvalidArgument) {
    FUZZ_CHECK(status.field() == "file", "the refusal names the file");
  }
  FUZZ_CHECK(errors.size() <= kBooksCsvMaxListedErrors + 1, "the error list is bounded");
  int previous_line = 0;
  for (size_t i = 0; i < errors.size(); ++i) {
    const BooksCsvError& error = errors[i];
    FUZZ_CHECK(!error.message.empty(), "every error says why");
    if (error.line == 0) {
      FUZZ_CHECK(i + 1 == errors.size() && i == kBooksCsvMaxListedErrors,
                 "the summary entry comes last, after a full list");
      continue;
    }
    FUZZ_CHECK(error.line >= previous_line, "errors ordered by line");
    previous_line = error.line;
  }
}

}  // namespace
}  // namespace restitution

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using restitution::BooksCsvError;
  using restitution::BooksCsvResult;
  using restitution::StatusOr;
  const std::string_view bytes = restitution::fuzz::AsText(data, size);
  std::vector<BooksCsvError> errors;
  const StatusOr<BooksCsvResult> parsed =
      restitution::ParseBooksCsv(bytes, restitution::kToday, &errors);
  const StatusOr<BooksCsvResult> quiet =
      restitution::ParseBooksCsv(bytes, restitution::kToday, nullptr);
  FUZZ_CHECK(parsed.ok() == quiet.ok(), "the error list does not change the verdict");
  if (!parsed.ok()) {
    restitution::CheckRefusal(parsed.status(), errors);
    return 0;
  }
  FUZZ_CHECK(errors.empty(), "no errors listed for an accepted file");
  restitution::CheckRows(*parsed);

  const std::string rendered = restitution::Render(parsed->rows);
  const StatusOr<BooksCsvResult> again =
      restitution::ParseBooksCsv(rendered, restitution::kToday, nullptr);
  FUZZ_CHECK(again.ok() && again->rows.size() == parsed->rows.size(),
             "accepted rows written back as CSV parse again: " + again.status().ToString());
  for (size_t i = 0; i < parsed->rows.size(); ++i) {
    const restitution::BookRow& a = parsed->rows[i];
    const restitution::BookRow& b = again->rows[i];
    FUZZ_CHECK(a.platform_account == b.platform_account && a.holder_name == b.holder_name &&
                   a.id_number == b.id_number && a.total_deposits == b.total_deposits &&
                   a.total_withdrawals == b.total_withdrawals,
               "the same row after a round trip");
  }
  return 0;
}
