#include "service/service_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "crypto/hmac.h"
#include "crypto/random.h"

namespace restitution {
namespace {

constexpr char kDataKeys[] = "data.keys";
constexpr char kIndexKey[] = "index.key";
constexpr char kSigningKey[] = "ledger-signing.key";

StatusOr<std::string> ReadSecretFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return Status::Unavailable("cannot read key file " + path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    return Status::Unavailable("key file " + path + " is readable by others; chmod 600 it");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Writes a new file with mode 0600, failing if it already exists (O_EXCL): a key is never
// silently replaced.
Status WriteNewSecretFile(const std::string& path, const std::string& content) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot create " + path + ": " + std::strerror(errno));
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return Status::Internal("cannot write " + path + ": " + std::strerror(errno));
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = fsync(fd) == 0;
  close(fd);
  if (!synced) return Status::Internal("cannot sync " + path);
  return Status::Ok();
}

std::string Trimmed(const std::string& text) {
  const size_t end = text.find_last_not_of(" \t\r\n");
  return end == std::string::npos ? "" : text.substr(0, end + 1);
}

}  // namespace

StatusOr<ServiceKeys> ServiceKeys::Load(const std::string& keys_dir) {
  ASSIGN_OR_RETURN(crypto::KeyRing ring, crypto::KeyRing::LoadFile(keys_dir + "/" + kDataKeys));
  ASSIGN_OR_RETURN(std::string index_text, ReadSecretFile(keys_dir + "/" + kIndexKey));
  StatusOr<std::string> index_key = crypto::Base64Decode(Trimmed(index_text));
  if (!index_key.ok() || index_key->size() != 32) {
    return Status::Unavailable(keys_dir + "/" + kIndexKey + " must hold 32 bytes in base64");
  }
  ASSIGN_OR_RETURN(std::string signing_text, ReadSecretFile(keys_dir + "/" + kSigningKey));
  StatusOr<std::string> seed = crypto::Base64Decode(Trimmed(signing_text));
  if (!seed.ok() || seed->size() != 32) {
    return Status::Unavailable(keys_dir + "/" + kSigningKey +
                               " must hold a 32-byte seed in base64");
  }
  return ServiceKeys(std::move(ring), std::move(index_key).value(), std::move(seed).value());
}

Status ServiceKeys::InitMissing(const std::string& keys_dir, std::vector<std::string>* created) {
  if (mkdir(keys_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Internal("cannot create " + keys_dir + ": " + std::strerror(errno));
  }
  auto missing = [&](const char* name) {
    struct stat st {};
    return stat((keys_dir + "/" + name).c_str(), &st) != 0;
  };
  if (missing(kDataKeys)) {
    RETURN_IF_ERROR(WriteNewSecretFile(keys_dir + "/" + kDataKeys,
                                       "# AES-256-GCM keys for personal data; the last is "
                                       "current. Rotate by appending a line.\n" +
                                           crypto::KeyRing::NewKeyLine("k1")));
    if (created != nullptr) created->push_back(kDataKeys);
  }
  if (missing(kIndexKey)) {
    RETURN_IF_ERROR(WriteNewSecretFile(keys_dir + "/" + kIndexKey,
                                       crypto::Base64Encode(crypto::RandomBytes(32)) + "\n"));
    if (created != nullptr) created->push_back(kIndexKey);
  }
  if (missing(kSigningKey)) {
    const crypto::Ed25519PrivateKey key = crypto::Ed25519PrivateKey::Generate();
    RETURN_IF_ERROR(
        WriteNewSecretFile(keys_dir + "/" + kSigningKey, crypto::Base64Encode(key.Seed()) + "\n"));
    if (created != nullptr) created->push_back(kSigningKey);
  }
  return Status::Ok();
}

Status ServiceKeys::RotateLedgerSigningKey(const std::string& keys_dir, int64_t now_ms,
                                           std::string* retired_path) {
  const std::string current = keys_dir + "/" + kSigningKey;
  const std::string retired = current + ".retired-" + std::to_string(now_ms);
  if (link(current.c_str(), retired.c_str()) != 0) {
    return Status::Internal("cannot keep " + current + " as " + retired + ": " +
                            std::strerror(errno));
  }
  if (unlink(current.c_str()) != 0) {
    return Status::Internal("cannot remove " + current + ": " + std::strerror(errno));
  }
  if (retired_path != nullptr) *retired_path = retired;
  return InitMissing(keys_dir, nullptr);
}

StatusOr<crypto::Ed25519PrivateKey> ServiceKeys::LedgerSigningKey() const {
  return crypto::Ed25519PrivateKey::FromSeed(signing_seed_);
}

std::string ServiceKeys::BlindIndex(std::string_view purpose, std::string_view value) const {
  std::string message(purpose);
  message += ':';
  message.append(value);
  return crypto::HmacSha256(index_key_, message);
}

StatusOr<std::string> ServiceKeys::Seal(std::string_view purpose,
                                        std::string_view plaintext) const {
  return data_.Seal(plaintext, purpose);
}

StatusOr<std::string> ServiceKeys::Open(std::string_view purpose, std::string_view sealed) const {
  return data_.Open(sealed, purpose);
}

}  // namespace restitution
