#include "service/claims.h"

#include "crypto/sha256.h"
#include "ledger/canonical_json.h"
#include "service/authorization.h"
#include "service/cases.h"
#include "service/input_rules.h"
#include "service/person_index.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kDeclarationPurpose[] = "claim_versions.declaration";
constexpr char kNotePurpose[] = "claim_events.note";
constexpr int kMaxTimelineEvents = 500;

constexpr char kClaimColumns[] =
    "id, case_id, filer_user_id, person_hash, status, decision, region, filed_as, late, "
    "version, declared_principal_fen, declared_returns_fen, declared_net_fen, allowed_fen, "
    "confirmed_by, countersigned_by, reject_reason, decided_at_ms, cure_by_ms, created_at_ms, "
    "updated_at_ms";

ClaimRecord ClaimFromRow(const SqlRow& row) {
  ClaimRecord c;
  c.id = row.Int(0);
  c.case_id = row.Int(1);
  c.filer_user_id = row.Int(2);
  c.person_hash = row.Bytes(3);
  c.status = ParseClaimStatus(row.Bytes(4)).value_or(ClaimStatus::kSubmitted);
  c.decision = row.OptionalBytes(5);
  c.region = row.Bytes(6);
  c.filed_as = row.Bytes(7);
  c.late = row.Int(8) != 0;
  c.version = static_cast<int>(row.Int(9));
  c.declared_principal = Money::FromFen(row.Int(10));
  c.declared_returns = Money::FromFen(row.Int(11));
  c.declared_net = Money::FromFen(row.Int(12));
  if (!row.IsNull(13)) c.allowed = Money::FromFen(row.Int(13));
  c.confirmed_by = row.OptionalInt(14);
  c.countersigned_by = row.OptionalInt(15);
  c.reject_reason = row.OptionalBytes(16);
  c.decided_at_ms = row.OptionalInt(17);
  c.cure_by_ms = row.OptionalInt(18);
  c.created_at_ms = row.Int(19);
  c.updated_at_ms = row.Int(20);
  return c;
}

StatusOr<ClaimRecord> LoadClaim(DbConnection& db, int64_t case_id, int64_t claim_id,
                                bool for_update) {
  const std::string sql = std::string("SELECT ") + kClaimColumns +
                          " FROM claims WHERE id = ? AND case_id = ?" +
                          (for_update ? " FOR UPDATE" : "");
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(sql, {claim_id, case_id}));
  if (rows.empty()) return NotVisible("claim");
  return ClaimFromRow(rows[0]);
}

// A commitment to the whole declaration (identity included) for the ledger: it proves later
// which version was decided on without putting a word of it on the log.
std::string DeclarationCommitment(const ServiceContext& ctx, const Json& declaration) {
  StatusOr<std::string> canonical = ledger::CanonicalJson(declaration);
  return LedgerCommitment(*ctx.keys, "declaration",
                          canonical.ok() ? *canonical : declaration.dump());
}

Json AmountsPayload(const ClaimDeclaration& d) {
  return {{"declared_principal_fen", d.declared_principal.fen()},
          {"declared_returns_fen", d.declared_returns.fen()},
          {"declared_net_fen", d.declared_net.fen()}};
}

Status SaveVersion(DbConnection& db, const ServiceContext& ctx, int64_t claim_id, int version,
                   const Principal& author, const ClaimDeclaration& d, const Json& declaration) {
  ASSIGN_OR_RETURN(std::string sealed, ctx.keys->Seal(kDeclarationPurpose, declaration.dump()));
  return db
      .Exec(
          "INSERT INTO claim_versions (claim_id, version, declaration_enc, "
          "declared_principal_fen, declared_returns_fen, declared_net_fen, created_by, "
          "created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {claim_id, int64_t{version}, sealed, d.declared_principal.fen(), d.declared_returns.fen(),
           d.declared_net.fen(), author.user_id, ctx.NowMs()})
      .status();
}

Status CheckRegion(const CaseView& c, const std::string& region) {
  for (const std::string& r : c.settings.regions) {
    if (r == region) return Status::Ok();
  }
  return Status::RuleViolated("region", "is not one of this case's regions")
      .WithRule(rules::kRegion);
}

}  // namespace

StatusOr<ClaimRecord> LoadVisibleClaim(DbConnection& db, const Principal& principal,
                                       int64_t case_id, int64_t claim_id, bool for_update) {
  switch (principal.role) {
    case Role::kClaimant: {
      ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaim(db, case_id, claim_id, for_update));
      if (claim.filer_user_id != principal.user_id) return NotVisible("claim");
      return claim;
    }
    case Role::kOfficer:
    case Role::kCourt:
    case Role::kAuditor: {
      Status staff = RequireCaseStaff(db, principal, case_id);
      if (!staff.ok()) return NotVisible("claim");
      return LoadClaim(db, case_id, claim_id, for_update);
    }
    case Role::kAdmin:
      break;
  }
  return NotVisible("claim");
}

StatusOr<ClaimRecord> LoadOwnClaim(DbConnection& db, const Principal& principal, int64_t case_id,
                                   int64_t claim_id) {
  if (principal.role != Role::kClaimant) return NotVisible("claim");
  return LoadVisibleClaim(db, principal, case_id, claim_id, /*for_update=*/true);
}

StatusOr<std::vector<ClaimRecord>> ListOwnClaims(DbConnection& db, const Principal& claimant) {
  std::vector<ClaimRecord> claims;
  if (claimant.role != Role::kClaimant) return claims;
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kClaimColumns +
                                              " FROM claims WHERE filer_user_id = ? "
                                              "ORDER BY id DESC LIMIT 100",
                                          {claimant.user_id}));
  for (const SqlRow& row : rows) claims.push_back(ClaimFromRow(row));
  return claims;
}

StatusOr<QueuedEntry> RecordClaimEvent(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& actor, const ClaimRecord& claim,
                                       const std::string& action,
                                       std::optional<ClaimStatus> from_status, Json payload,
                                       const std::optional<std::string>& note) {
  const int64_t now = ctx.NowMs();
  payload["claim"] = claim.id;
  payload["status"] = std::string(ClaimStatusName(claim.status));
  ledger::EntryDraft draft;
  draft.type = "claim_" + action;
  draft.case_id = claim.case_id;
  draft.actor = ActorOf(actor);
  draft.at_ms = now;
  draft.payload = payload;
  ASSIGN_OR_RETURN(QueuedEntry entry, AppendLedgerEntry(db, draft));
  std::optional<std::string> sealed_note;
  if (note) {
    ASSIGN_OR_RETURN(std::string sealed, ctx.keys->Seal(kNotePurpose, *note));
    sealed_note = std::move(sealed);
  }
  std::optional<int64_t> amount;
  for (const char* key : {"amount_fen", "allowed_fen", "requested_fen"}) {
    if (!amount && payload.contains(key) && payload[key].is_number_integer()) {
      amount = payload[key].get<int64_t>();
    }
  }
  std::optional<std::string> reason;
  if (payload.contains("reason_code") && payload["reason_code"].is_string()) {
    reason = payload["reason_code"].get<std::string>();
  }
  std::optional<std::string> from;
  if (from_status) from = std::string(ClaimStatusName(*from_status));
  RETURN_IF_ERROR(db.Exec("INSERT INTO claim_events (claim_id, at_ms, action, actor_user_id, "
                          "actor_role, from_status, to_status, amount_fen, reason_code, "
                          "note_enc, ledger_queue_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          {claim.id, now, action, actor.user_id, std::string(RoleName(actor.role)),
                           from, std::string(ClaimStatusName(claim.status)), amount, reason,
                           sealed_note, entry.queue_id})
                      .status());
  return entry;
}

Status LogPersonalDataAccess(DbConnection& db, const ServiceContext& ctx, const Principal& reader,
                             std::optional<int64_t> case_id, std::optional<int64_t> claim_id,
                             const std::string& what, const std::string& request_id) {
  return db
      .Exec(
          "INSERT INTO pii_access_log (at_ms, user_id, role, case_id, claim_id, what, "
          "request_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {ctx.NowMs(), reader.user_id, std::string(RoleName(reader.role)), case_id, claim_id, what,
           request_id})
      .status();
}

StatusOr<ClaimChange> DeclareClaim(DbConnection& db, const ServiceContext& ctx,
                                   const Principal& claimant, int64_t case_id,
                                   const ClaimDeclaration& declaration) {
  if (claimant.role != Role::kClaimant) {
    return Status::PermissionDenied("only claimants declare claims").WithReason("forbidden");
  }
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id));
  const int64_t now = ctx.NowMs();
  const FilingWindow window = FilingWindowAt(c, now);
  if (window == FilingWindow::kNotOpen) {
    return Status::RuleViolated("", "registration for this case has not opened yet")
        .WithReason("registration_not_open");
  }
  if (window == FilingWindow::kClosed) {
    return Status::RuleViolated("", "registration for this case is closed")
        .WithReason("registration_closed");
  }
  RETURN_IF_ERROR(CheckRegion(c, declaration.region));
  const std::string person = PersonIndex(*ctx.keys, declaration.identity.id_number);
  ASSIGN_OR_RETURN(SqlRows existing, db.Query("SELECT id FROM claims WHERE case_id = ? AND "
                                              "person_hash = ? FOR UPDATE",
                                              {case_id, person}));
  if (!existing.empty()) {
    return Status::Conflict("this person already has claim " + std::to_string(existing[0].Int(0)) +
                            " in this case; amend that claim instead")
        .WithReason("claim_exists");
  }
  const Json declaration_json = ClaimDeclarationJson(declaration);
  StatusOr<int64_t> inserted = db.Insert(
      "INSERT INTO claims (case_id, filer_user_id, person_hash, status, region, filed_as, late, "
      "version, declared_principal_fen, declared_returns_fen, declared_net_fen, created_at_ms, "
      "updated_at_ms) VALUES (?, ?, ?, 'submitted', ?, ?, ?, 1, ?, ?, ?, ?, ?)",
      {case_id, claimant.user_id, person, declaration.region,
       std::string(FiledAsName(declaration.filed_as)),
       int64_t{window == FilingWindow::kLate ? 1 : 0}, declaration.declared_principal.fen(),
       declaration.declared_returns.fen(), declaration.declared_net.fen(), now, now});
  if (!inserted.ok()) {
    // Two first filings for one person at once: the loser retries and then finds the winner.
    if (inserted.status().reason() == "duplicate_key") {
      return Status::Aborted("concurrent declaration for the same person");
    }
    return inserted.status();
  }
  // The new row holds exactly what was inserted: no need to read it back.
  ClaimRecord claim;
  claim.id = *inserted;
  claim.case_id = case_id;
  claim.filer_user_id = claimant.user_id;
  claim.person_hash = person;
  claim.status = ClaimStatus::kSubmitted;
  claim.region = declaration.region;
  claim.filed_as = std::string(FiledAsName(declaration.filed_as));
  claim.late = window == FilingWindow::kLate;
  claim.version = 1;
  claim.declared_principal = declaration.declared_principal;
  claim.declared_returns = declaration.declared_returns;
  claim.declared_net = declaration.declared_net;
  claim.created_at_ms = now;
  claim.updated_at_ms = now;
  RETURN_IF_ERROR(SaveVersion(db, ctx, claim.id, 1, claimant, declaration, declaration_json));
  Json payload = AmountsPayload(declaration);
  payload["version"] = 1;
  payload["region"] = declaration.region;
  payload["filed_as"] = std::string(FiledAsName(declaration.filed_as));
  payload["late"] = claim.late;
  payload["person_commitment"] =
      LedgerCommitment(*ctx.keys, "person", declaration.identity.id_number);
  payload["declaration_commitment"] = DeclarationCommitment(ctx, declaration_json);
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, claimant, claim, "declared", std::nullopt, payload));
  return ClaimChange{claim, entry};
}

StatusOr<ClaimChange> AmendClaim(DbConnection& db, const ServiceContext& ctx,
                                 const Principal& claimant, int64_t case_id, int64_t claim_id,
                                 const ClaimDeclaration& declaration) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadOwnClaim(db, claimant, case_id, claim_id));
  ASSIGN_OR_RETURN(ClaimStatus next, ApplyClaimAction(claim.status, ClaimAction::kAmend, {}));
  if (PersonIndex(*ctx.keys, declaration.identity.id_number) != claim.person_hash) {
    return Status::RuleViolated("identity.id_number",
                                "a claim's participant cannot change; withdraw this claim and "
                                "declare a new one")
        .WithReason("participant_changed");
  }
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id));
  RETURN_IF_ERROR(CheckRegion(c, declaration.region));
  const ClaimStatus previous = claim.status;
  const int version = claim.version + 1;
  const int64_t now = ctx.NowMs();
  const Json declaration_json = ClaimDeclarationJson(declaration);
  RETURN_IF_ERROR(db.Exec("UPDATE claims SET status = ?, region = ?, filed_as = ?, version = ?, "
                          "declared_principal_fen = ?, declared_returns_fen = ?, "
                          "declared_net_fen = ?, cure_by_ms = NULL, updated_at_ms = ? "
                          "WHERE id = ?",
                          {std::string(ClaimStatusName(next)), declaration.region,
                           std::string(FiledAsName(declaration.filed_as)), int64_t{version},
                           declaration.declared_principal.fen(), declaration.declared_returns.fen(),
                           declaration.declared_net.fen(), now, claim.id})
                      .status());
  RETURN_IF_ERROR(SaveVersion(db, ctx, claim.id, version, claimant, declaration, declaration_json));
  ASSIGN_OR_RETURN(claim, LoadClaim(db, case_id, claim_id, /*for_update=*/false));
  Json payload = AmountsPayload(declaration);
  payload["version"] = version;
  payload["region"] = declaration.region;
  payload["declaration_commitment"] = DeclarationCommitment(ctx, declaration_json);
  ASSIGN_OR_RETURN(QueuedEntry entry,
                   RecordClaimEvent(db, ctx, claimant, claim, "amended", previous, payload));
  return ClaimChange{claim, entry};
}

StatusOr<ClaimChange> WithdrawClaim(DbConnection& db, const ServiceContext& ctx,
                                    const Principal& claimant, int64_t case_id, int64_t claim_id) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadOwnClaim(db, claimant, case_id, claim_id));
  ASSIGN_OR_RETURN(ClaimStatus next, ApplyClaimAction(claim.status, ClaimAction::kWithdraw, {}));
  const ClaimStatus previous = claim.status;
  RETURN_IF_ERROR(db.Exec("UPDATE claims SET status = ?, updated_at_ms = ? WHERE id = ?",
                          {std::string(ClaimStatusName(next)), ctx.NowMs(), claim.id})
                      .status());
  claim.status = next;
  ASSIGN_OR_RETURN(QueuedEntry entry, RecordClaimEvent(db, ctx, claimant, claim, "withdrawn",
                                                       previous, Json::object()));
  return ClaimChange{claim, entry};
}

StatusOr<Json> ReadDeclaration(DbConnection& db, const ServiceContext& ctx, const Principal& reader,
                               const ClaimRecord& claim, const std::string& request_id) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT declaration_enc FROM claim_versions WHERE "
                                          "claim_id = ? AND version = ?",
                                          {claim.id, int64_t{claim.version}}));
  if (rows.empty()) return Status::Internal("claim version is missing");
  ASSIGN_OR_RETURN(std::string text, ctx.keys->Open(kDeclarationPurpose, rows[0].Bytes(0)));
  Json declaration = Json::parse(text, nullptr, false);
  if (declaration.is_discarded()) return Status::Internal("stored declaration is not JSON");
  if (reader.user_id != claim.filer_user_id) {
    RETURN_IF_ERROR(LogPersonalDataAccess(db, ctx, reader, claim.case_id, claim.id,
                                          "claim_declaration", request_id));
  }
  return declaration;
}

StatusOr<std::vector<ClaimEvent>> ReadClaimEvents(DbConnection& db, const ServiceContext& ctx,
                                                  int64_t claim_id) {
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT e.at_ms, e.action, e.actor_role, e.from_status, e.to_status, "
                            "e.amount_fen, e.reason_code, e.note_enc, l.idx, l.leaf_hash, "
                            "q.leaf_hash FROM claim_events e "
                            "LEFT JOIN ledger_entries l ON l.queue_id = e.ledger_queue_id "
                            "LEFT JOIN ledger_queue q ON q.id = e.ledger_queue_id "
                            "WHERE e.claim_id = ? ORDER BY e.id LIMIT ?",
                            {claim_id, kMaxTimelineEvents}));
  std::vector<ClaimEvent> events;
  for (const SqlRow& row : rows) {
    ClaimEvent e;
    e.at_ms = row.Int(0);
    e.action = row.Bytes(1);
    e.actor_role = row.Bytes(2);
    e.from_status = row.OptionalBytes(3);
    e.to_status = row.OptionalBytes(4);
    if (!row.IsNull(5)) e.amount = Money::FromFen(row.Int(5));
    e.reason_code = row.OptionalBytes(6);
    if (!row.IsNull(7)) {
      ASSIGN_OR_RETURN(std::string note, ctx.keys->Open(kNotePurpose, row.Bytes(7)));
      e.note = std::move(note);
    }
    if (!row.IsNull(9)) {
      ASSIGN_OR_RETURN(ledger::Hash leaf_hash, HashColumn(row, 9, "leaf hash"));
      e.receipt = ReceiptStatus{static_cast<uint64_t>(row.Int(8)), leaf_hash};
    } else if (!row.IsNull(10)) {
      ASSIGN_OR_RETURN(ledger::Hash leaf_hash, HashColumn(row, 10, "queued leaf hash"));
      e.receipt = ReceiptStatus{std::nullopt, leaf_hash};
    }
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace restitution
