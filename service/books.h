// The seized books (账册) of a case: imported whole from CSV (books_csv.h), matched to claims
// through the person blind index, shown to officers beside the declared figures and to the
// participant as their "scheduled amount".
#ifndef RESTITUTION_SERVICE_BOOKS_H_
#define RESTITUTION_SERVICE_BOOKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/money.h"

namespace restitution {

struct BookAccountFigures {
  std::string platform_account;
  Money deposits;
  Money withdrawals;
};

// Everything the books say about one person in one case.
struct BookFigures {
  std::vector<BookAccountFigures> accounts;
  Money deposits;     // Σ over the person's accounts
  Money withdrawals;  // Σ over the person's accounts
  Money net;          // max(0, deposits - withdrawals): the amount the books support
};

// nullopt when the books (if any were imported) hold no account for this person.
// person_hash: PersonIndex of the normalised ID number (person_index.h).
StatusOr<std::optional<BookFigures>> ReadBookFigures(DbConnection& db, int64_t case_id,
                                                     const std::string& person_hash);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_BOOKS_H_
