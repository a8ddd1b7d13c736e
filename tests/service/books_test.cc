// The seized books against a real MariaDB: import (whole or nothing, replacing earlier books),
// matching to claims through the person index, the holders without a claim, the claimant's
// rate-limited look-up and their response to the figures.
#include "service/book_import.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/accounts.h"
#include "service/books.h"
#include "service/cases.h"
#include "service/claims.h"
#include "service/person_index.h"
#include "service/resident_id.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using Json = nlohmann::json;
using testing::TestDatabase;
using testing::TestKeys;

constexpr int kToday = 20260315;
constexpr int64_t kStartMs = 1773532800000;  // 2026-03-15T00:00:00Z
constexpr char kHeader[] = "平台账号,姓名,身份证号,累计投资,累计提现\n";
constexpr char kStaffPassword[] = "staff password 1234";

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

std::string IdNumber(const std::string& birth, const std::string& sequence) {
  const std::string first17 = "110105" + birth + sequence;
  return first17 + ResidentIdCheckCharacter(first17);
}

const std::string kZhang = IdNumber("19650312", "123");
const std::string kLi = IdNumber("19700101", "011");
const std::string kWang = IdNumber("19800505", "022");
const std::string kZhao = IdNumber("19900909", "033");

std::string Row(const std::string& account, const std::string& name, const std::string& id,
                const std::string& deposits, const std::string& withdrawals) {
  return account + "," + name + "," + id + "," + deposits + "," + withdrawals + "\n";
}

std::string GoodBooks() {
  return std::string(kHeader) + Row("zs-001", "张三", kZhang, "10000.00", "1500.50") +
         Row("zs-002", "张三", kZhang, "5000", "0") + Row("ls-001", "李四", kLi, "800", "900") +
         Row("ww-001", "王五", kWang, "30000", "1000");
}

Json Declaration(const std::string& id_number, const std::string& name = "张三") {
  return {{"identity",
           {{"name", name},
            {"id_number", id_number},
            {"phone", "13800138000"},
            {"bank_name", "中国工商银行"},
            {"bank_account", "6222020200112233446"}}},
          {"region", "110105"},
          {"accounts", {{{"platform_account", "zs-001"}, {"channel", "app"}}}},
          {"contributions", {{{"date", "2024-01-15"}, {"amount", "15000.00"}}}},
          {"returns", {{{"date", "2024-06-30"}, {"amount", "1500.50"}, {"kind", "interest"}}}}};
}

class BooksTest : public ::testing::Test {
 protected:
  BooksTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
  }

  void SetUp() override {
    admin_ = Staff("admin", "admin");
    officer_ = Staff("officer.a", "officer");
    other_officer_ = Staff("officer.b", "officer");
    court_ = Staff("court.a", "court");
    auditor_ = Staff("auditor.a", "auditor");
    claimant_ = Claimant();
    other_claimant_ = Claimant();
    case_ = NewCase("JZ-1");
    other_case_ = NewCase("JZ-2");
    Bind(case_, officer_, "officer");
    Bind(case_, court_, "court");
    Bind(other_case_, other_officer_, "officer");
  }

  template <typename F>
  auto InTx(F&& f) -> decltype(f(std::declval<DbConnection&>())) {
    using Result = decltype(f(std::declval<DbConnection&>()));
    std::optional<Result> out;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      out.emplace(f(db));
      return Status::Ok();
    });
    if (!status.ok()) throw std::runtime_error(status.ToString());
    return std::move(*out);
  }

  // Runs f in a transaction that commits only when f succeeds, as the request executor does.
  template <typename T, typename F>
  StatusOr<T> Tx(F&& f) {
    std::optional<StatusOr<T>> out;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      out.emplace(f(db));
      return out->ok() ? Status::Ok() : out->status();
    });
    if (!out) return status;
    return std::move(*out);
  }

  Principal Staff(const std::string& username, const std::string& role) {
    UserView user = InTx([&](DbConnection& db) {
      return Must(CreateStaffUser(db, ctx_, 0, username, kStaffPassword, role));
    });
    return Principal{user.id, *ParseRole(role)};
  }

  Principal Claimant() {
    const int64_t id = InTx([&](DbConnection& db) {
      const std::string login = "login:" + std::to_string(++claimants_);
      return Must(
          db.Insert("INSERT INTO users (login_hash, role, status, password_hash, created_at_ms) "
                    "VALUES (?, 'claimant', 'active', 'x', ?)",
                    {ctx_.keys->BlindIndex("test", login), now_}));
    });
    return Principal{id, Role::kClaimant};
  }

  int64_t NewCase(const std::string& number) {
    CaseInput input;
    input.case_number = number;
    input.name = "某某案";
    input.lead_region = "110105";
    input.regions = {"110105"};
    input.registration_opens_ms = kStartMs - 86400000LL * 30;
    input.registration_closes_ms = kStartMs + 86400000LL * 365;
    return InTx([&](DbConnection& db) {
      QueuedEntry entry;
      return Must(CreateCase(db, ctx_, admin_, input, &entry)).id;
    });
  }

  void Bind(int64_t case_id, const Principal& staff, const std::string& role) {
    InTx([&](DbConnection& db) {
      QueuedEntry entry;
      Status s = AddCaseMember(db, ctx_, admin_, case_id, staff.user_id, role, &entry);
      if (!s.ok()) throw std::runtime_error(s.ToString());
      return 0;
    });
  }

  ClaimRecord Declare(const Principal& claimant, const std::string& id_number) {
    const ClaimDeclaration declaration =
        Must(ParseClaimDeclaration(Declaration(id_number), kToday));
    return InTx([&](DbConnection& db) {
             return Must(DeclareClaim(db, ctx_, claimant, case_, declaration));
           })
        .claim;
  }

  StatusOr<BookImportResult> Import(const Principal& who, int64_t case_id, const std::string& csv,
                                    std::vector<BooksCsvError>* errors = nullptr) {
    return Tx<BookImportResult>(
        [&](DbConnection& db) { return ImportBooks(db, ctx_, who, case_id, csv, kToday, errors); });
  }

  StatusOr<BookLookupResult> Lookup(const Principal& who, const std::string& name,
                                    const std::string& id_number) {
    return Tx<BookLookupResult>([&](DbConnection& db) {
      return LookupBookFigures(db, ctx_, who, case_, name, id_number, "127.0.0.1", "req-1");
    });
  }

  int64_t Count(const std::string& sql, std::vector<SqlParam> params = {}) {
    return Must(db_->Query(sql, params))[0].Int(0);
  }
  int64_t LedgerEntries() {
    return Count("SELECT COUNT(*) FROM ledger_queue") +
           Count("SELECT COUNT(*) FROM ledger_entries");
  }

  std::optional<BookFigures> Figures(int64_t case_id, const std::string& id_number) {
    return Must(ReadBookFigures(*db_, case_id, PersonIndex(*ctx_.keys, id_number)));
  }

  TestKeys keys_;
  ServiceContext ctx_;
  TestDatabase tdb_;
  std::unique_ptr<DbConnection> db_;
  int64_t now_ = kStartMs;
  int claimants_ = 0;
  Principal admin_, officer_, other_officer_, court_, auditor_, claimant_, other_claimant_;
  int64_t case_ = 0;
  int64_t other_case_ = 0;
};

TEST_F(BooksTest, ImportStoresSealedRowsAndMatchesClaims) {
  const ClaimRecord claim = Declare(claimant_, kZhang);
  const int64_t entries_before = LedgerEntries();
  const BookImportResult result = Must(Import(officer_, case_, GoodBooks()));
  EXPECT_GT(result.import_id, 0);
  EXPECT_EQ(result.rows, 4);
  EXPECT_EQ(result.source_encoding, "utf-8");
  EXPECT_EQ(result.total_deposits, Money::FromFen(4580000));
  EXPECT_EQ(result.total_withdrawals, Money::FromFen(340050));
  EXPECT_EQ(result.matched_claims, 1);
  EXPECT_EQ(result.unmatched_holders, 2);
  EXPECT_EQ(LedgerEntries(), entries_before + 1);

  // The ledger entry: figures and the file's hash, no names, no ID numbers.
  SqlRows queued =
      Must(db_->Query("SELECT entry FROM ledger_queue WHERE id = ?", {result.entry.queue_id}));
  ASSERT_EQ(queued.size(), 1u);
  const Json entry = Json::parse(queued[0].Bytes(0));
  EXPECT_EQ(entry["type"], "books_imported");
  EXPECT_EQ(entry["case"], case_);
  EXPECT_EQ(entry["payload"]["import"], result.import_id);
  EXPECT_EQ(entry["payload"]["rows"], 4);
  EXPECT_EQ(entry["payload"]["total_deposits_fen"], 4580000);
  EXPECT_EQ(entry["payload"]["total_withdrawals_fen"], 340050);
  EXPECT_EQ(entry["payload"]["file_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(entry["payload"].size(), 5u);
  EXPECT_EQ(queued[0].Bytes(0).find("张三"), std::string::npos);
  EXPECT_EQ(queued[0].Bytes(0).find(kZhang), std::string::npos);

  // Stored sealed: neither the name nor the ID number is in the row in clear.
  SqlRows stored =
      Must(db_->Query("SELECT holder_enc, person_hash, import_id FROM book_accounts "
                      "WHERE case_id = ? AND platform_account = 'zs-001'",
                      {case_}));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].Bytes(0).find(kZhang), std::string::npos);
  EXPECT_EQ(stored[0].Bytes(1), claim.person_hash);
  EXPECT_EQ(stored[0].Int(2), result.import_id);
  const Json holder =
      Json::parse(Must(ctx_.keys->Open("book_accounts.holder", stored[0].Bytes(0))));
  EXPECT_EQ(holder["name"], "张三");
  EXPECT_EQ(holder["id_number"], kZhang);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_imports WHERE id = ? AND row_count = 4 AND "
                  "source_encoding = 'utf-8' AND imported_by = ?",
                  {result.import_id, officer_.user_id}),
            1);

  // The claim's person: two accounts summed; net = deposits - withdrawals.
  const std::optional<BookFigures> zhang = Figures(case_, kZhang);
  ASSERT_TRUE(zhang.has_value());
  ASSERT_EQ(zhang->accounts.size(), 2u);
  EXPECT_EQ(zhang->accounts[0].platform_account, "zs-001");
  EXPECT_EQ(zhang->accounts[1].platform_account, "zs-002");
  EXPECT_EQ(zhang->deposits, Money::FromFen(1500000));
  EXPECT_EQ(zhang->withdrawals, Money::FromFen(150050));
  EXPECT_EQ(zhang->net, Money::FromFen(1349950));
  EXPECT_EQ(zhang->net, claim.declared_net);
  // A net winner's books support nothing.
  const std::optional<BookFigures> li = Figures(case_, kLi);
  ASSERT_TRUE(li.has_value());
  EXPECT_EQ(li->net, Money());
  // Not in the books, or in another case's books: nothing.
  EXPECT_FALSE(Figures(case_, kZhao).has_value());
  EXPECT_FALSE(Figures(other_case_, kZhang).has_value());
}

TEST_F(BooksTest, GbkFilesAreConverted) {
  // "平台账号,姓名,身份证号,累计投资,累计提现" and "张三" in GBK (iconv -t GBK | xxd -p).
  const std::string header =
      "\xC6\xBD\xCC\xA8\xD5\xCB\xBA\xC5,\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5,"
      "\xC0\xDB\xBC\xC6\xCD\xB6\xD7\xCA,\xC0\xDB\xBC\xC6\xCC\xE1\xCF\xD6\r\n";
  const std::string csv = header + "zs-001,\xD5\xC5\xC8\xFD," + kZhang + ",100.00,0\r\n";
  const BookImportResult result = Must(Import(officer_, case_, csv));
  EXPECT_EQ(result.source_encoding, "gbk");
  EXPECT_EQ(result.rows, 1);
  ASSERT_TRUE(Lookup(claimant_, "张三", kZhang).ok());
  EXPECT_TRUE(Must(Lookup(claimant_, "张三", kZhang)).figures.has_value());
}

TEST_F(BooksTest, ReimportReplacesTheBooks) {
  const BookImportResult first = Must(Import(officer_, case_, GoodBooks()));
  const std::string second_file = std::string(kHeader) + Row("zs-009", "张三", kZhang, "100", "0") +
                                  Row("zl-001", "赵六", kZhao, "200", "50");
  const BookImportResult second = Must(Import(officer_, case_, second_file));
  EXPECT_GT(second.import_id, first.import_id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts WHERE case_id = ?", {case_}), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts WHERE case_id = ? AND import_id = ?",
                  {case_, second.import_id}),
            2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_imports WHERE case_id = ?", {case_}), 2);
  const std::optional<BookFigures> zhang = Figures(case_, kZhang);
  ASSERT_TRUE(zhang.has_value());
  ASSERT_EQ(zhang->accounts.size(), 1u);
  EXPECT_EQ(zhang->accounts[0].platform_account, "zs-009");
  EXPECT_EQ(zhang->net, Money::FromFen(10000));
  EXPECT_FALSE(Figures(case_, kWang).has_value());
  // The same account number in another case is another account.
  EXPECT_TRUE(Import(officer_, case_, GoodBooks()).ok());
  EXPECT_TRUE(Import(other_officer_, other_case_, GoodBooks()).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts"), 8);
}

TEST_F(BooksTest, ABadFileIsRefusedWholeWithEveryLineAndNothingChanges) {
  Must(Import(officer_, case_, GoodBooks()));
  const int64_t accounts = Count("SELECT COUNT(*) FROM book_accounts");
  const int64_t imports = Count("SELECT COUNT(*) FROM book_imports");
  const int64_t entries = LedgerEntries();
  std::string bad_id = kWang;
  bad_id[17] = bad_id[17] == '1' ? '2' : '1';
  const std::string csv = std::string(kHeader) + Row("a-1", "甲", kZhang, "100", "0") +
                          Row("a-2", "乙", bad_id, "100", "0") +  // line 3
                          Row("a-3", "丙", kLi, "1.234", "0") +   // line 4
                          Row("a-4", "丁", kZhao, "100", "0") +   // line 5
                          Row("a-1", "戊", kZhao, "100", "-5");   // line 6: two errors
  std::vector<BooksCsvError> errors;
  StatusOr<BookImportResult> result = Import(officer_, case_, csv, &errors);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().field(), "file");
  EXPECT_EQ(result.status().message(), "3 rows have errors; nothing was imported");
  std::vector<int> lines;
  for (const BooksCsvError& e : errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 6, 6}));
  EXPECT_EQ(errors[0].column, "id_number");
  EXPECT_EQ(errors[1].column, "total_deposits");
  for (const BooksCsvError& e : errors) {
    EXPECT_EQ(e.message.find(bad_id), std::string::npos) << e.message;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts"), accounts);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_imports"), imports);
  EXPECT_EQ(LedgerEntries(), entries);
  // The earlier books are intact.
  EXPECT_EQ(Figures(case_, kZhang)->accounts.size(), 2u);
}

TEST_F(BooksTest, AccountsDifferingOnlyInCaseAreRefusedWithTheirLines) {
  std::vector<BooksCsvError> errors;
  StatusOr<BookImportResult> result =
      Import(officer_, case_,
             std::string(kHeader) + Row("ab-01", "甲", kZhang, "1", "0") +
                 Row("AB-01", "乙", kLi, "1", "0"),
             &errors);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_EQ(errors[0].column, "platform_account");
  EXPECT_NE(errors[0].message.find("line 2"), std::string::npos) << errors[0].message;
  // Collisions the collation makes beyond letter case are still refused (no line numbers).
  result = Import(
      officer_, case_,
      std::string(kHeader) + Row("cafe", "甲", kZhang, "1", "0") + Row("café", "乙", kLi, "1", "0"),
      &errors);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().field(), "file");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_imports"), 0);
}

TEST_F(BooksTest, AFileWithoutRowsIsRefused) {
  Must(Import(officer_, case_, GoodBooks()));
  StatusOr<BookImportResult> result = Import(officer_, case_, kHeader);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().field(), "file");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts"), 4);
}

TEST_F(BooksTest, OnlyTheCasesOfficersImport) {
  for (const Principal& who : {court_, auditor_, claimant_, admin_}) {
    StatusOr<BookImportResult> result = Import(who, case_, GoodBooks());
    EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied) << RoleName(who.role);
  }
  EXPECT_EQ(Import(other_officer_, case_, GoodBooks()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Import(officer_, 999999, GoodBooks()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts"), 0);
}

TEST_F(BooksTest, ClosedCasesKeepTheirBooks) {
  Must(Import(officer_, case_, GoodBooks()));
  Must(db_->Exec("UPDATE cases SET status = 'closed' WHERE id = ?", {case_}));
  StatusOr<BookImportResult> result = Import(officer_, case_, GoodBooks());
  EXPECT_EQ(result.status().code(), StatusCode::kRuleViolated);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_imports"), 1);
}

TEST_F(BooksTest, ConcurrentImportsOfACaseDoNotMix) {
  std::string first = kHeader;
  std::string second = kHeader;
  for (int i = 0; i < 600; ++i) {
    first += Row("f-" + std::to_string(i), "甲", kZhang, "1", "0");
    if (i < 400) second += Row("s-" + std::to_string(i), "乙", kLi, "2", "0");
  }
  StatusOr<BookImportResult> a = Status::Internal("not run");
  StatusOr<BookImportResult> b = Status::Internal("not run");
  std::thread one([&] { a = Import(officer_, case_, first); });
  std::thread two([&] { b = Import(officer_, case_, second); });
  one.join();
  two.join();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  // The books are exactly one of the two files: the one committed last.
  const int64_t last = std::max(a->import_id, b->import_id);
  const int64_t rows = Count("SELECT COUNT(*) FROM book_accounts WHERE case_id = ?", {case_});
  EXPECT_EQ(rows, last == a->import_id ? 600 : 400);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts WHERE case_id = ? AND import_id = ?",
                  {case_, last}),
            rows);
}

TEST_F(BooksTest, ClaimsAreDeclaredWhileAnImportIsInProgress) {
  std::unique_ptr<DbConnection> importer = tdb_.Connect();
  ASSERT_TRUE(importer->Begin().ok());
  ASSERT_TRUE(ImportBooks(*importer, ctx_, officer_, case_, GoodBooks(), kToday, nullptr).ok());
  // Not blocked behind the import's locks (the lock wait would end in an error after 10 s).
  const auto start = std::chrono::steady_clock::now();
  const ClaimRecord claim = Declare(claimant_, kZhang);
  EXPECT_GT(claim.id, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_TRUE(importer->Commit().ok());
  EXPECT_EQ(Figures(case_, kZhang)->net, claim.declared_net);
}

TEST_F(BooksTest, LargeFilesGoInChunksOfEverySize) {
  // 1,365 rows = 5 x 256 + 64 + 16 + 4 + 1: every chunk size is used.
  std::string csv = kHeader;
  int64_t deposits = 0;
  for (int i = 0; i < 1365; ++i) {
    const std::string& id = (i % 3 == 0) ? kZhang : (i % 3 == 1 ? kLi : kWang);
    csv += Row("acct-" + std::to_string(i), "持有人", id, std::to_string(i) + ".01", "0");
    deposits += int64_t{i} * 100 + 1;
  }
  const BookImportResult result = Must(Import(officer_, case_, csv));
  EXPECT_EQ(result.rows, 1365);
  EXPECT_EQ(result.total_deposits, Money::FromFen(deposits));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM book_accounts WHERE case_id = ?", {case_}), 1365);
  EXPECT_EQ(Count("SELECT CAST(SUM(deposits_fen) AS SIGNED) FROM book_accounts"), deposits);
  EXPECT_EQ(Figures(case_, kZhang)->accounts.size(), 455u);
}

TEST_F(BooksTest, UnclaimedHoldersAreListedForOfficersWithTotals) {
  Declare(claimant_, kZhang);
  const ClaimRecord li = Declare(other_claimant_, kLi);
  // A withdrawn claim is still a claim.
  InTx([&](DbConnection& db) {
    return Must(WithdrawClaim(db, ctx_, other_claimant_, case_, li.id));
  });
  Must(Import(officer_, case_,
              GoodBooks() + Row("zl-001", "赵六", kZhao, "700", "100") +
                  Row("zl-002", "赵六", kZhao, "0", "50")));
  const int64_t logged =
      Count("SELECT COUNT(*) FROM pii_access_log WHERE what = 'books_unclaimed'");
  const UnclaimedPage page = Must(Tx<UnclaimedPage>([&](DbConnection& db) {
    return ListUnclaimedHolders(db, ctx_, officer_, case_, 1, "req-u");
  }));
  ASSERT_EQ(page.holders.size(), 2u);
  // Largest net first: 王五 (29,000.00), then 赵六 (550.00).
  EXPECT_EQ(page.holders[0].holder_name, "王五");
  EXPECT_EQ(page.holders[0].id_number_masked, kWang.substr(0, 6) + "********" + kWang.substr(14));
  EXPECT_EQ(page.holders[0].net, Money::FromFen(2900000));
  EXPECT_EQ(page.holders[1].holder_name, "赵六");
  ASSERT_EQ(page.holders[1].accounts.size(), 2u);
  EXPECT_EQ(page.holders[1].deposits, Money::FromFen(70000));
  EXPECT_EQ(page.holders[1].withdrawals, Money::FromFen(15000));
  EXPECT_EQ(page.holders[1].net, Money::FromFen(55000));
  EXPECT_EQ(page.totals.holders, 2);
  EXPECT_EQ(page.totals.accounts, 3);
  EXPECT_EQ(page.totals.deposits, Money::FromFen(3070000));
  EXPECT_EQ(page.totals.withdrawals, Money::FromFen(115000));
  EXPECT_EQ(page.totals.net, Money::FromFen(2955000));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log WHERE what = 'books_unclaimed' AND "
                  "user_id = ? AND case_id = ?",
                  {officer_.user_id, case_}),
            logged + 1);
  // Page 2 is empty but keeps the totals.
  const UnclaimedPage second = Must(Tx<UnclaimedPage>([&](DbConnection& db) {
    return ListUnclaimedHolders(db, ctx_, officer_, case_, 2, "req-u");
  }));
  EXPECT_TRUE(second.holders.empty());
  EXPECT_EQ(second.totals.holders, 2);
  // Names are for the case's officers only.
  for (const Principal& who : {court_, auditor_, claimant_}) {
    EXPECT_EQ(Tx<UnclaimedPage>([&](DbConnection& db) {
                return ListUnclaimedHolders(db, ctx_, who, case_, 1, "r");
              })
                  .status()
                  .code(),
              StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(Tx<UnclaimedPage>([&](DbConnection& db) {
              return ListUnclaimedHolders(db, ctx_, other_officer_, case_, 1, "r");
            })
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(BooksTest, LookupNeedsTheIdNumberAndTheExactNameAndIsRateLimited) {
  Must(Import(officer_, case_, GoodBooks()));
  const BookLookupResult found = Must(Lookup(claimant_, " 张三 ", kZhang));
  EXPECT_FALSE(found.refusal.has_value());
  ASSERT_TRUE(found.figures.has_value());
  EXPECT_EQ(found.figures->accounts.size(), 2u);
  EXPECT_EQ(found.figures->net, Money::FromFen(1349950));
  // The wrong name and an ID number not in the books look the same.
  EXPECT_FALSE(Must(Lookup(claimant_, "张四", kZhang)).figures.has_value());
  EXPECT_FALSE(Must(Lookup(claimant_, "赵六", kZhao)).figures.has_value());
  EXPECT_FALSE(Must(Lookup(claimant_, "张", kZhang)).figures.has_value());
  // Every look-up is on the access log, whatever it found.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log WHERE what = 'books_lookup' AND "
                  "user_id = ? AND case_id = ?",
                  {claimant_.user_id, case_}),
            4);
  for (int i = 4; i < kBookLookupsPerHour; ++i) {
    now_ += 1000;
    EXPECT_FALSE(Must(Lookup(claimant_, "张四", kZhang)).refusal.has_value()) << i;
  }
  now_ += 1000;
  const BookLookupResult refused = Must(Lookup(claimant_, "张三", kZhang));
  ASSERT_TRUE(refused.refusal.has_value());
  EXPECT_EQ(refused.refusal->code(), StatusCode::kTooManyAttempts);
  // The oldest of the ten (at the start) leaves the hour's window 7 s sooner than an hour.
  EXPECT_EQ(refused.refusal->retry_after_seconds(), 3600 - 7);
  EXPECT_FALSE(refused.figures.has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log WHERE what = 'books_lookup'"), 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM security_events WHERE event = 'books_lookup_throttled' "
                  "AND user_id = ?",
                  {claimant_.user_id}),
            1);
  // Another account is not limited; an hour later this one is not either.
  EXPECT_TRUE(Must(Lookup(other_claimant_, "张三", kZhang)).figures.has_value());
  now_ += 3600 * 1000;
  EXPECT_TRUE(Must(Lookup(claimant_, "张三", kZhang)).figures.has_value());
  // Staff do not look up scheduled amounts.
  EXPECT_EQ(Lookup(officer_, "张三", kZhang).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(BooksTest, ClaimantsAcceptOrDisputeTheFiguresOfTheirOwnClaim) {
  const ClaimRecord claim = Declare(claimant_, kZhang);
  // Nothing in the books yet.
  auto respond = [&](const Principal& who, int64_t claim_id, BookFiguresResponse response,
                     std::optional<std::string> note) {
    return Tx<BookFiguresResponseResult>([&](DbConnection& db) {
      return RespondToBookFigures(db, ctx_, who, case_, claim_id, response, note);
    });
  };
  StatusOr<BookFiguresResponseResult> none =
      respond(claimant_, claim.id, BookFiguresResponse::kAccept, std::nullopt);
  EXPECT_EQ(none.status().code(), StatusCode::kRuleViolated);
  EXPECT_EQ(none.status().reason(), "no_book_records");

  const BookImportResult imported = Must(Import(officer_, case_, GoodBooks()));
  const BookFiguresResponseResult accepted =
      Must(respond(claimant_, claim.id, BookFiguresResponse::kAccept, std::nullopt));
  EXPECT_EQ(accepted.import_id, imported.import_id);
  EXPECT_EQ(accepted.figures.net, Money::FromFen(1349950));
  EXPECT_EQ(accepted.claim.status, ClaimStatus::kSubmitted);
  const BookFiguresResponseResult disputed = Must(
      respond(claimant_, claim.id, BookFiguresResponse::kDispute, std::string("漏记一笔5000元")));
  const std::vector<ClaimEvent> events = Must(ReadClaimEvents(*db_, ctx_, claim.id));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].action, "book_figures_accepted");
  EXPECT_EQ(events[1].amount, Money::FromFen(1349950));
  EXPECT_EQ(events[2].action, "book_figures_disputed");
  EXPECT_EQ(events[2].note, "漏记一笔5000元");
  EXPECT_EQ(events[2].to_status, "submitted");
  SqlRows entry =
      Must(db_->Query("SELECT entry FROM ledger_queue WHERE id = ?", {disputed.entry.queue_id}));
  ASSERT_EQ(entry.size(), 1u);
  const Json json = Json::parse(entry[0].Bytes(0));
  EXPECT_EQ(json["type"], "claim_book_figures_disputed");
  EXPECT_EQ(json["payload"]["claim"], claim.id);
  EXPECT_EQ(json["payload"]["amount_fen"], 1349950);
  EXPECT_EQ(json["payload"]["import"], imported.import_id);
  EXPECT_EQ(entry[0].Bytes(0).find("漏记"), std::string::npos);
  // The claim itself is unchanged.
  EXPECT_EQ(Count("SELECT version FROM claims WHERE id = ?", {claim.id}), 1);

  // Nobody else's claim, and not once the claim has left submitted/deficient.
  EXPECT_EQ(respond(other_claimant_, claim.id, BookFiguresResponse::kAccept, std::nullopt)
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(respond(officer_, claim.id, BookFiguresResponse::kAccept, std::nullopt).status().code(),
            StatusCode::kNotFound);
  InTx([&](DbConnection& db) { return Must(WithdrawClaim(db, ctx_, claimant_, case_, claim.id)); });
  EXPECT_EQ(
      respond(claimant_, claim.id, BookFiguresResponse::kAccept, std::nullopt).status().code(),
      StatusCode::kConflict);
}

TEST(BooksMaskTest, MasksTheMiddleOfTheIdNumber) {
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "110105********002X");
}

}  // namespace
}  // namespace restitution
