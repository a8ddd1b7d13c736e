#include "service/pool.h"

#include <algorithm>
#include <string>
#include <utility>

#include "service/cases.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr PoolAccount kAllAccounts[kPoolAccountCount] = {
    PoolAccount::kRecoveries, PoolAccount::kPool, PoolAccount::kReserve,
    PoolAccount::kPayable,    PoolAccount::kPaid, PoolAccount::kDisposalCosts};

size_t IndexOf(PoolAccount account) { return static_cast<size_t>(account); }

// Transfer kinds are identifiers chosen by our own code ("liquidation", "distribution_pay"):
// anything else is a bug, caught before it reaches the table.
bool IsKindIdentifier(std::string_view kind) {
  if (kind.empty() || kind.size() > 32 || kind[0] < 'a' || kind[0] > 'z') return false;
  for (char c : kind) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

StatusOr<PoolBalances> BalancesFromRows(const SqlRows& rows) {
  PoolBalances balances;
  for (const SqlRow& row : rows) {
    std::optional<PoolAccount> account = ParsePoolAccount(row.Bytes(0));
    if (!account) return Status::Internal("unknown pool account " + row.Bytes(0));
    balances.balance[IndexOf(*account)] = Money::FromFen(row.Int(1));
  }
  return balances;
}

// The double-entry invariant. Checked on what is stored before a change and on what is about
// to be stored after it, so a broken invariant stops the transaction instead of spreading.
Status CheckSumZero(const PoolBalances& balances, int64_t case_id) {
  Money sum;
  for (PoolAccount account : kAllAccounts) {
    StatusOr<Money> next = sum.Add(balances.Of(account));
    if (!next.ok()) return Status::Internal("pool balances overflow");
    sum = *next;
  }
  if (!sum.IsZero()) {
    return Status::Internal("the pool accounts of case " + std::to_string(case_id) + " add up to " +
                            sum.ToString() + ", not zero");
  }
  return Status::Ok();
}

Status CheckTransfer(const PoolTransfer& t) {
  if (t.amount.fen() <= 0) return Status::Internal("a pool transfer must move a positive amount");
  if (t.from == t.to) return Status::Internal("a pool transfer must join two accounts");
  return Status::Ok();
}

// Locks the case's balance rows, creating them on its first transfer. The upsert takes the
// rows' exclusive locks itself, so two first transfers on a new case queue behind each other
// instead of both reading "no rows" (a shared lock upgraded later would deadlock).
StatusOr<PoolBalances> LockBalances(DbConnection& db, int64_t case_id) {
  const std::string select =
      "SELECT account, balance_fen FROM pool_balances WHERE case_id = ? FOR UPDATE";
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(select, {case_id}));
  if (rows.size() != kPoolAccountCount) {
    ASSIGN_OR_RETURN(SqlRows cases, db.Query("SELECT 1 FROM cases WHERE id = ?", {case_id}));
    if (cases.empty()) return Status::NotFound("case not found");
    std::vector<SqlParam> params;
    for (PoolAccount account : kAllAccounts) {
      params.emplace_back(case_id);
      params.emplace_back(PoolAccountName(account));
    }
    RETURN_IF_ERROR(db.Exec("INSERT INTO pool_balances (case_id, account, balance_fen) VALUES "
                            "(?, ?, 0), (?, ?, 0), (?, ?, 0), (?, ?, 0), (?, ?, 0), (?, ?, 0) "
                            "ON DUPLICATE KEY UPDATE balance_fen = balance_fen",
                            params)
                        .status());
    ASSIGN_OR_RETURN(rows, db.Query(select, {case_id}));
    if (rows.size() != kPoolAccountCount) {
      return Status::Internal("pool balances of case " + std::to_string(case_id) + " incomplete");
    }
  }
  return BalancesFromRows(rows);
}

}  // namespace

std::string_view PoolAccountName(PoolAccount account) {
  switch (account) {
    case PoolAccount::kRecoveries:
      return "recoveries";
    case PoolAccount::kPool:
      return "pool";
    case PoolAccount::kReserve:
      return "reserve";
    case PoolAccount::kPayable:
      return "payable";
    case PoolAccount::kPaid:
      return "paid";
    case PoolAccount::kDisposalCosts:
      return "disposal_costs";
  }
  return "pool";
}

std::optional<PoolAccount> ParsePoolAccount(std::string_view name) {
  for (PoolAccount account : kAllAccounts) {
    if (PoolAccountName(account) == name) return account;
  }
  return std::nullopt;
}

Json TransfersJson(const std::vector<PoolTransfer>& transfers) {
  Json list = Json::array();
  for (const PoolTransfer& t : transfers) {
    list.push_back({{"from", std::string(PoolAccountName(t.from))},
                    {"to", std::string(PoolAccountName(t.to))},
                    {"amount", t.amount.ToString()}});
  }
  return list;
}

StatusOr<std::vector<PoolTransfer>> ParseTransfersJson(const Json& transfers) {
  if (!transfers.is_array()) return Status::InvalidArgument("transfers", "must be an array");
  std::vector<PoolTransfer> out;
  for (size_t i = 0; i < transfers.size(); ++i) {
    const std::string path = "transfers[" + std::to_string(i) + "]";
    const Json& item = transfers[i];
    if (!item.is_object() || item.size() != 3 || !item.contains("from") || !item.contains("to") ||
        !item.contains("amount")) {
      return Status::InvalidArgument(path, "must be exactly {\"from\",\"to\",\"amount\"}");
    }
    PoolTransfer t;
    for (const char* key : {"from", "to"}) {
      const Json& name = item[key];
      std::optional<PoolAccount> account =
          name.is_string() ? ParsePoolAccount(name.get<std::string>()) : std::nullopt;
      if (!account) {
        return Status::InvalidArgument(path + "." + key, "is not a pool account");
      }
      (std::string_view(key) == "from" ? t.from : t.to) = *account;
    }
    if (t.from == t.to) return Status::InvalidArgument(path + ".to", "must differ from from");
    if (!item["amount"].is_string()) {
      return Status::InvalidArgument(path + ".amount", "must be a money string");
    }
    ASSIGN_OR_RETURN(t.amount, Money::Parse(item["amount"].get<std::string>(), path + ".amount"));
    if (t.amount.IsZero()) {
      return Status::InvalidArgument(path + ".amount", "must be greater than 0");
    }
    out.push_back(t);
  }
  return out;
}

Status ApplyTransfers(DbConnection& db, int64_t case_id, std::string_view kind,
                      const TransferRefs& refs, const std::vector<PoolTransfer>& transfers,
                      int64_t at_ms) {
  if (!IsKindIdentifier(kind)) return Status::Internal("bad pool transfer kind");
  for (const PoolTransfer& t : transfers) RETURN_IF_ERROR(CheckTransfer(t));
  if (transfers.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(PoolBalances balances, LockBalances(db, case_id));
  RETURN_IF_ERROR(CheckSumZero(balances, case_id));
  // Every check before the first write: a refusal leaves nothing behind even if the caller
  // (wrongly) commits afterwards.
  PoolBalances after = balances;
  bool touched[kPoolAccountCount] = {};
  for (const PoolTransfer& t : transfers) {
    Money& from = after.balance[IndexOf(t.from)];
    Money& to = after.balance[IndexOf(t.to)];
    StatusOr<Money> debited = from.Sub(t.amount);
    StatusOr<Money> credited = to.Add(t.amount);
    if (!debited.ok() || !credited.ok()) {
      return Status::RuleViolated("", "amount overflow").WithReason("amount_overflow");
    }
    if (t.from != PoolAccount::kRecoveries && debited->IsNegative()) {
      return Status::RuleViolated("", "the " + std::string(PoolAccountName(t.from)) +
                                          " account holds " + from.ToString() + ", less than the " +
                                          t.amount.ToString() + " to move")
          .WithReason("insufficient_funds");
    }
    from = *debited;
    to = *credited;
    touched[IndexOf(t.from)] = true;
    touched[IndexOf(t.to)] = true;
  }
  RETURN_IF_ERROR(CheckSumZero(after, case_id));
  for (const PoolTransfer& t : transfers) {
    RETURN_IF_ERROR(db.Exec("INSERT INTO pool_transfers (case_id, kind, from_account, "
                            "to_account, amount_fen, asset_id, run_id, claim_id, at_ms) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            {case_id, kind, PoolAccountName(t.from), PoolAccountName(t.to),
                             t.amount.fen(), refs.asset_id, refs.run_id, refs.claim_id, at_ms})
                        .status());
  }
  for (PoolAccount account : kAllAccounts) {
    if (!touched[IndexOf(account)]) continue;
    RETURN_IF_ERROR(db.Exec("UPDATE pool_balances SET balance_fen = ? WHERE case_id = ? AND "
                            "account = ?",
                            {after.Of(account).fen(), case_id, PoolAccountName(account)})
                        .status());
  }
  return Status::Ok();
}

StatusOr<PoolBalances> ReadPoolBalances(DbConnection& db, int64_t case_id, bool for_update) {
  if (for_update) return LockBalances(db, case_id);
  // One statement reads one committed state of all the rows: the figures always balance.
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT account, balance_fen FROM pool_balances "
                                          "WHERE case_id = ?",
                                          {case_id}));
  return BalancesFromRows(rows);
}

StatusOr<std::vector<StoredPoolTransfer>> ReadPoolTransfers(DbConnection& db, int64_t case_id,
                                                            int limit, int64_t before_id) {
  limit = std::clamp(limit, 1, kMaxTransfersListed);
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT id, kind, from_account, to_account, amount_fen, asset_id, "
                            "run_id, claim_id, at_ms FROM pool_transfers WHERE case_id = ? AND "
                            "(? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                            {case_id, before_id, before_id, limit}));
  std::vector<StoredPoolTransfer> out;
  for (const SqlRow& row : rows) {
    StoredPoolTransfer t;
    t.id = row.Int(0);
    t.kind = row.Bytes(1);
    std::optional<PoolAccount> from = ParsePoolAccount(row.Bytes(2));
    std::optional<PoolAccount> to = ParsePoolAccount(row.Bytes(3));
    if (!from || !to) return Status::Internal("unknown pool account in transfer");
    t.transfer = PoolTransfer{*from, *to, Money::FromFen(row.Int(4))};
    t.refs.asset_id = row.OptionalInt(5);
    t.refs.run_id = row.OptionalInt(6);
    t.refs.claim_id = row.OptionalInt(7);
    t.at_ms = row.Int(8);
    out.push_back(std::move(t));
  }
  return out;
}

StatusOr<PoolStatement> ReadCasePool(DbConnection& db, const Principal& reader, int64_t case_id,
                                     int recent_limit) {
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  PoolStatement statement;
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT account, balance_fen FROM pool_balances "
                                          "WHERE case_id = ? LOCK IN SHARE MODE",
                                          {case_id}));
  ASSIGN_OR_RETURN(statement.balances, BalancesFromRows(rows));
  RETURN_IF_ERROR(CheckSumZero(statement.balances, case_id));
  ASSIGN_OR_RETURN(statement.recent, ReadPoolTransfers(db, case_id, recent_limit));
  return statement;
}

}  // namespace restitution
