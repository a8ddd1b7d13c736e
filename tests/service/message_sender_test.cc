#include "service/message_sender.h"

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TempDir;

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(FileMessageSenderTest, AppendsOneJsonLinePerMessage) {
  TempDir dir;
  const std::string outbox = dir.path() + "/outbox";
  FileMessageSender sender(outbox);
  ASSERT_TRUE(sender.SendSms("13800138000", "您的验证码为123456\n\"quoted\"", 1750000000123).ok());
  ASSERT_TRUE(sender.SendSms("13900139000", "second", 1750000001000).ok());

  const std::vector<std::string> lines = Lines(outbox + "/sms.log");
  ASSERT_EQ(lines.size(), 2u);
  const nlohmann::json first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first.at("to"), "13800138000");
  EXPECT_EQ(first.at("text"), "您的验证码为123456\n\"quoted\"");
  EXPECT_EQ(first.at("time"), "2025-06-15T15:06:40.123Z");
  const nlohmann::json second = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(second.at("to"), "13900139000");
  EXPECT_EQ(second.at("text"), "second");
  EXPECT_EQ(second.at("time"), "2025-06-15T15:06:41.000Z");
}

TEST(FileMessageSenderTest, FilesArePrivate) {
  TempDir dir;
  const std::string outbox = dir.path() + "/outbox";
  FileMessageSender sender(outbox);
  ASSERT_TRUE(sender.SendSms("13800138000", "x", 0).ok());
  struct stat st {};
  ASSERT_EQ(stat(outbox.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat((outbox + "/sms.log").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(FileMessageSenderTest, UnusableDirectoryIsUnavailable) {
  TempDir dir;
  const std::string file = dir.path() + "/not-a-dir";
  std::ofstream(file) << "x";
  FileMessageSender sender(file + "/outbox");
  Status status = sender.SendSms("13800138000", "x", 0);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
}

}  // namespace
}  // namespace restitution
