// A real restitutiond process on a free loopback port, with its own var dir, keys and fresh
// database, for end-to-end tests.
#ifndef RESTITUTION_TESTS_SUPPORT_SERVER_PROCESS_H_
#define RESTITUTION_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include "tests/support/http_client.h"
#include "tests/support/test_database.h"

namespace restitution::testing {

int FreeLoopbackPort();

class ServerProcess {
 public:
  // Starts restitutiond and waits (bounded) until /healthz answers. extra_env adds or
  // overrides RESTITUTION_* variables.
  explicit ServerProcess(std::map<std::string, std::string> extra_env = {});
  ~ServerProcess();  // Stop()
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool started() const { return started_; }
  int port() const { return port_; }
  HttpClient client() const { return HttpClient(port_); }
  TestDatabase& database() { return *database_; }
  const std::string& var_dir() const { return var_.path(); }
  // The server's stderr so far (its JSON log lines).
  std::string Log() const;
  // Creates a staff account directly through the service layer; returns its id.
  int64_t CreateStaff(const std::string& username, const std::string& password,
                      const std::string& role);
  // Logs in over HTTP and returns the token ("" on failure).
  std::string LoginToken(const std::string& username, const std::string& password) const;
  // The text of the last SMS in the outbox, or "".
  std::string LastSmsText() const;

  // Registers and verifies a claimant over HTTP (the code read from the outbox) and logs in;
  // returns the token, "" on any failure.
  std::string RegisterClaimant(const std::string& phone, const std::string& password) const;

  struct StaffMember {
    int64_t id = 0;
    std::string token;
  };
  // An admin creates a staff account over HTTP, binds it to case_id (unless 0) and it logs
  // in. id 0 / empty token on failure.
  StaffMember AddStaff(const std::string& admin_token, const std::string& username,
                       const std::string& password, const std::string& role,
                       int64_t case_id = 0) const;

  // SIGTERM, then waits for exit; returns the exit status (or -1 if it had to be killed).
  int Stop();

 private:
  TempDir var_;
  std::unique_ptr<TestDatabase> database_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool started_ = false;
};

}  // namespace restitution::testing

#endif  // RESTITUTION_TESTS_SUPPORT_SERVER_PROCESS_H_
