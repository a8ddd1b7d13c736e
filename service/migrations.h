// Versioned schema migrations, compiled in from service/migrations/NNNN_name.sql.
#ifndef RESTITUTION_SERVICE_MIGRATIONS_H_
#define RESTITUTION_SERVICE_MIGRATIONS_H_

#include <string>
#include <vector>

namespace restitution {

struct EmbeddedMigration {
  int version;
  const char* name;
  const char* sql;  // statements separated by ";" at the end of a line
};

// Every migration in the repository, in version order.
const std::vector<EmbeddedMigration>& EmbeddedMigrations();

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_MIGRATIONS_H_
