#include "service/claim_review.h"

#include <string_view>

#include "ledger/entry.h"
#include "service/authorization.h"
#include "service/books.h"
#include "service/cases.h"
#include "service/distribution_runs.h"
#include "service/input_rules.h"
#include "service/json_input.h"
#include "service/time_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kObjectionReasonPurpose[] = "claim_objections.reason";
constexpr char kResolutionNotePurpose[] = "claim_objections.resolution_note";
constexpr int64_t kMillisPerDay = 24LL * 3600 * 1000;
constexpr int kMaxObjectionsListed = 100;
// UTF-8 needs at most four bytes a character.
constexpr size_t kMaxBytesPerChar = 4;

constexpr char kObjectionColumns[] =
    "id, claim_id, status, disputed_decision, requested_fen, outcome, lodged_at_ms, "
    "resolved_at_ms, reason_code";

size_t Utf8Characters(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Status CheckLength(const JsonReader& reader, std::string_view key, const std::string& text,
                   size_t max_chars) {
  if (Utf8Characters(text) > max_chars) {
    return Status::InvalidArgument(
               reader.FieldPath(key),
               "is too long (at most " + std::to_string(max_chars) + " characters)")
        .WithRule(rules::kTooLong);
  }
  return Status::Ok();
}

// A required free text of 1..max_chars characters.
StatusOr<std::string> RequiredText(const JsonReader& reader, std::string_view key,
                                   size_t max_chars) {
  ASSIGN_OR_RETURN(std::string text, reader.RequiredString(key, max_chars * kMaxBytesPerChar));
  RETURN_IF_ERROR(CheckLength(reader, key, text, max_chars));
  return text;
}

StatusOr<std::optional<std::string>> OptionalText(const JsonReader& reader, std::string_view key,
                                                  size_t max_chars) {
  ASSIGN_OR_RETURN(std::optional<std::string> text,
                   reader.OptionalString(key, max_chars * kMaxBytesPerChar));
  if (text) RETURN_IF_ERROR(CheckLength(reader, key, *text, max_chars));
  return text;
}

std::optional<int64_t> OptionalFen(const std::optional<Money>& amount) {
  return amount ? std::optional<int64_t>(amount->fen()) : std::nullopt;
}

Json FenOrNull(const std::optional<Money>& amount) {
  return amount ? Json(amount->fen()) : Json(nullptr);
}

// Review actions are the officers'; every other role is refused whatever the case.
Status RequireOfficerRole(const Principal& principal) {
  if (principal.role != Role::kOfficer) {
    return Status::PermissionDenied("only the case's officers review claims")
        .WithReason("forbidden");
  }
  return Status::Ok();
}

// The claim, locked, for an officer bound to its case (NotFound otherwise).
StatusOr<ClaimRecord> LoadClaimForReview(DbConnection& db, const Principal& officer,
                                         int64_t case_id, int64_t claim_id) {
  RETURN_IF_ERROR(RequireOfficerRole(officer));
  return LoadVisibleClaim(db, officer, case_id, claim_id, /*for_update=*/true);
}

// Writes the decision columns of the (locked) claim as the record now holds them.
Status SaveDecision(DbConnection& db, const ClaimRecord& claim) {
  return db
      .Exec(
          "UPDATE claims SET status = ?, decision = ?, allowed_fen = ?, confirmed_by = ?, "
          "countersigned_by = ?, reject_reason = ?, decided_at_ms = ?, cure_by_ms = ?, "
          "updated_at_ms = ? WHERE id = ?",
          {std::string(ClaimStatusName(claim.status)), claim.decision, OptionalFen(claim.allowed),
           claim.confirmed_by, claim.countersigned_by, claim.reject_reason, claim.decided_at_ms,
           claim.cure_by_ms, claim.updated_at_ms, claim.id})
      .status();
}

// One cannot recognise more than the participant says they paid in.
Status CheckNotAbovePrincipal(const ClaimRecord& claim, Money amount, const std::string& field) {
  if (amount > claim.declared_principal) {
    return Status::RuleViolated(field, "cannot exceed the declared principal (" +
                                           claim.declared_principal.ToString() + ")")
        .WithRule(rules::kExceedsPrincipal);
  }
  return Status::Ok();
}

// The claim's confirmation at `allowed` by `officer`: confirmed now, or waiting for a second
// officer when `next` is pending_countersign.
void ApplyConfirmation(ClaimRecord& claim, ClaimStatus next, Money allowed,
                       const Principal& officer, int64_t now) {
  claim.status = next;
  claim.allowed = allowed;
  claim.confirmed_by = officer.user_id;
  claim.countersigned_by = std::nullopt;
  claim.reject_reason = std::nullopt;
  if (next == ClaimStatus::kConfirmed) {
    claim.decision = "confirmed";
    claim.decided_at_ms = now;
  } else {
    claim.decision = std::nullopt;
    claim.decided_at_ms = std::nullopt;
  }
  claim.updated_at_ms = now;
}

ObjectionRecord ObjectionFromRow(const SqlRow& row) {
  ObjectionRecord o;
  o.id = row.Int(0);
  o.claim_id = row.Int(1);
  o.status = row.Bytes(2);
  o.disputed_decision = row.Bytes(3);
  if (!row.IsNull(4)) o.requested = Money::FromFen(row.Int(4));
  o.outcome = row.OptionalBytes(5);
  o.lodged_at_ms = row.Int(6);
  o.resolved_at_ms = row.OptionalInt(7);
  o.reason_code = row.Bytes(8);
  return o;
}

StatusOr<ObjectionRecord> LoadObjection(DbConnection& db, int64_t claim_id, int64_t objection_id,
                                        bool for_update) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kObjectionColumns +
                                              " FROM claim_objections WHERE id = ? AND "
                                              "claim_id = ?" +
                                              (for_update ? " FOR UPDATE" : ""),
                                          {objection_id, claim_id}));
  if (rows.empty()) return NotVisible("objection");
  return ObjectionFromRow(rows[0]);
}

}  // namespace

StatusOr<InfoRequestInput> ParseInfoRequestInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"message", "cure_by"}));
  InfoRequestInput input;
  ASSIGN_OR_RETURN(input.message, RequiredText(reader, "message", kMaxReviewMessageChars));
  ASSIGN_OR_RETURN(std::string cure_by, reader.RequiredString("cure_by", 40));
  ASSIGN_OR_RETURN(input.cure_by_ms, ParseInstant(cure_by, "cure_by", DayEdge::kEnd));
  return input;
}

StatusOr<ConfirmInput> ParseConfirmInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"allowed_amount", "at_book_figure", "reason"}));
  ConfirmInput input;
  if (reader.Has("at_book_figure")) {
    ASSIGN_OR_RETURN(input.at_book_figure, reader.RequiredBool("at_book_figure"));
  }
  if (reader.Has("allowed_amount")) {
    ASSIGN_OR_RETURN(Money allowed, reader.RequiredMoney("allowed_amount"));
    input.allowed = allowed;
  }
  if (input.at_book_figure && input.allowed) {
    return Status::InvalidArgument("at_book_figure",
                                   "give either allowed_amount or at_book_figure, not both");
  }
  if (!input.at_book_figure && !input.allowed) {
    return Status::InvalidArgument("allowed_amount",
                                   "is required (or at_book_figure: true to confirm at the "
                                   "books' figure)");
  }
  ASSIGN_OR_RETURN(input.reason, OptionalText(reader, "reason", kMaxConfirmReasonChars));
  return input;
}

StatusOr<RejectInput> ParseRejectInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"reason_code", "note"}));
  RejectInput input;
  ASSIGN_OR_RETURN(std::string code, reader.RequiredString("reason_code", 32));
  std::optional<RejectReason> reason = ParseRejectReason(code);
  if (!reason) {
    return Status::InvalidArgument("reason_code",
                                   "must be duplicate, not_a_participant, excluded_person, "
                                   "no_evidence, late, net_winner or other");
  }
  input.reason = *reason;
  ASSIGN_OR_RETURN(input.note, RequiredText(reader, "note", kMaxReviewMessageChars));
  return input;
}

StatusOr<ObjectionInput> ParseObjectionInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"reason_code", "reason", "requested_amount"}));
  ObjectionInput input;
  if (reader.Has("reason_code")) {
    ASSIGN_OR_RETURN(std::string code, reader.RequiredString("reason_code", 32));
    std::optional<ObjectionReason> reason = ParseObjectionReason(code);
    if (!reason) {
      return Status::InvalidArgument("reason_code",
                                     "must be amount_wrong, wrongly_rejected, records_missing, "
                                     "returns_overcounted or other");
    }
    input.reason_code = *reason;
  }
  ASSIGN_OR_RETURN(input.reason, RequiredText(reader, "reason", kMaxReviewMessageChars));
  if (reader.Has("requested_amount")) {
    ASSIGN_OR_RETURN(Money requested, reader.RequiredMoney("requested_amount"));
    input.requested = requested;
  }
  return input;
}

StatusOr<ResolveInput> ParseResolveInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"outcome", "allowed_amount", "note"}));
  ResolveInput input;
  ASSIGN_OR_RETURN(std::string outcome, reader.RequiredString("outcome", 16));
  std::optional<ObjectionOutcome> parsed = ParseObjectionOutcome(outcome);
  if (!parsed) return Status::InvalidArgument("outcome", "must be upheld or adjusted");
  input.outcome = *parsed;
  if (input.outcome == ObjectionOutcome::kAdjusted) {
    ASSIGN_OR_RETURN(Money allowed, reader.RequiredMoney("allowed_amount"));
    input.allowed = allowed;
  } else if (reader.Has("allowed_amount")) {
    return Status::InvalidArgument("allowed_amount",
                                   "is only for outcome adjusted; an upheld decision keeps its "
                                   "amount");
  }
  ASSIGN_OR_RETURN(input.note, RequiredText(reader, "note", kMaxReviewMessageChars));
  return input;
}

StatusOr<ClaimChange> RequestClaimInfo(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id, int64_t claim_id,
                                       const InfoRequestInput& input) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaimForReview(db, officer, case_id, claim_id));
  ASSIGN_OR_RETURN(ClaimStatus next, ApplyClaimAction(claim.status, ClaimAction::kRequestInfo, {}));
  const int64_t now = ctx.NowMs();
  if (input.cure_by_ms <= now) {
    return Status::RuleViolated("cure_by", "must be in the future");
  }
  const ClaimStatus previous = claim.status;
  claim.status = next;
  claim.cure_by_ms = input.cure_by_ms;
  claim.updated_at_ms = now;
  RETURN_IF_ERROR(SaveDecision(db, claim));
  ASSIGN_OR_RETURN(
      QueuedEntry entry,
      RecordClaimEvent(db, ctx, officer, claim, "info_requested", previous,
                       {{"cure_by", ledger::FormatUtcMillis(input.cure_by_ms)}}, input.message));
  return ClaimChange{claim, entry};
}

StatusOr<ClaimChange> ConfirmClaim(DbConnection& db, const ServiceContext& ctx,
                                   const Principal& officer, int64_t case_id, int64_t claim_id,
                                   const ConfirmInput& input) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaimForReview(db, officer, case_id, claim_id));
  // The state first: a claim that cannot be confirmed is a conflict whatever the amount.
  RETURN_IF_ERROR(ApplyClaimAction(claim.status, ClaimAction::kConfirm, {}).status());
  // An agent or an heir is paid for someone else: not before the document proving their
  // authority (a power of attorney, a certificate of succession) is on file.
  if (claim.filed_as != "self") {
    ASSIGN_OR_RETURN(SqlRows authority,
                     db.Query("SELECT COUNT(*) FROM claim_evidence WHERE claim_id = ? AND "
                              "purpose = 'authority'",
                              {claim.id}));
    if (authority.empty() || authority[0].Int(0) == 0) {
      return Status::RuleViolated("", "an " + claim.filed_as +
                                          " filing needs a document proving the filer's "
                                          "authority (evidence with purpose \"authority\")")
          .WithReason("authority_missing");
    }
  }
  Money allowed;
  if (input.at_book_figure) {
    ASSIGN_OR_RETURN(std::optional<BookFigures> books,
                     ReadBookFigures(db, case_id, claim.person_hash));
    if (!books) {
      return Status::RuleViolated("at_book_figure",
                                  "the books hold no account for this participant")
          .WithReason("no_book_figures");
    }
    // The seized books are themselves evidence of what was paid in: a participant who
    // under-declared is recognised at the books' figure, not capped at their own mistake.
    allowed = books->net;
  } else {
    allowed = *input.allowed;
    RETURN_IF_ERROR(CheckNotAbovePrincipal(claim, allowed, "allowed_amount"));
  }
  if (allowed != claim.declared_net && !input.reason) {
    return Status::RuleViolated(
        "reason", "is required when the allowed amount (" + allowed.ToString() +
                      ") differs from the declared net (" + claim.declared_net.ToString() + ")");
  }
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id));
  ClaimTransitionContext transition;
  transition.allowed = allowed;
  transition.countersign_threshold = c.settings.countersign_threshold;
  ASSIGN_OR_RETURN(ClaimStatus next,
                   ApplyClaimAction(claim.status, ClaimAction::kConfirm, transition));
  const ClaimStatus previous = claim.status;
  ApplyConfirmation(claim, next, allowed, officer, ctx.NowMs());
  RETURN_IF_ERROR(SaveDecision(db, claim));
  const bool pending = next == ClaimStatus::kPendingCountersign;
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, officer, claim,
                                    pending ? "confirmation_proposed" : "confirmed", previous,
                                    {{"allowed_fen", allowed.fen()},
                                     {"at_book_figure", input.at_book_figure},
                                     {"pending_countersign", pending}},
                                    input.reason));
  return ClaimChange{claim, entry};
}

StatusOr<ClaimChange> CountersignClaim(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id,
                                       int64_t claim_id) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaimForReview(db, officer, case_id, claim_id));
  ASSIGN_OR_RETURN(ClaimStatus next, ApplyClaimAction(claim.status, ClaimAction::kCountersign, {}));
  if (!claim.confirmed_by || !claim.allowed) {
    return Status::Internal("a claim pending countersignature has no proposed confirmation");
  }
  RETURN_IF_ERROR(CheckCountersigner(*claim.confirmed_by, officer.user_id));
  const int64_t now = ctx.NowMs();
  const ClaimStatus previous = claim.status;
  claim.status = next;
  claim.countersigned_by = officer.user_id;
  claim.decision = "confirmed";
  claim.decided_at_ms = now;
  claim.updated_at_ms = now;
  RETURN_IF_ERROR(SaveDecision(db, claim));
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, officer, claim, "countersigned", previous,
                                    {{"allowed_fen", claim.allowed->fen()},
                                     {"proposed_by", *claim.confirmed_by}}));
  return ClaimChange{claim, entry};
}

StatusOr<ClaimChange> RejectClaim(DbConnection& db, const ServiceContext& ctx,
                                  const Principal& officer, int64_t case_id, int64_t claim_id,
                                  const RejectInput& input) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaimForReview(db, officer, case_id, claim_id));
  ASSIGN_OR_RETURN(ClaimStatus next, ApplyClaimAction(claim.status, ClaimAction::kReject, {}));
  const int64_t now = ctx.NowMs();
  const ClaimStatus previous = claim.status;
  const std::string code(RejectReasonName(input.reason));
  claim.status = next;
  claim.decision = "rejected";
  claim.reject_reason = code;
  // A proposal waiting for countersignature is dropped with the rejection.
  claim.allowed = std::nullopt;
  claim.confirmed_by = std::nullopt;
  claim.countersigned_by = std::nullopt;
  claim.decided_at_ms = now;
  claim.updated_at_ms = now;
  RETURN_IF_ERROR(SaveDecision(db, claim));
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, officer, claim, "rejected", previous,
                                    {{"reason_code", code}}, input.note));
  return ClaimChange{claim, entry};
}

StatusOr<ObjectionChange> LodgeObjection(DbConnection& db, const ServiceContext& ctx,
                                         const Principal& claimant, int64_t case_id,
                                         int64_t claim_id, const ObjectionInput& input) {
  // As for amending and withdrawing: anyone but the filer finds no such claim.
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadOwnClaim(db, claimant, case_id, claim_id));
  ASSIGN_OR_RETURN(ClaimStatus next, ApplyClaimAction(claim.status, ClaimAction::kObject, {}));
  if (!claim.decided_at_ms) return Status::Internal("a decided claim has no decision time");
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id));
  const int64_t now = ctx.NowMs();
  const int64_t window_ms = int64_t{c.settings.objection_window_days} * kMillisPerDay;
  if (now > *claim.decided_at_ms + window_ms) {
    return Status::RuleViolated("", "the objection window (" +
                                        std::to_string(c.settings.objection_window_days) +
                                        " days after the decision) has closed")
        .WithReason("objection_window_closed");
  }
  // One objection per decision: an upheld objection leaves the decision as it was.
  ASSIGN_OR_RETURN(SqlRows earlier, db.Query("SELECT id FROM claim_objections WHERE claim_id = ? "
                                             "AND lodged_at_ms >= ? LIMIT 1",
                                             {claim.id, *claim.decided_at_ms}));
  if (!earlier.empty()) {
    return Status::Conflict("this decision was already objected to (objection " +
                            std::to_string(earlier[0].Int(0)) + ")")
        .WithReason("already_objected");
  }
  const std::string code(ObjectionReasonName(input.reason_code));
  if (!ObjectionReasonFits(input.reason_code, claim.status)) {
    return Status::RuleViolated("reason_code",
                                code + " does not fit a claim that was " +
                                    std::string(ClaimStatusName(claim.status)) +
                                    (claim.status == ClaimStatus::kRejected
                                         ? ": a rejection has no amount (use wrongly_rejected)"
                                         : ": the claim was not rejected (use amount_wrong)"));
  }
  if (input.requested) {
    RETURN_IF_ERROR(CheckNotAbovePrincipal(claim, *input.requested, "requested_amount"));
  }
  const std::string disputed(ClaimStatusName(claim.status));
  ASSIGN_OR_RETURN(std::string sealed, ctx.keys->Seal(kObjectionReasonPurpose, input.reason));
  ASSIGN_OR_RETURN(
      int64_t objection_id,
      db.Insert(
          "INSERT INTO claim_objections (claim_id, status, reason_code, reason_enc, "
          "requested_fen, disputed_decision, lodged_by, lodged_at_ms) "
          "VALUES (?, 'open', ?, ?, ?, ?, ?, ?)",
          {claim.id, code, sealed, OptionalFen(input.requested), disputed, claimant.user_id, now}));
  const ClaimStatus previous = claim.status;
  claim.status = next;
  claim.updated_at_ms = now;
  RETURN_IF_ERROR(SaveDecision(db, claim));
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, claimant, claim, "objection_lodged", previous,
                                    {{"objection", objection_id},
                                     {"reason_code", code},
                                     {"requested_fen", FenOrNull(input.requested)}}));
  ASSIGN_OR_RETURN(ObjectionRecord objection,
                   LoadObjection(db, claim.id, objection_id, /*for_update=*/false));
  return ObjectionChange{claim, objection, entry};
}

StatusOr<ObjectionChange> ResolveObjection(DbConnection& db, const ServiceContext& ctx,
                                           const Principal& officer, int64_t case_id,
                                           int64_t claim_id, int64_t objection_id,
                                           const ResolveInput& input) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaimForReview(db, officer, case_id, claim_id));
  ClaimTransitionContext transition;
  transition.outcome = input.outcome;
  if (claim.decision) transition.disputed_decision = ParseClaimStatus(*claim.decision);
  // Only a disputed claim has an objection to resolve (409 otherwise, whatever the id).
  ASSIGN_OR_RETURN(ClaimStatus next,
                   ApplyClaimAction(claim.status, ClaimAction::kResolve, transition));
  ASSIGN_OR_RETURN(ObjectionRecord objection,
                   LoadObjection(db, claim.id, objection_id, /*for_update=*/true));
  if (objection.status != "open") {
    return Status::Conflict("objection " + std::to_string(objection.id) + " is already resolved")
        .WithReason("invalid_transition");
  }
  const int64_t now = ctx.NowMs();
  const ClaimStatus previous = claim.status;
  if (input.outcome == ObjectionOutcome::kAdjusted) {
    const Money allowed = *input.allowed;
    RETURN_IF_ERROR(CheckNotAbovePrincipal(claim, allowed, "allowed_amount"));
    ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id));
    // As for a confirmation: above the threshold a second officer must countersign.
    if (allowed > c.settings.countersign_threshold) next = ClaimStatus::kPendingCountersign;
    ApplyConfirmation(claim, next, allowed, officer, now);
  } else {
    // Upheld: the decision stands as it was, with its amount, reason and time.
    claim.status = next;
    claim.updated_at_ms = now;
  }
  RETURN_IF_ERROR(SaveDecision(db, claim));
  const std::string outcome(ObjectionOutcomeName(input.outcome));
  ASSIGN_OR_RETURN(std::string sealed_note, ctx.keys->Seal(kResolutionNotePurpose, input.note));
  RETURN_IF_ERROR(db.Exec("UPDATE claim_objections SET status = 'resolved', outcome = ?, "
                          "resolution_note_enc = ?, resolved_by = ?, resolved_at_ms = ? "
                          "WHERE id = ?",
                          {outcome, sealed_note, officer.user_id, now, objection.id})
                      .status());
  objection.status = "resolved";
  objection.outcome = outcome;
  objection.resolved_at_ms = now;
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, officer, claim, "objection_resolved", previous,
                                    {{"objection", objection.id},
                                     {"outcome", outcome},
                                     {"allowed_fen", FenOrNull(claim.allowed)}},
                                    input.note));
  // Whatever a distribution holds in reserve for the claim is released with the decision.
  RETURN_IF_ERROR(ReleaseClaimReserve(db, ctx, officer, case_id, claim.id, objection.id,
                                      std::string(ClaimStatusName(claim.status)), claim.allowed)
                      .status());
  return ObjectionChange{claim, objection, entry};
}

StatusOr<std::vector<ObjectionView>> ListObjections(DbConnection& db, const ServiceContext& ctx,
                                                    const Principal& reader, int64_t case_id,
                                                    int64_t claim_id,
                                                    const std::string& request_id) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadVisibleClaim(db, reader, case_id, claim_id));
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kObjectionColumns +
                                              ", reason_enc, resolution_note_enc FROM "
                                              "claim_objections WHERE claim_id = ? ORDER BY id "
                                              "LIMIT ?",
                                          {claim.id, kMaxObjectionsListed}));
  const bool filer = reader.role == Role::kClaimant && reader.user_id == claim.filer_user_id;
  const bool staff = reader.role == Role::kOfficer || reader.role == Role::kCourt;
  std::vector<ObjectionView> views;
  for (const SqlRow& row : rows) {
    ObjectionView view;
    view.record = ObjectionFromRow(row);
    if (filer || staff) {
      ASSIGN_OR_RETURN(view.reason, ctx.keys->Open(kObjectionReasonPurpose, row.Bytes(9)));
      if (!row.IsNull(10)) {
        ASSIGN_OR_RETURN(view.resolution_note,
                         ctx.keys->Open(kResolutionNotePurpose, row.Bytes(10)));
      }
    }
    views.push_back(std::move(view));
  }
  if (staff && !views.empty()) {
    RETURN_IF_ERROR(LogPersonalDataAccess(db, ctx, reader, claim.case_id, claim.id,
                                          "claim_objections", request_id));
  }
  return views;
}

}  // namespace restitution
