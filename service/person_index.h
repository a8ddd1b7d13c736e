// The keyed blind index that identifies a person across claims, books and cases without
// decrypting anything: HMAC of the normalised resident ID number. One definition, so a claim
// and a books row of the same person always meet.
#ifndef RESTITUTION_SERVICE_PERSON_INDEX_H_
#define RESTITUTION_SERVICE_PERSON_INDEX_H_

#include <string>

#include "service/service_keys.h"

namespace restitution {

// normalized_id_number: ResidentId::number (17 digits and a digit or 'X').
inline std::string PersonIndex(const ServiceKeys& keys, const std::string& normalized_id_number) {
  return keys.BlindIndex("id_number", normalized_id_number);
}

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_PERSON_INDEX_H_
