#include "service/migrations.h"

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/sha256.h"
#include "service/db_connection.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

// An empty database (no schema_migrations at all) next to a TestDatabase, dropped afterwards.
class EmptyDatabase {
 public:
  explicit EmptyDatabase(const TestDatabase& tdb) : config_(tdb.config()) {
    config_.database = tdb.config().database + "_empty";
    Must(Admin()->Exec("CREATE DATABASE " + config_.database + " CHARACTER SET utf8mb4"));
  }
  ~EmptyDatabase() { (void)Admin()->Exec("DROP DATABASE IF EXISTS " + config_.database); }

  std::unique_ptr<DbConnection> Connect() const { return Must(DbConnection::Open(config_)); }

 private:
  std::unique_ptr<DbConnection> Admin() const {
    DbConfig server = config_;
    server.database = "";
    return Must(DbConnection::Open(server));
  }
  DbConfig config_;
};

std::set<std::string> Tables(DbConnection& db) {
  std::set<std::string> names;
  for (const SqlRow& row : Must(db.Query("SELECT table_name FROM information_schema.tables "
                                         "WHERE table_schema = DATABASE()"))) {
    names.insert(row.Bytes(0));
  }
  return names;
}

const EmbeddedMigration& FirstMigration() {
  for (const EmbeddedMigration& m : EmbeddedMigrations()) {
    if (m.version == 1) return m;
  }
  throw std::runtime_error("migration 0001 is not embedded");
}

// True when this connection holds the migration lock (other test processes may hold it
// legitimately at the same time, so "free" is not checked).
bool HoldsMigrationLock(DbConnection& db) {
  SqlRows rows = Must(db.Query("SELECT IS_USED_LOCK('restitution_migrate') <=> CONNECTION_ID()"));
  return rows[0].Int(0) == 1;
}

TEST(MigrationsTest, EmbeddedMigrationsAreOrderedAndStartWithAccounts) {
  const std::vector<EmbeddedMigration>& all = EmbeddedMigrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].version, 1);
  EXPECT_STREQ(all[0].name, "0001_accounts");
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].version, all[i].version);
  EXPECT_NE(std::string(all[0].sql).find("CREATE TABLE users"), std::string::npos);
}

TEST(MigrationsTest, FreshDatabaseIsMigratedOnceAndThenCurrent) {
  TestDatabase tdb;
  EmptyDatabase empty(tdb);
  std::unique_ptr<DbConnection> db = empty.Connect();
  StatusOr<bool> before = MigrationsCurrent(*db);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_FALSE(*before);

  std::vector<std::string> applied;
  Status first = ApplyMigrations(*db, &applied);
  ASSERT_TRUE(first.ok()) << first.ToString();
  ASSERT_EQ(applied.size(), EmbeddedMigrations().size());
  EXPECT_EQ(applied[0], "0001_accounts");
  // Every migration's tables, and nothing else (later migrations extend this list).
  EXPECT_EQ(Tables(*db), (std::set<std::string>{"schema_migrations",
                                                "users",
                                                "sessions",
                                                "login_throttle",
                                                "verification_codes",
                                                "outbox",
                                                "idempotency_keys",
                                                "security_events",
                                                "ledger_queue",
                                                "ledger_head",
                                                "ledger_entries",
                                                "ledger_nodes",
                                                "ledger_checkpoints",
                                                "ledger_keys",
                                                "cases",
                                                "case_regions",
                                                "case_members",
                                                "claims",
                                                "claim_versions",
                                                "claim_events",
                                                "claim_evidence",
                                                "claim_objections",
                                                "book_imports",
                                                "book_accounts",
                                                "pii_access_log",
                                                "pool_transfers",
                                                "pool_balances",
                                                "assets",
                                                "asset_valuations",
                                                "asset_liquidations",
                                                "distribution_runs",
                                                "distribution_allocations",
                                                "distribution_chunks",
                                                "distribution_positions",
                                                "distribution_reserve_releases",
                                                "distribution_payments"}));
  SqlRows rows =
      Must(db->Query("SELECT version, name, checksum FROM schema_migrations "
                     "WHERE version = 1"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(1), "0001_accounts");
  EXPECT_EQ(rows[0].Bytes(2), crypto::Sha256(FirstMigration().sql));
  EXPECT_FALSE(HoldsMigrationLock(*db));

  StatusOr<bool> after = MigrationsCurrent(*db);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(*after);

  // The second run is a no-op.
  std::vector<std::string> second_applied;
  Status second = ApplyMigrations(*db, &second_applied);
  ASSERT_TRUE(second.ok()) << second.ToString();
  EXPECT_TRUE(second_applied.empty());
  SqlRows count = Must(db->Query("SELECT COUNT(*) FROM schema_migrations"));
  EXPECT_EQ(count[0].Int(0), static_cast<int64_t>(EmbeddedMigrations().size()));
  EXPECT_TRUE(*MigrationsCurrent(*db));
}

TEST(MigrationsTest, ApplyingAgainKeepsData) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  ASSERT_TRUE(db->Exec("INSERT INTO security_events (at_ms, event) VALUES (1, 'marker')").ok());
  SqlRows applied_at = Must(db->Query("SELECT applied_at_ms FROM schema_migrations"));
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  EXPECT_EQ(Must(db->Query("SELECT COUNT(*) FROM security_events"))[0].Int(0), 1);
  SqlRows applied_at_after = Must(db->Query("SELECT applied_at_ms FROM schema_migrations"));
  ASSERT_EQ(applied_at_after.size(), applied_at.size());
  EXPECT_EQ(applied_at_after[0].Int(0), applied_at[0].Int(0));
}

TEST(MigrationsTest, TamperedChecksumIsNotCurrentAndRefusesToMigrate) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  ASSERT_TRUE(*MigrationsCurrent(*db));
  StatusOr<int64_t> updated = db->Exec(
      "UPDATE schema_migrations SET checksum = ? WHERE version = 1", {std::string(32, 'x')});
  ASSERT_TRUE(updated.ok());
  ASSERT_EQ(*updated, 1);

  StatusOr<bool> current = MigrationsCurrent(*db);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_FALSE(*current);

  Status applied = ApplyMigrations(*db);
  EXPECT_EQ(applied.code(), StatusCode::kConflict) << applied.ToString();
  EXPECT_NE(applied.message().find("0001_accounts"), std::string::npos) << applied.message();
  // The failed run gave the lock back.
  EXPECT_FALSE(HoldsMigrationLock(*db));
  // And changed nothing.
  SqlRows rows = Must(db->Query("SELECT checksum FROM schema_migrations WHERE version = 1"));
  EXPECT_EQ(rows[0].Bytes(0), std::string(32, 'x'));
}

TEST(MigrationsTest, UnknownNewerVersionIsNotCurrentAndRefusesToMigrate) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  ASSERT_TRUE(db->Exec("INSERT INTO schema_migrations (version, name, checksum, applied_at_ms) "
                       "VALUES (?, ?, ?, ?)",
                       {9999, "9999_from_the_future", std::string(32, '\0'), 1})
                  .ok());
  StatusOr<bool> current = MigrationsCurrent(*db);
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(*current);
  Status applied = ApplyMigrations(*db);
  EXPECT_EQ(applied.code(), StatusCode::kConflict) << applied.ToString();
  EXPECT_NE(applied.message().find("9999"), std::string::npos) << applied.message();
  EXPECT_FALSE(HoldsMigrationLock(*db));
}

TEST(MigrationsTest, MissingHistoryRowIsNotCurrent) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  ASSERT_TRUE(db->Exec("DELETE FROM schema_migrations WHERE version = 1").ok());
  StatusOr<bool> current = MigrationsCurrent(*db);
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(*current);
  // Re-running 0001 over existing tables fails loudly instead of pretending.
  Status applied = ApplyMigrations(*db);
  EXPECT_EQ(applied.code(), StatusCode::kInternal) << applied.ToString();
  EXPECT_NE(applied.message().find("0001_accounts"), std::string::npos);
  EXPECT_FALSE(HoldsMigrationLock(*db));
  EXPECT_EQ(Must(db->Query("SELECT COUNT(*) FROM schema_migrations WHERE version = 1"))[0].Int(0),
            0);
}

TEST(MigrationsTest, MigrationLockHeldElsewhereDelaysButDoesNotBreak) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> holder = tdb.Connect();
  std::unique_ptr<DbConnection> db = tdb.Connect();
  // Another migrator holds the lock briefly; ApplyMigrations waits for it.
  ASSERT_EQ(Must(holder->Query("SELECT GET_LOCK('restitution_migrate', 60)"))[0].Int(0), 1);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    (void)holder->Query("SELECT RELEASE_LOCK('restitution_migrate')");
  });
  Status applied = ApplyMigrations(*db);
  release.join();
  EXPECT_TRUE(applied.ok()) << applied.ToString();
}

// ---------------------------------------------------------------------------------------
// SplitSqlStatements

TEST(SplitSqlStatementsTest, SplitsAtSemicolonsEndingALine) {
  EXPECT_EQ(SplitSqlStatements("CREATE TABLE a (x INT);\nINSERT INTO a VALUES (1);\n"),
            (std::vector<std::string>{"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"}));
}

TEST(SplitSqlStatementsTest, KeepsMultiLineStatementsWhole) {
  EXPECT_EQ(SplitSqlStatements("CREATE TABLE t (\n  id INT,\n  v INT\n);\n"),
            (std::vector<std::string>{"CREATE TABLE t (\n  id INT,\n  v INT\n)"}));
}

TEST(SplitSqlStatementsTest, DropsCommentLinesEvenWithSemicolons) {
  const std::string script =
      "-- header; with a semicolon;\n"
      "   -- indented comment;\n"
      "\n"
      "SELECT 1;\n"
      "-- between;\n"
      "SELECT 2;\n"
      "-- trailer;\n";
  EXPECT_EQ(SplitSqlStatements(script), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST(SplitSqlStatementsTest, SemicolonInsideALineDoesNotSplit) {
  EXPECT_EQ(SplitSqlStatements("SELECT 'a;b', ';' FROM t;\n"),
            (std::vector<std::string>{"SELECT 'a;b', ';' FROM t"}));
  EXPECT_EQ(SplitSqlStatements("SELECT 1; SELECT 2;\n"),
            (std::vector<std::string>{"SELECT 1; SELECT 2"}));
}

TEST(SplitSqlStatementsTest, TrailingWhitespaceAndCrlfAfterSemicolon) {
  EXPECT_EQ(SplitSqlStatements("SELECT 1;   \r\nSELECT 2;\t\r\n"),
            (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST(SplitSqlStatementsTest, BlankAndCommentOnlyScriptsAreEmpty) {
  EXPECT_TRUE(SplitSqlStatements("").empty());
  EXPECT_TRUE(SplitSqlStatements("\n\n   \n\t\n").empty());
  EXPECT_TRUE(SplitSqlStatements("-- only;\n-- comments\n").empty());
}

TEST(SplitSqlStatementsTest, FinalStatementWithoutSemicolonIsKept) {
  std::vector<std::string> statements = SplitSqlStatements("SELECT 1;\nSELECT 2\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "SELECT 1");
  EXPECT_EQ(statements[1].substr(0, 8), "SELECT 2");
  EXPECT_EQ(statements[1].find_first_not_of("SELECT 2\n"), std::string::npos);
}

TEST(SplitSqlStatementsTest, InlineCommentInsideAStatementIsKept) {
  EXPECT_EQ(SplitSqlStatements("CREATE TABLE t (\n  a INT,  -- the a; column\n  b INT\n);\n"),
            (std::vector<std::string>{"CREATE TABLE t (\n  a INT,  -- the a; column\n  b INT\n)"}));
}

TEST(SplitSqlStatementsTest, FirstMigrationSplitsIntoItsSevenTables) {
  std::vector<std::string> statements = SplitSqlStatements(FirstMigration().sql);
  ASSERT_EQ(statements.size(), 7u);
  for (const std::string& statement : statements) {
    EXPECT_EQ(statement.rfind("CREATE TABLE ", 0), 0u) << statement;
    EXPECT_NE(statement.back(), ';') << statement;
    EXPECT_NE(statement.find("ENGINE=InnoDB"), std::string::npos) << statement;
  }
}

}  // namespace
}  // namespace restitution
