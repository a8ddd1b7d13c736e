#include "service/cases.h"

#include <algorithm>

#include "ledger/entry.h"
#include "service/json_input.h"
#include "service/region_code.h"
#include "service/time_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxRegions = 64;
// The case's regions come in the same row (one round trip for a case, one for a list):
// GROUP_CONCAT's default limit of 1024 bytes holds kMaxRegions codes of 6 digits and a comma.
constexpr char kCaseColumns[] =
    "id, case_number, name, lead_region, status, registration_opens_ms, "
    "registration_closes_ms, supplementary_closes_ms, objection_window_days, "
    "countersign_threshold_fen, created_at_ms, (SELECT GROUP_CONCAT(r.region ORDER BY r.region "
    "SEPARATOR ',') FROM case_regions r WHERE r.case_id = cases.id)";
static_assert(kMaxRegions * 7 <= 1024, "regions would not fit GROUP_CONCAT's default length");

Status CheckCaseNumber(const std::string& number) {
  // Case numbers look like "（2026）京0105刑初123号" or "JZ-2026-001": printable, no control
  // characters; the length bound is JsonReader's.
  for (char c : number) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("case_number", "must not contain control characters");
    }
  }
  return Status::Ok();
}

std::vector<std::string> SplitRegions(const std::string& joined) {
  std::vector<std::string> regions;
  size_t start = 0;
  while (start < joined.size()) {
    size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    regions.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return regions;
}

CaseView CaseFromRow(const SqlRow& row) {
  CaseView c;
  c.id = row.Int(0);
  c.settings.case_number = row.Bytes(1);
  c.settings.name = row.Bytes(2);
  c.settings.lead_region = row.Bytes(3);
  c.status = ParseCaseStatus(row.Bytes(4)).value_or(CaseStatus::kClosed);
  c.settings.registration_opens_ms = row.Int(5);
  c.settings.registration_closes_ms = row.Int(6);
  c.settings.supplementary_closes_ms = row.OptionalInt(7);
  c.settings.objection_window_days = static_cast<int>(row.Int(8));
  c.settings.countersign_threshold = Money::FromFen(row.Int(9));
  c.created_at_ms = row.Int(10);
  if (!row.IsNull(11)) c.settings.regions = SplitRegions(row.Bytes(11));
  return c;
}

Json OptionalTimeJson(const std::optional<int64_t>& ms) {
  return ms ? Json(ledger::FormatUtcMillis(*ms)) : Json(nullptr);
}

}  // namespace

std::string_view CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kRegistration:
      return "registration";
    case CaseStatus::kReview:
      return "review";
    case CaseStatus::kDistribution:
      return "distribution";
    case CaseStatus::kClosed:
      return "closed";
  }
  return "closed";
}

std::optional<CaseStatus> ParseCaseStatus(std::string_view name) {
  for (CaseStatus s : {CaseStatus::kRegistration, CaseStatus::kReview, CaseStatus::kDistribution,
                       CaseStatus::kClosed}) {
    if (CaseStatusName(s) == name) return s;
  }
  return std::nullopt;
}

StatusOr<CaseInput> ParseCaseInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys(
      {"case_number", "name", "lead_region", "regions", "registration_opens", "registration_closes",
       "supplementary_closes", "objection_window_days", "countersign_threshold"}));
  CaseInput input;
  ASSIGN_OR_RETURN(input.case_number, reader.RequiredString("case_number", 64));
  RETURN_IF_ERROR(CheckCaseNumber(input.case_number));
  ASSIGN_OR_RETURN(input.name, reader.RequiredString("name", 200));
  ASSIGN_OR_RETURN(std::string lead, reader.RequiredString("lead_region", 6));
  ASSIGN_OR_RETURN(input.lead_region, ParseRegionCode(lead, "lead_region"));
  ASSIGN_OR_RETURN(std::vector<std::string> regions,
                   reader.RequiredArrayOfStrings("regions", kMaxRegions, 6));
  for (size_t i = 0; i < regions.size(); ++i) {
    const std::string field = "regions[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(std::string region, ParseRegionCode(regions[i], field));
    if (std::find(input.regions.begin(), input.regions.end(), region) != input.regions.end()) {
      return Status::InvalidArgument(field, "is listed twice");
    }
    input.regions.push_back(std::move(region));
  }
  if (std::find(input.regions.begin(), input.regions.end(), input.lead_region) ==
      input.regions.end()) {
    return Status::InvalidArgument("lead_region", "must be one of regions");
  }
  ASSIGN_OR_RETURN(std::string opens, reader.RequiredString("registration_opens", 40));
  ASSIGN_OR_RETURN(input.registration_opens_ms,
                   ParseInstant(opens, "registration_opens", DayEdge::kStart));
  ASSIGN_OR_RETURN(std::string closes, reader.RequiredString("registration_closes", 40));
  ASSIGN_OR_RETURN(input.registration_closes_ms,
                   ParseInstant(closes, "registration_closes", DayEdge::kEnd));
  if (input.registration_closes_ms <= input.registration_opens_ms) {
    return Status::InvalidArgument("registration_closes", "must be after registration_opens");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> supplementary,
                   reader.OptionalString("supplementary_closes", 40));
  if (supplementary) {
    ASSIGN_OR_RETURN(int64_t ms,
                     ParseInstant(*supplementary, "supplementary_closes", DayEdge::kEnd));
    if (ms <= input.registration_closes_ms) {
      return Status::InvalidArgument("supplementary_closes", "must be after registration_closes");
    }
    input.supplementary_closes_ms = ms;
  }
  if (reader.Has("objection_window_days")) {
    ASSIGN_OR_RETURN(int64_t days, reader.RequiredInteger("objection_window_days", 1, 365));
    input.objection_window_days = static_cast<int>(days);
  }
  if (reader.Has("countersign_threshold")) {
    ASSIGN_OR_RETURN(input.countersign_threshold, reader.RequiredMoney("countersign_threshold"));
  }
  return input;
}

FilingWindow FilingWindowAt(const CaseView& c, int64_t now_ms) {
  if (c.status != CaseStatus::kRegistration && c.status != CaseStatus::kReview) {
    return FilingWindow::kClosed;
  }
  if (now_ms < c.settings.registration_opens_ms) return FilingWindow::kNotOpen;
  if (now_ms <= c.settings.registration_closes_ms) return FilingWindow::kOnTime;
  if (c.settings.supplementary_closes_ms && now_ms <= *c.settings.supplementary_closes_ms) {
    return FilingWindow::kLate;
  }
  return FilingWindow::kClosed;
}

ledger::Actor ActorOf(const Principal& principal) {
  return ledger::Actor{principal.user_id, std::string(RoleName(principal.role))};
}

StatusOr<CaseView> CreateCase(DbConnection& db, const ServiceContext& ctx, const Principal& actor,
                              const CaseInput& input, QueuedEntry* entry) {
  const int64_t now = ctx.NowMs();
  StatusOr<int64_t> inserted = db.Insert(
      "INSERT INTO cases (case_number, name, lead_region, status, registration_opens_ms, "
      "registration_closes_ms, supplementary_closes_ms, objection_window_days, "
      "countersign_threshold_fen, created_by, created_at_ms) "
      "VALUES (?, ?, ?, 'registration', ?, ?, ?, ?, ?, ?, ?)",
      {input.case_number, input.name, input.lead_region, input.registration_opens_ms,
       input.registration_closes_ms, input.supplementary_closes_ms,
       int64_t{input.objection_window_days}, input.countersign_threshold.fen(), actor.user_id,
       now});
  if (!inserted.ok()) {
    if (inserted.status().reason() == "duplicate_key") {
      return Status::Conflict("a case with this case_number exists").WithReason("case_exists");
    }
    return inserted.status();
  }
  CaseView view;
  view.id = *inserted;
  view.settings = input;
  view.created_at_ms = now;
  for (const std::string& region : input.regions) {
    RETURN_IF_ERROR(
        db.Exec("INSERT INTO case_regions (case_id, region) VALUES (?, ?)", {view.id, region})
            .status());
  }
  ledger::EntryDraft draft;
  draft.type = "case_created";
  draft.case_id = view.id;
  draft.actor = ActorOf(actor);
  draft.at_ms = now;
  draft.payload = {{"case_number", input.case_number},
                   {"name", input.name},
                   {"lead_region", input.lead_region},
                   {"regions", input.regions},
                   {"registration_opens", ledger::FormatUtcMillis(input.registration_opens_ms)},
                   {"registration_closes", ledger::FormatUtcMillis(input.registration_closes_ms)},
                   {"supplementary_closes", OptionalTimeJson(input.supplementary_closes_ms)},
                   {"objection_window_days", input.objection_window_days},
                   {"countersign_threshold_fen", input.countersign_threshold.fen()}};
  ASSIGN_OR_RETURN(*entry, AppendLedgerEntry(db, draft));
  return view;
}

StatusOr<CaseView> LoadCase(DbConnection& db, int64_t case_id, bool for_update) {
  const std::string sql = std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = ?" +
                          (for_update ? " FOR UPDATE" : "");
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(sql, {case_id}));
  if (rows.empty()) return Status::NotFound("case not found");
  return CaseFromRow(rows[0]);
}

StatusOr<std::vector<CaseView>> ListCases(DbConnection& db) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kCaseColumns +
                                          " FROM cases ORDER BY id DESC LIMIT 1000"));
  std::vector<CaseView> cases;
  for (const SqlRow& row : rows) cases.push_back(CaseFromRow(row));
  return cases;
}

Status AddCaseMember(DbConnection& db, const ServiceContext& ctx, const Principal& actor,
                     int64_t case_id, int64_t user_id, const std::string& role_name,
                     QueuedEntry* entry) {
  if (role_name != "officer" && role_name != "court") {
    return Status::InvalidArgument("role", "must be officer or court");
  }
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id, /*for_update=*/true));
  ASSIGN_OR_RETURN(SqlRows users,
                   db.Query("SELECT role, status FROM users WHERE id = ?", {user_id}));
  if (users.empty()) return Status::InvalidArgument("user_id", "no such user");
  if (users[0].Bytes(0) != role_name) {
    return Status::RuleViolated("role", "the user's account role is " + users[0].Bytes(0));
  }
  const int64_t now = ctx.NowMs();
  Status added = db.Exec(
                       "INSERT INTO case_members (case_id, user_id, role, added_by, "
                       "added_at_ms) VALUES (?, ?, ?, ?, ?)",
                       {case_id, user_id, role_name, actor.user_id, now})
                     .status();
  if (added.reason() == "duplicate_key") {
    return Status::Conflict("the user is already bound to this case").WithReason("already_member");
  }
  RETURN_IF_ERROR(added);
  ledger::EntryDraft draft;
  draft.type = "case_member_added";
  draft.case_id = c.id;
  draft.actor = ActorOf(actor);
  draft.at_ms = now;
  draft.payload = {{"user", user_id}, {"role", role_name}};
  ASSIGN_OR_RETURN(*entry, AppendLedgerEntry(db, draft));
  return Status::Ok();
}

Status RemoveCaseMember(DbConnection& db, const ServiceContext& ctx, const Principal& actor,
                        int64_t case_id, int64_t user_id, QueuedEntry* entry) {
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id, /*for_update=*/true));
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT role FROM case_members WHERE case_id = ? AND "
                                          "user_id = ? FOR UPDATE",
                                          {case_id, user_id}));
  if (rows.empty()) return Status::NotFound("the user is not bound to this case");
  RETURN_IF_ERROR(
      db.Exec("DELETE FROM case_members WHERE case_id = ? AND user_id = ?", {case_id, user_id})
          .status());
  ledger::EntryDraft draft;
  draft.type = "case_member_removed";
  draft.case_id = c.id;
  draft.actor = ActorOf(actor);
  draft.at_ms = ctx.NowMs();
  draft.payload = {{"user", user_id}, {"role", rows[0].Bytes(0)}};
  ASSIGN_OR_RETURN(*entry, AppendLedgerEntry(db, draft));
  return Status::Ok();
}

StatusOr<CaseView> ChangeCaseStatus(DbConnection& db, const ServiceContext& ctx,
                                    const Principal& actor, int64_t case_id,
                                    const std::string& status_name, QueuedEntry* entry) {
  std::optional<CaseStatus> target = ParseCaseStatus(status_name);
  if (!target) {
    return Status::InvalidArgument("status",
                                   "must be registration, review, distribution or "
                                   "closed");
  }
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id, /*for_update=*/true));
  if (static_cast<int>(*target) != static_cast<int>(c.status) + 1) {
    return Status::Conflict("a case in " + std::string(CaseStatusName(c.status)) +
                            " cannot move to " + status_name)
        .WithReason("invalid_transition");
  }
  RETURN_IF_ERROR(db.Exec("UPDATE cases SET status = ? WHERE id = ?",
                          {std::string(CaseStatusName(*target)), case_id})
                      .status());
  ledger::EntryDraft draft;
  draft.type = "case_status_changed";
  draft.case_id = case_id;
  draft.actor = ActorOf(actor);
  draft.at_ms = ctx.NowMs();
  draft.payload = {{"from", std::string(CaseStatusName(c.status))},
                   {"to", std::string(CaseStatusName(*target))}};
  ASSIGN_OR_RETURN(*entry, AppendLedgerEntry(db, draft));
  c.status = *target;
  return c;
}

StatusOr<std::vector<CaseMember>> ListCaseMembers(DbConnection& db, int64_t case_id) {
  RETURN_IF_ERROR(LoadCase(db, case_id).status());
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT m.user_id, u.username, m.role, m.added_at_ms "
                            "FROM case_members m JOIN users u ON u.id = m.user_id "
                            "WHERE m.case_id = ? ORDER BY m.role, m.user_id LIMIT 1000",
                            {case_id}));
  std::vector<CaseMember> members;
  for (const SqlRow& row : rows) {
    members.push_back({row.Int(0), row.OptionalBytes(1).value_or(""), row.Bytes(2), row.Int(3)});
  }
  return members;
}

StatusOr<std::vector<int64_t>> ListOwnCaseIds(DbConnection& db, const Principal& principal) {
  std::vector<int64_t> ids;
  if (principal.role != Role::kOfficer && principal.role != Role::kCourt) return ids;
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT case_id FROM case_members WHERE user_id = ? AND role = ? "
                            "ORDER BY case_id DESC LIMIT 1000",
                            {principal.user_id, std::string(RoleName(principal.role))}));
  for (const SqlRow& row : rows) ids.push_back(row.Int(0));
  return ids;
}

StatusOr<bool> IsCaseMember(DbConnection& db, const Principal& principal, int64_t case_id) {
  if (principal.role != Role::kOfficer && principal.role != Role::kCourt) return false;
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT 1 FROM case_members WHERE case_id = ? AND "
                            "user_id = ? AND role = ?",
                            {case_id, principal.user_id, std::string(RoleName(principal.role))}));
  return !rows.empty();
}

Status RequireCaseStaff(DbConnection& db, const Principal& principal, int64_t case_id) {
  if (principal.role == Role::kAuditor) {
    ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT 1 FROM cases WHERE id = ?", {case_id}));
    if (rows.empty()) return Status::NotFound("case not found");
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(bool member, IsCaseMember(db, principal, case_id));
  if (!member) return Status::NotFound("case not found");
  return Status::Ok();
}

}  // namespace restitution
