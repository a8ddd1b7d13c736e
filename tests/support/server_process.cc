#include "tests/support/server_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "service/accounts.h"
#include "service/transaction.h"

#ifndef RESTITUTIOND_PATH
#error "RESTITUTIOND_PATH must name the restitutiond binary under test"
#endif

namespace restitution::testing {

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t length = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  close(fd);
  return ntohs(addr.sin_port);
}

ServerProcess::ServerProcess(std::map<std::string, std::string> extra_env)
    : database_(std::make_unique<TestDatabase>()) {
  ServiceKeys::InitMissing(var_.path() + "/keys", nullptr);
  port_ = FreeLoopbackPort();
  std::map<std::string, std::string> env = {
      {"RESTITUTION_VAR", var_.path()},
      {"RESTITUTION_BACKEND_PORT", std::to_string(port_)},
      {"RESTITUTION_DB_SOCKET", database_->config().socket},
      {"RESTITUTION_DB_USER", database_->config().user},
      {"RESTITUTION_DB_PASSWORD", database_->config().password},
      {"RESTITUTION_DB_NAME", database_->config().database},
      {"RESTITUTION_SCRYPT_LOG2_N", "10"},
      {"PATH", "/usr/bin:/bin"},
  };
  if (const char* asan = std::getenv("ASAN_OPTIONS")) env["ASAN_OPTIONS"] = asan;
  if (const char* ubsan = std::getenv("UBSAN_OPTIONS")) env["UBSAN_OPTIONS"] = ubsan;
  for (auto& [name, value] : extra_env) env[name] = value;
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  const std::string log_path = var_.path() + "/restitutiond.log";

  pid_ = fork();
  if (pid_ == 0) {
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (log >= 0) {
      dup2(log, STDERR_FILENO);
      dup2(log, STDOUT_FILENO);
    }
    char* argv[] = {const_cast<char*>(RESTITUTIOND_PATH), nullptr};
    execve(RESTITUTIOND_PATH, argv, envp.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::fprintf(stderr, "restitutiond exited at start-up:\n%s\n", Log().c_str());
      return;
    }
    if (client().Get("/healthz").status == 200) {
      started_ = true;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::fprintf(stderr, "restitutiond did not answer /healthz:\n%s\n", Log().c_str());
}

ServerProcess::~ServerProcess() { Stop(); }

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::string ServerProcess::Log() const {
  std::ifstream in(var_.path() + "/restitutiond.log");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int64_t ServerProcess::CreateStaff(const std::string& username, const std::string& password,
                                   const std::string& role) {
  StatusOr<ServiceKeys> keys = ServiceKeys::Load(var_.path() + "/keys");
  if (!keys.ok()) return 0;
  ServiceContext ctx;
  ctx.keys = &*keys;
  ctx.policy.scrypt.log2_n = 10;
  int64_t id = 0;
  Status status = RunInTransaction(database_->pool(), [&](DbConnection& db) -> Status {
    ASSIGN_OR_RETURN(UserView user, CreateStaffUser(db, ctx, 0, username, password, role));
    id = user.id;
    return Status::Ok();
  });
  if (!status.ok()) std::fprintf(stderr, "CreateStaff: %s\n", status.ToString().c_str());
  return id;
}

std::string ServerProcess::LoginToken(const std::string& username,
                                      const std::string& password) const {
  ClientResponse response =
      client().PostJson("/api/v1/auth/login", {{"username", username}, {"password", password}});
  nlohmann::json json = response.Json();
  if (response.status != 200 || !json.is_object() || !json.contains("token")) return "";
  return json["token"].get<std::string>();
}

std::string ServerProcess::LastSmsText() const {
  std::ifstream in(var_.path() + "/outbox/sms.log");
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  nlohmann::json json = nlohmann::json::parse(last, nullptr, false);
  if (!json.is_object() || !json.contains("text")) return "";
  return json["text"].get<std::string>();
}

std::string ServerProcess::RegisterClaimant(const std::string& phone,
                                            const std::string& password) const {
  if (client()
          .PostJson("/api/v1/claimants/register", {{"phone", phone}, {"password", password}})
          .status != 202) {
    return "";
  }
  std::smatch code;
  const std::string text = LastSmsText();
  if (!std::regex_search(text, code, std::regex("[0-9]{6}"))) return "";
  if (client()
          .PostJson("/api/v1/claimants/verify", {{"phone", phone}, {"code", code.str()}})
          .status != 200) {
    return "";
  }
  return LoginToken(phone, password);
}

ServerProcess::StaffMember ServerProcess::AddStaff(const std::string& admin_token,
                                                   const std::string& username,
                                                   const std::string& password,
                                                   const std::string& role, int64_t case_id) const {
  ClientResponse created = client().PostJson(
      "/api/v1/users", {{"username", username}, {"password", password}, {"role", role}},
      admin_token);
  if (created.status != 201) return {};
  const int64_t id = created.Json().value("id", int64_t{0});
  if (case_id != 0 && client().PostJson("/api/v1/cases/" + std::to_string(case_id) + "/members",
                                        {{"user_id", id}, {"role", role}}, admin_token)
                              .status != 201) {
    return {};
  }
  return StaffMember{id, LoginToken(username, password)};
}

}  // namespace restitution::testing
