#include "service/service_keys.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ServiceKeys MustLoad(const std::string& dir) {
  StatusOr<ServiceKeys> keys = ServiceKeys::Load(dir);
  if (!keys.ok()) throw std::runtime_error(keys.status().ToString());
  return std::move(keys).value();
}

TEST(ServiceKeysTest, InitMissingCreatesPrivateFilesOnce) {
  TempDir dir;
  const std::string keys_dir = dir.path() + "/keys";
  std::vector<std::string> created;
  ASSERT_TRUE(ServiceKeys::InitMissing(keys_dir, &created).ok());
  EXPECT_EQ(created, (std::vector<std::string>{"data.keys", "index.key", "ledger-signing.key"}));
  struct stat st {};
  ASSERT_EQ(stat(keys_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const std::string& name : created) {
    ASSERT_EQ(stat((keys_dir + "/" + name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
  }
  const std::string index_before = ReadFile(keys_dir + "/index.key");

  // A second run creates nothing and never replaces a key.
  std::vector<std::string> again;
  ASSERT_TRUE(ServiceKeys::InitMissing(keys_dir, &again).ok());
  EXPECT_TRUE(again.empty());
  EXPECT_EQ(ReadFile(keys_dir + "/index.key"), index_before);

  // Only the missing one is recreated.
  ASSERT_EQ(std::remove((keys_dir + "/ledger-signing.key").c_str()), 0);
  std::vector<std::string> one;
  ASSERT_TRUE(ServiceKeys::InitMissing(keys_dir, &one).ok());
  EXPECT_EQ(one, (std::vector<std::string>{"ledger-signing.key"}));
  EXPECT_EQ(ReadFile(keys_dir + "/index.key"), index_before);
}

TEST(ServiceKeysTest, LoadRefusesKeysOthersCanRead) {
  TempDir dir;
  const std::string keys_dir = dir.path() + "/keys";
  ASSERT_TRUE(ServiceKeys::InitMissing(keys_dir, nullptr).ok());
  ASSERT_TRUE(ServiceKeys::Load(keys_dir).ok());
  ASSERT_EQ(chmod((keys_dir + "/index.key").c_str(), 0644), 0);
  StatusOr<ServiceKeys> loaded = ServiceKeys::Load(keys_dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("index.key"), std::string::npos);
}

TEST(ServiceKeysTest, LoadRefusesAMissingDirectoryAndABadIndexKey) {
  TempDir dir;
  EXPECT_FALSE(ServiceKeys::Load(dir.path() + "/nowhere").ok());
  const std::string keys_dir = dir.path() + "/keys";
  ASSERT_TRUE(ServiceKeys::InitMissing(keys_dir, nullptr).ok());
  ASSERT_EQ(std::remove((keys_dir + "/index.key").c_str()), 0);
  {
    std::ofstream out(keys_dir + "/index.key");
    out << "c2hvcnQ=\n";  // "short": not 32 bytes
  }
  ASSERT_EQ(chmod((keys_dir + "/index.key").c_str(), 0600), 0);
  StatusOr<ServiceKeys> loaded = ServiceKeys::Load(keys_dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kUnavailable);
}

TEST(ServiceKeysTest, BlindIndexIsKeyedDeterministicAndPurposeBound) {
  TempDir dir_a;
  TempDir dir_b;
  ASSERT_TRUE(ServiceKeys::InitMissing(dir_a.path() + "/k", nullptr).ok());
  ASSERT_TRUE(ServiceKeys::InitMissing(dir_b.path() + "/k", nullptr).ok());
  ServiceKeys a = MustLoad(dir_a.path() + "/k");
  ServiceKeys b = MustLoad(dir_b.path() + "/k");
  EXPECT_EQ(a.BlindIndex("login", "13800138000").size(), 32u);
  EXPECT_EQ(a.BlindIndex("login", "13800138000"), a.BlindIndex("login", "13800138000"));
  EXPECT_EQ(a.BlindIndex("login", "13800138000"),
            MustLoad(dir_a.path() + "/k").BlindIndex("login", "13800138000"));
  EXPECT_NE(a.BlindIndex("login", "13800138000"), a.BlindIndex("address", "13800138000"));
  EXPECT_NE(a.BlindIndex("login", "13800138000"), b.BlindIndex("login", "13800138000"));
  EXPECT_NE(a.BlindIndex("login", "13800138000"), a.BlindIndex("login", "13800138001"));
}

TEST(ServiceKeysTest, SealOpensOnlyUnderTheSamePurpose) {
  TempDir dir;
  ASSERT_TRUE(ServiceKeys::InitMissing(dir.path() + "/k", nullptr).ok());
  ServiceKeys keys = MustLoad(dir.path() + "/k");
  StatusOr<std::string> sealed = keys.Seal("users.phone", "13800138000");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->find("13800138000"), std::string::npos);
  StatusOr<std::string> opened = keys.Open("users.phone", *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "13800138000");
  EXPECT_FALSE(keys.Open("outbox.recipient", *sealed).ok());
  StatusOr<std::string> again = keys.Seal("users.phone", "13800138000");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *sealed);  // fresh nonce each time
  std::string tampered = *sealed;
  tampered.back() = static_cast<char>(tampered.back() ^ 1);
  EXPECT_FALSE(keys.Open("users.phone", tampered).ok());
}

}  // namespace
}  // namespace restitution
