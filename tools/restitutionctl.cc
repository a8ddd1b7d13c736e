// restitutionctl: the admin and auditor command line. Reads the same configuration as
// restitutiond (RESTITUTION_CONFIG and RESTITUTION_* variables).
//
//   restitutionctl keys init            create missing key files (0600) under keys_dir
//   restitutionctl keys rotate-ledger   retire the checkpoint signing key, create a new one
//   restitutionctl migrate              apply schema migrations
//   restitutionctl bootstrap-admin      create user "admin" if absent
//                                       (password: RESTITUTION_BOOTSTRAP_PASSWORD, or generated
//                                       and printed once)
//   restitutionctl user create --username NAME --role ROLE
//                                       create a staff account; the password is read from
//                                       RESTITUTION_NEW_PASSWORD or the first line of stdin
//   restitutionctl ledger verify ...    the offline audit of the ledger (tools/ledger_verify.h)
//   restitutionctl distribution compute one round of the distribution rule: plan JSON on stdin,
//                                       result JSON on stdout (tools/distribution_compute.h)
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "ledger/checkpoint.h"
#include "service/accounts.h"
#include "service/clock.h"
#include "service/config.h"
#include "service/connection_pool.h"
#include "service/migrations.h"
#include "service/service_keys.h"
#include "service/transaction.h"
#include "tools/distribution_compute.h"
#include "tools/ledger_verify.h"

namespace restitution {
namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "restitutionctl: %s\n", message.c_str());
  return 1;
}

int Usage() {
  std::fprintf(stderr,
               "usage: restitutionctl keys init\n"
               "       restitutionctl keys rotate-ledger\n"
               "       restitutionctl migrate\n"
               "       restitutionctl bootstrap-admin\n"
               "       restitutionctl user create --username NAME --role "
               "officer|court|auditor|admin\n"
               "       restitutionctl ledger verify [--key VKEY | --key-file FILE]... [--replay]\n"
               "       restitutionctl ledger verify --url https://HOST[:PORT] --username NAME\n"
               "                      --password-file FILE (--key VKEY | --key-file FILE)...\n"
               "                      [--ca-file PEM] [--all-proofs] [--insecure] [--replay]\n"
               "       restitutionctl distribution compute <plan.json >result.json\n");
  return 2;
}

// The old key file is kept (renamed): its verifier key stays published in ledger_keys and
// its checkpoints stay verifiable. Running servers sign with the new key after a restart.
int RotateLedgerKey(const Config& config) {
  std::string retired;
  Status status = ServiceKeys::RotateLedgerSigningKey(config.keys_dir, SystemNowMs(), &retired);
  if (!status.ok()) return Fail(status.message());
  StatusOr<ServiceKeys> keys = ServiceKeys::Load(config.keys_dir);
  if (!keys.ok()) return Fail(keys.status().message());
  StatusOr<crypto::Ed25519PrivateKey> key = keys->LedgerSigningKey();
  if (!key.ok()) return Fail(key.status().message());
  const ledger::NoteSigner signer(config.ledger_origin, std::move(key).value());
  std::printf(
      "retired key kept as %s\nnew verifier key: %s\n"
      "restart restitutiond to sign with it; publish the new key beside the old one\n",
      retired.c_str(), signer.verifier_key().c_str());
  return 0;
}

int KeysInit(const Config& config) {
  std::vector<std::string> created;
  Status status = ServiceKeys::InitMissing(config.keys_dir, &created);
  if (!status.ok()) return Fail(status.message());
  for (const std::string& name : created) {
    std::printf("created %s/%s\n", config.keys_dir.c_str(), name.c_str());
  }
  if (created.empty()) std::printf("all keys present in %s\n", config.keys_dir.c_str());
  return 0;
}

int Migrate(const Config& config) {
  StatusOr<std::unique_ptr<DbConnection>> connection = DbConnection::Open(config.db);
  if (!connection.ok()) return Fail(connection.status().message());
  std::vector<std::string> applied;
  Status status = ApplyMigrations(**connection, &applied);
  if (!status.ok()) return Fail(status.message());
  for (const std::string& name : applied) std::printf("applied %s\n", name.c_str());
  if (applied.empty()) std::printf("schema is current\n");
  return 0;
}

// Shared by bootstrap-admin and user create.
int CreateUser(const Config& config, const std::string& username, const std::string& role,
               const std::string& password, bool skip_if_exists, bool print_password) {
  StatusOr<ServiceKeys> keys = ServiceKeys::Load(config.keys_dir);
  if (!keys.ok()) return Fail(keys.status().message());
  ServiceContext ctx;
  ctx.keys = &*keys;
  ctx.policy.password_min_length = config.password_min_length;
  ctx.policy.scrypt.log2_n = config.scrypt_log2_n;
  DbConfig db = config.db;
  db.pool_size = 1;
  ConnectionPool pool(db);
  bool existed = false;
  StatusOr<UserView> created = Status::Internal("not run");
  Status status = RunInTransaction(pool, [&](DbConnection& connection) -> Status {
    ASSIGN_OR_RETURN(SqlRows rows, connection.Query("SELECT id FROM users WHERE login_hash = ?",
                                                    {LoginHash(ctx, username)}));
    existed = !rows.empty();
    if (existed && skip_if_exists) return Status::Ok();
    created = CreateStaffUser(connection, ctx, 0, username, password, role);
    return created.status();
  });
  if (!status.ok()) return Fail(status.message());
  if (existed && skip_if_exists) {
    std::printf("user %s already exists; its password is unchanged\n", username.c_str());
    return 0;
  }
  std::printf("created user %s (id %lld, role %s)\n", username.c_str(),
              static_cast<long long>(created->id), role.c_str());
  if (print_password) {
    std::printf("bootstrap admin password (shown once, store it safely): %s\n", password.c_str());
  }
  return 0;
}

int BootstrapAdmin(const Config& config, const Environment& env) {
  auto given = env.find("RESTITUTION_BOOTSTRAP_PASSWORD");
  const bool generated = given == env.end() || given->second.empty();
  const std::string password =
      generated ? crypto::Base64UrlEncode(crypto::RandomBytes(15)) : given->second;
  return CreateUser(config, "admin", "admin", password, /*skip_if_exists=*/true, generated);
}

int UserCreate(const Config& config, const Environment& env, const std::vector<std::string>& args) {
  std::string username;
  std::string role;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i] == "--username") {
      username = args[i + 1];
    } else if (args[i] == "--role") {
      role = args[i + 1];
    } else {
      return Usage();
    }
  }
  if (username.empty() || role.empty() || args.size() % 2 != 0) return Usage();
  std::string password;
  auto given = env.find("RESTITUTION_NEW_PASSWORD");
  if (given != env.end()) {
    password = given->second;
  } else if (!std::getline(std::cin, password)) {
    return Fail("no password on stdin");
  }
  return CreateUser(config, username, role, password, /*skip_if_exists=*/false, false);
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage();
  const Environment env = ProcessEnvironment();
  // Before the configuration: an audit of a remote service needs none, and exits 2 (not 1,
  // which means "the ledger disagrees") when it cannot run.
  if (args.size() >= 2 && args[0] == "ledger" && args[1] == "verify") {
    return LedgerVerifyCommand(std::vector<std::string>(args.begin() + 2, args.end()), env);
  }
  // Pure arithmetic on stdin and stdout: needs no configuration, keys or database.
  if (args.size() == 2 && args[0] == "distribution" && args[1] == "compute") {
    return DistributionComputeCommand(std::cin, std::cout, std::cerr);
  }
  StatusOr<Config> config = LoadConfig(env);
  if (!config.ok()) return Fail(config.status().message());
  if (args.size() == 2 && args[0] == "keys" && args[1] == "init") return KeysInit(*config);
  if (args.size() == 2 && args[0] == "keys" && args[1] == "rotate-ledger") {
    return RotateLedgerKey(*config);
  }
  if (args.size() == 1 && args[0] == "migrate") return Migrate(*config);
  if (args.size() == 1 && args[0] == "bootstrap-admin") return BootstrapAdmin(*config, env);
  if (args.size() >= 2 && args[0] == "user" && args[1] == "create") {
    return UserCreate(*config, env, std::vector<std::string>(args.begin() + 2, args.end()));
  }
  return Usage();
}

}  // namespace
}  // namespace restitution

int main(int argc, char** argv) { return restitution::Main(argc, argv); }
