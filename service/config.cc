#include "service/config.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ledger/checkpoint.h"
#include "service/json_input.h"

extern char** environ;

namespace restitution {
namespace {

using nlohmann::json;

Status Bad(const std::string& key, const std::string& message) {
  return Status::InvalidArgument(key, "configuration " + key + ": " + message);
}

Status ParseInt(const std::string& key, const std::string& text, int min, int max, int* out) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    return Bad(key, "must be a whole number, got \"" + text + "\"");
  }
  if (value < min || value > max) {
    return Bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  *out = value;
  return Status::Ok();
}

Status JsonInt(const json& object, const std::string& key, int min, int max, int* out) {
  const json& value = object.at(key);
  if (!value.is_number_integer()) return Bad(key, "must be a whole number");
  const int64_t v = value.get<int64_t>();
  if (v < min || v > max) {
    return Bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status JsonString(const json& object, const std::string& key, std::string* out) {
  const json& value = object.at(key);
  if (!value.is_string()) return Bad(key, "must be a string");
  *out = value.get<std::string>();
  return Status::Ok();
}

// "db" and "db_replica" share their keys; only the replica has max_lag_ms.
Status ApplyDbSection(const std::string& section, const json& db, DbConfig* out, int* max_lag_ms) {
  if (!db.is_object()) return Bad(section, "must be an object");
  for (const auto& [key, value] : db.items()) {
    const std::string name = section + "." + key;
    Status s;
    if (key == "socket")
      s = JsonString(db, key, &out->socket);
    else if (key == "host")
      s = JsonString(db, key, &out->host);
    else if (key == "port")
      s = JsonInt(db, key, 1, 65535, &out->port);
    else if (key == "user")
      s = JsonString(db, key, &out->user);
    else if (key == "password")
      s = JsonString(db, key, &out->password);
    else if (key == "database")
      s = JsonString(db, key, &out->database);
    else if (key == "pool_size")
      s = JsonInt(db, key, 1, 256, &out->pool_size);
    else if (key == "acquire_timeout_ms")
      s = JsonInt(db, key, 1, 60000, &out->acquire_timeout_ms);
    else if (key == "lock_wait_timeout_seconds")
      s = JsonInt(db, key, 1, 3600, &out->lock_wait_timeout_seconds);
    else if (key == "max_lag_ms" && max_lag_ms != nullptr)
      s = JsonInt(db, key, 1000, 3600000, max_lag_ms);
    else
      return Bad(name, "unknown setting");
    if (!s.ok()) return Bad(name, s.message().substr(s.message().find(": ") + 2));
  }
  return Status::Ok();
}

Status ApplyFile(const std::string& path, Config* config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Bad("RESTITUTION_CONFIG", "cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  StatusOr<json> parsed = ParseJsonObject(buffer.str());
  if (!parsed.ok()) {
    return Bad(parsed.status().field().empty() ? "file" : parsed.status().field(),
               path + ": " + parsed.status().message());
  }
  const json& root = *parsed;
  int max_json = 0;
  for (const auto& [key, value] : root.items()) {
    Status s;
    if (key == "var_dir")
      s = JsonString(root, key, &config->var_dir);
    else if (key == "listen_address")
      s = JsonString(root, key, &config->listen_address);
    else if (key == "backend_port")
      s = JsonInt(root, key, 1, 65535, &config->backend_port);
    else if (key == "http_threads")
      s = JsonInt(root, key, 1, 64, &config->http_threads);
    else if (key == "worker_threads")
      s = JsonInt(root, key, 0, 256, &config->worker_threads);
    else if (key == "worker_queue_limit")
      s = JsonInt(root, key, 1, 100000, &config->worker_queue_limit);
    else if (key == "max_json_body_bytes") {
      s = JsonInt(root, key, 1024, 16 << 20, &max_json);
      config->max_json_body_bytes = static_cast<size_t>(max_json);
    } else if (key == "max_upload_bytes") {
      int max_upload = 0;
      s = JsonInt(root, key, 1 << 20, 1 << 30, &max_upload);
      config->max_upload_bytes = static_cast<size_t>(max_upload);
    } else if (key == "header_timeout_ms")
      s = JsonInt(root, key, 100, 600000, &config->header_timeout_ms);
    else if (key == "body_timeout_ms")
      s = JsonInt(root, key, 100, 600000, &config->body_timeout_ms);
    else if (key == "db")
      s = ApplyDbSection("db", value, &config->db, nullptr);
    else if (key == "db_replica")
      s = ApplyDbSection("db_replica", value, &config->db_replica, &config->db_replica_max_lag_ms);
    else if (key == "keys_dir")
      s = JsonString(root, key, &config->keys_dir);
    else if (key == "outbox_dir")
      s = JsonString(root, key, &config->outbox_dir);
    else if (key == "session_ttl_seconds")
      s = JsonInt(root, key, 60, 30 * 86400, &config->session_ttl_seconds);
    else if (key == "password_min_length")
      s = JsonInt(root, key, 8, 128, &config->password_min_length);
    else if (key == "scrypt_log2_n")
      s = JsonInt(root, key, 10, 20, &config->scrypt_log2_n);
    else if (key == "tls_cert")
      s = JsonString(root, key, &config->tls_cert);
    else if (key == "tls_key")
      s = JsonString(root, key, &config->tls_key);
    else if (key == "log_level")
      s = JsonString(root, key, &config->log_level);
    else if (key == "ledger_origin")
      s = JsonString(root, key, &config->ledger_origin);
    else if (key == "receipt_wait_ms")
      s = JsonInt(root, key, 0, 60000, &config->receipt_wait_ms);
    else if (key == "checkpoint_interval_ms")
      s = JsonInt(root, key, 0, 3600000, &config->checkpoint_interval_ms);
    else
      return Bad(key, "unknown setting in " + path);
    RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

Status ApplyEnvironment(const Environment& env, Config* config) {
  for (const auto& [name, value] : env) {
    if (name.rfind("RESTITUTION_", 0) != 0) continue;
    Status s;
    if (name == "RESTITUTION_VAR")
      config->var_dir = value;
    else if (name == "RESTITUTION_BACKEND_PORT")
      s = ParseInt(name, value, 1, 65535, &config->backend_port);
    else if (name == "RESTITUTION_LISTEN_ADDRESS")
      config->listen_address = value;
    else if (name == "RESTITUTION_DB_SOCKET")
      config->db.socket = value;
    else if (name == "RESTITUTION_DB_HOST")
      config->db.host = value;
    else if (name == "RESTITUTION_DB_PORT")
      s = ParseInt(name, value, 1, 65535, &config->db.port);
    else if (name == "RESTITUTION_DB_USER")
      config->db.user = value;
    else if (name == "RESTITUTION_DB_PASSWORD")
      config->db.password = value;
    else if (name == "RESTITUTION_DB_NAME")
      config->db.database = value;
    else if (name == "RESTITUTION_DB_POOL_SIZE")
      s = ParseInt(name, value, 1, 256, &config->db.pool_size);
    else if (name == "RESTITUTION_DB_REPLICA_SOCKET")
      config->db_replica.socket = value;
    else if (name == "RESTITUTION_DB_REPLICA_HOST")
      config->db_replica.host = value;
    else if (name == "RESTITUTION_DB_REPLICA_PORT")
      s = ParseInt(name, value, 1, 65535, &config->db_replica.port);
    else if (name == "RESTITUTION_DB_REPLICA_USER")
      config->db_replica.user = value;
    else if (name == "RESTITUTION_DB_REPLICA_PASSWORD")
      config->db_replica.password = value;
    else if (name == "RESTITUTION_DB_REPLICA_NAME")
      config->db_replica.database = value;
    else if (name == "RESTITUTION_DB_REPLICA_POOL_SIZE")
      s = ParseInt(name, value, 1, 256, &config->db_replica.pool_size);
    else if (name == "RESTITUTION_DB_REPLICA_MAX_LAG_MS")
      s = ParseInt(name, value, 1000, 3600000, &config->db_replica_max_lag_ms);
    else if (name == "RESTITUTION_KEYS_DIR")
      config->keys_dir = value;
    else if (name == "RESTITUTION_OUTBOX_DIR")
      config->outbox_dir = value;
    else if (name == "RESTITUTION_SCRYPT_LOG2_N")
      s = ParseInt(name, value, 10, 20, &config->scrypt_log2_n);
    else if (name == "RESTITUTION_LOG_LEVEL")
      config->log_level = value;
    else if (name == "RESTITUTION_LEDGER_ORIGIN")
      config->ledger_origin = value;
    else if (name == "RESTITUTION_RECEIPT_WAIT_MS")
      s = ParseInt(name, value, 0, 60000, &config->receipt_wait_ms);
    else if (name == "RESTITUTION_WORKER_THREADS")
      s = ParseInt(name, value, 0, 256, &config->worker_threads);
    else if (name == "RESTITUTION_WORKER_QUEUE_LIMIT")
      s = ParseInt(name, value, 1, 100000, &config->worker_queue_limit);
    // Other RESTITUTION_* variables belong to the scripts (RESTITUTION_PORT, ...).
    RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

Status Validate(Config* config) {
  if (config->var_dir.empty()) return Bad("var_dir", "must not be empty");
  if (config->keys_dir.empty()) config->keys_dir = config->var_dir + "/keys";
  if (config->outbox_dir.empty()) config->outbox_dir = config->var_dir + "/outbox";
  if (config->worker_threads == 0) config->worker_threads = config->db.pool_size;
  // Without an external database the private MariaDB's socket is the default.
  if (config->db.socket.empty() && config->db.host.empty()) {
    config->db.socket = config->var_dir + "/mysqld.sock";
  }
  if (config->replica_enabled()) {
    if (config->db_replica.user.empty()) config->db_replica.user = config->db.user;
    if (config->db_replica.database.empty()) config->db_replica.database = config->db.database;
  }
  if (config->tls_cert.empty() != config->tls_key.empty()) {
    return Bad("tls_cert", "tls_cert and tls_key go together");
  }
  if (!ledger::IsValidKeyName(config->ledger_origin)) {
    return Bad("ledger_origin", "must be a signed-note key name: no spaces, no '+'");
  }
  static const char* const kLevels[] = {"debug", "info", "warn", "error"};
  bool level_ok = false;
  for (const char* level : kLevels) level_ok = level_ok || config->log_level == level;
  if (!level_ok) return Bad("log_level", "must be one of debug, info, warn, error");
  return Status::Ok();
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string item(*entry);
    const size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    env[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return env;
}

StatusOr<Config> LoadConfig(const Environment& env) {
  Config config;
  auto file = env.find("RESTITUTION_CONFIG");
  if (file != env.end() && !file->second.empty()) RETURN_IF_ERROR(ApplyFile(file->second, &config));
  RETURN_IF_ERROR(ApplyEnvironment(env, &config));
  RETURN_IF_ERROR(Validate(&config));
  if (config.db.password.empty()) {
    std::ifstream in(config.keys_dir + "/db.password");
    if (in) {
      std::getline(in, config.db.password);
    }
  }
  // The replica copies the primary's accounts, so the primary's password is the default.
  if (config.replica_enabled() && config.db_replica.password.empty()) {
    config.db_replica.password = config.db.password;
  }
  return config;
}

}  // namespace restitution
