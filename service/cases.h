// Cases (案件): created by an admin, bound to the officers and court users who serve them,
// moving forward through registration -> review -> distribution -> closed. Every change is a
// ledger entry in the same transaction.
#ifndef RESTITUTION_SERVICE_CASES_H_
#define RESTITUTION_SERVICE_CASES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/money.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

enum class CaseStatus { kRegistration, kReview, kDistribution, kClosed };
std::string_view CaseStatusName(CaseStatus status);
std::optional<CaseStatus> ParseCaseStatus(std::string_view name);

struct CaseInput {
  std::string case_number;
  std::string name;
  std::string lead_region;
  std::vector<std::string> regions;  // the lead region included, each once
  int64_t registration_opens_ms = 0;
  int64_t registration_closes_ms = 0;
  std::optional<int64_t> supplementary_closes_ms;
  int objection_window_days = 30;
  Money countersign_threshold = Money::FromFen(10000000);  // 100,000.00 yuan
};

// POST /api/v1/cases body: {case_number, name, lead_region, regions:[…], registration_opens,
// registration_closes, supplementary_closes?, objection_window_days?, countersign_threshold?}.
StatusOr<CaseInput> ParseCaseInput(const nlohmann::json& body);

struct CaseView {
  int64_t id = 0;
  CaseInput settings;
  CaseStatus status = CaseStatus::kRegistration;
  int64_t created_at_ms = 0;
};

// Where a filing made at `now_ms` falls in the case's registration windows.
enum class FilingWindow { kNotOpen, kOnTime, kLate, kClosed };
FilingWindow FilingWindowAt(const CaseView& c, int64_t now_ms);

StatusOr<CaseView> CreateCase(DbConnection& db, const ServiceContext& ctx, const Principal& actor,
                              const CaseInput& input, QueuedEntry* entry);
// NotFound("case not found") when absent. for_update locks the case row.
StatusOr<CaseView> LoadCase(DbConnection& db, int64_t case_id, bool for_update = false);
// Every case, newest first (bounded: at most 1000).
StatusOr<std::vector<CaseView>> ListCases(DbConnection& db);

// Binds a user to a case as officer or court; the user must hold that role. Conflict when
// already bound.
Status AddCaseMember(DbConnection& db, const ServiceContext& ctx, const Principal& actor,
                     int64_t case_id, int64_t user_id, const std::string& role_name,
                     QueuedEntry* entry);
// One officer or court user bound to a case (staff usernames are not personal data).
struct CaseMember {
  int64_t user_id = 0;
  std::string username;
  std::string role;  // "officer" or "court"
  int64_t added_at_ms = 0;
};
// The case's members by role, then user id (bounded: at most 1000). NotFound for no case.
StatusOr<std::vector<CaseMember>> ListCaseMembers(DbConnection& db, int64_t case_id);

// NotFound when the user is not bound to the case.
Status RemoveCaseMember(DbConnection& db, const ServiceContext& ctx, const Principal& actor,
                        int64_t case_id, int64_t user_id, QueuedEntry* entry);

// Moves the case one step forward (registration -> review -> distribution -> closed);
// anything else is Conflict (409).
StatusOr<CaseView> ChangeCaseStatus(DbConnection& db, const ServiceContext& ctx,
                                    const Principal& actor, int64_t case_id,
                                    const std::string& status_name, QueuedEntry* entry);

// Case-scoped access for staff: officers and court users must be bound to the case (else
// NotFound, as if the case's objects did not exist); auditors may read every case.
// Claimants and admins get NotFound: their access is decided object by object.
Status RequireCaseStaff(DbConnection& db, const Principal& principal, int64_t case_id);
// The cases an officer or court user is bound to, newest first (bounded: at most 1000, as
// ListCases); empty for the other roles, whose access is not by binding.
StatusOr<std::vector<int64_t>> ListOwnCaseIds(DbConnection& db, const Principal& principal);
// True when an officer or court user is bound to the case.
StatusOr<bool> IsCaseMember(DbConnection& db, const Principal& principal, int64_t case_id);

// The ledger's view of a principal.
ledger::Actor ActorOf(const Principal& principal);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CASES_H_
