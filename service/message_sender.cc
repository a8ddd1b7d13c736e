#include "service/message_sender.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "service/clock.h"

namespace restitution {

Status FileMessageSender::SendSms(const std::string& to, const std::string& text, int64_t at_ms) {
  const std::string line =
      nlohmann::json{{"to", to}, {"text", text}, {"time", FormatUtcMs(at_ms)}}.dump() + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  if (mkdir(outbox_dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Unavailable("cannot create " + outbox_dir_ + ": " + std::strerror(errno));
  }
  const std::string path = outbox_dir_ + "/sms.log";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot open " + path + ": " + std::strerror(errno));
  const ssize_t written = write(fd, line.data(), line.size());
  close(fd);
  if (written != static_cast<ssize_t>(line.size())) {
    return Status::Unavailable("cannot append to " + path);
  }
  return Status::Ok();
}

}  // namespace restitution
