// UTF-8 validation shared by the canonical JSON encoder and the signed-note parser, both of
// which must refuse text that different decoders could read differently.
#ifndef RESTITUTION_LEDGER_UTF8_H_
#define RESTITUTION_LEDGER_UTF8_H_

#include <string_view>

namespace restitution::ledger {

// True when text is well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences. The empty
// string is valid.
bool IsValidUtf8(std::string_view text);

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_UTF8_H_
