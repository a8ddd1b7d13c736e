// Runs a command-line tool (restitutionctl) as a child process with exactly the given
// environment, for end-to-end tests that check what an operator or auditor would see.
#ifndef RESTITUTION_TESTS_SUPPORT_CTL_PROCESS_H_
#define RESTITUTION_TESTS_SUPPORT_CTL_PROCESS_H_

#include <map>
#include <string>
#include <vector>

namespace restitution::testing {

struct CtlResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it never finished
  std::string out;
  std::string err;
};

// Runs binary with args and exactly env (plus PATH and the sanitizers' options), its output
// captured through files in scratch_dir; killed after timeout_seconds.
CtlResult RunCtlProcess(const std::string& binary, const std::vector<std::string>& args,
                        std::map<std::string, std::string> env, const std::string& scratch_dir,
                        int timeout_seconds = 240);

}  // namespace restitution::testing

#endif  // RESTITUTION_TESTS_SUPPORT_CTL_PROCESS_H_
