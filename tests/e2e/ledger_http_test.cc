// End-to-end: the ledger over HTTP against a real restitutiond and MariaDB — receipts on the
// responses that append, their replay, the read endpoints' contracts and their access rules.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "crypto/encoding.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";

class LedgerHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_token_ = server_.LoginToken("admin", kAdminPassword);
    ASSERT_FALSE(admin_token_.empty());
  }

  ClientResponse CreateStaff(const std::string& username, const std::string& role,
                             const std::string& idempotency_key = "") {
    return server_.client().PostJson(
        "/api/v1/users", {{"username", username}, {"password", kStaffPassword}, {"role", role}},
        admin_token_, idempotency_key);
  }

  std::string StaffToken(const std::string& username, const std::string& role) {
    ClientResponse created = CreateStaff(username, role);
    EXPECT_EQ(created.status, 201) << created.body;
    return server_.LoginToken(username, kStaffPassword);
  }

  ServerProcess server_;
  std::string admin_token_;
};

ledger::Hash FromBase64(const nlohmann::json& value) {
  StatusOr<std::string> bytes = crypto::Base64Decode(value.get<std::string>());
  return bytes.ok() ? *bytes : std::string();
}

std::vector<ledger::Hash> HashesOf(const nlohmann::json& list) {
  std::vector<ledger::Hash> hashes;
  for (const auto& item : list) hashes.push_back(FromBase64(item));
  return hashes;
}

TEST_F(LedgerHttpTest, StaffCreationAnswersWithAReceiptThatProvesInclusion) {
  HttpClient client = server_.client();
  ClientResponse created = CreateStaff("officer.wang", "officer");
  ASSERT_EQ(created.status, 201) << created.body;
  const nlohmann::json receipt = created.Json()["receipt"];
  ASSERT_TRUE(receipt["ledger_index"].is_number_unsigned()) << created.body;
  const uint64_t index = receipt["ledger_index"].get<uint64_t>();
  EXPECT_EQ(index, 1u) << "the bootstrap admin's creation is entry 0";
  const ledger::Hash leaf_hash = FromBase64(receipt["leaf_hash"]);
  ASSERT_EQ(leaf_hash.size(), 32u);

  // The checkpoint that covers it arrives once the queue has drained.
  ClientResponse key = client.Get("/api/v1/ledger/key");
  ASSERT_EQ(key.status, 200);
  EXPECT_NE(key.headers.at("content-type").find("text/plain"), std::string::npos);
  ASSERT_FALSE(key.body.empty());
  StatusOr<ledger::NoteVerifier> verifier =
      ledger::ParseVerifierKey(key.body.substr(0, key.body.size() - 1));
  ASSERT_TRUE(verifier.ok()) << key.body;
  EXPECT_EQ(verifier->key_name, "restitution.local/ledger");

  StatusOr<ledger::Checkpoint> checkpoint = Status::NotFound("");
  for (int i = 0; i < 100; ++i) {
    ClientResponse note = client.Get("/api/v1/ledger/checkpoint");
    ASSERT_EQ(note.status, 200) << note.body;
    checkpoint = ledger::VerifyCheckpoint(note.body, *verifier);
    ASSERT_TRUE(checkpoint.ok()) << note.body;
    if (checkpoint->size > index) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(checkpoint->size, 2u);
  EXPECT_EQ(checkpoint->origin, "restitution.local/ledger");

  ClientResponse proof =
      client.Get("/api/v1/ledger/proof/inclusion?index=" + std::to_string(index) +
                 "&size=" + std::to_string(checkpoint->size));
  ASSERT_EQ(proof.status, 200) << proof.body;
  const nlohmann::json json = proof.Json();
  EXPECT_EQ(json["index"], index);
  EXPECT_EQ(json["size"], checkpoint->size);
  EXPECT_EQ(FromBase64(json["leaf_hash"]), leaf_hash);
  EXPECT_TRUE(ledger::VerifyInclusion(index, checkpoint->size, leaf_hash, HashesOf(json["hashes"]),
                                      checkpoint->root));

  // The entry itself, as an auditor reads it: no username, a pseudonymous actor.
  const std::string auditor = StaffToken("auditor.li", "auditor");
  ClientResponse entries = client.Get("/api/v1/ledger/entries?start=1&limit=1", auditor);
  ASSERT_EQ(entries.status, 200) << entries.body;
  const nlohmann::json entry = entries.Json()["entries"][0];
  EXPECT_EQ(entry["index"], 1);
  const std::string bytes = crypto::Base64Decode(entry["data"].get<std::string>()).value();
  EXPECT_EQ(ledger::LeafHash(bytes), leaf_hash);
  EXPECT_EQ(entry["entry"]["type"], "staff_created");
  EXPECT_EQ(entry["entry"]["payload"]["role"], "officer");
  EXPECT_EQ(entry["entry"]["actor"]["role"], "admin");
  EXPECT_EQ(bytes.find("officer.wang"), std::string::npos) << bytes;
}

// Percent-encoding of base64 for a query string ('+', '/' and '=' are not plain there).
std::string QueryEscaped(const std::string& base64) {
  std::string out;
  for (char c : base64) {
    if (c == '+')
      out += "%2B";
    else if (c == '/')
      out += "%2F";
    else if (c == '=')
      out += "%3D";
    else
      out += c;
  }
  return out;
}

TEST_F(LedgerHttpTest, AReceiptsLeafHashFindsItsIndexPublicly) {
  ClientResponse created = CreateStaff("officer.zhao", "officer");
  ASSERT_EQ(created.status, 201) << created.body;
  const nlohmann::json receipt = created.Json()["receipt"];
  const std::string hash = receipt["leaf_hash"].get<std::string>();

  // No session needed: whoever holds a receipt may look it up.
  ClientResponse found =
      server_.client().Get("/api/v1/ledger/receipt?leaf_hash=" + QueryEscaped(hash));
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.Json()["ledger_index"], receipt["ledger_index"]) << found.body;
  EXPECT_EQ(found.Json()["leaf_hash"], hash);
  EXPECT_FALSE(found.Json().contains("pending"));

  // A well-formed hash of nothing is 404; a malformed one is 400 naming the parameter.
  const std::string unknown = crypto::Base64Encode(std::string(32, '\x5a'));
  EXPECT_EQ(
      server_.client().Get("/api/v1/ledger/receipt?leaf_hash=" + QueryEscaped(unknown)).status,
      404);
  for (const std::string& bad :
       {std::string("leaf_hash=abc"), std::string("leaf_hash="), std::string(""),
        std::string("leaf_hash=" + QueryEscaped(hash) + "&x=1")}) {
    ClientResponse refused = server_.client().Get("/api/v1/ledger/receipt?" + bad);
    EXPECT_EQ(refused.status, 400) << bad << " " << refused.body;
    const std::string field = refused.Json()["error"].value("field", "");
    EXPECT_TRUE(field == "leaf_hash" || field == "x") << bad << " " << refused.body;
  }
}

TEST_F(LedgerHttpTest, ReplayedCreationReturnsTheSameReceiptAndAppendsNothing) {
  ClientResponse first = CreateStaff("court.zhao", "court", "key-1");
  ASSERT_EQ(first.status, 201) << first.body;
  ClientResponse again = CreateStaff("court.zhao", "court", "key-1");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.headers.count("idempotent-replayed"), 1u);
  EXPECT_EQ(again.Json()["receipt"], first.Json()["receipt"]);
  ClientResponse next = CreateStaff("court.qian", "court");
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(next.Json()["receipt"]["ledger_index"].get<uint64_t>(),
            first.Json()["receipt"]["ledger_index"].get<uint64_t>() + 1);
}

TEST_F(LedgerHttpTest, ClaimantActivationIsAnEntryWithAPhoneCommitmentOnly) {
  HttpClient client = server_.client();
  const std::string phone = "13800138000";
  ASSERT_EQ(client
                .PostJson("/api/v1/claimants/register",
                          {{"phone", phone}, {"password", "claimant password"}})
                .status,
            202);
  std::smatch code;
  const std::string text = server_.LastSmsText();
  ASSERT_TRUE(std::regex_search(text, code, std::regex("[0-9]{6}"))) << text;
  ClientResponse verified =
      client.PostJson("/api/v1/claimants/verify", {{"phone", phone}, {"code", code.str()}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  const nlohmann::json receipt = verified.Json()["receipt"];
  ASSERT_TRUE(receipt["ledger_index"].is_number_unsigned()) << verified.body;

  ClientResponse entries = client.Get(
      "/api/v1/ledger/entries?start=" + receipt["ledger_index"].dump() + "&limit=1", admin_token_);
  ASSERT_EQ(entries.status, 200) << entries.body;
  const nlohmann::json entry = entries.Json()["entries"][0];
  const std::string bytes = crypto::Base64Decode(entry["data"].get<std::string>()).value();
  EXPECT_EQ(entry["entry"]["type"], "claimant_activated");
  EXPECT_EQ(entry["entry"]["actor"]["role"], "claimant");
  EXPECT_EQ(entry["entry"]["payload"]["phone_commitment"].get<std::string>().size(), 64u);
  EXPECT_EQ(bytes.find(phone), std::string::npos) << bytes;
  EXPECT_EQ(bytes.find("38000"), std::string::npos) << bytes;
}

TEST_F(LedgerHttpTest, EntriesAndCheckpointListAreForAuditorsCourtsAndAdminsOnly) {
  HttpClient client = server_.client();
  EXPECT_EQ(client.Get("/api/v1/ledger/entries").status, 401);
  EXPECT_EQ(client.Get("/api/v1/ledger/checkpoints").status, 401);
  const std::string officer = StaffToken("officer.sun", "officer");
  EXPECT_EQ(client.Get("/api/v1/ledger/entries", officer).status, 403);
  EXPECT_EQ(client.Get("/api/v1/ledger/checkpoints", officer).status, 403);
  const std::string court = StaffToken("court.zhou", "court");
  EXPECT_EQ(client.Get("/api/v1/ledger/entries", court).status, 200);
  ClientResponse checkpoints = client.Get("/api/v1/ledger/checkpoints?start=0&limit=1000", court);
  ASSERT_EQ(checkpoints.status, 200) << checkpoints.body;
  ASSERT_GE(checkpoints.Json()["checkpoints"].size(), 1u);
  EXPECT_EQ(checkpoints.Json()["checkpoints"][0]["size"], 0) << "the empty tree is signed first";
}

TEST_F(LedgerHttpTest, BadParametersAre400NamingTheParameter) {
  HttpClient client = server_.client();
  auto expect_400 = [&](const std::string& path, const std::string& field) {
    ClientResponse response = client.Get(path, admin_token_);
    EXPECT_EQ(response.status, 400) << path << " " << response.body;
    EXPECT_EQ(response.ErrorCode(), "validation_failed") << path << " " << response.body;
    EXPECT_EQ(response.ErrorField(), field) << path << " " << response.body;
  };
  expect_400("/api/v1/ledger/proof/inclusion?index=5&size=5", "index");
  expect_400("/api/v1/ledger/proof/inclusion?index=0&size=1000", "size");
  expect_400("/api/v1/ledger/proof/inclusion?index=x&size=1", "index");
  expect_400("/api/v1/ledger/proof/inclusion?index=-1&size=1", "index");
  expect_400("/api/v1/ledger/proof/inclusion?index=01&size=2", "index");
  expect_400("/api/v1/ledger/proof/inclusion?index=0&size=99999999999999999999", "size");
  expect_400("/api/v1/ledger/proof/inclusion?size=1", "index");
  expect_400("/api/v1/ledger/proof/inclusion?index=0&size=1&extra=1", "extra");
  expect_400("/api/v1/ledger/proof/consistency?from=2&to=1", "from");
  expect_400("/api/v1/ledger/proof/consistency?from=1&to=1000", "to");
  expect_400("/api/v1/ledger/proof/consistency?from=1e3&to=1", "from");
  expect_400("/api/v1/ledger/entries?limit=1001", "limit");
  expect_400("/api/v1/ledger/entries?limit=0", "limit");
  expect_400("/api/v1/ledger/entries?start=+1", "start");

  ASSERT_EQ(CreateStaff("officer.he", "officer").status, 201);  // sequenced when answered
  ClientResponse empty = client.Get("/api/v1/ledger/proof/consistency?from=0&to=1");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.Json()["hashes"], nlohmann::json::array());
}

TEST_F(LedgerHttpTest, VerifierKeysArePublishedWithTheCurrentKeyFirst) {
  HttpClient client = server_.client();
  ClientResponse key = client.Get("/api/v1/ledger/key");
  ASSERT_EQ(key.status, 200);
  ClientResponse keys = client.Get("/api/v1/ledger/keys");
  ASSERT_EQ(keys.status, 200) << keys.body;
  const nlohmann::json list = keys.Json()["keys"];
  ASSERT_EQ(list.size(), 1u) << keys.body;
  EXPECT_EQ(list[0]["verifier_key"].get<std::string>() + "\n", key.body);
  EXPECT_TRUE(list[0]["retired_at"].is_null());
}

}  // namespace
}  // namespace restitution::testing
