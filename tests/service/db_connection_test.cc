#include "service/db_connection.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;

// Unwraps a StatusOr or fails the test (gtest reports the exception with its message).
template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

void MustOk(const Status& status) {
  if (!status.ok()) throw std::runtime_error(status.ToString());
}

// A table with every kind of column the service uses.
void CreateTable(DbConnection& db) {
  MustOk(db.Exec("CREATE TABLE t ("
                 " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                 " name VARCHAR(32) NULL,"
                 " vb VARBINARY(64) NULL,"
                 " bl BLOB NULL,"
                 " fixed BINARY(8) NULL,"
                 " n BIGINT NULL,"
                 " small INT NULL,"
                 " UNIQUE KEY t_name (name)"
                 ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
             .status());
}

int64_t ConnectionId(DbConnection& db) {
  SqlRows rows = Must(db.Query("SELECT CONNECTION_ID()"));
  if (rows.size() != 1) throw std::runtime_error("no connection id");
  return rows[0].Int(0);
}

// Kills `victim` from a second connection, as a server restart or an admin would.
void KillFromOutside(const TestDatabase& tdb, DbConnection& victim) {
  const int64_t id = ConnectionId(victim);
  std::unique_ptr<DbConnection> killer = tdb.Connect();
  MustOk(killer->Exec("KILL CONNECTION " + std::to_string(id)).status());
}

// Every byte value, NULs and 0xFF included, in a scrambled order.
std::string AllBytes() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>((i * 37 + 11) % 256);
  return bytes;
}

TEST(RepeatSqlTest, JoinsCopiesWithCommas) {
  EXPECT_EQ(RepeatSql("?", 0), "");
  EXPECT_EQ(RepeatSql("?", 1), "?");
  EXPECT_EQ(RepeatSql("?", 3), "?, ?, ?");
  EXPECT_EQ(RepeatSql("(?, ?)", 2), "(?, ?), (?, ?)");
}

TEST(DbConnectionTest, BinaryBytesRoundTripThroughVarbinaryBlobAndBinary) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  const std::string tricky("\0\xff\x00\x01\xfe\x80\x7f\0", 8);
  ASSERT_EQ(tricky.size(), 8u);
  const std::string big = AllBytes();
  ASSERT_EQ(big.size(), 256u);

  StatusOr<int64_t> inserted =
      db->Exec("INSERT INTO t (vb, bl, fixed) VALUES (?, ?, ?)", {tricky, big, tricky});
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_EQ(*inserted, 1);

  SqlRows rows = Must(db->Query("SELECT vb, bl, fixed, LENGTH(vb), LENGTH(bl), HEX(vb) FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 6u);
  EXPECT_FALSE(rows[0].IsNull(0));
  EXPECT_EQ(rows[0].Bytes(0), tricky);
  EXPECT_EQ(rows[0].Bytes(1), big);
  EXPECT_EQ(rows[0].Bytes(2), tricky);
  // The server itself stored every byte (not a string cut at the first NUL).
  EXPECT_EQ(rows[0].Int(3), 8);
  EXPECT_EQ(rows[0].Int(4), 256);
  EXPECT_EQ(rows[0].Bytes(5), "00FF0001FE807F00");

  // A binary parameter in a WHERE clause matches exactly that value and no prefix of it.
  SqlRows found = Must(db->Query("SELECT COUNT(*) FROM t WHERE vb = ?", {tricky}));
  EXPECT_EQ(found[0].Int(0), 1);
  SqlRows prefix = Must(db->Query("SELECT COUNT(*) FROM t WHERE vb = ?", {std::string(1, '\0')}));
  EXPECT_EQ(prefix[0].Int(0), 0);
}

TEST(DbConnectionTest, LargeBlobRoundTrips) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  std::string large;
  for (int i = 0; i < 60000; ++i) large += static_cast<char>(i % 256);
  ASSERT_TRUE(db->Exec("INSERT INTO t (bl) VALUES (?)", {large}).ok());
  SqlRows rows = Must(db->Query("SELECT bl, LENGTH(bl) FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(1), 60000);
  EXPECT_EQ(rows[0].Bytes(0), large);
}

TEST(DbConnectionTest, Utf8mb4TextRoundTrips) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  const std::string text = "清退登记 \xF0\x9F\x92\xB0 é";  // CJK, a 4-byte emoji, Latin-1
  ASSERT_TRUE(db->Exec("INSERT INTO t (name) VALUES (?)", {text}).ok());
  SqlRows rows = Must(db->Query("SELECT name, CHAR_LENGTH(name), LENGTH(name) FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), text);
  EXPECT_EQ(rows[0].Int(1), 8);
  EXPECT_EQ(rows[0].Int(2), static_cast<int64_t>(text.size()));
}

TEST(DbConnectionTest, NullParametersAndNullColumns) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  const std::optional<std::string> no_text;
  const std::optional<int64_t> no_number;
  ASSERT_TRUE(db->Exec("INSERT INTO t (name, vb, bl, n, small) VALUES (?, ?, ?, ?, ?)",
                       {nullptr, no_text, nullptr, no_number, nullptr})
                  .ok());
  SqlRows rows = Must(db->Query("SELECT name, vb, bl, n, small FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_TRUE(rows[0].IsNull(i)) << "column " << i;
  }
  EXPECT_EQ(rows[0].OptionalBytes(0), std::nullopt);
  EXPECT_EQ(rows[0].OptionalInt(3), std::nullopt);
  EXPECT_EQ(rows[0].Int(3), 0);  // documented: NULL reads as 0
  EXPECT_EQ(rows[0].Bytes(1), "");

  // A NULL parameter really is SQL NULL, not an empty string or 0.
  SqlRows is_null = Must(db->Query("SELECT ? IS NULL, ? IS NULL, ? IS NULL", {nullptr, "", 0}));
  EXPECT_EQ(is_null[0].Int(0), 1);
  EXPECT_EQ(is_null[0].Int(1), 0);
  EXPECT_EQ(is_null[0].Int(2), 0);

  // An optional with a value binds the value.
  const std::optional<std::string> some_text = "x";
  const std::optional<int64_t> some_number = int64_t{7};
  ASSERT_TRUE(db->Exec("INSERT INTO t (name, n) VALUES (?, ?)", {some_text, some_number}).ok());
  SqlRows second = Must(db->Query("SELECT name, n FROM t WHERE name IS NOT NULL"));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].OptionalBytes(0), std::optional<std::string>("x"));
  EXPECT_EQ(second[0].OptionalInt(1), std::optional<int64_t>(7));
}

TEST(DbConnectionTest, IntegerColumnsAndAggregatesReadAsInt) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  ASSERT_TRUE(db->Exec("INSERT INTO t (name, n, small) VALUES (?, ?, ?)", {"max", kMax, -5}).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t (name, n, small) VALUES (?, ?, ?)", {"min", kMin, 5}).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t (name, n) VALUES (?, ?)", {"a", int64_t{5000000000}}).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t (name, n) VALUES (?, ?)", {"b", -1}).ok());

  SqlRows rows = Must(db->Query("SELECT n, small FROM t WHERE name = ?", {"max"}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), kMax);
  EXPECT_EQ(rows[0].Int(1), -5);
  rows = Must(db->Query("SELECT n FROM t WHERE name = ?", {"min"}));
  EXPECT_EQ(rows[0].Int(0), kMin);

  // SUM of BIGINT is DECIMAL and arrives as text; Int() must still read it exactly.
  SqlRows sum =
      Must(db->Query("SELECT SUM(n), COUNT(*), MAX(n), SUM(small) FROM t WHERE name IN "
                     "('a', 'b')"));
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_EQ(sum[0].Int(0), 4999999999);
  EXPECT_EQ(sum[0].Int(1), 2);
  EXPECT_EQ(sum[0].Int(2), 5000000000);
  EXPECT_TRUE(sum[0].IsNull(3));  // SUM over only NULLs

  SqlRows negative = Must(db->Query("SELECT SUM(n) FROM t WHERE name IN ('b', 'max')"));
  EXPECT_EQ(negative[0].Int(0), kMax - 1);
  SqlRows empty = Must(db->Query("SELECT SUM(n) FROM t WHERE name = 'none'"));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_TRUE(empty[0].IsNull(0));
  EXPECT_EQ(empty[0].OptionalInt(0), std::nullopt);

  // An integer parameter is bound as an integer.
  SqlRows bound = Must(db->Query("SELECT ? + 1, ?", {int64_t{41}, kMin}));
  EXPECT_EQ(bound[0].Int(0), 42);
  EXPECT_EQ(bound[0].Int(1), kMin);
}

TEST(DbConnectionTest, DuplicateKeyIsConflictAndConnectionStaysUsable) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  ASSERT_TRUE(db->Exec("INSERT INTO t (name) VALUES (?)", {"alice"}).ok());
  StatusOr<int64_t> dup = db->Exec("INSERT INTO t (name) VALUES (?)", {"alice"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kConflict);
  EXPECT_EQ(dup.status().reason(), "duplicate_key");
  EXPECT_FALSE(db->broken());
  // The same prepared statement works again with other parameters.
  StatusOr<int64_t> other = db->Exec("INSERT INTO t (name) VALUES (?)", {"bob"});
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  SqlRows rows = Must(db->Query("SELECT name FROM t ORDER BY id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Bytes(0), "alice");
  EXPECT_EQ(rows[1].Bytes(0), "bob");
}

TEST(DbConnectionTest, SyntaxErrorIsInternalAndConnectionStaysUsable) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  StatusOr<SqlRows> bad = db->Query("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInternal);
  EXPECT_NE(bad.status().message().find("1064"), std::string::npos) << bad.status().message();
  StatusOr<int64_t> bad_exec = db->Exec("UPDATE no_such_table SET x = 1");
  ASSERT_FALSE(bad_exec.ok());
  EXPECT_EQ(bad_exec.status().code(), StatusCode::kInternal);
  EXPECT_FALSE(db->broken());
  SqlRows rows = Must(db->Query("SELECT 1"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1);
}

TEST(DbConnectionTest, SessionIsStrictUtcReadCommitted) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SqlRows rows =
      Must(db->Query("SELECT @@session.time_zone, @@session.tx_isolation, "
                     "@@session.sql_mode, @@session.character_set_connection, "
                     "@@session.autocommit"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), "+00:00");
  EXPECT_EQ(rows[0].Bytes(1), "READ-COMMITTED");
  EXPECT_NE(rows[0].Bytes(2).find("STRICT_ALL_TABLES"), std::string::npos) << rows[0].Bytes(2);
  EXPECT_EQ(rows[0].Bytes(3), "utf8mb4");
  EXPECT_EQ(rows[0].Int(4), 1);

  // Strict mode: a value that does not fit is an error, never silently truncated.
  CreateTable(*db);
  StatusOr<int64_t> too_long = db->Exec("INSERT INTO t (name) VALUES (?)", {std::string(33, 'x')});
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), StatusCode::kInternal);
  SqlRows count = Must(db->Query("SELECT COUNT(*) FROM t"));
  EXPECT_EQ(count[0].Int(0), 0);
}

TEST(DbConnectionTest, ExecReturnsAffectedRows) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(db->Exec("INSERT INTO t (name, n) VALUES (?, 1)", {name}).ok());
  }
  StatusOr<int64_t> updated = db->Exec("UPDATE t SET n = n + 1 WHERE name <> ?", {"b"});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(*updated, 2);
  StatusOr<int64_t> none = db->Exec("DELETE FROM t WHERE name = ?", {"zzz"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  SqlRows rows = Must(db->Query("SELECT name, n FROM t ORDER BY name"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].Int(1), 2);
  EXPECT_EQ(rows[1].Int(1), 1);
  EXPECT_EQ(rows[2].Int(1), 2);
}

TEST(DbConnectionTest, InsertReturnsTheNewRowsId) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  const int64_t first = Must(db->Insert("INSERT INTO t (name) VALUES (?)", {"first"}));
  const int64_t second = Must(db->Insert("INSERT INTO t (name) VALUES (?)", {"second"}));
  EXPECT_GT(first, 0);
  EXPECT_EQ(second, first + 1);
  SqlRows rows = Must(db->Query("SELECT id FROM t WHERE name = ?", {"second"}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), second);
  // Interleaved with another connection's inserts, each gets its own row's id.
  std::unique_ptr<DbConnection> other = tdb.Connect();
  const int64_t third = Must(other->Insert("INSERT INTO t (name) VALUES (?)", {"third"}));
  const int64_t fourth = Must(db->Insert("INSERT INTO t (name) VALUES (?)", {"fourth"}));
  EXPECT_EQ(third, second + 1);
  EXPECT_EQ(fourth, third + 1);
  EXPECT_EQ(Must(db->Query("SELECT name FROM t WHERE id = ?", {fourth}))[0].Bytes(0), "fourth");
}

TEST(DbConnectionTest, InsertRefusedByAUniqueKeyIsADuplicateKey) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);  // name is a unique key
  Must(db->Insert("INSERT INTO t (name) VALUES (?)", {"once"}));
  StatusOr<int64_t> again = db->Insert("INSERT INTO t (name) VALUES (?)", {"once"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), "duplicate_key");
  EXPECT_FALSE(db->broken());
}

TEST(DbConnectionTest, CommitKeepsAndRollbackDiscards) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  std::unique_ptr<DbConnection> observer = tdb.Connect();
  CreateTable(*db);

  ASSERT_TRUE(db->Begin().ok());
  EXPECT_TRUE(db->in_transaction());
  ASSERT_TRUE(db->Exec("INSERT INTO t (name) VALUES (?)", {"kept"}).ok());
  // Uncommitted: invisible to another connection.
  EXPECT_EQ(Must(observer->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 0);
  ASSERT_TRUE(db->Commit().ok());
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(Must(observer->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 1);

  ASSERT_TRUE(db->Begin().ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t (name) VALUES (?)", {"dropped"}).ok());
  db->Rollback();
  EXPECT_FALSE(db->in_transaction());
  EXPECT_FALSE(db->broken());
  SqlRows rows = Must(observer->Query("SELECT name FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), "kept");
}

TEST(DbConnectionTest, NestedBeginIsRefused) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  ASSERT_TRUE(db->Begin().ok());
  Status nested = db->Begin();
  EXPECT_EQ(nested.code(), StatusCode::kInternal);
  EXPECT_TRUE(db->in_transaction());
  db->Rollback();
  EXPECT_TRUE(db->Begin().ok());
  db->Rollback();
}

TEST(DbConnectionTest, KilledConnectionIsBrokenAndRefusesFurtherWork) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  ASSERT_TRUE(db->Ping());
  KillFromOutside(tdb, *db);

  StatusOr<int64_t> lost = db->Exec("INSERT INTO t (name) VALUES (?)", {"after kill"});
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), StatusCode::kUnavailable) << lost.status().ToString();
  EXPECT_TRUE(db->broken());
  // Once broken, nothing is sent any more: every call fails fast with Unavailable.
  StatusOr<int64_t> again = db->Exec("INSERT INTO t (name) VALUES (?)", {"again"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kUnavailable);
  StatusOr<SqlRows> query = db->Query("SELECT 1");
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(db->Ping());
  db->Rollback();  // harmless on a broken connection

  std::unique_ptr<DbConnection> observer = tdb.Connect();
  EXPECT_EQ(Must(observer->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 0);
}

TEST(DbConnectionTest, KilledConnectionIsNoticedByPing) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  KillFromOutside(tdb, *db);
  EXPECT_FALSE(db->Ping());
  EXPECT_TRUE(db->broken());
}

TEST(DbConnectionTest, CommitOnKilledConnectionMarksItBroken) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  CreateTable(*db);
  ASSERT_TRUE(db->Begin().ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t (name) VALUES (?)", {"lost"}).ok());
  KillFromOutside(tdb, *db);
  Status commit = db->Commit();
  EXPECT_EQ(commit.code(), StatusCode::kUnavailable) << commit.ToString();
  EXPECT_TRUE(db->broken());
  EXPECT_FALSE(db->in_transaction());
  std::unique_ptr<DbConnection> observer = tdb.Connect();
  EXPECT_EQ(Must(observer->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 0);
}

TEST(DbConnectionTest, OpenWithWrongPasswordIsUnavailable) {
  TestDatabase tdb;
  DbConfig config = tdb.config();
  config.password = "definitely not the password";
  StatusOr<std::unique_ptr<DbConnection>> opened = DbConnection::Open(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable);
  // The message must not echo the password.
  EXPECT_EQ(opened.status().message().find("definitely"), std::string::npos);
}

TEST(DbConnectionTest, OpenWithMissingSocketIsUnavailable) {
  DbConfig config;
  config.socket = "/nonexistent/restitution-test/mysqld.sock";
  StatusOr<std::unique_ptr<DbConnection>> opened = DbConnection::Open(config);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnavailable);
}

TEST(DbConnectionTest, OpenUsesTheConfiguredDatabase) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SqlRows rows = Must(db->Query("SELECT DATABASE()"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), tdb.config().database);
}

}  // namespace
}  // namespace restitution
