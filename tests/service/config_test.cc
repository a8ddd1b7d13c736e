#include "service/config.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TempDir;

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

Config MustLoad(const Environment& env) {
  StatusOr<Config> config = LoadConfig(env);
  if (!config.ok()) throw std::runtime_error(config.status().ToString());
  return std::move(config).value();
}

// Loads a config file (and optional extra variables) from a fresh directory.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& json) : path_(dir_.path() + "/config.json") {
    WriteFile(path_, json);
  }
  Environment Env(Environment extra = {}) const {
    extra["RESTITUTION_CONFIG"] = path_;
    if (extra.count("RESTITUTION_VAR") == 0) extra["RESTITUTION_VAR"] = dir_.path() + "/var";
    return extra;
  }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_;
};

void ExpectRefused(const StatusOr<Config>& config, const std::string& field,
                   const std::string& message_part) {
  ASSERT_FALSE(config.ok()) << "expected " << field << " to be refused";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().field(), field) << config.status().ToString();
  EXPECT_NE(config.status().message().find(message_part), std::string::npos)
      << config.status().message();
}

TEST(ConfigTest, Defaults) {
  Config config = MustLoad({});
  EXPECT_EQ(config.var_dir, "./var");
  EXPECT_EQ(config.listen_address, "127.0.0.1");
  EXPECT_EQ(config.backend_port, 8080);
  EXPECT_EQ(config.http_threads, 2);
  EXPECT_EQ(config.worker_queue_limit, 256);
  EXPECT_EQ(config.max_json_body_bytes, size_t{1} << 20);
  EXPECT_EQ(config.header_timeout_ms, 10000);
  EXPECT_EQ(config.body_timeout_ms, 30000);
  EXPECT_EQ(config.keys_dir, "./var/keys");
  EXPECT_EQ(config.outbox_dir, "./var/outbox");
  EXPECT_EQ(config.session_ttl_seconds, 8 * 3600);
  EXPECT_EQ(config.password_min_length, 10);
  EXPECT_EQ(config.scrypt_log2_n, 15);
  EXPECT_EQ(config.log_level, "info");
  EXPECT_TRUE(config.tls_cert.empty());
  EXPECT_TRUE(config.tls_key.empty());
  // The private MariaDB's socket under var_dir; never TCP by default.
  EXPECT_EQ(config.db.socket, "./var/mysqld.sock");
  EXPECT_EQ(config.db.host, "");
  EXPECT_EQ(config.db.port, 3306);
  EXPECT_EQ(config.db.user, "restitution");
  EXPECT_EQ(config.db.database, "restitution");
  EXPECT_EQ(config.db.pool_size, 8);
  EXPECT_EQ(config.db.acquire_timeout_ms, 2000);
  EXPECT_EQ(config.db.lock_wait_timeout_seconds, 10);
  // worker_threads 0 means one per database connection.
  EXPECT_EQ(config.worker_threads, 8);
}

TEST(ConfigTest, VarDirMovesEveryDerivedPath) {
  TempDir dir;
  Config config = MustLoad({{"RESTITUTION_VAR", dir.path()}});
  EXPECT_EQ(config.var_dir, dir.path());
  EXPECT_EQ(config.keys_dir, dir.path() + "/keys");
  EXPECT_EQ(config.outbox_dir, dir.path() + "/outbox");
  EXPECT_EQ(config.db.socket, dir.path() + "/mysqld.sock");
  EXPECT_EQ(config.db.password, "");  // no db.password file there
}

TEST(ConfigTest, EnvironmentOverrides) {
  TempDir dir;
  Config config = MustLoad({
      {"RESTITUTION_VAR", dir.path()},
      {"RESTITUTION_BACKEND_PORT", "9090"},
      {"RESTITUTION_LISTEN_ADDRESS", "0.0.0.0"},
      {"RESTITUTION_DB_USER", "svc"},
      {"RESTITUTION_DB_PASSWORD", "from-env"},
      {"RESTITUTION_DB_NAME", "restitution_test"},
      {"RESTITUTION_DB_POOL_SIZE", "4"},
      {"RESTITUTION_KEYS_DIR", "/etc/restitution/keys"},
      {"RESTITUTION_OUTBOX_DIR", "/var/spool/restitution"},
      {"RESTITUTION_SCRYPT_LOG2_N", "12"},
      {"RESTITUTION_LOG_LEVEL", "debug"},
      {"RESTITUTION_WORKER_QUEUE_LIMIT", "10"},
      {"RESTITUTION_PORT", "not a number, and not ours"},  // belongs to the scripts
      {"PATH", "/usr/bin"},
  });
  EXPECT_EQ(config.backend_port, 9090);
  EXPECT_EQ(config.listen_address, "0.0.0.0");
  EXPECT_EQ(config.db.user, "svc");
  EXPECT_EQ(config.db.password, "from-env");
  EXPECT_EQ(config.db.database, "restitution_test");
  EXPECT_EQ(config.db.pool_size, 4);
  EXPECT_EQ(config.worker_threads, 4);
  EXPECT_EQ(config.keys_dir, "/etc/restitution/keys");
  EXPECT_EQ(config.outbox_dir, "/var/spool/restitution");
  EXPECT_EQ(config.scrypt_log2_n, 12);
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.worker_queue_limit, 10);
  EXPECT_EQ(config.db.socket, dir.path() + "/mysqld.sock");
}

TEST(ConfigTest, ExternalDatabaseHostMeansNoDefaultSocket) {
  Config config =
      MustLoad({{"RESTITUTION_DB_HOST", "db.internal"}, {"RESTITUTION_DB_PORT", "3307"}});
  EXPECT_EQ(config.db.host, "db.internal");
  EXPECT_EQ(config.db.port, 3307);
  EXPECT_EQ(config.db.socket, "");
}

TEST(ConfigTest, ExplicitSocketIsKept) {
  Config config = MustLoad({{"RESTITUTION_DB_SOCKET", "/run/mysqld/mysqld.sock"}});
  EXPECT_EQ(config.db.socket, "/run/mysqld/mysqld.sock");
}

TEST(ConfigTest, ExplicitWorkerThreadsAreKept) {
  Config config =
      MustLoad({{"RESTITUTION_WORKER_THREADS", "3"}, {"RESTITUTION_DB_POOL_SIZE", "16"}});
  EXPECT_EQ(config.worker_threads, 3);
  EXPECT_EQ(config.db.pool_size, 16);
}

TEST(ConfigTest, BadEnvironmentValuesAreRefusedNamingTheVariable) {
  ExpectRefused(LoadConfig({{"RESTITUTION_BACKEND_PORT", "0"}}), "RESTITUTION_BACKEND_PORT",
                "between 1 and 65535");
  ExpectRefused(LoadConfig({{"RESTITUTION_BACKEND_PORT", "65536"}}), "RESTITUTION_BACKEND_PORT",
                "between 1 and 65535");
  ExpectRefused(LoadConfig({{"RESTITUTION_BACKEND_PORT", "abc"}}), "RESTITUTION_BACKEND_PORT",
                "whole number");
  ExpectRefused(LoadConfig({{"RESTITUTION_BACKEND_PORT", "80x"}}), "RESTITUTION_BACKEND_PORT",
                "whole number");
  ExpectRefused(LoadConfig({{"RESTITUTION_BACKEND_PORT", ""}}), "RESTITUTION_BACKEND_PORT",
                "whole number");
  ExpectRefused(LoadConfig({{"RESTITUTION_BACKEND_PORT", " 80"}}), "RESTITUTION_BACKEND_PORT",
                "whole number");
  ExpectRefused(LoadConfig({{"RESTITUTION_BACKEND_PORT", "99999999999999999999"}}),
                "RESTITUTION_BACKEND_PORT", "whole number");
  ExpectRefused(LoadConfig({{"RESTITUTION_DB_PORT", "-1"}}), "RESTITUTION_DB_PORT", "between");
  ExpectRefused(LoadConfig({{"RESTITUTION_DB_POOL_SIZE", "0"}}), "RESTITUTION_DB_POOL_SIZE",
                "between 1 and 256");
  ExpectRefused(LoadConfig({{"RESTITUTION_SCRYPT_LOG2_N", "9"}}), "RESTITUTION_SCRYPT_LOG2_N",
                "between 10 and 20");
  ExpectRefused(LoadConfig({{"RESTITUTION_LOG_LEVEL", "verbose"}}), "log_level", "debug, info");
  ExpectRefused(LoadConfig({{"RESTITUTION_VAR", ""}}), "var_dir", "must not be empty");
}

TEST(ConfigTest, FileSettingsAreApplied) {
  ConfigFile file(R"({
    "listen_address": "10.0.0.5",
    "backend_port": 9000,
    "http_threads": 4,
    "worker_threads": 6,
    "max_json_body_bytes": 65536,
    "session_ttl_seconds": 600,
    "password_min_length": 12,
    "scrypt_log2_n": 14,
    "outbox_dir": "/srv/outbox",
    "log_level": "warn",
    "tls_cert": "/etc/cert.pem",
    "tls_key": "/etc/key.pem",
    "db": {"socket": "/run/db.sock", "user": "u", "password": "p", "database": "d",
           "pool_size": 3, "acquire_timeout_ms": 500, "lock_wait_timeout_seconds": 5}
  })");
  Config config = MustLoad(file.Env());
  EXPECT_EQ(config.listen_address, "10.0.0.5");
  EXPECT_EQ(config.backend_port, 9000);
  EXPECT_EQ(config.http_threads, 4);
  EXPECT_EQ(config.worker_threads, 6);
  EXPECT_EQ(config.max_json_body_bytes, 65536u);
  EXPECT_EQ(config.session_ttl_seconds, 600);
  EXPECT_EQ(config.password_min_length, 12);
  EXPECT_EQ(config.scrypt_log2_n, 14);
  EXPECT_EQ(config.outbox_dir, "/srv/outbox");
  EXPECT_EQ(config.log_level, "warn");
  EXPECT_EQ(config.tls_cert, "/etc/cert.pem");
  EXPECT_EQ(config.tls_key, "/etc/key.pem");
  EXPECT_EQ(config.db.socket, "/run/db.sock");
  EXPECT_EQ(config.db.user, "u");
  EXPECT_EQ(config.db.password, "p");
  EXPECT_EQ(config.db.database, "d");
  EXPECT_EQ(config.db.pool_size, 3);
  EXPECT_EQ(config.db.acquire_timeout_ms, 500);
  EXPECT_EQ(config.db.lock_wait_timeout_seconds, 5);
}

TEST(ConfigTest, EnvironmentWinsOverFile) {
  ConfigFile file(R"({"backend_port": 9000, "db": {"user": "from_file"}})");
  Config config =
      MustLoad(file.Env({{"RESTITUTION_BACKEND_PORT", "9100"}, {"RESTITUTION_DB_USER", "env"}}));
  EXPECT_EQ(config.backend_port, 9100);
  EXPECT_EQ(config.db.user, "env");
}

TEST(ConfigTest, UnknownKeyInFileIsRefusedNamingTheKey) {
  ConfigFile file(R"({"backend_port": 9000, "bakend_port": 9001})");
  StatusOr<Config> config = LoadConfig(file.Env());
  ExpectRefused(config, "bakend_port", "unknown setting");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("bakend_port"), std::string::npos);
}

TEST(ConfigTest, UnknownDbKeyIsRefusedWithItsPath) {
  ConfigFile file(R"({"db": {"pasword": "x"}})");
  ExpectRefused(LoadConfig(file.Env()), "db.pasword", "unknown setting");
}

TEST(ConfigTest, NoReplicaByDefault) {
  Config config = MustLoad({});
  EXPECT_FALSE(config.replica_enabled());
  EXPECT_EQ(config.db_replica_max_lag_ms, 5000);
}

TEST(ConfigTest, ReplicaFromFileTakesUserPasswordAndDatabaseFromDb) {
  ConfigFile file(R"({
    "db": {"socket": "/run/primary.sock", "user": "u", "password": "p", "database": "d"},
    "db_replica": {"socket": "/run/replica.sock", "pool_size": 3, "max_lag_ms": 2000}
  })");
  Config config = MustLoad(file.Env());
  ASSERT_TRUE(config.replica_enabled());
  EXPECT_EQ(config.db_replica.socket, "/run/replica.sock");
  EXPECT_EQ(config.db_replica.user, "u");
  EXPECT_EQ(config.db_replica.password, "p");
  EXPECT_EQ(config.db_replica.database, "d");
  EXPECT_EQ(config.db_replica.pool_size, 3);
  EXPECT_EQ(config.db_replica.acquire_timeout_ms, 500);
  EXPECT_EQ(config.db_replica_max_lag_ms, 2000);
  EXPECT_EQ(config.db.socket, "/run/primary.sock");  // the primary is untouched
}

TEST(ConfigTest, ReplicaFromEnvironment) {
  Config config = MustLoad({{"RESTITUTION_DB_PASSWORD", "primary-pw"},
                            {"RESTITUTION_DB_REPLICA_HOST", "replica.internal"},
                            {"RESTITUTION_DB_REPLICA_PORT", "3307"},
                            {"RESTITUTION_DB_REPLICA_USER", "reader"},
                            {"RESTITUTION_DB_REPLICA_PASSWORD", "reader-pw"},
                            {"RESTITUTION_DB_REPLICA_NAME", "copy"},
                            {"RESTITUTION_DB_REPLICA_POOL_SIZE", "12"},
                            {"RESTITUTION_DB_REPLICA_MAX_LAG_MS", "30000"}});
  ASSERT_TRUE(config.replica_enabled());
  EXPECT_EQ(config.db_replica.host, "replica.internal");
  EXPECT_EQ(config.db_replica.port, 3307);
  EXPECT_EQ(config.db_replica.socket, "");
  EXPECT_EQ(config.db_replica.user, "reader");
  EXPECT_EQ(config.db_replica.password, "reader-pw");
  EXPECT_EQ(config.db_replica.database, "copy");
  EXPECT_EQ(config.db_replica.pool_size, 12);
  EXPECT_EQ(config.db_replica_max_lag_ms, 30000);
  EXPECT_EQ(config.db.password, "primary-pw");
}

TEST(ConfigTest, BadReplicaSettingsAreRefused) {
  ExpectRefused(LoadConfig({{"RESTITUTION_DB_REPLICA_PORT", "0"}}), "RESTITUTION_DB_REPLICA_PORT",
                "between 1 and 65535");
  ExpectRefused(LoadConfig({{"RESTITUTION_DB_REPLICA_MAX_LAG_MS", "10"}}),
                "RESTITUTION_DB_REPLICA_MAX_LAG_MS", "between 1000 and 3600000");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db_replica": {"sokcet": "/x"}})").Env()),
                "db_replica.sokcet", "unknown setting");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db_replica": {"pool_size": 0}})").Env()),
                "db_replica.pool_size", "between 1 and 256");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db_replica": "replica.sock"})").Env()), "db_replica",
                "must be an object");
  // max_lag_ms belongs to the replica only.
  ExpectRefused(LoadConfig(ConfigFile(R"({"db": {"max_lag_ms": 2000}})").Env()), "db.max_lag_ms",
                "unknown setting");
}

TEST(ConfigTest, BadFileValuesAreRefused) {
  ExpectRefused(LoadConfig(ConfigFile(R"({"backend_port": 0})").Env()), "backend_port",
                "between 1 and 65535");
  ExpectRefused(LoadConfig(ConfigFile(R"({"backend_port": "abc"})").Env()), "backend_port",
                "whole number");
  ExpectRefused(LoadConfig(ConfigFile(R"({"backend_port": "8080"})").Env()), "backend_port",
                "whole number");
  ExpectRefused(LoadConfig(ConfigFile(R"({"backend_port": 8080.5})").Env()), "backend_port",
                "whole number");
  ExpectRefused(LoadConfig(ConfigFile(R"({"backend_port": true})").Env()), "backend_port",
                "whole number");
  ExpectRefused(LoadConfig(ConfigFile(R"({"backend_port": 4294967297})").Env()), "backend_port",
                "between 1 and 65535");
  ExpectRefused(LoadConfig(ConfigFile(R"({"max_json_body_bytes": 10})").Env()),
                "max_json_body_bytes", "between");
  ExpectRefused(LoadConfig(ConfigFile(R"({"session_ttl_seconds": 59})").Env()),
                "session_ttl_seconds", "between");
  ExpectRefused(LoadConfig(ConfigFile(R"({"password_min_length": 7})").Env()),
                "password_min_length", "between 8 and 128");
  ExpectRefused(LoadConfig(ConfigFile(R"({"var_dir": 5})").Env()), "var_dir", "must be a string");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db": {"port": 0}})").Env()), "db.port",
                "between 1 and 65535");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db": {"pool_size": "abc"}})").Env()), "db.pool_size",
                "whole number");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db": {"user": 1}})").Env()), "db.user",
                "must be a string");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db": 5})").Env()), "db", "must be an object");
  ExpectRefused(LoadConfig(ConfigFile(R"({"tls_cert": "/etc/cert.pem"})").Env()), "tls_cert",
                "go together");
  ExpectRefused(LoadConfig(ConfigFile(R"({"log_level": "loud"})").Env()), "log_level",
                "must be one of");
}

TEST(ConfigTest, DuplicateKeysInFileAreRefused) {
  ExpectRefused(LoadConfig(ConfigFile(R"({"backend_port": 9000, "backend_port": 9001})").Env()),
                "backend_port", "duplicate key");
  ExpectRefused(LoadConfig(ConfigFile(R"({"db": {"user": "a", "user": "b"}})").Env()), "db.user",
                "duplicate key");
}

TEST(ConfigTest, MalformedFileIsRefused) {
  StatusOr<Config> config = LoadConfig(ConfigFile(R"({"backend_port": 9000,)").Env());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(config.status().field(), "file");
  StatusOr<Config> array = LoadConfig(ConfigFile("[1, 2]").Env());
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.status().code(), StatusCode::kInvalidArgument);
}

TEST(ConfigTest, MissingFileIsRefused) {
  TempDir dir;
  const std::string missing = dir.path() + "/no-such-config.json";
  StatusOr<Config> config = LoadConfig({{"RESTITUTION_CONFIG", missing}});
  ExpectRefused(config, "RESTITUTION_CONFIG", "cannot read");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find(missing), std::string::npos);
}

TEST(ConfigTest, EmptyConfigVariableMeansNoFile) {
  Config config = MustLoad({{"RESTITUTION_CONFIG", ""}});
  EXPECT_EQ(config.backend_port, 8080);
}

TEST(ConfigTest, DbPasswordIsReadFromKeysDir) {
  TempDir dir;
  ASSERT_EQ(mkdir((dir.path() + "/keys").c_str(), 0700), 0);
  WriteFile(dir.path() + "/keys/db.password", "s3cret-from-file\n");
  Config config = MustLoad({{"RESTITUTION_VAR", dir.path()}});
  EXPECT_EQ(config.db.password, "s3cret-from-file");

  // An explicit password wins over the file.
  Config explicit_password =
      MustLoad({{"RESTITUTION_VAR", dir.path()}, {"RESTITUTION_DB_PASSWORD", "from-env"}});
  EXPECT_EQ(explicit_password.db.password, "from-env");
}

TEST(ConfigTest, DbPasswordFollowsAnExplicitKeysDir) {
  TempDir dir;
  WriteFile(dir.path() + "/db.password", "elsewhere");
  Config config = MustLoad({{"RESTITUTION_KEYS_DIR", dir.path()}});
  EXPECT_EQ(config.keys_dir, dir.path());
  EXPECT_EQ(config.db.password, "elsewhere");
}

TEST(ConfigTest, ProcessEnvironmentSeesSetenv) {
  ASSERT_EQ(setenv("RESTITUTION_CONFIG_TEST_PROBE", "a=b=c", 1), 0);
  Environment env = ProcessEnvironment();
  ASSERT_EQ(env.count("RESTITUTION_CONFIG_TEST_PROBE"), 1u);
  EXPECT_EQ(env["RESTITUTION_CONFIG_TEST_PROBE"], "a=b=c");
  unsetenv("RESTITUTION_CONFIG_TEST_PROBE");
  EXPECT_EQ(ProcessEnvironment().count("RESTITUTION_CONFIG_TEST_PROBE"), 0u);
}

}  // namespace
}  // namespace restitution
