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

// For valid UTF-8 text: true when it holds a C0 control, DEL, a C1 control, or an invisible
// format character that changes how text reads without showing: zero-width characters and
// marks (U+200B-200F), bidirectional embeddings and overrides (U+202A-202E;
// "invoice\u202Efdp.exe" displays as "invoiceexe.pdf"), isolates (U+2066-2069) and the
// byte-order mark (U+FEFF). With them, two names that read the same would compare different.
bool HasControlOrInvisibleCharacter(std::string_view valid_utf8);

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_UTF8_H_
