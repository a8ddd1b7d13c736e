#include "crypto/key_ring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include <openssl/crypto.h>

#include "crypto/aes_gcm.h"
#include "crypto/encoding.h"
#include "crypto/random.h"

namespace restitution::crypto {
namespace {

constexpr char kFormatVersion = 0x01;
constexpr size_t kMaxKeyIdLength = 64;
// A key file holds a few short lines; anything larger is not a key file.
constexpr off_t kMaxKeyFileSize = 1 << 20;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

Status LineError(size_t line_number, std::string_view problem) {
  return Status::InvalidArgument(
      "", "key ring line " + std::to_string(line_number) + ": " + std::string(problem));
}

void Wipe(std::string& s) { OPENSSL_cleanse(s.data(), s.size()); }

std::string ErrnoMessage(int error) { return std::generic_category().message(error); }

// The authenticated header: version || id length || id.
std::string Header(std::string_view key_id) {
  std::string header;
  header.push_back(kFormatVersion);
  header.push_back(static_cast<char>(key_id.size()));
  header.append(key_id);
  return header;
}

// Reads an already-open key file, checking permissions on the descriptor itself so the
// file checked is the file read.
StatusOr<std::string> ReadKeyFile(int fd, const std::string& path) {
  struct stat info;
  if (fstat(fd, &info) != 0) {
    return Status::Internal("key file " + path + ": " + ErrnoMessage(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    return Status::InvalidArgument("", "key file " + path + " is not a regular file");
  }
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return Status::PermissionDenied("key file " + path + " has mode " + mode +
                                    ", which lets group or others access it; run chmod 600 " +
                                    path);
  }
  if (info.st_size > kMaxKeyFileSize) {
    return Status::InvalidArgument("", "key file " + path + " is larger than 1 MiB");
  }
  std::string contents;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      Wipe(contents);
      return Status::Internal("key file " + path + ": " + ErrnoMessage(error));
    }
    contents.append(buffer, static_cast<size_t>(n));
    // Checked again while reading: the file may have grown since fstat.
    if (contents.size() > static_cast<size_t>(kMaxKeyFileSize)) {
      Wipe(contents);
      OPENSSL_cleanse(buffer, sizeof(buffer));
      return Status::InvalidArgument("", "key file " + path + " is larger than 1 MiB");
    }
  }
  OPENSSL_cleanse(buffer, sizeof(buffer));
  return contents;
}

}  // namespace

bool KeyRing::IsValidKeyId(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > kMaxKeyIdLength) return false;
  for (char c : key_id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

StatusOr<KeyRing> KeyRing::Parse(std::string_view text) {
  KeyRing ring;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    const std::string_view line = Trim(end == std::string_view::npos ? text : text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;

    size_t gap = 0;
    while (gap < line.size() && !IsBlank(line[gap])) ++gap;
    const std::string_view id = line.substr(0, gap);
    const std::string_view encoded = Trim(line.substr(gap));
    if (!IsValidKeyId(id)) {
      return LineError(line_number, "key id must be 1-64 characters of [A-Za-z0-9_-]");
    }
    if (encoded.empty()) return LineError(line_number, "missing key after the key id");
    for (char c : encoded) {
      if (IsBlank(c)) return LineError(line_number, "expected \"<key_id> <base64 key>\"");
    }
    if (ring.Find(id) != nullptr) {
      return LineError(line_number, "duplicate key id \"" + std::string(id) + "\"");
    }
    StatusOr<std::string> key = Base64Decode(encoded);
    if (!key.ok()) {
      return LineError(line_number, "key is not valid base64 (" + key.status().message() + ")");
    }
    if (key->size() != kAesKeySize) {
      Wipe(*key);
      return LineError(line_number, "key must be 32 bytes, got " + std::to_string(key->size()));
    }
    ring.keys_.push_back(Key{std::string(id), std::move(*key)});
  }
  if (ring.keys_.empty()) return Status::InvalidArgument("", "key ring has no keys");
  return ring;
}

StatusOr<KeyRing> KeyRing::LoadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const std::string message = "key file " + path + ": " + ErrnoMessage(error);
    if (error == ENOENT) return Status::NotFound(message);
    if (error == EACCES) return Status::PermissionDenied(message);
    return Status::Internal(message);
  }
  StatusOr<std::string> contents = ReadKeyFile(fd, path);
  close(fd);
  if (!contents.ok()) return contents.status();
  StatusOr<KeyRing> ring = Parse(*contents);
  Wipe(*contents);
  if (!ring.ok()) {
    return Status::InvalidArgument("", "key file " + path + ": " + ring.status().message());
  }
  return ring;
}

std::string KeyRing::NewKeyLine(const std::string& key_id) {
  std::string key = RandomBytes(kAesKeySize);
  std::string line = key_id + " " + Base64Encode(key) + "\n";
  Wipe(key);
  return line;
}

KeyRing::~KeyRing() {
  for (Key& key : keys_) Wipe(key.material);
}

const KeyRing::Key* KeyRing::Find(std::string_view id) const {
  for (const Key& key : keys_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

const std::string& KeyRing::current_key_id() const {
  static const std::string kNone;
  return keys_.empty() ? kNone : keys_.back().id;
}

StatusOr<std::string> KeyRing::Seal(std::string_view plaintext, std::string_view aad) const {
  if (keys_.empty()) return Status::Internal("KeyRing::Seal on a moved-from key ring");
  const Key& key = keys_.back();
  std::string sealed = Header(key.id);
  // The header is length-prefixed, so header || aad splits back into exactly one pair.
  ASSIGN_OR_RETURN(std::string body,
                   AesGcmSeal(key.material, plaintext, sealed + std::string(aad)));
  sealed += body;
  return sealed;
}

StatusOr<std::string> KeyRing::Open(std::string_view sealed, std::string_view aad) const {
  if (sealed.size() < 2) return Status::InvalidArgument("", "sealed data too short");
  if (sealed[0] != kFormatVersion) {
    return Status::InvalidArgument("", "unsupported sealed data version");
  }
  const size_t id_length = static_cast<unsigned char>(sealed[1]);
  if (sealed.size() < 2 + id_length) return Status::InvalidArgument("", "sealed data too short");
  const std::string_view id = sealed.substr(2, id_length);
  // Validated before it is echoed in an error message.
  if (!IsValidKeyId(id)) return Status::InvalidArgument("", "malformed key id in sealed data");
  const Key* key = Find(id);
  if (key == nullptr) {
    return Status::InvalidArgument("", "sealed with unknown key id \"" + std::string(id) + "\"");
  }
  const std::string_view header = sealed.substr(0, 2 + id_length);
  return AesGcmOpen(key->material, sealed.substr(header.size()),
                    std::string(header) + std::string(aad));
}

}  // namespace restitution::crypto
