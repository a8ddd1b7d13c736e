// The OpenAPI document must describe every route the server registers.
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "api/app.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The document is compiled in as several literals (service/embed_text.cmake): none may be lost.
TEST(OpenApiTest, TheServedDocumentIsTheFileByteForByte) {
  std::ifstream file(RESTITUTION_OPENAPI_JSON, std::ios::binary);
  ASSERT_TRUE(file) << RESTITUTION_OPENAPI_JSON;
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_TRUE(OpenApiDocument() == text.str());
}

TEST(OpenApiTest, DocumentIsValidOpenApi3) {
  nlohmann::json doc = nlohmann::json::parse(OpenApiDocument(), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["paths"].is_object());
  EXPECT_TRUE(doc["components"]["schemas"].contains("Error"));
}

TEST(OpenApiTest, EveryRegisteredRouteIsDocumented) {
  testing::TestKeys keys;
  App app(Config{}, keys.keys(), std::make_unique<FileMessageSender>("/nonexistent"));
  nlohmann::json doc = nlohmann::json::parse(OpenApiDocument(), nullptr, false);
  ASSERT_FALSE(app.router().routes().empty());
  for (const Route& route : app.router().routes()) {
    SCOPED_TRACE(route.method + " " + route.pattern);
    ASSERT_TRUE(doc["paths"].contains(route.pattern)) << "path missing from api/openapi.json";
    EXPECT_TRUE(doc["paths"][route.pattern].contains(Lower(route.method)))
        << "method missing from api/openapi.json";
  }
}

TEST(OpenApiTest, EveryDocumentedOperationIsRegistered) {
  testing::TestKeys keys;
  App app(Config{}, keys.keys(), std::make_unique<FileMessageSender>("/nonexistent"));
  nlohmann::json doc = nlohmann::json::parse(OpenApiDocument(), nullptr, false);
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      const RouteMatch match = app.router().Match(upper, path);
      EXPECT_NE(match.route, nullptr) << upper << " " << path << " is documented but not served";
    }
  }
}

}  // namespace
}  // namespace restitution
