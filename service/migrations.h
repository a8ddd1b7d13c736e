// Versioned schema migrations, compiled in from service/migrations/NNNN_name.sql.
#ifndef RESTITUTION_SERVICE_MIGRATIONS_H_
#define RESTITUTION_SERVICE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "crypto/status.h"

namespace restitution {

struct EmbeddedMigration {
  int version;
  const char* name;
  const char* sql;  // statements separated by ";" at the end of a line
};

// Every migration in the repository, in version order.
const std::vector<EmbeddedMigration>& EmbeddedMigrations();

class DbConnection;

// Applies every embedded migration not yet recorded in schema_migrations, in order, under a
// named lock so two migrators never race. Refuses to run when an applied migration's
// checksum differs from the embedded one (someone edited history) or when the database has
// a version this binary does not know (it is older than the schema).
Status ApplyMigrations(DbConnection& connection, std::vector<std::string>* applied = nullptr);

// True when the database holds exactly the embedded migrations, checksums included.
StatusOr<bool> MigrationsCurrent(DbConnection& connection);

// "statement; statement;" split at semicolons that end a line. Exposed for tests.
std::vector<std::string> SplitSqlStatements(const std::string& script);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_MIGRATIONS_H_
