// MessageSender: how text messages leave the service. The built-in FileMessageSender appends
// to $RESTITUTION_VAR/outbox/sms.log so everything works without an SMS gateway; a real
// gateway implements the same interface.
#ifndef RESTITUTION_SERVICE_MESSAGE_SENDER_H_
#define RESTITUTION_SERVICE_MESSAGE_SENDER_H_

#include <cstdint>
#include <mutex>
#include <string>

#include "crypto/status.h"

namespace restitution {

class MessageSender {
 public:
  virtual ~MessageSender() = default;
  virtual Status SendSms(const std::string& to, const std::string& text, int64_t at_ms) = 0;
};

// One JSON line per message: {"to":…,"text":…,"time":…}. The file is created 0600: it holds
// phone numbers and codes, exactly what a gateway would receive.
class FileMessageSender : public MessageSender {
 public:
  explicit FileMessageSender(std::string outbox_dir) : outbox_dir_(std::move(outbox_dir)) {}
  Status SendSms(const std::string& to, const std::string& text, int64_t at_ms) override;

 private:
  const std::string outbox_dir_;
  std::mutex mu_;  // one writer at a time keeps lines whole
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_MESSAGE_SENDER_H_
