// A fresh MariaDB database per test, on the throwaway server tests/run.sh boots
// (RESTITUTION_TEST_DB_SOCKET, _USER, _PASSWORD). Migrated on creation, dropped on destruction,
// so tests run in parallel without seeing each other's rows.
#ifndef RESTITUTION_TESTS_SUPPORT_TEST_DATABASE_H_
#define RESTITUTION_TESTS_SUPPORT_TEST_DATABASE_H_

#include <memory>
#include <string>

#include "service/connection_pool.h"
#include "service/db_config.h"
#include "service/service_context.h"
#include "service/service_keys.h"

namespace restitution::testing {

class TestDatabase {
 public:
  // Creates and migrates a database; aborts the test binary with a clear message when the
  // test server's environment is missing (run the tests through tests/run.sh).
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const DbConfig& config() const { return config_; }
  ConnectionPool& pool() { return *pool_; }
  // A direct connection outside the pool, for assertions.
  std::unique_ptr<DbConnection> Connect() const;

 private:
  DbConfig config_;
  std::unique_ptr<ConnectionPool> pool_;
};

// A temporary directory removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Fresh keys in a temporary directory, and a ServiceContext using them with fast scrypt.
class TestKeys {
 public:
  TestKeys();
  const ServiceKeys& keys() const { return *keys_; }
  std::string keys_dir() const { return dir_.path() + "/keys"; }
  ServiceContext Context() const;

 private:
  TempDir dir_;
  std::unique_ptr<ServiceKeys> keys_;
};

}  // namespace restitution::testing

#endif  // RESTITUTION_TESTS_SUPPORT_TEST_DATABASE_H_
