// restitutiond: the HTTP API server. Plain HTTP on loopback behind nginx (which terminates
// TLS); see README.md for the topology and configuration.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "api/app.h"
#include "api/http_server.h"
#include "api/maintenance.h"
#include "service/config.h"
#include "service/log.h"
#include "service/migrations.h"

namespace restitution {
namespace {

// The database may still be starting; wait a bounded time for it.
Status WaitForCurrentSchema(ConnectionPool& pool) {
  Status last;
  for (int attempt = 0; attempt < 60; ++attempt) {
    StatusOr<PooledConnection> connection = pool.Acquire();
    if (connection.ok()) {
      StatusOr<bool> current = MigrationsCurrent(**connection);
      if (!current.ok()) return current.status();
      if (!*current) {
        return Status::Unavailable(
            "the database schema is not current; run restitutionctl "
            "migrate");
      }
      return Status::Ok();
    }
    last = connection.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return last;
}

int Run() {
  StatusOr<Config> config = LoadConfig(ProcessEnvironment());
  if (!config.ok()) {
    std::fprintf(stderr, "restitutiond: %s\n", config.status().message().c_str());
    return 2;
  }
  SetLogLevel(config->log_level);
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  StatusOr<ServiceKeys> keys = ServiceKeys::Load(config->keys_dir);
  if (!keys.ok()) {
    std::fprintf(stderr, "restitutiond: %s (run restitutionctl keys init)\n",
                 keys.status().message().c_str());
    return 2;
  }
  App app(*config, std::move(keys).value(),
          std::make_unique<FileMessageSender>(config->outbox_dir));
  Status schema = WaitForCurrentSchema(app.pool());
  if (!schema.ok()) {
    std::fprintf(stderr, "restitutiond: %s\n", schema.message().c_str());
    return 1;
  }
  app.StartLedgerSequencer();
  HttpServer server(app);
  Status started = server.Start();
  if (!started.ok()) {
    std::fprintf(stderr, "restitutiond: %s\n", started.message().c_str());
    return 1;
  }
  Maintenance maintenance(app);
  Log(LogLevel::kInfo, "listening",
      {{"address", config->listen_address},
       {"port", config->backend_port},
       {"tls", !config->tls_cert.empty()}});
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  Log(LogLevel::kInfo, "stopping", {{"signal", signal_number}});
  maintenance.Stop();
  server.Stop();
  app.sequencer().Stop();
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace
}  // namespace restitution

int main() { return restitution::Run(); }
