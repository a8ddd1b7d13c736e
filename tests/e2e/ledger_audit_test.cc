// End-to-end: the ledger audited from outside, against a real restitutiond and MariaDB.
//
// First exactly what an outside auditor does with nothing but the public contract: fetch the
// verifier key, the latest checkpoint, every entry and the proofs, and check them with an
// independent implementation of RFC 9162 (tests/ledger/merkle_reference.h for the tree, the
// RFC's verification steps transcribed below, Ed25519 from crypto/ for the signature) that
// shares no code with ledger/. Then the real restitutionctl binary, over HTTP and against the
// database, before and after an insider edits one byte of one entry.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "tests/ledger/merkle_reference.h"
#include "tests/support/ctl_process.h"
#include "tests/support/e2e_fixtures.h"
#include "tests/support/server_process.h"

#ifndef RESTITUTIONCTL_PATH
#error "RESTITUTIONCTL_PATH must name the restitutionctl binary under test"
#endif

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kEmDash[] = "\xE2\x80\x94";

std::string Unbase64(const std::string& text) {
  StatusOr<std::string> bytes = crypto::Base64Decode(text);
  return bytes.ok() ? *bytes : std::string("(not base64)");
}

std::string NodeHash(const std::string& left, const std::string& right) {
  return crypto::Sha256(std::string(1, '\x01') + left + right);
}

// RFC 9162 section 2.1.3.2, step by step.
bool RfcVerifyInclusion(uint64_t leaf_index, uint64_t tree_size, const std::string& hash,
                        const std::vector<std::string>& inclusion_path,
                        const std::string& root_hash) {
  if (leaf_index >= tree_size) return false;  // 1
  uint64_t fn = leaf_index;                   // 2
  uint64_t sn = tree_size - 1;
  std::string r = hash;                          // 3
  for (const std::string& p : inclusion_path) {  // 4
    if (sn == 0) return false;                   // 4a
    if ((fn & 1) == 1 || fn == sn) {             // 4b
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;  // 4c
    sn >>= 1;
  }
  return sn == 0 && r == root_hash;  // 5
}

// RFC 9162 section 2.1.4.2, step by step (0 < first < second).
bool RfcVerifyConsistency(uint64_t first, uint64_t second, const std::string& first_hash,
                          const std::string& second_hash, std::vector<std::string> path) {
  if (first == 0 || first >= second) return false;
  if (path.empty()) return false;                                         // 1
  if ((first & (first - 1)) == 0) path.insert(path.begin(), first_hash);  // 2
  uint64_t fn = first - 1;                                                // 3
  uint64_t sn = second - 1;
  while ((fn & 1) == 1) {  // 4
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];  // 5
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {  // 6
    const std::string& c = path[i];
    if (sn == 0) return false;        // 6a
    if ((fn & 1) == 1 || fn == sn) {  // 6b
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;  // 6c
    sn >>= 1;
  }
  return fr == first_hash && sr == second_hash && sn == 0;  // 7
}

// A verifier key "<name>+<key id hex>+<base64(0x01 || public key)>", checked the way the
// signed-note spec defines it.
struct OutsideKey {
  std::string name;
  std::string key_id;  // 4 bytes
  std::string public_key;
};

bool ParseOutsideKey(const std::string& text, OutsideKey* key) {
  const size_t first = text.find('+');
  const size_t second = text.find('+', first + 1);
  if (first == std::string::npos || second == std::string::npos) return false;
  key->name = text.substr(0, first);
  StatusOr<std::string> id = crypto::HexDecode(text.substr(first + 1, second - first - 1));
  const std::string typed = Unbase64(text.substr(second + 1));
  if (!id.ok() || id->size() != 4 || typed.size() != 33 || typed[0] != '\x01') return false;
  key->key_id = *id;
  key->public_key = typed.substr(1);
  const std::string digest =
      crypto::Sha256(key->name + "\n" + std::string(1, '\x01') + key->public_key);
  return digest.substr(0, 4) == key->key_id;
}

struct OutsideCheckpoint {
  bool verified = false;
  std::string origin;
  uint64_t size = 0;
  std::string root;
};

// Opens a C2SP signed checkpoint note with the key: the signature line of this key must
// verify over the body (everything up to and including the first line break of the blank
// line), and the body is origin, decimal size, base64 root.
OutsideCheckpoint OpenOutside(const std::string& note, const OutsideKey& key) {
  OutsideCheckpoint c;
  const size_t blank = note.rfind("\n\n");
  if (blank == std::string::npos) return c;
  const std::string body = note.substr(0, blank + 1);
  std::istringstream signatures(note.substr(blank + 2));
  std::string line;
  bool signed_by_key = false;
  while (std::getline(signatures, line)) {
    const std::string prefix = std::string(kEmDash) + " " + key.name + " ";
    if (line.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string blob = Unbase64(line.substr(prefix.size()));
    if (blob.size() != 68 || blob.substr(0, 4) != key.key_id) continue;
    if (!crypto::Ed25519Verify(key.public_key, body, blob.substr(4))) return c;
    signed_by_key = true;
  }
  std::istringstream lines(body);
  std::string size_line;
  std::string root_line;
  if (!signed_by_key || !std::getline(lines, c.origin) || !std::getline(lines, size_line) ||
      !std::getline(lines, root_line)) {
    return c;
  }
  c.size = std::stoull(size_line);
  c.root = Unbase64(root_line);
  c.verified = c.origin == key.name && c.root.size() == 32;
  return c;
}

std::vector<std::string> Hashes(const nlohmann::json& list) {
  std::vector<std::string> hashes;
  for (const auto& item : list) hashes.push_back(Unbase64(item.get<std::string>()));
  return hashes;
}

// Runs restitutionctl with exactly these variables (plus the sanitizers' options).
CtlResult RunCtl(const std::vector<std::string>& args, std::map<std::string, std::string> env,
                 const std::string& scratch_dir) {
  return RunCtlProcess(RESTITUTIONCTL_PATH, args, std::move(env), scratch_dir);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

class LedgerAuditE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);  // entry 0
    admin_token_ = server_.LoginToken("admin", kAdminPassword);
    ASSERT_FALSE(admin_token_.empty());
    // A few staff accounts through the API: each creation is an entry, with a receipt.
    for (const auto& [username, role] :
         std::vector<std::pair<std::string, std::string>>{{"auditor.li", "auditor"},
                                                          {"officer.wang", "officer"},
                                                          {"court.zhao", "court"},
                                                          {"officer.sun", "officer"},
                                                          {"auditor.qian", "auditor"}}) {
      ClientResponse created = server_.client().PostJson(
          "/api/v1/users", {{"username", username}, {"password", kStaffPassword}, {"role", role}},
          admin_token_);
      ASSERT_EQ(created.status, 201) << created.body;
      const nlohmann::json receipt = created.Json()["receipt"];
      ASSERT_TRUE(receipt["ledger_index"].is_number_unsigned()) << created.body;
      receipts_.emplace_back(receipt["ledger_index"].get<uint64_t>(),
                             Unbase64(receipt["leaf_hash"].get<std::string>()));
    }
    auditor_token_ = server_.LoginToken("auditor.li", kStaffPassword);
    ASSERT_FALSE(auditor_token_.empty());
    ClientResponse key = server_.client().Get("/api/v1/ledger/key");
    ASSERT_EQ(key.status, 200);
    ASSERT_FALSE(key.body.empty());
    ASSERT_EQ(key.body.back(), '\n');
    verifier_key_ = key.body.substr(0, key.body.size() - 1);
    WriteFile(scratch_.path() + "/password", std::string(kStaffPassword) + "\n");
    WriteFile(scratch_.path() + "/keys", "# the ledger's verifier key\n" + verifier_key_ + "\n");
  }

  // The latest checkpoint, once it covers every entry made so far.
  std::string AwaitCheckpoint(uint64_t size, const OutsideKey& key) {
    for (int i = 0; i < 200; ++i) {
      ClientResponse note = server_.client().Get("/api/v1/ledger/checkpoint");
      if (note.status == 200 && OpenOutside(note.body, key).size >= size) return note.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }

  std::map<std::string, std::string> DatabaseEnv() { return CtlDatabaseEnv(server_); }

  std::vector<std::string> RemoteArgs() {
    return {"ledger",          "verify",
            "--url",           "http://127.0.0.1:" + std::to_string(server_.port()),
            "--username",      "auditor.li",
            "--password-file", scratch_.path() + "/password",
            "--key-file",      scratch_.path() + "/keys"};
  }

  ServerProcess server_;
  TempDir scratch_;
  std::string admin_token_;
  std::string auditor_token_;
  std::string verifier_key_;
  std::vector<std::pair<uint64_t, std::string>> receipts_;  // index, leaf hash
};

TEST_F(LedgerAuditE2eTest, AnOutsideAuditorConfirmsSignatureRootAndEveryProof) {
  HttpClient client = server_.client();
  OutsideKey key;
  ASSERT_TRUE(ParseOutsideKey(verifier_key_, &key)) << verifier_key_;
  const uint64_t expected_size = receipts_.back().first + 1;
  const std::string note = AwaitCheckpoint(expected_size, key);
  ASSERT_FALSE(note.empty()) << "no checkpoint covers the receipts";
  const OutsideCheckpoint latest = OpenOutside(note, key);
  ASSERT_TRUE(latest.verified) << note;
  ASSERT_EQ(latest.size, expected_size);

  // Every entry, as bytes: hashed here, never taken from the service's decoded "entry".
  std::vector<std::string> entries;
  for (;;) {
    ClientResponse page =
        client.Get("/api/v1/ledger/entries?start=" + std::to_string(entries.size()) + "&limit=2",
                   auditor_token_);
    ASSERT_EQ(page.status, 200) << page.body;
    const nlohmann::json list = page.Json()["entries"];
    if (list.empty()) break;
    for (const auto& item : list) {
      ASSERT_EQ(item["index"].get<uint64_t>(), entries.size());
      entries.push_back(Unbase64(item["data"].get<std::string>()));
      EXPECT_EQ(Unbase64(item["leaf_hash"].get<std::string>()),
                crypto::Sha256(std::string(1, '\x00') + entries.back()));
    }
  }
  ASSERT_EQ(entries.size(), latest.size);
  ledger::reference::Tree tree(entries);
  EXPECT_EQ(tree.Mth(0, latest.size), latest.root) << "the signed root is the root of the entries";
  for (const auto& [index, leaf_hash] : receipts_) {
    EXPECT_EQ(tree.LeafHashOf(index), leaf_hash) << "receipt of entry " << index;
  }

  // An inclusion proof for every entry in the latest checkpoint.
  for (uint64_t i = 0; i < latest.size; ++i) {
    ClientResponse proof = client.Get("/api/v1/ledger/proof/inclusion?index=" + std::to_string(i) +
                                      "&size=" + std::to_string(latest.size));
    ASSERT_EQ(proof.status, 200) << proof.body;
    const std::vector<std::string> path = Hashes(proof.Json()["hashes"]);
    EXPECT_EQ(Unbase64(proof.Json()["leaf_hash"].get<std::string>()), tree.LeafHashOf(i));
    EXPECT_TRUE(RfcVerifyInclusion(i, latest.size, tree.LeafHashOf(i), path, latest.root)) << i;
    EXPECT_EQ(path, tree.Path(i, 0, latest.size)) << i;
  }

  // Every stored checkpoint: signed, with the root of its prefix, consistent with the last.
  ClientResponse listed =
      client.Get("/api/v1/ledger/checkpoints?start=0&limit=1000", auditor_token_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const nlohmann::json checkpoints = listed.Json()["checkpoints"];
  ASSERT_GE(checkpoints.size(), 2u);
  std::optional<OutsideCheckpoint> previous;
  for (const auto& item : checkpoints) {
    const OutsideCheckpoint c = OpenOutside(item["note"].get<std::string>(), key);
    ASSERT_TRUE(c.verified) << item.dump();
    EXPECT_EQ(item["size"].get<uint64_t>(), c.size);
    EXPECT_EQ(Unbase64(item["root"].get<std::string>()), c.root);
    if (c.size > entries.size()) continue;  // signed after the entries were read
    EXPECT_EQ(tree.Mth(0, c.size), c.root) << "checkpoint of size " << c.size;
    if (previous) {
      ClientResponse proof =
          client.Get("/api/v1/ledger/proof/consistency?from=" + std::to_string(previous->size) +
                     "&to=" + std::to_string(c.size));
      ASSERT_EQ(proof.status, 200) << proof.body;
      const std::vector<std::string> path = Hashes(proof.Json()["hashes"]);
      if (previous->size == 0) {
        EXPECT_TRUE(path.empty());
      } else {
        EXPECT_TRUE(RfcVerifyConsistency(previous->size, c.size, previous->root, c.root, path))
            << previous->size << " -> " << c.size;
        EXPECT_EQ(path, tree.Proof(previous->size, c.size));
      }
    }
    previous = c;
  }
  EXPECT_EQ(previous->size, latest.size);
}

TEST_F(LedgerAuditE2eTest, RestitutionctlAgreesOverHttpAndFromTheDatabase) {
  OutsideKey key;
  ASSERT_TRUE(ParseOutsideKey(verifier_key_, &key));
  const uint64_t size = receipts_.back().first + 1;
  ASSERT_FALSE(AwaitCheckpoint(size, key).empty());
  const std::string size_line =
      "entries: " + std::to_string(size) + "  size: " + std::to_string(size) + "  root: ";
  const std::string key_label =
      verifier_key_.substr(0, verifier_key_.find('+', verifier_key_.find('+') + 1));

  CtlResult remote = RunCtl(RemoteArgs(), {}, scratch_.path());
  EXPECT_EQ(remote.exit_code, 0) << remote.out << remote.err;
  EXPECT_EQ(remote.out.rfind("ledger verify: OK\n", 0), 0u) << remote.out;
  EXPECT_NE(remote.out.find(size_line), std::string::npos) << remote.out;
  EXPECT_NE(remote.out.find("keys: " + key_label), std::string::npos) << remote.out;
  EXPECT_NE(remote.out.find("inclusion proofs: " + std::to_string(size)), std::string::npos)
      << remote.out;

  std::vector<std::string> all_proofs = RemoteArgs();
  all_proofs.push_back("--all-proofs");
  CtlResult remote_all = RunCtl(all_proofs, {}, scratch_.path());
  EXPECT_EQ(remote_all.exit_code, 0) << remote_all.out << remote_all.err;

  std::vector<std::string> database_args = {"ledger", "verify", "--key", verifier_key_};
  CtlResult database = RunCtl(database_args, DatabaseEnv(), scratch_.path());
  EXPECT_EQ(database.exit_code, 0) << database.out << database.err;
  EXPECT_EQ(database.out.rfind("ledger verify: OK\n", 0), 0u) << database.out;
  EXPECT_NE(database.out.find(size_line), std::string::npos) << database.out;
  // The two audits recompute the same root.
  const auto root_of = [](const std::string& out) {
    const size_t at = out.find("root: ");
    return at == std::string::npos ? "" : out.substr(at, out.find('\n', at) - at);
  };
  EXPECT_EQ(root_of(remote.out), root_of(database.out));
  EXPECT_FALSE(root_of(remote.out).empty());

  // Without a key the local key file is trusted, and the output says so.
  CtlResult local = RunCtl({"ledger", "verify"}, DatabaseEnv(), scratch_.path());
  EXPECT_EQ(local.exit_code, 0) << local.out << local.err;
  EXPECT_NE(local.out.find("trusting the local key file"), std::string::npos) << local.out;
}

TEST_F(LedgerAuditE2eTest, OneChangedByteInTheDatabaseIsNamedByBothAudits) {
  OutsideKey key;
  ASSERT_TRUE(ParseOutsideKey(verifier_key_, &key));
  ASSERT_FALSE(AwaitCheckpoint(receipts_.back().first + 1, key).empty());
  const uint64_t victim = receipts_[2].first;
  std::unique_ptr<DbConnection> db = server_.database().Connect();
  StatusOr<int64_t> changed =
      db->Exec("UPDATE ledger_entries SET entry = INSERT(entry, 3, 1, 'B') WHERE idx = ?",
               {static_cast<int64_t>(victim)});
  ASSERT_TRUE(changed.ok() && *changed == 1) << changed.status().ToString();
  const std::string failed = "ledger verify: FAILED at index " + std::to_string(victim) + ": ";

  CtlResult database =
      RunCtl({"ledger", "verify", "--key", verifier_key_}, DatabaseEnv(), scratch_.path());
  EXPECT_EQ(database.exit_code, 1) << database.out << database.err;
  EXPECT_EQ(database.out.rfind(failed, 0), 0u) << database.out;

  CtlResult remote = RunCtl(RemoteArgs(), {}, scratch_.path());
  EXPECT_EQ(remote.exit_code, 1) << remote.out << remote.err;
  EXPECT_EQ(remote.out.rfind(failed, 0), 0u) << remote.out;
}

TEST_F(LedgerAuditE2eTest, DeletedAndReorderedEntriesAreNamed) {
  OutsideKey key;
  ASSERT_TRUE(ParseOutsideKey(verifier_key_, &key));
  ASSERT_FALSE(AwaitCheckpoint(receipts_.back().first + 1, key).empty());
  std::unique_ptr<DbConnection> db = server_.database().Connect();
  // Reorder entries 1 and 2 (the rows keep their index, their contents move).
  ASSERT_TRUE(db->Exec("UPDATE ledger_entries SET idx = -1 WHERE idx = 1").ok());
  ASSERT_TRUE(db->Exec("UPDATE ledger_entries SET idx = 1 WHERE idx = 2").ok());
  ASSERT_TRUE(db->Exec("UPDATE ledger_entries SET idx = 2 WHERE idx = -1").ok());
  CtlResult reordered =
      RunCtl({"ledger", "verify", "--key", verifier_key_}, DatabaseEnv(), scratch_.path());
  EXPECT_EQ(reordered.exit_code, 1) << reordered.out << reordered.err;
  EXPECT_EQ(reordered.out.rfind("ledger verify: FAILED at index 1: ", 0), 0u) << reordered.out;

  // Over HTTP the swap shows in the root of the first checkpoint after it, and in the proofs.
  CtlResult remote = RunCtl(RemoteArgs(), {}, scratch_.path());
  EXPECT_EQ(remote.exit_code, 1) << remote.out << remote.err;
  EXPECT_EQ(remote.out.rfind("ledger verify: FAILED at index 1: ", 0), 0u) << remote.out;

  ASSERT_TRUE(db->Exec("DELETE FROM ledger_entries WHERE idx = 3").ok());
  CtlResult deleted =
      RunCtl({"ledger", "verify", "--key", verifier_key_}, DatabaseEnv(), scratch_.path());
  EXPECT_EQ(deleted.exit_code, 1) << deleted.out << deleted.err;
  EXPECT_EQ(deleted.out.rfind("ledger verify: FAILED at index 1: ", 0), 0u)
      << "the swap, further back, still comes first: " << deleted.out;
}

TEST_F(LedgerAuditE2eTest, DeletedEntryIsNamedOverHttp) {
  OutsideKey key;
  ASSERT_TRUE(ParseOutsideKey(verifier_key_, &key));
  ASSERT_FALSE(AwaitCheckpoint(receipts_.back().first + 1, key).empty());
  std::unique_ptr<DbConnection> db = server_.database().Connect();
  ASSERT_TRUE(db->Exec("DELETE FROM ledger_entries WHERE idx = 4").ok());
  CtlResult remote = RunCtl(RemoteArgs(), {}, scratch_.path());
  EXPECT_EQ(remote.exit_code, 1) << remote.out << remote.err;
  EXPECT_EQ(remote.out.rfind("ledger verify: FAILED at index 4: index 4 missing", 0), 0u)
      << remote.out;
}

TEST_F(LedgerAuditE2eTest, AnotherKeyIsNotTrusted) {
  const std::string stranger = crypto::Ed25519PrivateKey::Generate().PublicKey();
  const std::string digest =
      crypto::Sha256(std::string("restitution.local/ledger\n") + std::string(1, '\x01') + stranger);
  const std::string stranger_key = "restitution.local/ledger+" +
                                   crypto::HexEncode(digest.substr(0, 4)) + "+" +
                                   crypto::Base64Encode(std::string(1, '\x01') + stranger);
  WriteFile(scratch_.path() + "/keys", stranger_key + "\n");
  CtlResult remote = RunCtl(RemoteArgs(), {}, scratch_.path());
  EXPECT_EQ(remote.exit_code, 1) << remote.out << remote.err;
  EXPECT_NE(remote.out.find("not signed by a trusted key"), std::string::npos) << remote.out;
  EXPECT_NE(remote.out.find("is not among the trusted keys"), std::string::npos) << remote.out;
}

TEST_F(LedgerAuditE2eTest, UsageErrorsAndUnreachableServicesExitTwo) {
  EXPECT_EQ(
      RunCtl({"ledger", "verify", "--url", "http://127.0.0.1:1"}, {}, scratch_.path()).exit_code,
      2);
  EXPECT_EQ(RunCtl({"ledger", "verify", "--bogus", "x"}, {}, scratch_.path()).exit_code, 2);
  EXPECT_EQ(RunCtl({"ledger", "verify", "--key", "not a key"}, {}, scratch_.path()).exit_code, 2);
  std::vector<std::string> unreachable = RemoteArgs();
  unreachable[3] = "http://127.0.0.1:" + std::to_string(FreeLoopbackPort());
  CtlResult refused = RunCtl(unreachable, {}, scratch_.path());
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("cannot connect"), std::string::npos) << refused.err;
  WriteFile(scratch_.path() + "/password", "not the password\n");
  CtlResult refused_login = RunCtl(RemoteArgs(), {}, scratch_.path());
  EXPECT_EQ(refused_login.exit_code, 2) << refused_login.out << refused_login.err;
  EXPECT_NE(refused_login.err.find("login as auditor.li failed"), std::string::npos)
      << refused_login.err;
}

}  // namespace
}  // namespace restitution::testing
