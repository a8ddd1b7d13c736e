// The review and objection request bodies (service/claim_review.h): pure parsing, no database.
// The state changes themselves are exercised end to end in tests/e2e/claim_review_test.cc.
#include "service/claim_review.h"

#include <gtest/gtest.h>

#include <string>

namespace restitution {
namespace {

using Json = nlohmann::json;

std::string Repeat(const std::string& piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += piece;
  return text;
}

TEST(ClaimReviewParseTest, TextLimitsCountCharactersNotBytes) {
  // 2000 Chinese characters are 6000 bytes of UTF-8 and still within the limit.
  StatusOr<InfoRequestInput> chinese =
      ParseInfoRequestInput({{"message", Repeat("补", 2000)}, {"cure_by", "2099-01-31"}});
  ASSERT_TRUE(chinese.ok()) << chinese.status().ToString();
  StatusOr<InfoRequestInput> longer =
      ParseInfoRequestInput({{"message", Repeat("补", 2001)}, {"cure_by", "2099-01-31"}});
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(longer.status().field(), "message");
  StatusOr<ConfirmInput> reason =
      ParseConfirmInput({{"allowed_amount", "1.00"}, {"reason", Repeat("a", 501)}});
  ASSERT_FALSE(reason.ok());
  EXPECT_EQ(reason.status().field(), "reason");
}

TEST(ClaimReviewParseTest, CureByIsTheEndOfABeijingDay) {
  StatusOr<InfoRequestInput> input =
      ParseInfoRequestInput({{"message", "请补充"}, {"cure_by", "2099-01-31"}});
  ASSERT_TRUE(input.ok());
  // 2099-01-31T23:59:59.999+08:00
  EXPECT_EQ(input->cure_by_ms, 4073558399999);
  for (const char* bad : {"2099-02-30", "31/01/2099", ""}) {
    StatusOr<InfoRequestInput> refused =
        ParseInfoRequestInput({{"message", "x"}, {"cure_by", bad}});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().field(), "cure_by") << bad;
  }
  EXPECT_EQ(ParseInfoRequestInput({{"message", "x"}}).status().field(), "cure_by");
  EXPECT_EQ(ParseInfoRequestInput({{"message", "x"}, {"cure_by", "2099-01-31"}, {"to", "y"}})
                .status()
                .field(),
            "to");
}

TEST(ClaimReviewParseTest, ConfirmTakesAnAmountOrTheBooksFigure) {
  StatusOr<ConfirmInput> amount = ParseConfirmInput({{"allowed_amount", "12999.50"}});
  ASSERT_TRUE(amount.ok());
  EXPECT_EQ(amount->allowed->fen(), 1299950);
  EXPECT_FALSE(amount->at_book_figure);
  EXPECT_FALSE(amount->reason.has_value());

  StatusOr<ConfirmInput> books = ParseConfirmInput({{"at_book_figure", true}, {"reason", "账册"}});
  ASSERT_TRUE(books.ok());
  EXPECT_TRUE(books->at_book_figure);
  EXPECT_FALSE(books->allowed.has_value());
  EXPECT_EQ(*books->reason, "账册");

  // at_book_figure:false is the same as leaving it out.
  EXPECT_TRUE(ParseConfirmInput({{"allowed_amount", "1"}, {"at_book_figure", false}}).ok());

  auto field_of = [](const Json& body) { return ParseConfirmInput(body).status().field(); };
  EXPECT_EQ(field_of(Json::object()), "allowed_amount");
  EXPECT_EQ(field_of({{"at_book_figure", false}}), "allowed_amount");
  EXPECT_EQ(field_of({{"allowed_amount", "1"}, {"at_book_figure", true}}), "at_book_figure");
  EXPECT_EQ(field_of({{"at_book_figure", "yes"}}), "at_book_figure");
  EXPECT_EQ(field_of({{"allowed_amount", "-0.01"}}), "allowed_amount");
  EXPECT_EQ(field_of({{"allowed_amount", "0.001"}}), "allowed_amount");
  EXPECT_EQ(field_of({{"allowed_amount", 100}}), "allowed_amount");
  EXPECT_EQ(field_of({{"allowed_amount", "1"}, {"reason", ""}}), "reason");
  EXPECT_EQ(field_of({{"allowed_amount", "1"}, {"note", "x"}}), "note");
}

TEST(ClaimReviewParseTest, RejectNeedsAKnownReasonCodeAndANote) {
  for (const char* code : {"duplicate", "not_a_participant", "excluded_person", "no_evidence",
                           "late", "net_winner", "other"}) {
    StatusOr<RejectInput> input = ParseRejectInput({{"reason_code", code}, {"note", "说明"}});
    ASSERT_TRUE(input.ok()) << code;
    EXPECT_EQ(RejectReasonName(input->reason), code);
  }
  EXPECT_EQ(ParseRejectInput({{"reason_code", "rich"}, {"note", "x"}}).status().field(),
            "reason_code");
  EXPECT_EQ(ParseRejectInput({{"reason_code", "late"}}).status().field(), "note");
}

TEST(ClaimReviewParseTest, ObjectionsAndTheirResolution) {
  StatusOr<ObjectionInput> objection =
      ParseObjectionInput({{"reason", "不服"}, {"requested_amount", "100.10"}});
  ASSERT_TRUE(objection.ok());
  EXPECT_EQ(objection->requested->fen(), 10010);
  EXPECT_FALSE(ParseObjectionInput({{"reason", "不服"}})->requested.has_value());
  EXPECT_EQ(ParseObjectionInput({{"requested_amount", "1"}}).status().field(), "reason");
  EXPECT_EQ(ParseObjectionInput({{"reason", "x"}, {"requested_amount", "-1"}}).status().field(),
            "requested_amount");

  StatusOr<ResolveInput> upheld = ParseResolveInput({{"outcome", "upheld"}, {"note", "维持"}});
  ASSERT_TRUE(upheld.ok());
  EXPECT_EQ(upheld->outcome, ObjectionOutcome::kUpheld);
  EXPECT_FALSE(upheld->allowed.has_value());
  StatusOr<ResolveInput> adjusted =
      ParseResolveInput({{"outcome", "adjusted"}, {"allowed_amount", "5"}, {"note", "调整"}});
  ASSERT_TRUE(adjusted.ok());
  EXPECT_EQ(adjusted->allowed->fen(), 500);

  auto field_of = [](const Json& body) { return ParseResolveInput(body).status().field(); };
  EXPECT_EQ(field_of({{"outcome", "adjusted"}, {"note", "x"}}), "allowed_amount");
  EXPECT_EQ(field_of({{"outcome", "upheld"}, {"allowed_amount", "5"}, {"note", "x"}}),
            "allowed_amount");
  EXPECT_EQ(field_of({{"outcome", "maybe"}, {"note", "x"}}), "outcome");
  EXPECT_EQ(field_of({{"outcome", "upheld"}}), "note");
}

}  // namespace
}  // namespace restitution
