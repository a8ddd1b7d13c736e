#include "tools/remote_ledger_audit.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <limits>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

// A rate-limited or busy service (nginx answers 429 beyond 20 requests a second) is waited
// for, not given up on: an audit makes many requests.
constexpr int kMaxBusyRetries = 30;
constexpr int kMaxRetryAfterSeconds = 10;
// Inclusion proofs spent narrowing a root mismatch down to one entry.
constexpr uint64_t kMaxNarrowingProofs = 4096;

Status Protocol(const std::string& what) {
  return Status::Unavailable("unexpected response from the service: " + what);
}

StatusOr<uint64_t> UintField(const Json& object, const char* name, const std::string& where) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_number_unsigned()) {
    return Protocol(where + ": \"" + name + "\" is not a non-negative integer");
  }
  return object[name].get<uint64_t>();
}

StatusOr<std::string> StringField(const Json& object, const char* name, const std::string& where) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_string()) {
    return Protocol(where + ": \"" + name + "\" is not a string");
  }
  return object[name].get<std::string>();
}

// A served hash: the decoded bytes, or something that matches no hash when it is not base64.
ledger::Hash ServedHash(const std::string& base64) {
  StatusOr<std::string> bytes = crypto::Base64Decode(base64);
  return bytes.ok() ? *bytes : std::string("(not base64)");
}

StatusOr<std::vector<ledger::Hash>> HashList(const Json& object, const std::string& where) {
  if (!object.is_object() || !object.contains("hashes") || !object["hashes"].is_array()) {
    return Protocol(where + ": \"hashes\" is not an array");
  }
  std::vector<ledger::Hash> hashes;
  for (const Json& item : object["hashes"]) {
    if (!item.is_string()) return Protocol(where + ": a hash is not a string");
    hashes.push_back(ServedHash(item.get<std::string>()));
  }
  return hashes;
}

class RemoteAudit {
 public:
  RemoteAudit(HttpsClient& client, const RemoteAuditOptions& options)
      : client_(client),
        options_(options),
        page_size_(std::clamp(options.page_size, 1, 1000)),
        verifier_(options.verifier) {}

  StatusOr<LedgerAuditReport> Run() {
    RETURN_IF_ERROR(Login());
    RETURN_IF_ERROR(CheckServedKeys());
    ASSIGN_OR_RETURN(std::string latest_note, GetText("/api/v1/ledger/checkpoint"));
    StatusOr<ledger::OpenedCheckpoint> latest = ledger::OpenCheckpoint(
        latest_note, options_.verifier.trusted_keys, options_.verifier.expected_origin);
    if (!latest.ok()) {
      // Nothing can be checked against a head that is not trusted.
      verifier_.ReportFailure(
          0, "the latest checkpoint (/api/v1/ledger/checkpoint): " + latest.status().message());
      verifier_.Finish();
      TakeVerifierFindings(verifier_, &report_);
      return report_;
    }
    latest_ = latest->checkpoint;
    report_.claimed_size = latest_.size;
    verifier_.ExpectHead(latest_.size, latest_.root,
                         "the latest checkpoint (/api/v1/ledger/checkpoint)", /*signed_root=*/true);
    ChooseSample();

    uint64_t next = 0;
    while (!verifier_.done()) {
      RETURN_IF_ERROR(FeedCheckpointsUpTo(next));
      ASSIGN_OR_RETURN(Json page, GetJson("/api/v1/ledger/entries?start=" + std::to_string(next) +
                                          "&limit=" + std::to_string(page_size_)));
      if (!page.is_object() || !page.contains("entries") || !page["entries"].is_array()) {
        return Protocol("/api/v1/ledger/entries: \"entries\" is not an array");
      }
      const Json& entries = page["entries"];
      if (entries.empty()) break;
      ASSIGN_OR_RETURN(uint64_t last, UintField(entries.back(), "index", "/api/v1/ledger/entries"));
      RETURN_IF_ERROR(FeedCheckpointsUpTo(last + 1));
      for (const Json& entry : entries) {
        if (verifier_.done()) break;
        RETURN_IF_ERROR(CheckEntry(entry));
      }
      RETURN_IF_ERROR(ProveDueConsistency());
      next = std::max(next + 1, last + 1);
    }
    RETURN_IF_ERROR(FeedCheckpointsUpTo(latest_.size));
    if (!verifier_.done() && last_fed_size_ != latest_.size) {
      verifier_.ReportFailure(last_fed_size_.value_or(0),
                              "the latest checkpoint (size " + std::to_string(latest_.size) +
                                  ") is missing from /api/v1/ledger/checkpoints");
    }
    verifier_.Finish();
    RETURN_IF_ERROR(ProveDueConsistency());
    RETURN_IF_ERROR(NarrowRootMismatch());
    TakeVerifierFindings(verifier_, &report_);
    if (skipped_newer_ > 0) {
      report_.notes.push_back(std::to_string(skipped_newer_) +
                              " checkpoints signed after the audit began were not checked");
    }
    return report_;
  }

 private:
  Status Login() {
    const Json body = {{"username", options_.username}, {"password", options_.password}};
    ASSIGN_OR_RETURN(HttpReply reply,
                     Send("POST", "/api/v1/auth/login", body.dump(),
                          {{"Content-Type", "application/json"}}, /*authorized=*/false));
    if (reply.status != 200) {
      return Status::Unauthenticated("login as " + options_.username +
                                     " failed: " + Describe(reply));
    }
    const Json json = Json::parse(reply.body, nullptr, false);
    ASSIGN_OR_RETURN(token_, StringField(json, "token", "/api/v1/auth/login"));
    return Status::Ok();
  }

  // The keys the service publishes are only information: trust comes from the keys given. A
  // published key the auditor does not trust is worth a note (after a rotation, the older
  // checkpoints need the older key too).
  Status CheckServedKeys() {
    const auto trusted = [&](const std::string& vkey) {
      for (const ledger::NoteVerifier& key : options_.verifier.trusted_keys) {
        if (ledger::VerifierKey(key.key_name, key.public_key) == vkey) return true;
      }
      return false;
    };
    ASSIGN_OR_RETURN(std::string current, GetText("/api/v1/ledger/key"));
    while (!current.empty() && (current.back() == '\n' || current.back() == '\r')) {
      current.pop_back();
    }
    if (!trusted(current)) {
      report_.notes.push_back("the service's current verifier key " + current +
                              " is not among the trusted keys");
    }
    ASSIGN_OR_RETURN(Json listed, GetJson("/api/v1/ledger/keys"));
    if (!listed.is_object() || !listed.contains("keys") || !listed["keys"].is_array()) {
      return Protocol("/api/v1/ledger/keys: \"keys\" is not an array");
    }
    for (const Json& item : listed["keys"]) {
      ASSIGN_OR_RETURN(std::string vkey, StringField(item, "verifier_key", "/api/v1/ledger/keys"));
      if (vkey == current || trusted(vkey)) continue;
      StatusOr<ledger::NoteVerifier> parsed = ledger::ParseVerifierKey(vkey);
      report_.notes.push_back(parsed.ok() ? "the service also lists the verifier key " + vkey +
                                                ", which is not among the trusted keys"
                                          : "the service lists a malformed verifier key: " +
                                                parsed.status().message());
    }
    return Status::Ok();
  }

  // Up to sampled_proofs indices spread evenly over the latest checkpoint, the last included.
  void ChooseSample() {
    const uint64_t size = latest_.size;
    if (options_.all_proofs || size == 0) return;
    const uint64_t count = std::min<uint64_t>(options_.sampled_proofs, size);
    if (count == 0) return;
    const uint64_t step = size / count;
    for (uint64_t k = 0; k < count; ++k) sample_.insert(k * step);
    sample_.insert(size - 1);
  }

  Status CheckEntry(const Json& entry) {
    const std::string where = "/api/v1/ledger/entries";
    ASSIGN_OR_RETURN(uint64_t index, UintField(entry, "index", where));
    ASSIGN_OR_RETURN(std::string data, StringField(entry, "data", where));
    ASSIGN_OR_RETURN(std::string leaf_hash, StringField(entry, "leaf_hash", where));
    // The served bytes are what is hashed; the decoded "entry" beside them is never trusted.
    StatusOr<std::string> bytes = crypto::Base64Decode(data);
    if (!bytes.ok()) {
      verifier_.ReportFailure(index, "the served entry data is not base64");
      return Status::Ok();
    }
    verifier_.AddEntry(index, *bytes, ServedHash(leaf_hash));
    if (options_.on_entry && index < latest_.size) options_.on_entry(index, *bytes);
    if (verifier_.done() || index >= latest_.size) return Status::Ok();
    if (options_.all_proofs || sample_.count(index) > 0) {
      return CheckInclusion(index, ledger::LeafHash(*bytes));
    }
    return Status::Ok();
  }

  Status CheckInclusion(uint64_t index, const ledger::Hash& leaf) {
    const std::string path = "/api/v1/ledger/proof/inclusion?index=" + std::to_string(index) +
                             "&size=" + std::to_string(latest_.size);
    ASSIGN_OR_RETURN(Json proof, GetJson(path));
    ASSIGN_OR_RETURN(uint64_t served_index, UintField(proof, "index", path));
    ASSIGN_OR_RETURN(uint64_t served_size, UintField(proof, "size", path));
    ASSIGN_OR_RETURN(std::string served_leaf, StringField(proof, "leaf_hash", path));
    ASSIGN_OR_RETURN(std::vector<ledger::Hash> hashes, HashList(proof, path));
    const std::string what = "entry " + std::to_string(index) +
                             " is not in the latest checkpoint (size " +
                             std::to_string(latest_.size) + "): ";
    if (served_index != index || served_size != latest_.size) {
      verifier_.ReportFailure(index, "the service answered the inclusion proof of entry " +
                                         std::to_string(index) + " for another index or size");
    } else if (!ledger::VerifyInclusion(index, latest_.size, leaf, hashes, latest_.root)) {
      verifier_.ReportFailure(index, what + "its inclusion proof does not verify");
    } else if (ServedHash(served_leaf) != leaf) {
      // The proof holds for the entry, yet the service names another leaf beside it.
      verifier_.ReportFailure(index, "the inclusion proof of entry " + std::to_string(index) +
                                         " names a leaf hash other than the entry's");
    } else {
      report_.inclusion_proofs += 1;
    }
    return Status::Ok();
  }

  // A signed root that does not match the entries names only a range: the entries since the
  // last good checkpoint. The first of them whose inclusion proof against that signed root
  // fails is named instead. Every entry before it is then proven to be what was signed, and it
  // cannot be: a valid proof for a different leaf would be a hash collision. (Should the
  // service's stored nodes have been rewritten too, innocent entries fail as well, so the
  // name may come early, never late.)
  Status NarrowRootMismatch() {
    const std::optional<ledger::LogFailure>& failure = verifier_.failure();
    if (!failure || !failure->range) return Status::Ok();
    const uint64_t begin = failure->index;
    const ledger::MismatchRange range = *failure->range;
    const std::vector<ledger::Hash> leaves = verifier_.RangeLeaves();
    if (leaves.empty()) return Status::Ok();
    const uint64_t end = std::min<uint64_t>(range.end, begin + kMaxNarrowingProofs);
    for (uint64_t i = begin; i < end; ++i) {
      const std::string path = "/api/v1/ledger/proof/inclusion?index=" + std::to_string(i) +
                               "&size=" + std::to_string(range.end);
      ASSIGN_OR_RETURN(Json proof, GetJson(path));
      ASSIGN_OR_RETURN(std::vector<ledger::Hash> hashes, HashList(proof, path));
      if (!ledger::VerifyInclusion(i, range.end, leaves[i - begin], hashes, range.signed_root)) {
        verifier_.RefineFailure(
            i, "entry " + std::to_string(i) + " is not the entry the checkpoint of size " +
                   std::to_string(range.end) +
                   " signed: its inclusion proof against that checkpoint does not verify (" +
                   failure->message + ")");
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  // Gives the verifier the listed checkpoints of at most `size` (and never beyond the latest
  // checkpoint, the audit's reference point), checking each against the one before with the
  // service's consistency proof.
  Status FeedCheckpointsUpTo(uint64_t size) {
    size = std::min(size, latest_.size);
    for (;;) {
      if (pending_.empty() && more_checkpoints_) {
        ASSIGN_OR_RETURN(Json page, GetJson("/api/v1/ledger/checkpoints?start=" +
                                            std::to_string(next_checkpoint_size_) +
                                            "&limit=" + std::to_string(page_size_)));
        if (!page.is_object() || !page.contains("checkpoints") || !page["checkpoints"].is_array()) {
          return Protocol("/api/v1/ledger/checkpoints: \"checkpoints\" is not an array");
        }
        const Json& list = page["checkpoints"];
        more_checkpoints_ = list.size() == static_cast<size_t>(page_size_);
        for (const Json& item : list) {
          ASSIGN_OR_RETURN(uint64_t listed_size,
                           UintField(item, "size", "/api/v1/ledger/checkpoints"));
          ASSIGN_OR_RETURN(std::string root,
                           StringField(item, "root", "/api/v1/ledger/checkpoints"));
          ASSIGN_OR_RETURN(std::string note,
                           StringField(item, "note", "/api/v1/ledger/checkpoints"));
          // Out of order is the verifier's to judge; the next page must still move on.
          next_checkpoint_size_ = std::max(next_checkpoint_size_, listed_size + 1);
          if (listed_size > latest_.size) {
            skipped_newer_ += 1;
            continue;
          }
          pending_.push_back(Listed{listed_size, ServedHash(root), std::move(note)});
        }
        if (list.empty()) more_checkpoints_ = false;
      }
      if (pending_.empty() || pending_.front().size > size || verifier_.done()) {
        return Status::Ok();
      }
      Listed listed = std::move(pending_.front());
      pending_.pop_front();
      ledger::CheckpointClaims claims;
      claims.size = listed.size;
      claims.root = listed.root;
      std::optional<ledger::OpenedCheckpoint> opened = verifier_.AddCheckpoint(listed.note, claims);
      if (!opened) continue;
      last_fed_size_ = opened->checkpoint.size;
      if (previous_) unproven_.emplace_back(*previous_, opened->checkpoint);
      previous_ = opened->checkpoint;
    }
  }

  // Proves each pair of successive checkpoints consistent once the entries have matched the
  // newer one, so the proofs counted never outrun the checkpoints checked.
  Status ProveDueConsistency() {
    while (!unproven_.empty() && unproven_.front().second.size <= verifier_.covered_size()) {
      RETURN_IF_ERROR(CheckConsistency(unproven_.front().first, unproven_.front().second));
      unproven_.pop_front();
    }
    return Status::Ok();
  }

  // Named at the last entry the newer checkpoint covers: a wrong proof is the service's
  // fault unless an entry before it already failed.
  Status CheckConsistency(const ledger::Checkpoint& from, const ledger::Checkpoint& to) {
    const std::string path = "/api/v1/ledger/proof/consistency?from=" + std::to_string(from.size) +
                             "&to=" + std::to_string(to.size);
    ASSIGN_OR_RETURN(Json proof, GetJson(path));
    ASSIGN_OR_RETURN(uint64_t served_from, UintField(proof, "from", path));
    ASSIGN_OR_RETURN(uint64_t served_to, UintField(proof, "to", path));
    ASSIGN_OR_RETURN(std::vector<ledger::Hash> hashes, HashList(proof, path));
    const std::string what = "the consistency proof from the checkpoint of size " +
                             std::to_string(from.size) + " to the one of size " +
                             std::to_string(to.size);
    if (served_from != from.size || served_to != to.size) {
      verifier_.ReportFailure(to.size - 1, what + " is for other sizes");
    } else if (!ledger::VerifyConsistency(from.size, to.size, from.root, to.root, hashes)) {
      verifier_.ReportFailure(to.size - 1, what + " does not verify");
    } else {
      report_.consistency_proofs += 1;
    }
    return Status::Ok();
  }

  static std::string Describe(const HttpReply& reply) {
    std::string text = "HTTP " + std::to_string(reply.status);
    const Json json = Json::parse(reply.body, nullptr, false);
    if (json.is_object() && json.contains("error") && json["error"].is_object()) {
      const Json& error = json["error"];
      if (error.contains("code") && error["code"].is_string()) {
        text += " " + error["code"].get<std::string>();
      }
      if (error.contains("message") && error["message"].is_string()) {
        text += ": " + error["message"].get<std::string>();
      }
    }
    return text;
  }

  StatusOr<HttpReply> Send(const std::string& method, const std::string& path,
                           const std::string& body,
                           std::vector<std::pair<std::string, std::string>> headers,
                           bool authorized) {
    if (authorized) headers.emplace_back("Authorization", "Bearer " + token_);
    for (int attempt = 0;; ++attempt) {
      ASSIGN_OR_RETURN(HttpReply reply, client_.Request(method, path, body, headers));
      if ((reply.status != 429 && reply.status != 503) || attempt == kMaxBusyRetries) {
        return reply;
      }
      int wait = 1;
      auto retry_after = reply.headers.find("retry-after");
      if (retry_after != reply.headers.end()) {
        wait = std::clamp(std::atoi(retry_after->second.c_str()), 1, kMaxRetryAfterSeconds);
      }
      std::this_thread::sleep_for(std::chrono::seconds(wait));
    }
  }

  StatusOr<std::string> GetText(const std::string& path) {
    ASSIGN_OR_RETURN(HttpReply reply, Send("GET", path, "", {}, /*authorized=*/true));
    if (reply.status != 200) return Status::Unavailable("GET " + path + ": " + Describe(reply));
    return reply.body;
  }

  StatusOr<Json> GetJson(const std::string& path) {
    ASSIGN_OR_RETURN(std::string body, GetText(path));
    Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded()) return Protocol("GET " + path + ": the body is not JSON");
    return json;
  }

  struct Listed {
    uint64_t size;
    ledger::Hash root;
    std::string note;
  };

  HttpsClient& client_;
  const RemoteAuditOptions& options_;
  const int page_size_;
  ledger::LogVerifier verifier_;
  LedgerAuditReport report_;
  std::string token_;
  ledger::Checkpoint latest_;
  std::set<uint64_t> sample_;
  std::deque<Listed> pending_;  // listed, not yet given to the verifier
  uint64_t next_checkpoint_size_ = 0;
  bool more_checkpoints_ = true;
  uint64_t skipped_newer_ = 0;
  std::optional<uint64_t> last_fed_size_;
  std::optional<ledger::Checkpoint> previous_;
  // Successive checkpoints whose consistency proof waits for the entries to match the newer.
  std::deque<std::pair<ledger::Checkpoint, ledger::Checkpoint>> unproven_;
};

}  // namespace

StatusOr<LedgerAuditReport> AuditLedgerService(HttpsClient& client,
                                               const RemoteAuditOptions& options) {
  RemoteAudit audit(client, options);
  return audit.Run();
}

}  // namespace restitution
