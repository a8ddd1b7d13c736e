// How to reach the database. Either a unix socket (the private MariaDB) or host and port.
#ifndef RESTITUTION_SERVICE_DB_CONFIG_H_
#define RESTITUTION_SERVICE_DB_CONFIG_H_

#include <string>

namespace restitution {

struct DbConfig {
  std::string socket;  // non-empty: connect through this unix socket, never TCP
  std::string host;    // empty with an empty socket: <var_dir>/mysqld.sock
  int port = 3306;
  std::string user = "restitution";
  std::string password;
  std::string database = "restitution";
  int pool_size = 8;
  int acquire_timeout_ms = 2000;
  int lock_wait_timeout_seconds = 10;
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_DB_CONFIG_H_
