#include "service/security_events.h"

#include <memory>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

constexpr char kSelect[] =
    "SELECT at_ms, event, user_id, role, client_address, request_id, route, detail FROM "
    "security_events ORDER BY id";

TEST(SecurityEventsTest, RecordsEveryField) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SecurityEvent event;
  event.at_ms = 1750000000123;
  event.event = "access_denied";
  event.user_id = 17;
  event.role = "officer";
  event.client_address = "2001:db8::1";
  event.request_id = "0f1e2d3c";
  event.route = "POST /api/v1/users";
  event.detail = "permission_denied";
  ASSERT_TRUE(RecordSecurityEvent(*db, event).ok());
  SqlRows rows = Must(db->Query(kSelect));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1750000000123);
  EXPECT_EQ(rows[0].Bytes(1), "access_denied");
  EXPECT_EQ(rows[0].Int(2), 17);
  EXPECT_EQ(rows[0].Bytes(3), "officer");
  EXPECT_EQ(rows[0].Bytes(4), "2001:db8::1");
  EXPECT_EQ(rows[0].Bytes(5), "0f1e2d3c");
  EXPECT_EQ(rows[0].Bytes(6), "POST /api/v1/users");
  EXPECT_EQ(rows[0].Bytes(7), "permission_denied");
}

TEST(SecurityEventsTest, EmptyFieldsAreNull) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SecurityEvent event;
  event.at_ms = 5;
  event.event = "logout";
  ASSERT_TRUE(RecordSecurityEvent(*db, event).ok());
  SqlRows rows = Must(db->Query(kSelect));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 5);
  EXPECT_EQ(rows[0].Bytes(1), "logout");
  for (size_t i = 2; i < 8; ++i) EXPECT_TRUE(rows[0].IsNull(i)) << "column " << i;
}

TEST(SecurityEventsTest, OverlongAsciiFieldsAreCutToTheColumns) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SecurityEvent event;
  event.at_ms = 1;
  event.event = std::string(60, 'e');
  event.role = std::string(20, 'r');
  event.client_address = std::string(70, 'a');
  event.request_id = std::string(70, 'q');
  event.route = std::string(200, 'p');
  event.detail = std::string(300, 'd');
  Status status = RecordSecurityEvent(*db, event);
  ASSERT_TRUE(status.ok()) << status.ToString();
  SqlRows rows = Must(db->Query(kSelect));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(1), std::string(48, 'e'));
  EXPECT_EQ(rows[0].Bytes(3), std::string(16, 'r'));
  EXPECT_EQ(rows[0].Bytes(4), std::string(64, 'a'));
  EXPECT_EQ(rows[0].Bytes(5), std::string(64, 'q'));
  EXPECT_EQ(rows[0].Bytes(6), std::string(128, 'p'));
  EXPECT_EQ(rows[0].Bytes(7), std::string(255, 'd'));
}

TEST(SecurityEventsTest, EventsAccumulateInOrder) {
  TestDatabase tdb;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  for (const char* name : {"login", "login_failed", "logout"}) {
    SecurityEvent event;
    event.at_ms = 1;
    event.event = name;
    ASSERT_TRUE(RecordSecurityEvent(*db, event).ok());
  }
  SqlRows rows = Must(db->Query(kSelect));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].Bytes(1), "login");
  EXPECT_EQ(rows[1].Bytes(1), "login_failed");
  EXPECT_EQ(rows[2].Bytes(1), "logout");
}

}  // namespace
}  // namespace restitution
