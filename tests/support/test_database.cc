#include "tests/support/test_database.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "service/migrations.h"

namespace restitution::testing {
namespace {

std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    std::fprintf(stderr, "%s is not set: run the tests through tests/run.sh\n", name);
    std::abort();
  }
  return value;
}

DbConfig ServerConfig() {
  DbConfig config;
  config.socket = RequiredEnv("RESTITUTION_TEST_DB_SOCKET");
  config.user = RequiredEnv("RESTITUTION_TEST_DB_USER");
  config.password = RequiredEnv("RESTITUTION_TEST_DB_PASSWORD");
  config.database = "";
  config.pool_size = 8;
  return config;
}

void MustOk(const Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
    std::abort();
  }
}

}  // namespace

TestDatabase::TestDatabase() : config_(ServerConfig()) {
  const std::string name = "rt_" + crypto::HexEncode(crypto::RandomBytes(8));
  {
    StatusOr<std::unique_ptr<DbConnection>> admin = DbConnection::Open(config_);
    MustOk(admin.status(), "connect to the test server");
    // The name is ours (hex), not user input; DDL cannot take a placeholder.
    MustOk((*admin)->Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4").status(),
           "create test database");
  }
  config_.database = name;
  StatusOr<std::unique_ptr<DbConnection>> connection = DbConnection::Open(config_);
  MustOk(connection.status(), "connect to the test database");
  MustOk(ApplyMigrations(**connection), "migrate the test database");
  pool_ = std::make_unique<ConnectionPool>(config_);
}

TestDatabase::~TestDatabase() {
  pool_.reset();
  DbConfig server = config_;
  server.database = "";
  StatusOr<std::unique_ptr<DbConnection>> admin = DbConnection::Open(server);
  if (admin.ok()) (void)(*admin)->Exec("DROP DATABASE IF EXISTS " + config_.database);
}

std::unique_ptr<DbConnection> TestDatabase::Connect() const {
  StatusOr<std::unique_ptr<DbConnection>> connection = DbConnection::Open(config_);
  MustOk(connection.status(), "connect to the test database");
  return std::move(connection).value();
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "restitution-test-XXXXXX");
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TestKeys::TestKeys() {
  MustOk(ServiceKeys::InitMissing(dir_.path() + "/keys", nullptr), "create test keys");
  StatusOr<ServiceKeys> keys = ServiceKeys::Load(dir_.path() + "/keys");
  MustOk(keys.status(), "load test keys");
  keys_ = std::make_unique<ServiceKeys>(std::move(keys).value());
}

ServiceContext TestKeys::Context() const {
  ServiceContext ctx;
  ctx.keys = keys_.get();
  ctx.policy.scrypt.log2_n = 10;  // fast; the production cost is tested in crypto/
  return ctx;
}

}  // namespace restitution::testing
