#include "service/outbox.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;
using testing::TestKeys;

constexpr int64_t kStart = 1750000000000;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

// Thread-safe recorder; refuses recipients in `unreachable`.
class RecordingSender : public MessageSender {
 public:
  struct Sent {
    std::string to;
    std::string text;
    int64_t at_ms;
  };
  Status SendSms(const std::string& to, const std::string& text, int64_t at_ms) override {
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    std::lock_guard<std::mutex> lock(mu);
    if (unreachable.count(to) != 0) return Status::Unavailable("unreachable");
    sent.push_back({to, text, at_ms});
    return Status::Ok();
  }
  std::mutex mu;
  std::set<std::string> unreachable;
  int delay_ms = 0;
  std::vector<Sent> sent;
};

class OutboxTest : public ::testing::Test {
 protected:
  OutboxTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
  }

  void Queue(const std::string& to, const std::string& text) {
    Status status = QueueSms(*db_, ctx_, to, text);
    if (!status.ok()) throw std::runtime_error(status.ToString());
  }
  int64_t Pending() {
    return Must(db_->Query("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL"))[0].Int(0);
  }

  TestDatabase tdb_;
  TestKeys keys_;
  int64_t now_ = kStart;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
  RecordingSender sender_;
};

TEST_F(OutboxTest, QueuedMessageIsStoredEncrypted) {
  Queue("13800138000", "您的验证码为123456");
  SqlRows rows = Must(db_->Query(
      "SELECT channel, recipient_enc, body_enc, created_at_ms, sent_at_ms, attempts FROM outbox"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), "sms");
  EXPECT_EQ(rows[0].Bytes(1).find("13800138000"), std::string::npos);
  EXPECT_EQ(rows[0].Bytes(2).find("123456"), std::string::npos);
  EXPECT_EQ(Must(keys_.keys().Open("outbox.recipient", rows[0].Bytes(1))), "13800138000");
  EXPECT_EQ(Must(keys_.keys().Open("outbox.body", rows[0].Bytes(2))), "您的验证码为123456");
  // Each column's ciphertext is bound to its purpose.
  EXPECT_FALSE(keys_.keys().Open("outbox.body", rows[0].Bytes(1)).ok());
  EXPECT_EQ(rows[0].Int(3), kStart);
  EXPECT_TRUE(rows[0].IsNull(4));
  EXPECT_EQ(rows[0].Int(5), 0);
}

TEST_F(OutboxTest, EmptyOutboxSendsNothing) {
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 0);
  EXPECT_TRUE(sender_.sent.empty());
}

TEST_F(OutboxTest, DeliversInQueueOrderUpToTheLimit) {
  Queue("13800000001", "one");
  Queue("13800000002", "two");
  Queue("13800000003", "three");
  now_ += 5000;
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_, 2)), 2);
  ASSERT_EQ(sender_.sent.size(), 2u);
  EXPECT_EQ(sender_.sent[0].to, "13800000001");
  EXPECT_EQ(sender_.sent[0].text, "one");
  EXPECT_EQ(sender_.sent[0].at_ms, kStart + 5000);
  EXPECT_EQ(sender_.sent[1].text, "two");
  EXPECT_EQ(Pending(), 1);
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_, 2)), 1);
  ASSERT_EQ(sender_.sent.size(), 3u);
  EXPECT_EQ(sender_.sent[2].text, "three");
  EXPECT_EQ(Pending(), 0);
  SqlRows sent = Must(db_->Query("SELECT sent_at_ms, attempts FROM outbox ORDER BY id"));
  for (const SqlRow& row : sent) {
    EXPECT_EQ(row.Int(0), kStart + 5000);
    EXPECT_EQ(row.Int(1), 1);
  }
}

TEST_F(OutboxTest, OneFailedMessageDoesNotHoldUpTheOthers) {
  Queue("13800000001", "one");
  Queue("13900000002", "two");
  Queue("13800000003", "three");
  sender_.unreachable.insert("13900000002");
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 2);
  ASSERT_EQ(sender_.sent.size(), 2u);
  EXPECT_EQ(sender_.sent[0].text, "one");
  EXPECT_EQ(sender_.sent[1].text, "three");
  SqlRows rows = Must(db_->Query("SELECT sent_at_ms, attempts FROM outbox ORDER BY id"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[1].IsNull(0));
  EXPECT_EQ(rows[1].Int(1), 1);
  // Retried on each pass until it goes through, counting attempts.
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 0);
  sender_.unreachable.clear();
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 1);
  rows =
      Must(db_->Query("SELECT sent_at_ms, attempts FROM outbox WHERE id = (SELECT MIN(id) + 1 "
                      "FROM outbox)"));
  EXPECT_FALSE(rows[0].IsNull(0));
  EXPECT_EQ(rows[0].Int(1), 3);
  EXPECT_EQ(sender_.sent.back().text, "two");
}

TEST_F(OutboxTest, UncommittedMessageIsNotDelivered) {
  std::unique_ptr<DbConnection> writer = tdb_.Connect();
  ASSERT_TRUE(writer->Begin().ok());
  ASSERT_TRUE(QueueSms(*writer, ctx_, "13800138000", "not yet").ok());
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 0);
  writer->Rollback();
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 0);
  EXPECT_TRUE(sender_.sent.empty());
}

TEST_F(OutboxTest, ConcurrentDeliverersNeverSendTwice) {
  constexpr int kMessages = 24;
  for (int i = 0; i < kMessages; ++i)
    Queue("138000000" + std::to_string(10 + i), std::to_string(i));
  sender_.delay_ms = 5;
  int sent_a = 0;
  int sent_b = 0;
  auto deliver = [&](int* total) {
    for (int pass = 0; pass < 10; ++pass) {
      StatusOr<int> sent = DeliverPendingMessages(tdb_.pool(), ctx_, sender_, 4);
      if (sent.ok()) *total += *sent;
    }
  };
  std::thread a(deliver, &sent_a);
  std::thread b(deliver, &sent_b);
  a.join();
  b.join();
  EXPECT_EQ(sent_a + sent_b, kMessages);
  ASSERT_EQ(sender_.sent.size(), static_cast<size_t>(kMessages));
  std::set<std::string> texts;
  for (const RecordingSender::Sent& message : sender_.sent) texts.insert(message.text);
  EXPECT_EQ(texts.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(Pending(), 0);
}

}  // namespace
}  // namespace restitution
