# Writes OUT: the text file IN as `std::string_view FUNCTION()` in namespace restitution,
# declared in HEADER, so a binary carries the text it serves or shows and never reads a data
# file at run time. Used for api/openapi.json and service/region_names.tsv.
#
# The text goes out as raw string literals of at most kChunk bytes, cut after a newline (so
# no UTF-8 character is split), joined once at first use: compilers need not accept a longer
# literal (clang's -Woverlength-strings, 65536).
set(kChunk 60000)
file(READ ${IN} text)
string(FIND "${text}" ")__text__" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string's delimiter )__text__")
endif()
set(chunks "")
string(LENGTH "${text}" left)
while(left GREATER kChunk)
  string(SUBSTRING "${text}" 0 ${kChunk} head)
  string(FIND "${head}" "\n" cut REVERSE)
  if(cut EQUAL -1)
    message(FATAL_ERROR "${IN} has a line longer than ${kChunk} bytes")
  endif()
  math(EXPR cut "${cut} + 1")
  string(SUBSTRING "${text}" 0 ${cut} piece)
  string(APPEND chunks "      R\"__text__(${piece})__text__\",\n")
  string(SUBSTRING "${text}" ${cut} -1 text)
  string(LENGTH "${text}" left)
endwhile()
string(APPEND chunks "      R\"__text__(${text})__text__\",\n")
file(RELATIVE_PATH source ${ROOT} ${IN})
file(WRITE ${OUT} "// Generated from ${source} by service/embed_text.cmake. Do not edit.\n"
  "#include \"${HEADER}\"\n\n#include <string>\n\nnamespace restitution {\n\n"
  "std::string_view ${FUNCTION}() {\n"
  "  static const char* const kChunks[] = {\n${chunks}  };\n"
  "  static const std::string kText = [] {\n"
  "    std::string text;\n"
  "    for (const char* chunk : kChunks) text += chunk;\n"
  "    return text;\n"
  "  }();\n"
  "  return kText;\n}\n\n}  // namespace restitution\n")
