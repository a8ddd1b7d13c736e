#include "service/migrations.h"

#include <chrono>
#include <map>

#include "crypto/sha256.h"
#include "service/db_connection.h"

namespace restitution {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(128) NOT NULL,"
    " checksum BINARY(32) NOT NULL,"
    " applied_at_ms BIGINT NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// version -> checksum of what the database says it has applied.
StatusOr<std::map<int, std::string>> AppliedMigrations(DbConnection& connection) {
  RETURN_IF_ERROR(connection.Exec(kCreateTable).status());
  ASSIGN_OR_RETURN(SqlRows rows,
                   connection.Query("SELECT version, checksum FROM schema_migrations"));
  std::map<int, std::string> applied;
  for (const SqlRow& row : rows) applied[static_cast<int>(row.Int(0))] = row.Bytes(1);
  return applied;
}

Status CheckHistory(const std::map<int, std::string>& applied) {
  std::map<int, const EmbeddedMigration*> embedded;
  for (const EmbeddedMigration& m : EmbeddedMigrations()) embedded[m.version] = &m;
  for (const auto& [version, checksum] : applied) {
    auto it = embedded.find(version);
    if (it == embedded.end()) {
      return Status::Conflict("database has migration " + std::to_string(version) +
                              " which this binary does not know; upgrade the binary");
    }
    if (crypto::Sha256(it->second->sql) != checksum) {
      return Status::Conflict("migration " + std::string(it->second->name) +
                              " was changed after it was applied");
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> SplitSqlStatements(const std::string& script) {
  std::vector<std::string> statements;
  std::string current;
  size_t start = 0;
  while (start < script.size()) {
    size_t end = script.find('\n', start);
    if (end == std::string::npos) end = script.size();
    std::string line = script.substr(start, end - start);
    start = end + 1;
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) continue;
    const size_t last = line.find_last_not_of(" \t\r");
    current += line.substr(0, last + 1);
    current += '\n';
    if (line[last] == ';') {
      current.erase(current.size() - 2);  // the ';' and '\n'
      statements.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  return statements;
}

Status ApplyMigrations(DbConnection& connection, std::vector<std::string>* applied_names) {
  // DDL commits implicitly in MariaDB, so migrations cannot be one transaction; a named lock
  // keeps two migrators (two restitutionctl runs, two servers) from interleaving.
  ASSIGN_OR_RETURN(SqlRows lock, connection.Query("SELECT GET_LOCK('restitution_migrate', 60)"));
  if (lock.size() != 1 || lock[0].Int(0) != 1) {
    return Status::Unavailable("another process is migrating the database");
  }
  Status result = [&]() -> Status {
    ASSIGN_OR_RETURN(auto applied, AppliedMigrations(connection));
    RETURN_IF_ERROR(CheckHistory(applied));
    for (const EmbeddedMigration& m : EmbeddedMigrations()) {
      if (applied.count(m.version) != 0) continue;
      for (const std::string& statement : SplitSqlStatements(m.sql)) {
        Status status = connection.Exec(statement).status();
        if (!status.ok()) {
          return Status::Internal(std::string("migration ") + m.name +
                                  " failed: " + status.message());
        }
      }
      RETURN_IF_ERROR(connection
                          .Exec("INSERT INTO schema_migrations (version, name, checksum, "
                                "applied_at_ms) VALUES (?, ?, ?, ?)",
                                {m.version, m.name, crypto::Sha256(m.sql), NowMs()})
                          .status());
      if (applied_names != nullptr) applied_names->push_back(m.name);
    }
    return Status::Ok();
  }();
  Status released = connection.Query("SELECT RELEASE_LOCK('restitution_migrate')").status();
  RETURN_IF_ERROR(result);
  return released;
}

StatusOr<bool> MigrationsCurrent(DbConnection& connection) {
  ASSIGN_OR_RETURN(SqlRows exists,
                   connection.Query("SELECT COUNT(*) FROM information_schema.tables WHERE "
                                    "table_schema = DATABASE() AND table_name = "
                                    "'schema_migrations'"));
  if (exists.empty() || exists[0].Int(0) == 0) return false;
  ASSIGN_OR_RETURN(SqlRows rows,
                   connection.Query("SELECT version, checksum FROM schema_migrations"));
  std::map<int, std::string> applied;
  for (const SqlRow& row : rows) applied[static_cast<int>(row.Int(0))] = row.Bytes(1);
  if (!CheckHistory(applied).ok()) return false;
  return applied.size() == EmbeddedMigrations().size();
}

}  // namespace restitution
