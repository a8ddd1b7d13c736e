#include "crypto/openssl_util.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace restitution::crypto::internal {
namespace {

void ProvokeOpenSslError() {
  // Fetching an algorithm that does not exist records an error on the queue.
  EVP_MD* md = EVP_MD_fetch(nullptr, "NO-SUCH-DIGEST", nullptr);
  ASSERT_EQ(md, nullptr);
  ASSERT_NE(ERR_peek_error(), 0u);
}

TEST(OpenSslUtilTest, DrainEmptiesTheQueue) {
  ERR_clear_error();
  EXPECT_EQ(DrainOpenSslErrors(), "");
  ProvokeOpenSslError();
  const std::string errors = DrainOpenSslErrors();
  EXPECT_NE(errors.find("unsupported"), std::string::npos) << errors;
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_EQ(DrainOpenSslErrors(), "");
}

TEST(OpenSslUtilTest, OpenSslErrorIsInternalWithContext) {
  ERR_clear_error();
  Status plain = OpenSslError("doing a thing");
  EXPECT_EQ(plain.code(), StatusCode::kInternal);
  EXPECT_EQ(plain.message(), "doing a thing");

  ProvokeOpenSslError();
  Status with_errors = OpenSslError("fetching");
  EXPECT_EQ(with_errors.code(), StatusCode::kInternal);
  EXPECT_EQ(with_errors.message().rfind("fetching: error:", 0), 0u) << with_errors.message();
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(OpenSslUtilTest, BytesNeverNull) {
  EXPECT_NE(Bytes(std::string_view()), nullptr);
  const std::string text = "abc";
  EXPECT_EQ(Bytes(text), reinterpret_cast<const unsigned char*>(text.data()));
}

TEST(OpenSslUtilTest, FatalErrorAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(FatalOpenSslError("unit test"), "fatal OpenSSL failure in unit test");
}

}  // namespace
}  // namespace restitution::crypto::internal
