// DbConnection: the one way to run a query. Prepared statements only; parameters are bound,
// never spliced into SQL text. Connector/C++ exceptions never leave this class: every failure
// is a Status (deadlock and lock-wait timeout are kAborted so transactions can retry them).
#ifndef RESTITUTION_SERVICE_DB_CONNECTION_H_
#define RESTITUTION_SERVICE_DB_CONNECTION_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "crypto/status.h"
#include "service/db_config.h"
#include "service/sql_value.h"

namespace sql {
class Connection;
class PreparedStatement;
}  // namespace sql

namespace restitution {

class DbConnection {
 public:
  // Connects and sets the session up: utf8mb4, UTC, strict SQL mode, READ COMMITTED.
  static StatusOr<std::unique_ptr<DbConnection>> Open(const DbConfig& config);
  ~DbConnection();
  DbConnection(const DbConnection&) = delete;
  DbConnection& operator=(const DbConnection&) = delete;

  // INSERT/UPDATE/DELETE/DDL: the number of affected rows.
  StatusOr<int64_t> Exec(const std::string& sql, const std::vector<SqlParam>& params = {});
  // SELECT: every row, materialised. Bound the result with LIMIT where it could be large.
  StatusOr<SqlRows> Query(const std::string& sql, const std::vector<SqlParam>& params = {});
  // INSERT of one row into a table whose AUTO_INCREMENT key is `id`: that id. One round trip
  // (MariaDB's INSERT … RETURNING), where INSERT then LAST_INSERT_ID() takes two.
  StatusOr<int64_t> Insert(const std::string& sql, const std::vector<SqlParam>& params);

  Status Begin();
  Status Commit();
  // Best effort: a failed rollback marks the connection broken.
  void Rollback();

  // Cheap liveness probe used by the pool before handing out an idle connection.
  bool Ping();
  // After a lost connection (2006/2013) or an unknown state the connection must be dropped.
  bool broken() const { return broken_; }
  bool in_transaction() const { return in_transaction_; }

 private:
  explicit DbConnection(std::unique_ptr<sql::Connection> connection);
  StatusOr<sql::PreparedStatement*> Prepare(const std::string& sql);
  Status Bind(sql::PreparedStatement* statement, const std::vector<SqlParam>& params);
  Status RunPlain(const std::string& sql);  // fixed statements only: no parameters

  std::unique_ptr<sql::Connection> connection_;
  // Statements are prepared once per connection; the SQL text is always a literal of ours.
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  bool broken_ = false;
  bool in_transaction_ = false;
};

// "item, item, …, item", count times: the rows of a multi-row INSERT ("(?, ?, ?)") or the
// placeholders of an IN list ("?"). Statements are prepared per text, so callers keep the set
// of counts small.
std::string RepeatSql(const std::string& item, size_t count);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_DB_CONNECTION_H_
