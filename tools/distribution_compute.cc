#include "tools/distribution_compute.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "service/json_input.h"

namespace restitution {
namespace {

std::string ClaimField(size_t index, const char* member) {
  return "claims[" + std::to_string(index) + "]." + member;
}

StatusOr<RoundClaim> ParseClaim(const JsonReader& reader, size_t index, std::string* id) {
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"id", "amount", "prior", "status"}));
  ASSIGN_OR_RETURN(*id, reader.RequiredString("id", kMaxPlanClaimIdBytes));
  RoundClaim claim;
  ASSIGN_OR_RETURN(claim.recognised, reader.RequiredMoney("amount"));
  if (reader.Has("prior")) {
    ASSIGN_OR_RETURN(claim.prior, reader.RequiredMoney("prior"));
  }
  // Checked here as well as by the engine, so that errors come in the order of the document.
  if (claim.prior > claim.recognised) {
    return Status::InvalidArgument(ClaimField(index, "prior"),
                                   "must not exceed the claim's amount");
  }
  ASSIGN_OR_RETURN(const std::string status, reader.RequiredString("status", 64));
  if (status == "confirmed") {
    claim.status = RoundClaimStatus::kConfirmed;
  } else if (status == "disputed") {
    claim.status = RoundClaimStatus::kDisputed;
  } else {
    return Status::InvalidArgument(ClaimField(index, "status"),
                                   "must be \"confirmed\" or \"disputed\"");
  }
  return claim;
}

// The first claim (in plan order) whose id an earlier claim already has. Sorting (hash, index)
// pairs and comparing strings only within runs of equal hashes is several times faster for 10^6
// ids than sorting the strings or a node-based hash set.
Status CheckUniqueIds(const std::vector<std::string>& ids) {
  struct Entry {
    size_t hash;
    uint32_t index;
  };
  std::vector<Entry> entries(ids.size());
  const std::hash<std::string_view> hasher;
  for (size_t i = 0; i < ids.size(); ++i) {
    entries[i] = Entry{hasher(ids[i]), static_cast<uint32_t>(i)};
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.index < b.index;
  });
  size_t duplicate = ids.size();
  size_t original = 0;
  for (size_t begin = 0, end = 0; begin < entries.size(); begin = end) {
    end = begin + 1;
    while (end < entries.size() && entries[end].hash == entries[begin].hash) ++end;
    // A run of equal hashes (almost always one entry): indices ascend, so the first earlier
    // entry with the same string is the original.
    for (size_t j = begin + 1; j < end; ++j) {
      for (size_t i = begin; i < j; ++i) {
        if (ids[entries[i].index] == ids[entries[j].index]) {
          if (entries[j].index < duplicate) {
            duplicate = entries[j].index;
            original = entries[i].index;
          }
          break;
        }
      }
    }
  }
  if (duplicate == ids.size()) return Status::Ok();
  return Status::InvalidArgument(
      ClaimField(duplicate, "id"),
      "duplicate id (claims[" + std::to_string(original) + "] has the same id)");
}

void AppendJsonString(std::string_view text, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (byte < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0xf]);
    } else {
      out->push_back(c);  // UTF-8 passes through: the parser has already validated it
    }
  }
  out->push_back('"');
}

void AppendMember(const char* name, Money amount, bool first, std::string* out) {
  if (!first) out->push_back(',');
  out->push_back('"');
  out->append(name);
  out->append("\":\"");
  out->append(amount.ToString());
  out->push_back('"');
}

// "request body is not valid JSON" reads oddly for a plan on stdin.
std::string Describe(const Status& status) {
  std::string message = status.message();
  const std::string body = "request body";
  if (message.compare(0, body.size(), body) == 0) message.replace(0, body.size(), "the plan");
  if (status.field().empty()) return message;
  return status.field() + ": " + message;
}

// The fast path: one streaming pass with nlohmann's SAX interface (the same lexer as
// ParseJsonObject, so the same UTF-8 and syntax rules), building the plan directly instead of a
// DOM of 10^6 small objects, which costs ten to a hundred times the computation itself. It
// accepts only the plainest well-formed plan: every member a JSON string, each at most once,
// nothing unknown, every amount accepted by Money::Parse, every rule below met. On anything
// else it gives up and the DOM path (ParseJsonObject and JsonReader, as in the API) parses the
// plan again and produces the error, so messages and acceptance are the API's by construction.
class PlanHandler {
 public:
  explicit PlanHandler(DistributionPlan* plan) : plan_(plan) {}

  bool null() { return false; }  // the DOM path treats null as absent: let it
  bool boolean(bool) { return false; }
  bool number_integer(nlohmann::json::number_integer_t) { return false; }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return false; }
  bool number_float(nlohmann::json::number_float_t, const nlohmann::json::string_t&) {
    return false;
  }
  bool binary(nlohmann::json::binary_t&) { return false; }
  bool parse_error(size_t, const std::string&, const nlohmann::json::exception&) { return false; }

  bool start_object(size_t) {
    if (state_ == State::kStart) {
      state_ = State::kRoot;
      return true;
    }
    if (state_ != State::kClaims || plan_->ids.size() >= kMaxRoundClaims) return false;
    state_ = State::kClaim;
    claim_ = RoundClaim();
    claim_seen_ = 0;
    plan_->ids.emplace_back();
    return true;
  }

  bool end_object() {
    if (state_ == State::kClaim) {
      constexpr unsigned kRequired = kId | kAmount | kStatus;
      if ((claim_seen_ & kRequired) != kRequired || claim_.prior > claim_.recognised) return false;
      plan_->plan.claims.push_back(claim_);
      state_ = State::kClaims;
      return true;
    }
    if (state_ != State::kRoot || (root_seen_ & (kAmount | kClaims)) != (kAmount | kClaims)) {
      return false;
    }
    state_ = State::kDone;
    return true;
  }

  bool start_array(size_t) {
    if (state_ != State::kRoot || key_ != kClaims) return false;
    state_ = State::kClaims;
    return true;
  }

  bool end_array() {
    if (state_ != State::kClaims || plan_->ids.empty()) return false;
    state_ = State::kRoot;
    return true;
  }

  bool key(nlohmann::json::string_t& name) {
    unsigned* seen = nullptr;
    if (state_ == State::kRoot) {
      seen = &root_seen_;
      key_ = name == "amount"        ? kAmount
             : name == "min_payment" ? kMinPayment
             : name == "claims"      ? kClaims
                                     : 0;
    } else if (state_ == State::kClaim) {
      seen = &claim_seen_;
      key_ = name == "id"       ? kId
             : name == "amount" ? kAmount
             : name == "prior"  ? kPrior
             : name == "status" ? kStatus
                                : 0;
    }
    if (seen == nullptr || key_ == 0 || (*seen & key_) != 0) return false;  // unknown, duplicate
    *seen |= key_;
    return true;
  }

  bool string(nlohmann::json::string_t& value) {
    if (state_ == State::kRoot) {
      if (key_ == kAmount) return Amount(value, &plan_->plan.amount);
      if (key_ == kMinPayment) return Amount(value, &plan_->plan.min_payment);
      return false;  // "claims" as a string
    }
    if (state_ != State::kClaim) return false;
    switch (key_) {
      case kId:
        if (value.empty() || value.size() > kMaxPlanClaimIdBytes) return false;
        plan_->ids.back() = std::move(value);
        return true;
      case kAmount:
        return Amount(value, &claim_.recognised);
      case kPrior:
        return Amount(value, &claim_.prior);
      case kStatus:
        if (value == "confirmed") {
          claim_.status = RoundClaimStatus::kConfirmed;
        } else if (value == "disputed") {
          claim_.status = RoundClaimStatus::kDisputed;
        } else {
          return false;
        }
        return true;
      default:
        return false;
    }
  }

  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kStart, kRoot, kClaims, kClaim, kDone };
  // Members, as bits of the seen-sets (root and claim members share the numbering).
  static constexpr unsigned kAmount = 1, kMinPayment = 2, kClaims = 4, kId = 8, kPrior = 16,
                            kStatus = 32;

  static bool Amount(const std::string& text, Money* out) {
    StatusOr<Money> amount = Money::Parse(text, "");
    if (!amount.ok()) return false;
    *out = *amount;
    return true;
  }

  DistributionPlan* plan_;
  State state_ = State::kStart;
  unsigned key_ = 0;  // the member whose value comes next
  unsigned root_seen_ = 0;
  unsigned claim_seen_ = 0;
  RoundClaim claim_;
};

}  // namespace

StatusOr<DistributionPlan> ParseDistributionPlanWithDom(std::string_view json) {
  ASSIGN_OR_RETURN(const nlohmann::json document, ParseJsonObject(json));
  const JsonReader reader(document);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"amount", "min_payment", "claims"}));
  DistributionPlan result;
  ASSIGN_OR_RETURN(result.plan.amount, reader.RequiredMoney("amount"));
  if (reader.Has("min_payment")) {
    ASSIGN_OR_RETURN(result.plan.min_payment, reader.RequiredMoney("min_payment"));
  }
  ASSIGN_OR_RETURN(const std::vector<JsonReader> claims,
                   reader.RequiredArrayOfObjects("claims", kMaxRoundClaims));
  result.plan.claims.reserve(claims.size());
  result.ids.resize(claims.size());
  for (size_t i = 0; i < claims.size(); ++i) {
    ASSIGN_OR_RETURN(RoundClaim claim, ParseClaim(claims[i], i, &result.ids[i]));
    result.plan.claims.push_back(claim);
  }
  RETURN_IF_ERROR(CheckUniqueIds(result.ids));
  return result;
}

std::optional<DistributionPlan> ParseDistributionPlanFast(std::string_view json) {
  // ParseJsonObject refuses NUL bytes outright (the lexer would take one for the end of input).
  if (json.find('\0') != std::string_view::npos) return std::nullopt;
  DistributionPlan plan;
  PlanHandler handler(&plan);
  bool parsed = false;
  try {
    parsed = nlohmann::json::sax_parse(json.begin(), json.end(), &handler);
  } catch (const nlohmann::json::exception&) {
    parsed = false;  // not expected with a SAX handler; the DOM path will say what is wrong
  }
  if (!parsed || !handler.done()) return std::nullopt;
  return plan;
}

StatusOr<DistributionPlan> ParseDistributionPlan(std::string_view json) {
  std::optional<DistributionPlan> fast = ParseDistributionPlanFast(json);
  if (!fast.has_value()) return ParseDistributionPlanWithDom(json);
  RETURN_IF_ERROR(CheckUniqueIds(fast->ids));
  return std::move(*fast);
}

std::string FormatDistributionResult(const DistributionPlan& plan, const RoundResult& result) {
  std::string out;
  // About 80 bytes an allocation; one reservation instead of a string that doubles 20 times.
  out.reserve(128 + plan.ids.size() * 96);
  out.append("{\"allocations\":[");
  for (size_t i = 0; i < result.allocations.size(); ++i) {
    const RoundAllocation& a = result.allocations[i];
    out.append(i == 0 ? "\n{\"id\":" : ",\n{\"id\":");
    AppendJsonString(plan.ids[i], &out);
    AppendMember("pay", a.pay, false, &out);
    AppendMember("reserve", a.reserve, false, &out);
    AppendMember("deferred", a.deferred, false, &out);
    out.push_back('}');
  }
  out.append("\n],\n\"totals\":{");
  AppendMember("paid", result.totals.paid, true, &out);
  AppendMember("reserved", result.totals.reserved, false, &out);
  AppendMember("deferred", result.totals.deferred, false, &out);
  AppendMember("surplus", result.totals.surplus, false, &out);
  out.append("},\n\"level\":\"");
  out.append(FormatRatio(result.level.numerator, result.level.denominator));
  out.append("\"}\n");
  return out;
}

int DistributionComputeCommand(std::istream& in, std::ostream& out, std::ostream& err) {
  std::string input;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    input.append(buffer, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) {
    err << "restitutionctl: distribution compute: cannot read the plan from stdin\n";
    return 1;
  }
  StatusOr<DistributionPlan> plan = ParseDistributionPlan(input);
  if (!plan.ok()) {
    err << "restitutionctl: distribution compute: invalid plan: " << Describe(plan.status())
        << "\n";
    return 1;
  }
  StatusOr<RoundResult> result = ComputeRound(plan->plan);
  if (!result.ok()) {
    err << "restitutionctl: distribution compute: invalid plan: " << Describe(result.status())
        << "\n";
    return 1;
  }
  const std::string text = FormatDistributionResult(*plan, *result);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
  if (!out) {
    err << "restitutionctl: distribution compute: cannot write the result\n";
    return 1;
  }
  return 0;
}

}  // namespace restitution
