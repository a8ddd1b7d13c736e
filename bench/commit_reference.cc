// commit_reference: the physical limit a write path is measured against — single-row durable
// commits (BEGIN, one INSERT of a 100-byte row, COMMIT) per second on a MariaDB, from K
// clients for S seconds. Prints one JSON object on stdout. bench/rush.sh runs it against the
// very MariaDB the registration rush uses, before and after the rush.
//
//   commit_reference --database NAME [--seconds S] [--clients K]
//
// Connects as bench_support's ServerConfigFromEnvironment says; makes the database (refusing
// one it did not make) and drops it at the end.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "service/db_config.h"
#include "service/db_connection.h"

namespace restitution::bench {
namespace {

constexpr char kTable[] = "commit_reference";
constexpr int kMaxClients = 256;

struct Options {
  std::string database;
  double seconds = 5;
  int clients = 1;
};

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::fprintf(stderr, "commit_reference: %s\n", problem.c_str());
  std::fprintf(stderr,
               "usage: commit_reference --database NAME [--seconds S] [--clients K]\n"
               "Single-row durable commits per second (BEGIN, INSERT, COMMIT) from K clients "
               "(1..%d) for S seconds; one JSON object on stdout.\n",
               kMaxClients);
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc && flag != "--help") Usage(flag + " needs a value");
    if (flag == "--database") {
      options.database = argv[++i];
    } else if (flag == "--seconds") {
      options.seconds = std::atof(argv[++i]);
    } else if (flag == "--clients") {
      options.clients = std::atoi(argv[++i]);
    } else if (flag == "--help") {
      Usage("");
    } else {
      Usage("unknown argument " + flag);
    }
  }
  // The name is spliced into DDL, which takes no placeholders.
  if (options.database.empty() || options.database.size() > 64 ||
      !std::all_of(options.database.begin(), options.database.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      })) {
    Usage("--database must be 1 to 64 lower-case letters, digits or underscores");
  }
  if (!(options.seconds > 0 && options.seconds <= 3600)) Usage("--seconds must be in (0, 3600]");
  if (options.clients < 1 || options.clients > kMaxClients) Usage("--clients is out of range");
  return options;
}

std::unique_ptr<DbConnection> Connect(const DbConfig& config) {
  return Must(DbConnection::Open(config), "connect");
}

// A fresh database holding only the reference table; one left by an earlier run is replaced,
// anything else of that name is refused.
DbConfig CreateDatabase(const Options& options, const DbConfig& server_config) {
  std::unique_ptr<DbConnection> server = Connect(server_config);
  const SqlRows tables =
      Must(server->Query("SELECT COUNT(*), COALESCE(SUM(TABLE_NAME = ?), 0) FROM "
                         "information_schema.TABLES WHERE TABLE_SCHEMA = ?",
                         {kTable, options.database}),
           "look at the database");
  if (tables[0].Int(0) > 1 || (tables[0].Int(0) == 1 && tables[0].Int(1) == 0)) {
    Die("database " + options.database + " holds other tables; refusing to drop it");
  }
  MustOk(server->Exec("DROP DATABASE IF EXISTS " + options.database).status(), "drop");
  MustOk(server->Exec("CREATE DATABASE " + options.database).status(), "create the database");
  DbConfig config = server_config;
  config.database = options.database;
  MustOk(Connect(config)
             ->Exec(std::string("CREATE TABLE ") + kTable +
                    " (id BIGINT NOT NULL, payload VARBINARY(100) NOT NULL, PRIMARY KEY (id))"
                    " ENGINE=InnoDB")
             .status(),
         "create the reference table");
  return config;
}

int Main(int argc, char** argv) {
  SetProgramName("commit_reference");
  const Options options = ParseOptions(argc, argv);
  const DbConfig server_config = ServerConfigFromEnvironment(1, 30);
  const DbConfig config = CreateDatabase(options, server_config);

  std::vector<std::unique_ptr<DbConnection>> connections;
  for (int c = 0; c < options.clients; ++c) connections.push_back(Connect(config));
  const std::string sql = std::string("INSERT INTO ") + kTable + " (id, payload) VALUES (?, ?)";
  const std::string payload(100, 'p');
  std::atomic<int64_t> next_id{1};
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(options.clients));
  const Steady::time_point started = Steady::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < options.clients; ++c) {
    threads.emplace_back([&, c] {
      DbConnection& db = *connections[static_cast<size_t>(c)];
      std::vector<double>& mine = latencies[static_cast<size_t>(c)];
      while (!stop.load()) {
        const Steady::time_point t0 = Steady::now();
        MustOk(db.Begin(), "begin");
        MustOk(db.Exec(sql, {next_id.fetch_add(1), payload}).status(), "insert");
        MustOk(db.Commit(), "commit");
        mine.push_back(Seconds(Steady::now() - t0) * 1e3);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const double wall = Seconds(Steady::now() - started);

  std::vector<double> all;
  for (const std::vector<double>& mine : latencies) all.insert(all.end(), mine.begin(), mine.end());
  MustOk(Connect(server_config)->Exec("DROP DATABASE " + options.database).status(), "drop");
  std::printf(
      "{\"clients\": %d, \"commits\": %zu, \"seconds\": %.3f, \"per_second\": %.1f, "
      "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f}\n",
      options.clients, all.size(), wall, static_cast<double>(all.size()) / wall,
      Percentile(all, 0.5), Percentile(all, 0.99), Percentile(all, 0.999));
  return 0;
}

}  // namespace
}  // namespace restitution::bench

int main(int argc, char** argv) { return restitution::bench::Main(argc, argv); }
