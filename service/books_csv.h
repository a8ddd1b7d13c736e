// The platform's books (平台账册): a CSV export of the fund-raising platform's own records, one
// row per platform account, that a task-force officer uploads so claims can be checked against
// what the platform itself recorded.
//
// The file is all or nothing: a single bad row refuses the whole file, with every error and its
// line number, because a half-imported book would silently treat the missing accounts as
// "no record" and wrong every claimant behind them. Pure code: bytes in, rows or errors out.
//
// Accepted input:
//  - UTF-8 with or without a BOM; GBK/GB18030 (what Excel's plain "CSV" writes on a Chinese
//    Windows) is detected and converted. UTF-16 ("Unicode text") and anything undecodable are
//    refused with advice to save as "CSV UTF-8".
//  - RFC 4180 CSV: comma-separated (tab-separated when the header line has tabs and no commas),
//    quoted fields with "" escapes and embedded line breaks, CRLF, LF or CR line ends; empty
//    rows at the end are ignored.
//  - A header row on line 1 naming the five columns in any order, in English or Chinese, case
//    and surrounding spaces ignored, a trailing "(元)" ignored; other columns are ignored and
//    listed in `ignored_columns`.
//
// Error messages never repeat a cell's value: the cells are personal data (names, ID numbers),
// and the errors may be logged or shown to someone not entitled to see them.
#ifndef RESTITUTION_SERVICE_BOOKS_CSV_H_
#define RESTITUTION_SERVICE_BOOKS_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/money.h"

namespace restitution {

struct BookRow {
  int line = 0;                  // physical line (1 = header) where the row starts
  std::string platform_account;  // 1-64 characters, unique within the file
  std::string holder_name;       // 1-50 characters
  std::string id_number;         // normalised by ParseResidentId
  Money total_deposits;          // >= 0
  Money total_withdrawals;       // >= 0; may exceed deposits (a net winner)
};

struct BooksCsvError {
  int line = 0;        // physical line of the offending field; 0 for the summary entry below
  std::string column;  // canonical column name ("id_number"), or "" for the whole row or file
  std::string message;
};

struct BooksCsvResult {
  std::vector<BookRow> rows;
  std::string source_encoding;               // "utf-8", "utf-8-bom" or "gbk"
  std::vector<std::string> ignored_columns;  // header names not used, as written in the file
};

// Limits: the caller bounds the body size; these bound the work done on it.
inline constexpr size_t kBooksCsvMaxFieldBytes = 1024;
inline constexpr size_t kBooksCsvMaxLineBytes = 16 * 1024;
inline constexpr size_t kBooksCsvMaxColumns = 64;
inline constexpr size_t kBooksCsvMaxRows = 2'000'000;
inline constexpr size_t kBooksCsvMaxListedErrors = 200;

// Parses and validates the whole file. `today_yyyymmdd` bounds ID birth dates.
//
// Row errors: returns InvalidArgument("file", "N rows have errors; nothing was imported") and
// fills `errors` with the first kBooksCsvMaxListedErrors errors ordered by line; when there
// are more, one last entry {line 0, column "", "… K more errors not listed"} says how many.
// File errors (encoding, empty file, header problems) return InvalidArgument("file", message);
// header problems are also listed in `errors` on line 1. More than kBooksCsvMaxRows data rows
// returns TooLarge. `errors` is cleared first and may be null when the caller only wants the
// Status.
StatusOr<BooksCsvResult> ParseBooksCsv(std::string_view bytes, int today_yyyymmdd,
                                       std::vector<BooksCsvError>* errors);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_BOOKS_CSV_H_
