#include "api/router.h"

#include <gtest/gtest.h>

namespace restitution {
namespace {

Route MakeTestRoute(const std::string& method, const std::string& pattern) {
  Route route;
  route.method = method;
  route.pattern = pattern;
  route.handle = [](RequestContext&) -> StatusOr<HttpResponse> { return HttpResponse{}; };
  return route;
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Add(MakeTestRoute("GET", "/api/v1/cases/{case}/claims/{id}"));
  router.Add(MakeTestRoute("POST", "/api/v1/cases/{case}/claims"));
  RouteMatch match = router.Match("GET", "/api/v1/cases/7/claims/42");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/api/v1/cases/{case}/claims/{id}");
  EXPECT_EQ(match.params.at("case"), "7");
  EXPECT_EQ(match.params.at("id"), "42");
}

TEST(RouterTest, NoMatchForOtherShapes) {
  Router router;
  router.Add(MakeTestRoute("GET", "/api/v1/cases/{case}"));
  EXPECT_EQ(router.Match("GET", "/api/v1/cases").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/api/v1/cases/").route, nullptr);  // empty parameter
  EXPECT_EQ(router.Match("GET", "/api/v1/cases/1/x").route, nullptr);
  EXPECT_EQ(router.Match("GET", "api/v1/cases/1").route, nullptr);
  EXPECT_EQ(router.Match("GET", "").route, nullptr);
  EXPECT_TRUE(router.Match("GET", "/api/v1/cases").allowed_methods.empty());
}

TEST(RouterTest, WrongMethodListsAllowedMethods) {
  Router router;
  router.Add(MakeTestRoute("GET", "/api/v1/things"));
  router.Add(MakeTestRoute("POST", "/api/v1/things"));
  RouteMatch match = router.Match("DELETE", "/api/v1/things");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
}

}  // namespace
}  // namespace restitution
