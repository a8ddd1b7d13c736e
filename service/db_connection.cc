#include "service/db_connection.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <mutex>

namespace restitution {
namespace {

// Server error codes that matter to control flow.
constexpr int kErrDuplicateKey = 1062;
constexpr int kErrLockWaitTimeout = 1205;
constexpr int kErrDeadlock = 1213;

sql::Driver* Driver() {
  // get_mysql_driver_instance() is not safe to call concurrently the first time.
  static std::once_flag once;
  static sql::Driver* driver = nullptr;
  std::call_once(once, [] { driver = sql::mysql::get_mysql_driver_instance(); });
  return driver;
}

bool IsConnectionError(int code) {
  // 2002/2003 cannot connect, 2006 server gone away, 2013 lost connection, 2055 lost (SSL),
  // 1927 connection killed, 4031 disconnected for inactivity.
  return code == 2002 || code == 2003 || code == 2006 || code == 2013 || code == 2055 ||
         code == 1927 || code == 4031;
}

bool IsIntegerType(int type) {
  return type == sql::DataType::BIT || type == sql::DataType::TINYINT ||
         type == sql::DataType::SMALLINT || type == sql::DataType::MEDIUMINT ||
         type == sql::DataType::INTEGER || type == sql::DataType::BIGINT;
}

}  // namespace

// Maps a Connector/C++ exception to a Status. Database messages stay in the Status message
// (for logs); the HTTP layer never shows an Internal message to clients.
static Status StatusFromSqlException(const sql::SQLException& e, bool* broken) {
  const int code = e.getErrorCode();
  if (code == kErrDeadlock) return Status::Aborted("deadlock");
  if (code == kErrLockWaitTimeout) return Status::Aborted("lock wait timeout");
  if (code == kErrDuplicateKey) {
    return Status::Conflict("duplicate key").WithReason("duplicate_key");
  }
  if (IsConnectionError(code) || code == 0) {
    *broken = true;
    return Status::Unavailable("database connection lost (" + std::to_string(code) + ")");
  }
  return Status::Internal("database error " + std::to_string(code) + ": " + e.what());
}

DbConnection::DbConnection(std::unique_ptr<sql::Connection> connection)
    : connection_(std::move(connection)) {}

DbConnection::~DbConnection() {
  statements_.clear();  // statements before their connection
  if (connection_) {
    try {
      connection_->close();
    } catch (const std::exception&) {
      // Closing a dead connection: nothing left to release.
    }
  }
}

StatusOr<std::unique_ptr<DbConnection>> DbConnection::Open(const DbConfig& config) {
  sql::ConnectOptionsMap options;
  if (!config.socket.empty()) {
    // Never also set a port with a unix socket: Connector/C++ would silently use TCP.
    options["hostName"] = sql::SQLString("unix://" + config.socket);
  } else {
    options["hostName"] = sql::SQLString("tcp://" + config.host);
    options["port"] = config.port;
  }
  options["userName"] = sql::SQLString(config.user);
  options["password"] = sql::SQLString(config.password);
  options["schema"] = sql::SQLString(config.database);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  options["OPT_CONNECT_TIMEOUT"] = 5;
  // Automatic reconnect would silently lose an open transaction: we drop broken connections.
  options["OPT_RECONNECT"] = false;
  std::unique_ptr<sql::Connection> raw;
  try {
    raw.reset(Driver()->connect(options));
  } catch (const sql::SQLException& e) {
    return Status::Unavailable("cannot connect to the database (" +
                               std::to_string(e.getErrorCode()) + ")");
  }
  std::unique_ptr<DbConnection> connection(new DbConnection(std::move(raw)));
  const std::string setup[] = {
      "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci",
      "SET time_zone = '+00:00'",
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
      "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'",
      "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
      "SET SESSION innodb_lock_wait_timeout = " + std::to_string(config.lock_wait_timeout_seconds),
  };
  for (const std::string& statement : setup) {
    RETURN_IF_ERROR(connection->RunPlain(statement));
  }
  try {
    connection->connection_->setAutoCommit(true);
  } catch (const sql::SQLException& e) {
    return StatusFromSqlException(e, &connection->broken_);
  }
  return connection;
}

Status DbConnection::RunPlain(const std::string& sql) {
  try {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    statement->execute(sql);
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return StatusFromSqlException(e, &broken_);
  }
}

StatusOr<sql::PreparedStatement*> DbConnection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  try {
    std::unique_ptr<sql::PreparedStatement> statement(connection_->prepareStatement(sql));
    sql::PreparedStatement* raw = statement.get();
    statements_.emplace(sql, std::move(statement));
    return raw;
  } catch (const sql::SQLException& e) {
    return StatusFromSqlException(e, &broken_);
  }
}

Status DbConnection::Bind(sql::PreparedStatement* statement, const std::vector<SqlParam>& params) {
  try {
    statement->clearParameters();
    unsigned int index = 1;
    for (const SqlParam& param : params) {
      switch (param.kind()) {
        case SqlParam::Kind::kNull:
          statement->setNull(index, sql::DataType::VARCHAR);
          break;
        case SqlParam::Kind::kInt:
          statement->setInt64(index, param.int_value());
          break;
        case SqlParam::Kind::kBytes:
          statement->setString(index, sql::SQLString(param.bytes()));
          break;
      }
      ++index;
    }
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return StatusFromSqlException(e, &broken_);
  }
}

StatusOr<int64_t> DbConnection::Exec(const std::string& sql, const std::vector<SqlParam>& params) {
  if (broken_) return Status::Unavailable("database connection lost");
  ASSIGN_OR_RETURN(sql::PreparedStatement * statement, Prepare(sql));
  RETURN_IF_ERROR(Bind(statement, params));
  try {
    return static_cast<int64_t>(statement->executeUpdate());
  } catch (const sql::SQLException& e) {
    return StatusFromSqlException(e, &broken_);
  }
}

StatusOr<SqlRows> DbConnection::Query(const std::string& sql, const std::vector<SqlParam>& params) {
  if (broken_) return Status::Unavailable("database connection lost");
  ASSIGN_OR_RETURN(sql::PreparedStatement * statement, Prepare(sql));
  RETURN_IF_ERROR(Bind(statement, params));
  try {
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery());
    sql::ResultSetMetaData* meta = result->getMetaData();
    const unsigned int columns = meta->getColumnCount();
    std::vector<bool> integer_column(columns);
    for (unsigned int c = 0; c < columns; ++c) {
      integer_column[c] = IsIntegerType(meta->getColumnType(c + 1));
    }
    SqlRows rows;
    while (result->next()) {
      std::vector<SqlRow::Cell> cells(columns);
      for (unsigned int c = 0; c < columns; ++c) {
        SqlRow::Cell& cell = cells[c];
        cell.is_null = result->isNull(c + 1);
        if (cell.is_null) continue;
        if (integer_column[c]) {
          cell.is_integer = true;
          cell.integer = result->getInt64(c + 1);
        } else {
          cell.bytes = result->getString(c + 1).asStdString();
        }
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  } catch (const sql::SQLException& e) {
    return StatusFromSqlException(e, &broken_);
  }
}

StatusOr<int64_t> DbConnection::Insert(const std::string& sql,
                                       const std::vector<SqlParam>& params) {
  ASSIGN_OR_RETURN(SqlRows rows, Query(sql + " RETURNING id", params));
  if (rows.size() != 1 || rows[0].IsNull(0)) {
    return Status::Internal("INSERT … RETURNING id gave no id");
  }
  return rows[0].Int(0);
}

Status DbConnection::Begin() {
  if (in_transaction_) return Status::Internal("nested transaction");
  RETURN_IF_ERROR(RunPlain("START TRANSACTION"));
  in_transaction_ = true;
  return Status::Ok();
}

Status DbConnection::Commit() {
  in_transaction_ = false;
  Status status = RunPlain("COMMIT");
  if (!status.ok() && status.code() != StatusCode::kAborted) {
    // The commit's outcome is unknown; this connection is in no state to be reused.
    broken_ = true;
  }
  return status;
}

void DbConnection::Rollback() {
  in_transaction_ = false;
  if (broken_) return;
  if (!RunPlain("ROLLBACK").ok()) broken_ = true;
}

bool DbConnection::Ping() {
  if (broken_) return false;
  try {
    if (connection_->isValid()) return true;
  } catch (const sql::SQLException&) {
  }
  broken_ = true;
  return false;
}

std::string RepeatSql(const std::string& item, size_t count) {
  std::string sql;
  sql.reserve(count * (item.size() + 2));
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) sql += ", ";
    sql += item;
  }
  return sql;
}

}  // namespace restitution
