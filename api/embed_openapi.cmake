file(READ ${IN} doc)
file(WRITE ${OUT} "// Generated from api/openapi.json. Do not edit.\n#include \"api/openapi.h\"\n\nnamespace restitution {\n\nstd::string_view OpenApiDocument() {\n  static const char kDoc[] = R\"__json__(${doc})__json__\";\n  return {kDoc, sizeof(kDoc) - 1};\n}\n\n}  // namespace restitution\n")
