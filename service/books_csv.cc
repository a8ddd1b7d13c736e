#include "service/books_csv.h"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <unordered_map>
#include <utility>

#include "ledger/utf8.h"
#include "service/resident_id.h"

namespace restitution {
namespace {

// Bilingual because the officer who meets it may read either, and the fix (Excel's "Save as"
// dialog) is the same whichever language their Excel speaks.
constexpr char kEncodingAdvice[] =
    "文件编码无法识别，请在Excel中另存为“CSV UTF-8”格式 / unrecognised encoding: save as CSV UTF-8";

Status FileError(std::string message) {
  return Status::InvalidArgument("file", std::move(message));
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// ---------------------------------------------------------------------------------------------
// Encoding

struct DecodedText {
  std::string text;
  std::string encoding;
};

class IconvHandle {
 public:
  explicit IconvHandle(iconv_t handle) : handle_(handle) {}
  ~IconvHandle() {
    if (valid()) iconv_close(handle_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;

  bool valid() const { return handle_ != reinterpret_cast<iconv_t>(static_cast<intptr_t>(-1)); }
  iconv_t get() const { return handle_; }

 private:
  iconv_t handle_;
};

// GB18030 is a superset of GBK and GB2312, so one converter reads every file Excel's plain
// "CSV" writes on a Chinese Windows. A byte sequence it cannot decode is refused rather than
// replaced: a replacement character inside a name would import the wrong name.
StatusOr<std::string> ConvertFromGb18030(std::string_view bytes) {
  IconvHandle converter(iconv_open("UTF-8", "GB18030"));
  if (!converter.valid()) {
    return Status::Internal("the GB18030 converter is not available (glibc gconv modules)");
  }
  std::string input(bytes);  // iconv's input pointer is not const
  char* in = input.data();
  size_t in_left = input.size();
  // A 2-byte GB character becomes at most 3 bytes of UTF-8, a 4-byte one at most 4.
  std::string output(input.size() * 2 + 16, '\0');
  size_t used = 0;
  while (in_left > 0) {
    char* out = output.data() + used;
    size_t out_left = output.size() - used;
    const size_t converted = iconv(converter.get(), &in, &in_left, &out, &out_left);
    used = output.size() - out_left;
    if (converted == static_cast<size_t>(-1)) {
      if (errno == E2BIG) {
        output.resize(output.size() * 2);
        continue;
      }
      return FileError(kEncodingAdvice);  // EILSEQ, or EINVAL for a truncated last character
    }
  }
  output.resize(used);
  return output;
}

StatusOr<DecodedText> Decode(std::string_view bytes) {
  if (bytes.empty()) return FileError("the file is empty");
  if (StartsWith(bytes, "\xFF\xFE") || StartsWith(bytes, "\xFE\xFF")) {
    return FileError(
        "文件是UTF-16编码（Excel的“Unicode文本”），请另存为“CSV UTF-8”格式 / the file is UTF-16 "
        "(Excel's \"Unicode text\"): save as CSV UTF-8");
  }
  // NUL bytes are valid UTF-8 but mean UTF-16 without a BOM, or not a text file at all.
  if (bytes.find('\0') != std::string_view::npos) return FileError(kEncodingAdvice);
  constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
  if (StartsWith(bytes, kUtf8Bom)) {
    bytes.remove_prefix(kUtf8Bom.size());
    // A file that claims UTF-8 and is not is damaged; guessing another encoding would be
    // second-guessing its own label.
    if (!ledger::IsValidUtf8(bytes)) return FileError(kEncodingAdvice);
    return DecodedText{std::string(bytes), "utf-8-bom"};
  }
  if (ledger::IsValidUtf8(bytes)) return DecodedText{std::string(bytes), "utf-8"};
  ASSIGN_OR_RETURN(std::string converted, ConvertFromGb18030(bytes));
  return DecodedText{std::move(converted), "gbk"};
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

struct CsvField {
  std::string value;  // at most kBooksCsvMaxFieldBytes; embedded line breaks become '\n'
  int line = 0;       // where the field starts
  bool too_long = false;
};

struct CsvRecord {
  int line = 0;
  std::vector<CsvField> fields;         // the first kBooksCsvMaxColumns + 1 fields
  size_t field_count = 0;               // every field, kept or not
  std::vector<BooksCsvError> problems;  // quoting and line-length errors
};

// Splits text into records, counting physical lines so errors point where an editor does.
class CsvReader {
 public:
  CsvReader(std::string_view text, char separator) : text_(text), separator_(separator) {}

  // Reads the next record; false at the end of the text.
  bool Next(CsvRecord* record) {
    if (AtEnd()) return false;
    record->line = line_;
    record->fields.clear();
    record->field_count = 0;
    record->problems.clear();
    while (true) {
      CsvField field;
      field.line = line_;
      if (!AtEnd() && text_[pos_] == '"') {
        ReadQuoted(&field, record);
      } else {
        ReadUnquoted(&field, record, /*report_quotes=*/true);
      }
      ++record->field_count;
      if (record->fields.size() <= kBooksCsvMaxColumns) record->fields.push_back(std::move(field));
      if (!AtEnd() && text_[pos_] == separator_) {
        ++pos_;
        continue;
      }
      if (AtEnd()) {
        CheckLineLength(record);
      } else {
        ConsumeLineBreak(record);
      }
      return true;
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool AtLineBreak() const { return !AtEnd() && (text_[pos_] == '\n' || text_[pos_] == '\r'); }

  void CheckLineLength(CsvRecord* record) const {
    if (pos_ - line_start_ > kBooksCsvMaxLineBytes) {
      record->problems.push_back(
          {line_, "",
           "the line is too long (at most " + std::to_string(kBooksCsvMaxLineBytes) + " bytes)"});
    }
  }

  // CRLF, LF, and a lone CR (Excel for Mac's "CSV (Macintosh)") each end one line.
  void ConsumeLineBreak(CsvRecord* record) {
    CheckLineLength(record);
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  // Stops growing at the limit so one huge cell cannot cost more memory than a normal row.
  static void Append(CsvField* field, char c) {
    if (field->value.size() >= kBooksCsvMaxFieldBytes) {
      field->too_long = true;
      return;
    }
    field->value.push_back(c);
  }

  void ReadQuoted(CsvField* field, CsvRecord* record) {
    const int opening_line = line_;
    ++pos_;
    while (true) {
      if (AtEnd()) {
        record->problems.push_back(
            {opening_line, "",
             "a quoted field that starts on this line is never closed: a quote (\") is missing"});
        return;
      }
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          Append(field, '"');
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\r' || c == '\n') {
        ConsumeLineBreak(record);
        Append(field, '\n');
        continue;
      }
      Append(field, c);
      ++pos_;
    }
    if (!AtEnd() && text_[pos_] != separator_ && !AtLineBreak()) {
      record->problems.push_back(
          {line_, "",
           "text follows a closing quote: a quote inside a quoted field must be doubled (\"\")"});
      ReadUnquoted(field, record, /*report_quotes=*/false);
    }
  }

  // A bare quote is kept but reported: Excel always quotes such a field, so a bare one means
  // the file was edited by hand or cut, and the cell may not hold what its author meant.
  void ReadUnquoted(CsvField* field, CsvRecord* record, bool report_quotes) {
    while (!AtEnd() && text_[pos_] != separator_ && !AtLineBreak()) {
      if (text_[pos_] == '"' && report_quotes) {
        record->problems.push_back(
            {line_, "",
             "a quote (\") inside an unquoted field: enclose the field in quotes and double the "
             "quote"});
        report_quotes = false;
      }
      Append(field, text_[pos_]);
      ++pos_;
    }
  }

  std::string_view text_;
  char separator_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
};

// Tab-separated only when the header line says so unambiguously.
char DetectSeparator(std::string_view text) {
  const std::string_view first_line = text.substr(0, text.find_first_of("\r\n"));
  const bool tabs = first_line.find('\t') != std::string_view::npos;
  const bool commas = first_line.find(',') != std::string_view::npos;
  return tabs && !commas ? '\t' : ',';
}

std::string_view TrimAscii(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool IsEmptyRecord(const CsvRecord& record) {
  if (!record.problems.empty() || record.field_count > record.fields.size()) return false;
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const CsvField& f) { return !f.too_long && TrimAscii(f.value).empty(); });
}

// ---------------------------------------------------------------------------------------------
// Header

enum Column : size_t { kAccount, kName, kIdNumber, kDeposits, kWithdrawals, kColumnCount };

struct ColumnSpec {
  std::string_view name;  // canonical, also the first alias
  std::array<std::string_view, 5> aliases;
};

// The Chinese names are those platform exports and task-force spreadsheets actually use.
constexpr std::array<ColumnSpec, kColumnCount> kColumns = {{
    {"platform_account", {"platform_account", "平台账号", "账号", "会员账号"}},
    {"holder_name", {"holder_name", "姓名", "户名", "客户姓名"}},
    {"id_number", {"id_number", "身份证号", "身份证号码", "证件号码"}},
    {"total_deposits", {"total_deposits", "累计投资", "累计充值", "投资总额", "充值总额"}},
    {"total_withdrawals", {"total_withdrawals", "累计提现", "累计回款", "提现总额", "回款总额"}},
}};

std::string_view TrimHeaderSpace(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000
  while (true) {
    const std::string_view before = text;
    text = TrimAscii(text);
    if (StartsWith(text, kIdeographicSpace)) text.remove_prefix(kIdeographicSpace.size());
    if (text.size() >= kIdeographicSpace.size() &&
        text.substr(text.size() - kIdeographicSpace.size()) == kIdeographicSpace) {
      text.remove_suffix(kIdeographicSpace.size());
    }
    if (text.size() == before.size()) return text;
  }
}

// "Total Deposits (元)" and "累计投资（元）" name total_deposits: spreadsheets label units, and
// the unit is the one we expect anyway.
std::string NormaliseHeader(std::string_view text) {
  text = TrimHeaderSpace(text);
  for (std::string_view unit : {"(元)", "（元）"}) {
    if (text.size() >= unit.size() && text.substr(text.size() - unit.size()) == unit) {
      text = TrimHeaderSpace(text.substr(0, text.size() - unit.size()));
      break;
    }
  }
  std::string name(text);
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
  }
  return name;
}

std::string DisplayName(Column column) {
  const ColumnSpec& spec = kColumns[column];
  return std::string(spec.name) + " (" + std::string(spec.aliases[1]) + ")";
}

struct HeaderMap {
  std::array<size_t, kColumnCount> index{};
  size_t width = 0;
};

StatusOr<HeaderMap> ReadHeader(const CsvRecord& header, std::vector<std::string>* ignored,
                               std::vector<BooksCsvError>* errors) {
  std::vector<BooksCsvError> found = header.problems;
  if (header.field_count > kBooksCsvMaxColumns) {
    found.push_back({1, "",
                     "the header has " + std::to_string(header.field_count) + " columns (at most " +
                         std::to_string(kBooksCsvMaxColumns) + ")"});
  }
  constexpr size_t kUnset = SIZE_MAX;
  HeaderMap map;
  map.width = header.field_count;
  map.index.fill(kUnset);
  bool any_known = false;
  // After a quoting error or with too many columns the header's cells are not trusted, so
  // only that error is reported.
  const bool readable = found.empty();
  for (size_t i = 0; readable && i < header.fields.size(); ++i) {
    const CsvField& cell = header.fields[i];
    const std::string name = NormaliseHeader(cell.value);
    if (name.empty()) continue;  // Excel exports the blank columns of its used range
    size_t match = kUnset;
    for (size_t c = 0; c < kColumnCount && match == kUnset; ++c) {
      for (std::string_view alias : kColumns[c].aliases) {
        if (!alias.empty() && alias == name) match = c;
      }
    }
    if (match == kUnset) {
      ignored->emplace_back(TrimHeaderSpace(cell.value));
      continue;
    }
    any_known = true;
    if (map.index[match] != kUnset) {
      // Two columns for one value: which one the platform meant cannot be guessed.
      found.push_back({1, std::string(kColumns[match].name),
                       "columns " + std::to_string(map.index[match] + 1) + " and " +
                           std::to_string(i + 1) + " both give " +
                           std::string(kColumns[match].name) + ": keep only one"});
      continue;
    }
    map.index[match] = i;
  }
  for (size_t c = 0; readable && c < kColumnCount; ++c) {
    if (map.index[c] != kUnset) continue;
    found.push_back({1, std::string(kColumns[c].name),
                     "missing column " + DisplayName(static_cast<Column>(c))});
  }
  if (found.empty()) return map;

  // A quoted header cell can run onto later lines; keep the list ordered by line.
  std::stable_sort(found.begin(), found.end(),
                   [](const BooksCsvError& a, const BooksCsvError& b) { return a.line < b.line; });

  // One problem per cell of a 16 KiB line would be thousands: bound the list as for rows,
  // and the message further, since it goes back in the response.
  const size_t total = found.size();
  if (total > kBooksCsvMaxListedErrors) {
    found.resize(kBooksCsvMaxListedErrors);
    found.push_back(
        {0, "",
         "… and " + std::to_string(total - kBooksCsvMaxListedErrors) + " more errors not listed"});
  }
  constexpr size_t kMessageErrors = 5;
  std::string message = "the header row (line 1) has errors: ";
  for (size_t i = 0; i < total && i < kMessageErrors; ++i) {
    if (i > 0) message += "; ";
    message += found[i].message;
  }
  if (total > kMessageErrors) {
    message += "; … and " + std::to_string(total - kMessageErrors) + " more";
  }
  if (readable && !any_known) {
    message += " (line 1 must be the header row, not a title)";
  }
  *errors = std::move(found);
  return FileError(std::move(message));
}

// ---------------------------------------------------------------------------------------------
// Rows

size_t CountCodePoints(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// C0 controls, DEL and C1 controls (U+0080..U+009F): invisible in a spreadsheet, so two
// accounts that look the same could differ, and a line break would corrupt later exports.
bool HasControlCharacter(std::string_view utf8) {
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0x20 || byte == 0x7F) return true;
    if (byte == 0xC2 && i + 1 < utf8.size()) {
      const auto next = static_cast<unsigned char>(utf8[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

// "1.10105E+17": what Excel shows, and saves, for an 18-digit number in a General cell. The
// lost digits cannot be recovered from the file, so the message says how to fix the source.
bool LooksLikeScientificNotation(std::string_view text) {
  size_t pos = 0;
  auto digits = [&] {
    const size_t start = pos;
    while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
    return pos > start;
  };
  if (!digits()) return false;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    if (!digits()) return false;
  }
  if (pos >= text.size() || (text[pos] != 'E' && text[pos] != 'e')) return false;
  ++pos;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  return digits() && pos == text.size();
}

bool IsAllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsAsciiDigit);
}

// Validation of one data row. Errors go to `errors`; a fully valid row to `rows`.
class RowValidator {
 public:
  RowValidator(const HeaderMap& header, int today_yyyymmdd)
      : header_(header), today_(today_yyyymmdd) {}

  void Validate(const CsvRecord& record, std::vector<BooksCsvError>* errors,
                std::vector<BookRow>* rows) {
    *errors = record.problems;
    if (!CheckFieldCount(record, errors)) return;

    BookRow row;
    row.line = record.line;
    const size_t errors_before = errors->size();
    auto field = [&](Column c) -> const CsvField* {
      const CsvField& f = record.fields[header_.index[c]];
      if (!f.too_long) return &f;
      errors->push_back(
          {f.line, std::string(kColumns[c].name),
           "is too long (at most " + std::to_string(kBooksCsvMaxFieldBytes) + " bytes)"});
      return nullptr;
    };
    if (const CsvField* f = field(kAccount)) {
      CheckAccount(*f, &row.platform_account, errors);
    }
    if (const CsvField* f = field(kName)) {
      CheckText(*f, kName, 50, &row.holder_name, errors);
    }
    if (const CsvField* f = field(kIdNumber)) CheckIdNumber(*f, &row.id_number, errors);
    if (const CsvField* f = field(kDeposits)) {
      CheckAmount(*f, kDeposits, &row.total_deposits, errors);
    }
    if (const CsvField* f = field(kWithdrawals)) {
      CheckAmount(*f, kWithdrawals, &row.total_withdrawals, errors);
    }
    if (errors->size() == errors_before && record.problems.empty()) {
      rows->push_back(std::move(row));
    }
  }

 private:
  // A row with the wrong number of fields has its values under the wrong columns, so checking
  // them would only produce confusing errors; the count is the one thing to report.
  bool CheckFieldCount(const CsvRecord& record, std::vector<BooksCsvError>* errors) const {
    const std::string counts = "has " + std::to_string(record.field_count) +
                               " fields but the header has " + std::to_string(header_.width);
    if (record.field_count < header_.width) {
      errors->push_back({record.line, "", counts + ": a separator is missing or the row is cut"});
      return false;
    }
    if (record.field_count > header_.width) {
      // Trailing empty cells are what Excel writes when a cell right of the table was touched.
      const bool extra_empty =
          record.field_count == record.fields.size() &&
          std::all_of(record.fields.begin() + static_cast<std::ptrdiff_t>(header_.width),
                      record.fields.end(),
                      [](const CsvField& f) { return !f.too_long && TrimAscii(f.value).empty(); });
      if (!extra_empty) {
        errors->push_back(
            {record.line, "",
             counts + ": a value containing the separator must be enclosed in quotes"});
        return false;
      }
    }
    return true;
  }

  static bool CheckText(const CsvField& field, Column column, size_t max_chars, std::string* out,
                        std::vector<BooksCsvError>* errors) {
    const std::string_view text = TrimAscii(field.value);
    const std::string name(kColumns[column].name);
    if (text.empty()) {
      errors->push_back({field.line, name, "must not be empty"});
      return false;
    }
    if (HasControlCharacter(text)) {
      errors->push_back({field.line, name, "must not contain line breaks or control characters"});
      return false;
    }
    if (CountCodePoints(text) > max_chars) {
      errors->push_back(
          {field.line, name, "is too long (at most " + std::to_string(max_chars) + " characters)"});
      return false;
    }
    *out = std::string(text);
    return true;
  }

  void CheckAccount(const CsvField& field, std::string* out, std::vector<BooksCsvError>* errors) {
    if (!CheckText(field, kAccount, 64, out, errors)) return;
    // Exact comparison: whether the platform treated "Abc" and "abc" as one account is
    // unknown, and a false duplicate would block a correct file.
    const auto [it, inserted] = account_lines_.emplace(*out, field.line);
    if (!inserted) {
      errors->push_back({field.line, std::string(kColumns[kAccount].name),
                         "the same platform account is already on line " +
                             std::to_string(it->second) + ": each account must appear once"});
    }
  }

  void CheckIdNumber(const CsvField& field, std::string* out,
                     std::vector<BooksCsvError>* errors) const {
    const std::string_view text = TrimAscii(field.value);
    const std::string name(kColumns[kIdNumber].name);
    if (LooksLikeScientificNotation(text)) {
      errors->push_back({field.line, name,
                         "the ID column was turned into a number by Excel: format it as text "
                         "and enter the numbers again"});
      return;
    }
    StatusOr<ResidentId> id = ParseResidentId(text, name, today_);
    if (!id.ok()) {
      std::string message = id.status().message();
      // Excel keeps 15 significant digits and shows the rest as zeros.
      if (text.size() == 18 && IsAllDigits(text) && text.substr(15) == "000") {
        message +=
            " (if the file went through Excel, the ID column was turned into a number: "
            "format it as text)";
      }
      errors->push_back({field.line, name, std::move(message)});
      return;
    }
    *out = std::move(id->number);
  }

  static void CheckAmount(const CsvField& field, Column column, Money* out,
                          std::vector<BooksCsvError>* errors) {
    const std::string_view text = TrimAscii(field.value);
    const std::string name(kColumns[column].name);
    // Money::Parse would call these "not ASCII digits"; say what to change instead.
    if (text.find("\xC2\xA5") != std::string_view::npos ||      // ¥ U+00A5
        text.find("\xEF\xBF\xA5") != std::string_view::npos) {  // ￥ U+FFE5
      errors->push_back({field.line, name,
                         "must be a plain number without a currency sign (¥): format the column "
                         "as Number, not Currency"});
      return;
    }
    if (text.find("元") != std::string_view::npos) {
      errors->push_back({field.line, name, "must be a plain number without the unit 元"});
      return;
    }
    StatusOr<Money> amount = Money::Parse(text, name);
    if (!amount.ok()) {
      errors->push_back({field.line, name, amount.status().message()});
      return;
    }
    *out = *amount;
  }

  const HeaderMap& header_;
  const int today_;
  std::unordered_map<std::string, int> account_lines_;  // account -> first line
};

// Keeps the first kBooksCsvMaxListedErrors errors and counts the rest.
class ErrorList {
 public:
  explicit ErrorList(std::vector<BooksCsvError>* out) : out_(out) {}

  void AddRow(std::vector<BooksCsvError>* row_errors) {
    if (row_errors->empty()) return;
    ++rows_;
    // Quoting problems can sit on a later line than a field error of the same row.
    std::stable_sort(
        row_errors->begin(), row_errors->end(),
        [](const BooksCsvError& a, const BooksCsvError& b) { return a.line < b.line; });
    for (BooksCsvError& error : *row_errors) {
      if (out_->size() < kBooksCsvMaxListedErrors) {
        out_->push_back(std::move(error));
      } else {
        ++unlisted_;
      }
    }
  }

  size_t rows() const { return rows_; }

  Status Finish() {
    if (unlisted_ > 0) {
      out_->push_back({0, "", "… and " + std::to_string(unlisted_) + " more errors not listed"});
    }
    return FileError(std::to_string(rows_) + (rows_ == 1 ? " row has" : " rows have") +
                     " errors; nothing was imported");
  }

 private:
  std::vector<BooksCsvError>* out_;
  size_t rows_ = 0;
  size_t unlisted_ = 0;
};

}  // namespace

StatusOr<BooksCsvResult> ParseBooksCsv(std::string_view bytes, int today_yyyymmdd,
                                       std::vector<BooksCsvError>* errors) {
  std::vector<BooksCsvError> unused;
  if (errors == nullptr) errors = &unused;
  errors->clear();

  ASSIGN_OR_RETURN(DecodedText decoded, Decode(bytes));
  if (IsBlank(decoded.text)) return FileError("the file is empty");

  BooksCsvResult result;
  result.source_encoding = std::move(decoded.encoding);
  CsvReader reader(decoded.text, DetectSeparator(decoded.text));
  CsvRecord record;
  reader.Next(&record);  // a non-blank text has a first record
  if (IsEmptyRecord(record)) return FileError("line 1 must be the header row, but it is empty");
  ASSIGN_OR_RETURN(const HeaderMap header, ReadHeader(record, &result.ignored_columns, errors));

  RowValidator validator(header, today_yyyymmdd);
  ErrorList error_list(errors);
  std::vector<BooksCsvError> row_errors;
  // Empty rows are held back: at the end of the file they are ignored (editors leave them),
  // in the middle they are errors, because a row may have been emptied by mistake.
  std::vector<int> empty_lines;
  size_t data_rows = 0;
  while (reader.Next(&record)) {
    if (IsEmptyRecord(record)) {
      empty_lines.push_back(record.line);
      continue;
    }
    for (int line : empty_lines) {
      row_errors = {{line, "", "empty row: delete it (empty rows are allowed only at the end)"}};
      error_list.AddRow(&row_errors);
    }
    empty_lines.clear();
    if (++data_rows > kBooksCsvMaxRows) {
      errors->clear();
      return Status::TooLarge("the file has more than " + std::to_string(kBooksCsvMaxRows) +
                              " rows");
    }
    validator.Validate(record, &row_errors, &result.rows);
    error_list.AddRow(&row_errors);
  }
  if (error_list.rows() > 0) return error_list.Finish();
  return result;
}

}  // namespace restitution
