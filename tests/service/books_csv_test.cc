#include "service/books_csv.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/resident_id.h"

namespace restitution {
namespace {

constexpr int kToday = 20240601;
constexpr char kHeader[] =
    "platform_account,holder_name,id_number,total_deposits,total_withdrawals\n";
// Valid GB 11643 numbers (check characters computed, not real people).
constexpr char kId1[] = "110101199003074514";
constexpr char kId2[] = "440306198512240028";
constexpr char kId3[] = "11010519491231002X";

std::string GoodRow(const std::string& account, const std::string& id = kId1) {
  return account + ",Zhang San," + id + ",1000.00,200.50\n";
}

struct Outcome {
  StatusOr<BooksCsvResult> result;
  std::vector<BooksCsvError> errors;
};

Outcome Parse(const std::string& bytes) {
  std::vector<BooksCsvError> errors;
  StatusOr<BooksCsvResult> result = ParseBooksCsv(bytes, kToday, &errors);
  return {std::move(result), std::move(errors)};
}

std::string Describe(const std::vector<BooksCsvError>& errors) {
  std::string out;
  for (const BooksCsvError& e : errors) {
    out += std::to_string(e.line) + " [" + e.column + "] " + e.message + "\n";
  }
  return out;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(BooksCsvTest, Utf8WithoutBom) {
  const Outcome out = Parse(std::string(kHeader) + "A001,张三," + kId1 + ",1000.00,200.5\n" +
                            "A002,李四," + kId2 + ",0,0\n");
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  EXPECT_TRUE(out.errors.empty());
  const BooksCsvResult& books = *out.result;
  EXPECT_EQ(books.source_encoding, "utf-8");
  ASSERT_EQ(books.rows.size(), 2u);
  EXPECT_EQ(books.rows[0].line, 2);
  EXPECT_EQ(books.rows[0].platform_account, "A001");
  EXPECT_EQ(books.rows[0].holder_name, "张三");
  EXPECT_EQ(books.rows[0].id_number, kId1);
  EXPECT_EQ(books.rows[0].total_deposits, Money::FromFen(100000));
  EXPECT_EQ(books.rows[0].total_withdrawals, Money::FromFen(20050));
  EXPECT_EQ(books.rows[1].line, 3);
  EXPECT_TRUE(books.rows[1].total_deposits.IsZero());
  EXPECT_TRUE(books.ignored_columns.empty());
}

TEST(BooksCsvTest, Utf8WithBomAndChineseHeader) {
  const Outcome out = Parse(
      "\xEF\xBB\xBF平台账号,姓名,身份证号,累计投资,累计提现\r\n"
      "A001,张三," +
      std::string(kId1) + ",1000.00,200.00\r\n");
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  EXPECT_EQ(out.result->source_encoding, "utf-8-bom");
  ASSERT_EQ(out.result->rows.size(), 1u);
  EXPECT_EQ(out.result->rows[0].platform_account, "A001");
  EXPECT_EQ(out.result->rows[0].holder_name, "张三");
}

TEST(BooksCsvTest, GbkFileIsConverted) {
  // Computed with: printf '平台账号,姓名,身份证号,累计投资,累计提现' | iconv -f UTF-8 -t GBK | xxd
  // -p and printf '张三' | iconv -f UTF-8 -t GBK | xxd -p
  const std::string header =
      "\xC6\xBD\xCC\xA8\xD5\xCB\xBA\xC5,\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5,"
      "\xC0\xDB\xBC\xC6\xCD\xB6\xD7\xCA,\xC0\xDB\xBC\xC6\xCC\xE1\xCF\xD6\r\n";
  const std::string zhang_san = "\xD5\xC5\xC8\xFD";
  const Outcome out = Parse(header + "A001," + zhang_san + "," + kId1 + ",1000.00,200.00\r\n");
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  EXPECT_EQ(out.result->source_encoding, "gbk");
  ASSERT_EQ(out.result->rows.size(), 1u);
  EXPECT_EQ(out.result->rows[0].holder_name, "张三");
  EXPECT_EQ(out.result->rows[0].total_deposits, Money::FromFen(100000));
}

TEST(BooksCsvTest, UndecodableBytesAreRefusedWithAdvice) {
  for (const std::string& bytes :
       {std::string(kHeader) + "A001,\x80\x80,x,1,1\n", std::string(kHeader) + "A001,\xFF,x,1,1\n",
        std::string(kHeader) + "A001,\xD5",  // truncated GBK
        "\xEF\xBB\xBF" + std::string(kHeader) + "A001,\xD5\xC5,x,1,1\n"}) {
    const Outcome out = Parse(bytes);
    ASSERT_FALSE(out.result.ok()) << bytes;
    EXPECT_EQ(out.result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(out.result.status().field(), "file");
    EXPECT_TRUE(Contains(out.result.status().message(), "CSV UTF-8"))
        << out.result.status().message();
  }
}

TEST(BooksCsvTest, Utf16IsRefusedWithAdvice) {
  const std::string little_endian("\xFF\xFEp\0l\0a\0", 8);
  const std::string big_endian("\xFE\xFF\0p\0l\0a", 8);
  const std::string without_bom("p\0l\0a\0,\0", 8);
  for (const std::string& bytes : {little_endian, big_endian, without_bom}) {
    const Outcome out = Parse(bytes);
    ASSERT_FALSE(out.result.ok());
    EXPECT_EQ(out.result.status().field(), "file");
    EXPECT_TRUE(Contains(out.result.status().message(), "CSV UTF-8"))
        << out.result.status().message();
  }
}

TEST(BooksCsvTest, EmptyFilesAreRefused) {
  for (const std::string& bytes :
       {std::string(), std::string("\xEF\xBB\xBF"), std::string("\r\n\r\n"), std::string("  \n")}) {
    const Outcome out = Parse(bytes);
    ASSERT_FALSE(out.result.ok());
    EXPECT_EQ(out.result.status().field(), "file");
    EXPECT_EQ(out.result.status().message(), "the file is empty");
  }
  const Outcome blank_header = Parse(",,,\nA001,x,y,z\n");
  ASSERT_FALSE(blank_header.result.ok());
  EXPECT_TRUE(Contains(blank_header.result.status().message(), "header row"));
}

TEST(BooksCsvTest, HeaderOnlyGivesZeroRows) {
  for (const std::string& bytes :
       {std::string(kHeader), std::string(kHeader) + "\n\n",
        std::string("platform_account,holder_name,id_number,total_deposits,total_withdrawals")}) {
    const Outcome out = Parse(bytes);
    ASSERT_TRUE(out.result.ok()) << out.result.status().ToString();
    EXPECT_TRUE(out.result->rows.empty());
  }
}

TEST(BooksCsvTest, LineEndings) {
  const std::string rows[] = {GoodRow("A1"), GoodRow("A2")};
  for (const char* eol : {"\n", "\r\n", "\r"}) {
    std::string file = "platform_account,holder_name,id_number,total_deposits,total_withdrawals";
    file += eol + rows[0].substr(0, rows[0].size() - 1) + eol +
            rows[1].substr(0, rows[1].size() - 1) + eol;
    const Outcome out = Parse(file);
    ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
    ASSERT_EQ(out.result->rows.size(), 2u);
    EXPECT_EQ(out.result->rows[1].line, 3);
    EXPECT_EQ(out.result->rows[1].total_withdrawals, Money::FromFen(20050));
  }
}

TEST(BooksCsvTest, QuotedFieldsWithCommasQuotesAndLineBreaks) {
  const std::string file =
      "platform_account,holder_name,备注,id_number,total_deposits,total_withdrawals\r\n"
      "\"A,1\",\"Smith, John\",\"said \"\"hi\"\"\r\nand left\r\nearly\"," +
      std::string(kId1) + ",\"1000.00\",0\r\n" +  // lines 2-4
      "A2,\"O\"\"Brien\",," + kId2 + ",5,0\r\n";  // line 5
  const Outcome out = Parse(file);
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  ASSERT_EQ(out.result->rows.size(), 2u);
  EXPECT_EQ(out.result->rows[0].platform_account, "A,1");
  EXPECT_EQ(out.result->rows[0].holder_name, "Smith, John");
  EXPECT_EQ(out.result->rows[0].line, 2);
  EXPECT_EQ(out.result->rows[1].holder_name, "O\"Brien");
  EXPECT_EQ(out.result->rows[1].line, 5);
  EXPECT_EQ(out.result->ignored_columns, std::vector<std::string>{"备注"});
}

TEST(BooksCsvTest, ErrorAfterMultiLineFieldHasItsPhysicalLine) {
  const std::string file =
      "platform_account,holder_name,note,id_number,total_deposits,total_withdrawals\n"
      "A1,Zhang,\"one\ntwo\nthree\"," +
      std::string(kId1) + ",1,0\n" +  // lines 2-4
      "A2,Li,," + kId2 + ",-5,0\n";   // line 5
  const Outcome out = Parse(file);
  ASSERT_FALSE(out.result.ok());
  ASSERT_EQ(out.errors.size(), 1u) << Describe(out.errors);
  EXPECT_EQ(out.errors[0].line, 5);
  EXPECT_EQ(out.errors[0].column, "total_deposits");
  EXPECT_EQ(out.errors[0].message, "must not be negative");
}

TEST(BooksCsvTest, ChineseAliasesReorderedColumnsAndLooseHeaderSpelling) {
  const std::string file =
      " 累计回款（元） ,身份证号码,Remarks,客户姓名,Total Deposits (元),会员账号,\n"
      "200.00," +
      std::string(kId1) + ",x,王五,1000.00,M-7,\n";
  const Outcome out = Parse(file);
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  ASSERT_EQ(out.result->rows.size(), 1u);
  const BookRow& row = out.result->rows[0];
  EXPECT_EQ(row.platform_account, "M-7");
  EXPECT_EQ(row.holder_name, "王五");
  EXPECT_EQ(row.id_number, kId1);
  EXPECT_EQ(row.total_deposits, Money::FromFen(100000));
  EXPECT_EQ(row.total_withdrawals, Money::FromFen(20000));
  EXPECT_EQ(out.result->ignored_columns, std::vector<std::string>{"Remarks"});
}

TEST(BooksCsvTest, EveryAliasIsRecognised) {
  const std::vector<std::vector<std::string>> aliases = {
      {"platform_account", "平台账号", "账号", "会员账号", "PLATFORM_ACCOUNT"},
      {"holder_name", "姓名", "户名", "客户姓名", "Holder Name"},
      {"id_number", "身份证号", "身份证号码", "证件号码", "ID-Number"},
      {"total_deposits", "累计投资", "累计充值", "投资总额", "充值总额"},
      {"total_withdrawals", "累计提现", "累计回款", "提现总额", "回款总额"},
  };
  for (size_t variant = 0; variant < 5; ++variant) {
    std::string header;
    for (const auto& names : aliases) header += (header.empty() ? "" : ",") + names[variant];
    const Outcome out = Parse(header + "\n" + GoodRow("A1"));
    ASSERT_TRUE(out.result.ok()) << header << ": " << out.result.status().ToString();
    EXPECT_EQ(out.result->rows.size(), 1u);
  }
}

TEST(BooksCsvTest, TabSeparated) {
  const std::string file =
      "平台账号\t姓名\t身份证号\t累计投资\t累计提现\n"
      "A,1\t张三\t" +
      std::string(kId1) + "\t1,000.00\t0\n";
  const Outcome refused = Parse(file);  // the comma in the amount is still refused
  ASSERT_FALSE(refused.result.ok());
  ASSERT_EQ(refused.errors.size(), 1u) << Describe(refused.errors);
  EXPECT_EQ(refused.errors[0].column, "total_deposits");

  const Outcome out = Parse("平台账号\t姓名\t身份证号\t累计投资\t累计提现\nA,1\t张三\t" +
                            std::string(kId1) + "\t1000\t0\n");
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  ASSERT_EQ(out.result->rows.size(), 1u);
  EXPECT_EQ(out.result->rows[0].platform_account, "A,1");
}

TEST(BooksCsvTest, SameIdOnSeveralAccountsIsNormal) {
  const Outcome out = Parse(std::string(kHeader) + GoodRow("A1") + GoodRow("A2") + GoodRow("A3"));
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  EXPECT_EQ(out.result->rows.size(), 3u);
}

TEST(BooksCsvTest, IdNumberIsNormalised) {
  const Outcome out = Parse(std::string(kHeader) + "A1,Li, 11010519491231002x ,1,0\n");
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  EXPECT_EQ(out.result->rows[0].id_number, kId3);
}

struct BadRowCase {
  std::string name;
  std::string row;  // written on line 3, after one good row
  int line;
  std::string column;
  std::string message_part;
};

TEST(BooksCsvTest, EachErrorKindNamesLineAndColumn) {
  const std::string id = kId2;
  const std::vector<BadRowCase> cases = {
      {"empty account", " ,Li," + id + ",1,0\n", 3, "platform_account", "must not be empty"},
      {"long account", std::string(65, 'a') + ",Li," + id + ",1,0\n", 3, "platform_account",
       "at most 64 characters"},
      {"empty name", "A2,," + id + ",1,0\n", 3, "holder_name", "must not be empty"},
      {"long name",
       "A2," +
           [] {
             std::string s;
             for (int i = 0; i < 51; ++i) s += "张";
             return s;
           }() +
           "," + id + ",1,0\n",
       3, "holder_name", "at most 50 characters"},
      {"name with line break", "A2,\"Li\nMing\"," + id + ",1,0\n", 3, "holder_name", "line breaks"},
      {"bad check character", "A2,Li,440306198512240027,1,0\n", 3, "id_number", "check character"},
      {"short id", "A2,Li,4403061985,1,0\n", 3, "id_number", "18-character"},
      {"scientific id", "A2,Li,4.40306E+17,1,0\n", 3, "id_number",
       "turned into a number by Excel: format it as text"},
      {"id zeroed by excel", "A2,Li,440306198512240000,1,0\n", 3, "id_number", "format it as text"},
      {"thousands separator", "A2,Li," + id + ",\"1,000.00\",0\n", 3, "total_deposits",
       "thousands separators"},
      {"negative", "A2,Li," + id + ",1,-3\n", 3, "total_withdrawals", "must not be negative"},
      {"yen sign", "A2,Li," + id + ",¥100,0\n", 3, "total_deposits", "currency sign"},
      {"full-width yen", "A2,Li," + id + ",￥100,0\n", 3, "total_deposits", "currency sign"},
      {"yuan unit", "A2,Li," + id + ",100元,0\n", 3, "total_deposits", "unit 元"},
      {"three decimals", "A2,Li," + id + ",1.005,0\n", 3, "total_deposits", "two decimal"},
      {"empty amount", "A2,Li," + id + ",,0\n", 3, "total_deposits", "must not be empty"},
      {"exponent amount", "A2,Li," + id + ",1E+5,0\n", 3, "total_deposits", "exponent"},
      {"too few fields", "A2,Li," + id + ",1\n", 3, "", "has 4 fields but the header has 5"},
      {"too many fields", "A2,Li," + id + ",1,0,9\n", 3, "", "enclosed in quotes"},
      {"bare quote", "A2,Li\"s," + id + ",1,0\n", 3, "", "inside an unquoted field"},
      {"text after quote", "A2,\"Li\"s," + id + ",1,0\n", 3, "", "follows a closing quote"},
      {"unterminated quote", "A2,\"Li," + id + ",1,0\nA3,x,y,z,w\n", 3, "", "never closed"},
      {"field too long", "A2," + std::string(1025, 'n') + "," + id + ",1,0\n", 3, "holder_name",
       "at most 1024 bytes"},
      {"line too long", "A2,Li," + id + ",1,0" + std::string(16 * 1024, ',') + "\n", 3, "",
       "line is too long"},
      {"duplicate account", "A1,Li," + id + ",1,0\n", 3, "platform_account", "already on line 2"},
      {"empty row in the middle", ",,,,\n" + GoodRow("A9"), 3, "", "empty row"},
  };
  for (const BadRowCase& c : cases) {
    const Outcome out = Parse(std::string(kHeader) + GoodRow("A1") + c.row);
    ASSERT_FALSE(out.result.ok()) << c.name;
    EXPECT_EQ(out.result.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(out.result.status().field(), "file") << c.name;
    EXPECT_EQ(out.result.status().message(), "1 row has errors; nothing was imported") << c.name;
    ASSERT_FALSE(out.errors.empty()) << c.name;
    const BooksCsvError& e = out.errors[0];
    EXPECT_EQ(e.line, c.line) << c.name << "\n" << Describe(out.errors);
    EXPECT_EQ(e.column, c.column) << c.name << "\n" << Describe(out.errors);
    EXPECT_TRUE(Contains(e.message, c.message_part)) << c.name << "\n" << Describe(out.errors);
  }
}

TEST(BooksCsvTest, TrailingEmptyCellsAndRowsAreAccepted) {
  const Outcome out = Parse(std::string(kHeader) + "A1,Li," + kId1 + ",1,0,,\n,,,,\n\n \n");
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString() << Describe(out.errors);
  EXPECT_EQ(out.result->rows.size(), 1u);
}

TEST(BooksCsvTest, AHeaderWithHundredsOfBadCellsGivesABoundedListAndMessage) {
  // A stray quote in every unquoted cell: one problem per cell (found by fuzzing: the list and
  // the message, which goes back in the response, used to grow with the line).
  std::string header;
  for (int i = 0; i < 400; ++i) header += (i ? "," : "") + std::string("c\"x");
  const Outcome outcome = Parse(header + "\n" + GoodRow("acct1"));
  ASSERT_FALSE(outcome.result.ok());
  ASSERT_EQ(outcome.errors.size(), kBooksCsvMaxListedErrors + 1) << Describe(outcome.errors);
  EXPECT_EQ(outcome.errors.back().line, 0);
  EXPECT_TRUE(Contains(outcome.errors.back().message, "more errors not listed"));
  for (size_t i = 1; i + 1 < outcome.errors.size(); ++i) {
    EXPECT_LE(outcome.errors[i - 1].line, outcome.errors[i].line);
  }
  EXPECT_LT(outcome.result.status().message().size(), 2000u);
  EXPECT_TRUE(Contains(outcome.result.status().message(), "more"));
}

TEST(BooksCsvTest, ThreeBadRowsAreAllListedAndNothingIsReturned) {
  const std::string file = std::string(kHeader) + GoodRow("A1") +  // line 2
                           "A2,Li,123,1,0\n" +                     // line 3
                           GoodRow("A3") +                         // line 4
                           "A4,Li," + kId1 + ",1.234,0\n" +        // line 5
                           GoodRow("A5") +                         // line 6
                           GoodRow("A1");                          // line 7: duplicate
  const Outcome out = Parse(file);
  ASSERT_FALSE(out.result.ok());
  EXPECT_EQ(out.result.status().message(), "3 rows have errors; nothing was imported");
  ASSERT_EQ(out.errors.size(), 3u) << Describe(out.errors);
  EXPECT_EQ(out.errors[0].line, 3);
  EXPECT_EQ(out.errors[0].column, "id_number");
  EXPECT_EQ(out.errors[1].line, 5);
  EXPECT_EQ(out.errors[1].column, "total_deposits");
  EXPECT_EQ(out.errors[2].line, 7);
  EXPECT_EQ(out.errors[2].column, "platform_account");
}

TEST(BooksCsvTest, SeveralErrorsInOneRowAreAllListedInLineOrder) {
  const Outcome out = Parse(std::string(kHeader) + ",\"Li\nMing\",123,-1,x\n");
  ASSERT_FALSE(out.result.ok());
  EXPECT_EQ(out.result.status().message(), "1 row has errors; nothing was imported");
  ASSERT_EQ(out.errors.size(), 5u) << Describe(out.errors);
  EXPECT_EQ(out.errors[0].column, "platform_account");
  EXPECT_EQ(out.errors[0].line, 2);
  EXPECT_EQ(out.errors[1].column, "holder_name");
  EXPECT_EQ(out.errors[1].line, 2);
  for (size_t i = 2; i < 5; ++i) EXPECT_EQ(out.errors[i].line, 3) << Describe(out.errors);
}

TEST(BooksCsvTest, ErrorListIsCappedWithACountOfTheRest) {
  std::string file = kHeader;
  for (int i = 0; i < 250; ++i) file += "A" + std::to_string(i) + ",Li,123,1,0\n";
  const Outcome out = Parse(file);
  ASSERT_FALSE(out.result.ok());
  EXPECT_EQ(out.result.status().message(), "250 rows have errors; nothing was imported");
  ASSERT_EQ(out.errors.size(), kBooksCsvMaxListedErrors + 1);
  EXPECT_EQ(out.errors[199].line, 201);
  EXPECT_EQ(out.errors[200].line, 0);
  EXPECT_TRUE(Contains(out.errors[200].message, "50 more errors")) << out.errors[200].message;
}

TEST(BooksCsvTest, HeaderErrorsNameTheColumns) {
  const Outcome missing = Parse("平台账号,姓名,累计投资\n");
  ASSERT_FALSE(missing.result.ok());
  EXPECT_EQ(missing.result.status().field(), "file");
  const std::string& message = missing.result.status().message();
  EXPECT_TRUE(Contains(message, "missing column id_number (身份证号)")) << message;
  EXPECT_TRUE(Contains(message, "missing column total_withdrawals (累计提现)")) << message;
  ASSERT_EQ(missing.errors.size(), 2u);
  EXPECT_EQ(missing.errors[0].line, 1);
  EXPECT_EQ(missing.errors[0].column, "id_number");

  const Outcome duplicate = Parse("平台账号,姓名,户名,身份证号,累计投资,累计提现\n");
  ASSERT_FALSE(duplicate.result.ok());
  EXPECT_TRUE(
      Contains(duplicate.result.status().message(), "columns 2 and 3 both give holder_name"))
      << duplicate.result.status().message();
  ASSERT_EQ(duplicate.errors.size(), 1u);
  EXPECT_EQ(duplicate.errors[0].column, "holder_name");

  const Outcome title = Parse("某某平台客户明细表,,,,\n" + std::string(kHeader));
  ASSERT_FALSE(title.result.ok());
  EXPECT_TRUE(Contains(title.result.status().message(), "not a title"))
      << title.result.status().message();
}

TEST(BooksCsvTest, MessagesNeverEchoCellValues) {
  const Outcome out =
      Parse(std::string(kHeader) + "SECRET-ACCT,SecretName,440306198512240027,1.234,0\n");
  ASSERT_FALSE(out.result.ok());
  for (const BooksCsvError& e : out.errors) {
    EXPECT_FALSE(Contains(e.message, "440306198512240027")) << e.message;
    EXPECT_FALSE(Contains(e.message, "SECRET")) << e.message;
    EXPECT_FALSE(Contains(e.message, "1.234")) << e.message;
  }
}

TEST(BooksCsvTest, ErrorsMayBeNull) {
  EXPECT_FALSE(ParseBooksCsv(std::string(kHeader) + "A,B,C,D,E\n", kToday, nullptr).ok());
  EXPECT_TRUE(ParseBooksCsv(std::string(kHeader) + GoodRow("A1"), kToday, nullptr).ok());
}

TEST(BooksCsvTest, FutureBirthDateUsesToday) {
  // Born 2024-06-02, the day after kToday.
  const std::string first17 = "11010120240602001";
  const std::string id = first17 + ResidentIdCheckCharacter(first17);
  EXPECT_FALSE(ParseBooksCsv(std::string(kHeader) + GoodRow("A1", id), kToday, nullptr).ok());
  EXPECT_TRUE(ParseBooksCsv(std::string(kHeader) + GoodRow("A1", id), 20240602, nullptr).ok());
}

}  // namespace
}  // namespace restitution
