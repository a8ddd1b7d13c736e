# Writes OUT: the text file IN as `std::string_view FUNCTION()` in namespace restitution,
# declared in HEADER, so a binary carries the text it serves or shows and never reads a data
# file at run time. Used for api/openapi.json and service/region_names.tsv.
file(READ ${IN} text)
string(FIND "${text}" ")__text__" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string's delimiter )__text__")
endif()
file(RELATIVE_PATH source ${ROOT} ${IN})
file(WRITE ${OUT} "// Generated from ${source} by service/embed_text.cmake. Do not edit.\n"
  "#include \"${HEADER}\"\n\nnamespace restitution {\n\n"
  "std::string_view ${FUNCTION}() {\n"
  "  static const char kText[] = R\"__text__(${text})__text__\";\n"
  "  return {kText, sizeof(kText) - 1};\n}\n\n}  // namespace restitution\n")
