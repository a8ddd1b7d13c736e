#include "api/error_response.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace restitution {
namespace {

nlohmann::json Body(const HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

TEST(ErrorResponseTest, StatusCodesMapToTheDocumentedHttpStatuses) {
  EXPECT_EQ(ErrorResponse(Status::InvalidArgument("f", "m")).status, 400);
  EXPECT_EQ(ErrorResponse(Status::Unauthenticated("m")).status, 401);
  EXPECT_EQ(ErrorResponse(Status::PermissionDenied("m")).status, 403);
  EXPECT_EQ(ErrorResponse(Status::NotFound("m")).status, 404);
  EXPECT_EQ(ErrorResponse(Status::Conflict("m")).status, 409);
  EXPECT_EQ(ErrorResponse(Status::TooLarge("m")).status, 413);
  EXPECT_EQ(ErrorResponse(Status::RuleViolated("f", "m")).status, 422);
  EXPECT_EQ(ErrorResponse(Status::TooManyAttempts("m", 5)).status, 429);
  EXPECT_EQ(ErrorResponse(Status::Unavailable("m")).status, 503);
  EXPECT_EQ(ErrorResponse(Status::Aborted("m")).status, 503);
  EXPECT_EQ(ErrorResponse(Status::Internal("m")).status, 500);
}

TEST(ErrorResponseTest, ShapeHasCodeMessageAndField) {
  HttpResponse r = ErrorResponse(Status::InvalidArgument("contributions[2].amount", "bad"));
  EXPECT_EQ(r.content_type, "application/json");
  nlohmann::json body = Body(r);
  EXPECT_EQ(body["error"]["code"], "validation_failed");
  EXPECT_EQ(body["error"]["message"], "bad");
  EXPECT_EQ(body["error"]["field"], "contributions[2].amount");
  EXPECT_EQ(body.size(), 1u);
}

TEST(ErrorResponseTest, RuleNamesTheBrokenRuleBesideTheCode) {
  nlohmann::json body = Body(
      ErrorResponse(Status::InvalidArgument("identity.id_number", "bad").WithRule("id_check")));
  EXPECT_EQ(body["error"]["code"], "validation_failed");
  EXPECT_EQ(body["error"]["rule"], "id_check");
  EXPECT_FALSE(Body(ErrorResponse(Status::InvalidArgument("f", "m")))["error"].contains("rule"));
}

TEST(ErrorResponseTest, ReasonOverridesTheDefaultCode) {
  nlohmann::json body = Body(ErrorResponse(Status::Conflict("x").WithReason("username_taken")));
  EXPECT_EQ(body["error"]["code"], "username_taken");
  EXPECT_FALSE(body["error"].contains("field"));
}

TEST(ErrorResponseTest, RetryAfterHeaderFor429And503) {
  HttpResponse r = ErrorResponse(Status::TooManyAttempts("slow down", 17));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
  EXPECT_EQ(r.headers[0].second, "17");
  EXPECT_EQ(Body(r)["error"]["retry_after_seconds"], 17);
  HttpResponse busy = ErrorResponse(Status::Aborted("deadlock"));
  ASSERT_EQ(busy.headers.size(), 1u);
  EXPECT_EQ(busy.headers[0].second, "1");
}

TEST(ErrorResponseTest, InternalMessagesNeverReachTheClient) {
  HttpResponse r = ErrorResponse(Status::Internal("database error 1146: table users missing"));
  EXPECT_EQ(r.body.find("1146"), std::string::npos);
  EXPECT_EQ(r.body.find("users"), std::string::npos);
  EXPECT_EQ(Body(r)["error"]["code"], "internal");
}

}  // namespace
}  // namespace restitution
