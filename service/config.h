// Configuration: one JSON file (RESTITUTION_CONFIG) plus environment overrides. Every
// setting has a default; unknown keys and bad values refuse to start with a clear message.
// The table of settings is documented in README.md ("Configuration").
#ifndef RESTITUTION_SERVICE_CONFIG_H_
#define RESTITUTION_SERVICE_CONFIG_H_

#include <cstddef>
#include <map>
#include <string>

#include "crypto/status.h"
#include "service/db_config.h"

namespace restitution {

struct Config {
  static DbConfig ReplicaDefaults() {
    DbConfig replica;
    replica.user.clear();
    replica.database.clear();
    replica.acquire_timeout_ms = 500;  // a busy replica sends the read to the primary
    return replica;
  }

  std::string var_dir = "./var";
  std::string listen_address = "127.0.0.1";
  int backend_port = 8080;
  int http_threads = 2;          // Pistache reactor threads: parse and validate only
  int worker_threads = 0;        // 0: as many as database connections
  int worker_queue_limit = 256;  // requests waiting for a worker; beyond it 503
  size_t max_json_body_bytes = 1 << 20;
  // Raw uploads (evidence files, seized-books CSV): each route sets its own limit up to this.
  size_t max_upload_bytes = 64 << 20;
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
  DbConfig db;
  // An optional read replica for public, non-money reads (deploy/SCALING.md). Off while
  // neither socket nor host is set; user, password and database default to db's.
  DbConfig db_replica = ReplicaDefaults();
  // Public reads leave the replica when it is this far behind the primary (estimated from
  // the ledger head, to about a second).
  int db_replica_max_lag_ms = 5000;
  bool replica_enabled() const { return !db_replica.socket.empty() || !db_replica.host.empty(); }
  std::string keys_dir;    // default <var_dir>/keys
  std::string outbox_dir;  // default <var_dir>/outbox
  int session_ttl_seconds = 8 * 3600;
  int password_min_length = 10;
  int scrypt_log2_n = 15;
  // Pistache's own TLS: off by default. Its handshake runs on the accept thread, so one slow
  // client stalls every new connection; production terminates TLS in nginx instead.
  std::string tls_cert;
  std::string tls_key;
  std::string log_level = "info";  // debug, info, warn, error
  // The ledger: the checkpoint origin (also the signing key's name) and how long a request
  // waits for its entry's index before answering with a pending receipt.
  std::string ledger_origin = "restitution.local/ledger";
  int receipt_wait_ms = 5000;
  int checkpoint_interval_ms = 1000;
};

using Environment = std::map<std::string, std::string>;

// The process environment, for LoadConfig.
Environment ProcessEnvironment();

// Defaults, then the file named by RESTITUTION_CONFIG (if set), then RESTITUTION_* variables.
StatusOr<Config> LoadConfig(const Environment& env);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CONFIG_H_
