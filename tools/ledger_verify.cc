#include "tools/ledger_verify.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

#include "crypto/encoding.h"
#include "ledger/checkpoint.h"
#include "service/db_connection.h"
#include "service/ledger_audit.h"
#include "service/service_keys.h"
#include "tools/https_client.h"
#include "tools/ledger_replay.h"
#include "tools/remote_ledger_audit.h"

namespace restitution {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitDisagrees = 1;
constexpr int kExitCannotAudit = 2;

struct VerifyArgs {
  std::string url;
  std::string username;
  std::string password_file;
  std::string ca_file;
  bool insecure = false;
  bool all_proofs = false;
  // --replay: rebuild the pool and the runs from the entries too (tools/ledger_replay.h).
  bool replay = false;
  std::vector<std::string> keys;       // verifier key strings
  std::vector<std::string> key_files;  // one verifier key per line
};

int CannotAudit(const std::string& message) {
  std::fprintf(stderr, "restitutionctl: ledger verify: %s\n", message.c_str());
  return kExitCannotAudit;
}

int Usage(const std::string& problem) {
  std::fprintf(stderr,
               "restitutionctl: ledger verify: %s\n"
               "usage: restitutionctl ledger verify [--key VKEY | --key-file FILE]... [--replay]\n"
               "       restitutionctl ledger verify --url https://HOST[:PORT] --username NAME\n"
               "                      --password-file FILE (--key VKEY | --key-file FILE)...\n"
               "                      [--ca-file PEM] [--all-proofs] [--insecure] [--replay]\n",
               problem.c_str());
  return kExitCannotAudit;
}

std::optional<VerifyArgs> ParseArgs(const std::vector<std::string>& args, std::string* problem) {
  VerifyArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--insecure") {
      parsed.insecure = true;
      continue;
    }
    if (flag == "--all-proofs") {
      parsed.all_proofs = true;
      continue;
    }
    if (flag == "--replay") {
      parsed.replay = true;
      continue;
    }
    if (i + 1 == args.size()) {
      *problem = flag.rfind("--", 0) == 0 ? flag + " needs a value" : "unexpected " + flag;
      return std::nullopt;
    }
    const std::string& value = args[++i];
    if (flag == "--url") {
      parsed.url = value;
    } else if (flag == "--username") {
      parsed.username = value;
    } else if (flag == "--password-file") {
      parsed.password_file = value;
    } else if (flag == "--ca-file") {
      parsed.ca_file = value;
    } else if (flag == "--key") {
      parsed.keys.push_back(value);
    } else if (flag == "--key-file") {
      parsed.key_files.push_back(value);
    } else {
      *problem = "unknown option " + flag;
      return std::nullopt;
    }
  }
  if (parsed.url.empty()) {
    if (!parsed.username.empty() || !parsed.password_file.empty() || !parsed.ca_file.empty() ||
        parsed.insecure || parsed.all_proofs) {
      *problem = "--username, --password-file, --ca-file, --insecure and --all-proofs need --url";
      return std::nullopt;
    }
  } else {
    if (parsed.username.empty() || parsed.password_file.empty()) {
      *problem = "--url needs --username and --password-file (an auditor login)";
      return std::nullopt;
    }
    if (parsed.keys.empty() && parsed.key_files.empty()) {
      *problem = "--url needs the verifier key to trust: --key or --key-file";
      return std::nullopt;
    }
  }
  return parsed;
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("file", "cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// --key values, then every non-blank line of each --key-file that is not a # comment.
StatusOr<std::vector<ledger::NoteVerifier>> LoadKeys(const VerifyArgs& args) {
  std::vector<ledger::NoteVerifier> keys;
  for (const std::string& text : args.keys) {
    StatusOr<ledger::NoteVerifier> key = ledger::ParseVerifierKey(text);
    if (!key.ok()) return Status::InvalidArgument("key", "--key: " + key.status().message());
    keys.push_back(*key);
  }
  for (const std::string& path : args.key_files) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    const size_t before = keys.size();
    size_t line_number = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_number;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      StatusOr<ledger::NoteVerifier> key = ledger::ParseVerifierKey(line);
      if (!key.ok()) {
        return Status::InvalidArgument(
            "key", path + " line " + std::to_string(line_number) + ": " + key.status().message());
      }
      keys.push_back(*key);
    }
    if (keys.size() == before) {
      return Status::InvalidArgument("key", path + " holds no verifier key");
    }
  }
  return keys;
}

StatusOr<std::string> ReadPassword(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  const size_t end = text.find('\n');
  std::string password = text.substr(0, end);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) return Status::InvalidArgument("password", path + " is empty");
  return password;
}

std::string Join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "none" : text;
}

int PrintReport(const LedgerAuditReport& report, bool remote) {
  const auto n = [](uint64_t value) { return static_cast<unsigned long long>(value); };
  if (report.failure) {
    std::printf("ledger verify: FAILED at index %llu: %s\n", n(report.failure->index),
                report.failure->message.c_str());
  } else {
    std::printf("ledger verify: OK\n");
  }
  std::printf("entries: %llu  size: %llu  root: %s\n", n(report.entries), n(report.claimed_size),
              crypto::Base64Encode(report.root).c_str());
  std::printf("checkpoints checked: %llu (consistency proofs: %llu)  keys: %s\n",
              n(report.checkpoints_checked), n(report.consistency_proofs),
              Join(report.keys_used).c_str());
  if (remote) std::printf("inclusion proofs: %llu\n", n(report.inclusion_proofs));
  if (!report.failure && report.covered_size < report.entries) {
    const std::string uncovered = report.entries - report.covered_size == 1
                                      ? "entry " + std::to_string(report.covered_size) + " is"
                                      : "entries " + std::to_string(report.covered_size) + ".." +
                                            std::to_string(report.entries - 1) + " are";
    std::printf("note: %s not yet covered by a checkpoint\n", uncovered.c_str());
  }
  for (const std::string& note : report.notes) std::printf("note: %s\n", note.c_str());
  std::fflush(stdout);
  return report.failure ? kExitDisagrees : kExitOk;
}

// The replay's verdict joins the log's: whichever names the earlier index is reported.
void MergeReplay(const LedgerReplayReport& replay, LedgerAuditReport* report) {
  if (replay.failure && (!report->failure || replay.failure->index < report->failure->index)) {
    const std::string type = replay.failure->type.empty() ? "" : replay.failure->type + ": ";
    report->failure = ledger::LogFailure{replay.failure->index,
                                         "replay: " + type + replay.failure->message, std::nullopt};
  }
  const auto n = [](uint64_t value) { return std::to_string(value); };
  report->notes.push_back("replay: " + n(replay.entries) + " entries, " + n(replay.transfers) +
                          " transfers in " + n(replay.cases.size()) + " cases, " +
                          n(replay.runs_recomputed) + " of " + n(replay.runs.size()) +
                          " runs recomputed" + (replay.failure ? " (stopped at the failure)" : ""));
  for (const std::string& note : replay.notes) report->notes.push_back("replay: " + note);
}

int VerifyRemote(const VerifyArgs& args, std::vector<ledger::NoteVerifier> keys) {
  StatusOr<std::string> password = ReadPassword(args.password_file);
  if (!password.ok()) return CannotAudit(password.status().message());
  if (args.insecure) {
    std::fprintf(stderr,
                 "restitutionctl: WARNING: --insecure: the service's TLS certificate is NOT "
                 "checked.\n"
                 "restitutionctl: WARNING: anyone on the network path can read the password "
                 "and show you a log of their choosing;\n"
                 "restitutionctl: WARNING: only the checkpoint signatures still protect this "
                 "audit.\n");
  }
  HttpsClientOptions client_options;
  client_options.ca_file = args.ca_file;
  client_options.insecure = args.insecure;
  StatusOr<std::unique_ptr<HttpsClient>> client = HttpsClient::Create(args.url, client_options);
  if (!client.ok()) return CannotAudit(client.status().message());
  RemoteAuditOptions options;
  options.verifier.trusted_keys = std::move(keys);
  options.username = args.username;
  options.password = *password;
  options.all_proofs = args.all_proofs;
  LedgerReplay replay;
  if (args.replay) {
    options.on_entry = [&replay](uint64_t index, const std::string& bytes) {
      replay.AddBytes(index, bytes);
    };
  }
  StatusOr<LedgerAuditReport> report = AuditLedgerService(**client, options);
  if (!report.ok()) return CannotAudit(report.status().message());
  if (args.replay) MergeReplay(replay.Finish(), &*report);
  return PrintReport(*report, /*remote=*/true);
}

int VerifyDatabase(const Environment& env, std::vector<ledger::NoteVerifier> keys, bool replay) {
  StatusOr<Config> config = LoadConfig(env);
  if (!config.ok()) return CannotAudit(config.status().message());
  std::optional<std::string> trust_note;
  if (keys.empty()) {
    // Convenient on the service's own host, but it trusts a file anyone with access to the
    // host could have replaced together with the database: say so.
    StatusOr<ServiceKeys> service_keys = ServiceKeys::Load(config->keys_dir);
    if (!service_keys.ok()) return CannotAudit(service_keys.status().message());
    StatusOr<crypto::Ed25519PrivateKey> signing = service_keys->LedgerSigningKey();
    if (!signing.ok()) return CannotAudit(signing.status().message());
    const std::string vkey = ledger::VerifierKey(config->ledger_origin, signing->PublicKey());
    StatusOr<ledger::NoteVerifier> key = ledger::ParseVerifierKey(vkey);
    if (!key.ok()) return CannotAudit(key.status().message());
    keys.push_back(*key);
    trust_note = "no --key given: trusting the local key file " + config->keys_dir +
                 "/ledger-signing.key (" + vkey + "); pass --key for an independent audit";
  }
  StatusOr<std::unique_ptr<DbConnection>> db = DbConnection::Open(config->db);
  if (!db.ok()) return CannotAudit(db.status().message());
  LedgerAuditOptions options;
  options.verifier.trusted_keys = std::move(keys);
  StatusOr<LedgerAuditReport> report = AuditLedgerDatabase(**db, options);
  if (!report.ok()) return CannotAudit("cannot read the ledger: " + report.status().message());
  if (trust_note) report->notes.insert(report->notes.begin(), *trust_note);
  if (replay) {
    StatusOr<LedgerReplayReport> replayed = ReplayDatabase(**db);
    if (!replayed.ok())
      return CannotAudit("cannot replay the ledger: " + replayed.status().message());
    MergeReplay(*replayed, &*report);
  }
  return PrintReport(*report, /*remote=*/false);
}

}  // namespace

int LedgerVerifyCommand(const std::vector<std::string>& args, const Environment& env) {
  std::string problem;
  std::optional<VerifyArgs> parsed = ParseArgs(args, &problem);
  if (!parsed) return Usage(problem);
  StatusOr<std::vector<ledger::NoteVerifier>> keys = LoadKeys(*parsed);
  if (!keys.ok()) return Usage(keys.status().message());
  if (!parsed->url.empty()) return VerifyRemote(*parsed, std::move(keys).value());
  return VerifyDatabase(env, std::move(keys).value(), parsed->replay);
}

}  // namespace restitution
