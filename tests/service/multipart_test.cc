#include "service/multipart.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "service/evidence_file.h"

namespace restitution {
namespace {

constexpr char kBoundary[] = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

std::string Part(const std::string& headers, const std::string& content,
                 const std::string& boundary = kBoundary) {
  return "--" + boundary + "\r\n" + headers + "\r\n" + content + "\r\n";
}

std::string Close(const std::string& boundary = kBoundary) { return "--" + boundary + "--\r\n"; }

std::string FilePart(const std::string& filename, const std::string& content,
                     const std::string& boundary = kBoundary) {
  return Part("Content-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                  "\"\r\nContent-Type: application/octet-stream\r\n",
              content, boundary);
}

std::string FieldPart(const std::string& name, const std::string& value) {
  return Part("Content-Disposition: form-data; name=\"" + name + "\"\r\n", value);
}

StatusOr<std::vector<MultipartPart>> Parse(const std::string& body,
                                           const MultipartLimits& limits = {}) {
  return ParseMultipartFormData(body, kBoundary, limits);
}

void ExpectMalformed(const std::string& body, const std::string& words) {
  StatusOr<std::vector<MultipartPart>> parts = Parse(body);
  ASSERT_FALSE(parts.ok()) << body;
  EXPECT_EQ(parts.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parts.status().field(), "");
  EXPECT_NE(parts.status().message().find(words), std::string::npos) << parts.status().message();
}

// ---- the Content-Type header -------------------------------------------------------------

TEST(MultipartBoundaryTest, PlainAndQuotedBoundaries) {
  EXPECT_EQ(*MultipartFormDataBoundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(*MultipartFormDataBoundary("Multipart/Form-Data;boundary=abc"), "abc");
  EXPECT_EQ(*MultipartFormDataBoundary("multipart/form-data; charset=utf-8; BOUNDARY=x-y"), "x-y");
  // Characters that need quoting: space (not last), colon, equals, question mark, slash.
  EXPECT_EQ(*MultipartFormDataBoundary("multipart/form-data; boundary=\"a b:c=d?e/f\""),
            "a b:c=d?e/f");
  EXPECT_EQ(*MultipartFormDataBoundary("multipart/form-data; boundary=" + std::string(70, 'b')),
            std::string(70, 'b'));
}

TEST(MultipartBoundaryTest, RefusesWhatIsNotAUsableBoundary) {
  for (const std::string& bad : {
           std::string("application/pdf"),
           std::string("multipart/mixed; boundary=abc"),
           std::string("multipart/form-data"),
           std::string("multipart/form-data; boundary="),
           std::string("multipart/form-data; boundary=\"\""),
           std::string("multipart/form-data; boundary=\"abc"),
           std::string("multipart/form-data; boundary=\"abc \""),
           std::string("multipart/form-data; boundary=a;boundary=b"),
           std::string("multipart/form-data; boundary=") + std::string(71, 'b'),
           std::string("multipart/form-data; boundary=\"a<b\""),
           std::string("multipart/form-data; boundary abc"),
       }) {
    StatusOr<std::string> boundary = MultipartFormDataBoundary(bad);
    ASSERT_FALSE(boundary.ok()) << bad;
    EXPECT_EQ(boundary.status().field(), "Content-Type") << bad;
  }
}

TEST(MultipartBoundaryTest, RecognisesTheMediaType) {
  EXPECT_TRUE(IsMultipartFormData("multipart/form-data; boundary=x"));
  EXPECT_TRUE(IsMultipartFormData(" MULTIPART/FORM-DATA"));
  EXPECT_FALSE(IsMultipartFormData("application/octet-stream"));
  EXPECT_FALSE(IsMultipartFormData("multipart/form-datax"));
  EXPECT_FALSE(IsMultipartFormData(""));
}

// ---- the body ------------------------------------------------------------------------------

TEST(MultipartParseTest, FindsEveryPartAndItsExactBytes) {
  // Binary content with CR, LF, NUL, dashes and a near-miss of the boundary inside.
  const std::string content = std::string("%PDF-1.7\r\n\0\r\n--", 15) + "\n--" +
                              std::string(kBoundary).substr(0, 10) + "\r\n%%EOF";
  const std::string body =
      FilePart("对账单.pdf", content) + FieldPart("purpose", "authority") + Close();
  StatusOr<std::vector<MultipartPart>> parts = Parse(body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  const MultipartPart& file = (*parts)[0];
  EXPECT_EQ(file.name, "file");
  ASSERT_TRUE(file.filename.has_value());
  EXPECT_EQ(*file.filename, "对账单.pdf");
  EXPECT_EQ(file.content_type, "application/octet-stream");
  EXPECT_EQ(file.Content(body), content);
  const MultipartPart& purpose = (*parts)[1];
  EXPECT_EQ(purpose.name, "purpose");
  EXPECT_FALSE(purpose.filename.has_value());
  EXPECT_EQ(purpose.content_type, "");
  EXPECT_EQ(purpose.Content(body), "authority");
}

TEST(MultipartParseTest, AQuotedBoundaryWithSpacesWorks) {
  const std::string boundary = "my boundary:1";
  const std::string body = FilePart("a.png", "PNGDATA", boundary) + Close(boundary);
  StatusOr<std::vector<MultipartPart>> parts = ParseMultipartFormData(body, boundary);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].Content(body), "PNGDATA");
}

TEST(MultipartParseTest, EmptyContentAndNoFinalCrlfAreFine) {
  const std::string body = FieldPart("purpose", "") + "--" + kBoundary + "--";
  StatusOr<std::vector<MultipartPart>> parts = Parse(body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ((*parts)[0].size, 0u);
}

TEST(MultipartParseTest, HeaderNamesAreCaseInsensitiveAndUnknownOnesIgnored) {
  const std::string body = Part(
                               "content-disposition: FORM-DATA; NAME=file; Filename=a.pdf\r\n"
                               "X-Whatever: 1\r\nContent-Transfer-Encoding: binary\r\n",
                               "x") +
                           Close();
  StatusOr<std::vector<MultipartPart>> parts = Parse(body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ((*parts)[0].name, "file");
  EXPECT_EQ(*(*parts)[0].filename, "a.pdf");
}

TEST(MultipartParseTest, LineEndingsMustBeCrlf) {
  std::string lf_only = FilePart("a.pdf", "x") + Close();
  std::string converted;
  for (size_t i = 0; i < lf_only.size(); ++i) {
    if (lf_only[i] == '\r' && i + 1 < lf_only.size() && lf_only[i + 1] == '\n') continue;
    converted.push_back(lf_only[i]);
  }
  ExpectMalformed(converted, "CRLF");
  // A bare LF inside the header block.
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"file\"\nX: y\r\n", "x") + Close(),
                  "bare CR or LF");
  // A bare CR inside the header block.
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"a\"\rX: y\r\n", "x") + Close(),
                  "bare CR or LF");
  // Transport padding after a delimiter is not accepted either.
  ExpectMalformed("--" + std::string(kBoundary) + " \r\n" +
                      "Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n" + Close(),
                  "CRLF after its first boundary");
}

TEST(MultipartParseTest, TheClosingBoundaryIsRequired) {
  ExpectMalformed(FilePart("a.pdf", "content"), "without its closing boundary");
  ExpectMalformed("--" + std::string(kBoundary) +
                      "\r\nContent-Disposition: form-data; name=\"file\"; "
                      "filename=\"a.pdf\"\r\n\r\ncontent cut short",
                  "without its closing boundary");
  ExpectMalformed("", "must start with its boundary");
  ExpectMalformed(Close(), "has no parts");
}

TEST(MultipartParseTest, NoPreambleOrEpilogue) {
  ExpectMalformed("preamble\r\n" + FilePart("a.pdf", "x") + Close(), "must start with");
  ExpectMalformed(FilePart("a.pdf", "x") + Close() + "epilogue", "after its closing boundary");
  ExpectMalformed(FilePart("a.pdf", "x") + Close() + "\r\n", "after its closing boundary");
}

TEST(MultipartParseTest, TheBoundaryMustNotOccurInsideAPart) {
  ExpectMalformed(FilePart("a.pdf", "x\r\n--" + std::string(kBoundary) + "X more") + Close(),
                  "boundary inside a part");
}

TEST(MultipartParseTest, EveryPartNeedsAFormDataDispositionWithAName) {
  ExpectMalformed(Part("Content-Type: text/plain\r\n", "x") + Close(),
                  "without Content-Disposition");
  ExpectMalformed(Part("", "x") + Close(), "without Content-Disposition");
  ExpectMalformed(Part("Content-Disposition: form-data; filename=\"a.pdf\"\r\n", "x") + Close(),
                  "without a name");
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"\"\r\n", "x") + Close(),
                  "without a name");
  ExpectMalformed(Part("Content-Disposition: attachment; name=\"file\"\r\n", "x") + Close(),
                  "not form-data");
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"a\"\r\n"
                       "Content-Disposition: form-data; name=\"b\"\r\n",
                       "x") +
                      Close(),
                  "two Content-Disposition");
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n", "x") + Close(),
                  "twice");
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"a\r\n", "x") + Close(),
                  "unterminated quoted string");
  ExpectMalformed(Part("Content-Disposition: form-data; name\r\n", "x") + Close(),
                  "without a value");
}

TEST(MultipartParseTest, HeaderLinesAreStrict) {
  ExpectMalformed(Part("Content-Disposition: form-data;\r\n name=\"a\"\r\n", "x") + Close(),
                  "folded");
  ExpectMalformed(Part("Content-Disposition form-data; name=\"a\"\r\n", "x") + Close(),
                  "without a colon");
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"a\x01\"\r\n", "x") + Close(),
                  "control character");
  ExpectMalformed(
      Part("Bad Name: 1\r\nContent-Disposition: form-data; name=\"a\"\r\n", "x") + Close(),
      "forbidden character");
  ExpectMalformed(Part("Content-Disposition: form-data; name=\"a\"\r\n"
                       "Content-Transfer-Encoding: base64\r\n",
                       "eA==") +
                      Close(),
                  "Content-Transfer-Encoding");
}

TEST(MultipartParseTest, HugeHeadersAreRefusedWithoutScanningTheBody) {
  const std::string long_value(9000, 'a');
  ExpectMalformed(
      Part("Content-Disposition: form-data; name=\"file\"; filename=\"" + long_value + "\"\r\n",
           "x") +
          Close(),
      "longer than 8192 bytes");
  // Just inside the limit is fine.
  MultipartLimits limits;
  limits.max_header_bytes = 100;
  const std::string headers = "Content-Disposition: form-data; name=\"a\"\r\n";
  const std::string padded = headers + "X: " + std::string(100 - headers.size() - 7, 'p') + "\r\n";
  ASSERT_EQ(padded.size() + 2, 100u);
  EXPECT_TRUE(Parse(Part(padded, "x") + Close(), limits).ok());
  const std::string over = headers + "X: " + std::string(100 - headers.size() - 6, 'p') + "\r\n";
  EXPECT_FALSE(Parse(Part(over, "x") + Close(), limits).ok());
}

TEST(MultipartParseTest, TooManyPartsAreRefused) {
  MultipartLimits limits;
  limits.max_parts = 3;
  std::string body;
  for (int i = 0; i < 3; ++i) body += FieldPart("f" + std::to_string(i), "v");
  EXPECT_TRUE(Parse(body + Close(), limits).ok());
  body += FieldPart("f3", "v");
  StatusOr<std::vector<MultipartPart>> parts = Parse(body + Close(), limits);
  ASSERT_FALSE(parts.ok());
  EXPECT_NE(parts.status().message().find("more than 3 parts"), std::string::npos);
}

TEST(MultipartParseTest, QuotedFilenamesKeepWindowsPathsAndUnescapeQuotes) {
  const std::string body =
      Part("Content-Disposition: form-data; name=\"file\"; filename=\"C:\\Users\\x\\a.pdf\"\r\n",
           "x") +
      Part("Content-Disposition: form-data; name=\"b\"; filename=\"say \\\"hi\\\" \\\\ .pdf\"\r\n",
           "y") +
      Close();
  StatusOr<std::vector<MultipartPart>> parts = Parse(body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ(*(*parts)[0].filename, "C:\\Users\\x\\a.pdf");
  EXPECT_EQ(*SanitizeEvidenceFilename(*(*parts)[0].filename, "filename"), "a.pdf");
  EXPECT_EQ(*(*parts)[1].filename, "say \"hi\" \\ .pdf");
}

TEST(MultipartParseTest, PathTraversalNamesComeOutAsTheirBaseName) {
  const std::string body =
      FilePart("../../etc/passwd", "x") + FilePart("..\\..\\windows\\system.ini", "y") + Close();
  StatusOr<std::vector<MultipartPart>> parts = Parse(body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ(*(*parts)[0].filename, "../../etc/passwd");  // the parser reports, never rewrites
  EXPECT_EQ(*SanitizeEvidenceFilename(*(*parts)[0].filename, "filename"), "passwd");
  EXPECT_EQ(*SanitizeEvidenceFilename(*(*parts)[1].filename, "filename"), "system.ini");
  EXPECT_FALSE(SanitizeEvidenceFilename("../..", "filename").ok());
}

TEST(MultipartParseTest, ExtendedFilenameIsUtf8AndWins) {
  const std::string body =
      Part(
          "Content-Disposition: form-data; name=\"file\"; "
          "filename=\"fallback.pdf\"; filename*=UTF-8''%E5%87%AD%E8%AF%81.pdf\r\n",
          "x") +
      Close();
  StatusOr<std::vector<MultipartPart>> parts = Parse(body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ(*(*parts)[0].filename, "凭证.pdf");
  for (const std::string& bad : {std::string("ISO-8859-1''a.pdf"), std::string("UTF-8''%E5%8"),
                                 std::string("a.pdf"), std::string("UTF-8'z_h'a.pdf")}) {
    ExpectMalformed(
        Part("Content-Disposition: form-data; name=\"file\"; filename*=" + bad + "\r\n", "x") +
            Close(),
        "filename*");
  }
}

// ---- a form with one file ----------------------------------------------------------------

StatusOr<SingleFileForm> ParseForm(const std::string& body) {
  return ParseSingleFileForm(body, kBoundary, "file", {"purpose"});
}

TEST(SingleFileFormTest, OneFileAndItsFields) {
  const std::string body = FieldPart("purpose", "authority") + FilePart("a.png", "PNG") + Close();
  StatusOr<SingleFileForm> form = ParseForm(body);
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->file.Content(body), "PNG");
  EXPECT_EQ(*form->file.filename, "a.png");
  EXPECT_EQ(form->fields.at("purpose"), "authority");
}

TEST(SingleFileFormTest, TwoFilePartsAreRefused) {
  StatusOr<SingleFileForm> form =
      ParseForm(FilePart("a.png", "PNG") + FilePart("b.png", "PNG") + Close());
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.status().field(), "file");
  EXPECT_NE(form.status().message().find("one file"), std::string::npos);
}

TEST(SingleFileFormTest, FieldsAreNamedWhenWrong) {
  auto field_of = [](const std::string& body) {
    StatusOr<SingleFileForm> form = ParseForm(body);
    return form.ok() ? std::string("<ok>") : form.status().field();
  };
  EXPECT_EQ(field_of(FieldPart("purpose", "evidence") + Close()), "file");
  EXPECT_EQ(field_of(FieldPart("file", "not a file part") + Close()), "file");
  EXPECT_EQ(field_of(FilePart("a.png", "x") + FieldPart("purpose", "a") +
                     FieldPart("purpose", "b") + Close()),
            "purpose");
  EXPECT_EQ(field_of(FilePart("a.png", "x") +
                     Part("Content-Disposition: form-data; name=\"purpose\"; filename=\"p\"\r\n",
                          "evidence") +
                     Close()),
            "purpose");
  EXPECT_EQ(
      field_of(FilePart("a.png", "x") + FieldPart("purpose", std::string(2000, 'p')) + Close()),
      "purpose");
  EXPECT_EQ(field_of(FilePart("a.png", "x") + FieldPart("comment", "hi") + Close()), "comment");
  // A name that is not plain ASCII is not echoed back.
  EXPECT_EQ(field_of(FilePart("a.png", "x") + FieldPart("\xff\xfe", "hi") + Close()), "");
}

// ---- percent-encoding ----------------------------------------------------------------------

TEST(PercentDecodeTest, DecodesStrictly) {
  EXPECT_EQ(*PercentDecode("%E5%87%AD%E8%AF%81.pdf", false, "f"), "凭证.pdf");
  EXPECT_EQ(*PercentDecode("a+b%2Bc%20d", true, "f"), "a b+c d");
  EXPECT_EQ(*PercentDecode("a+b", false, "f"), "a+b");
  EXPECT_EQ(*PercentDecode("%2e%2E%2f", false, "f"), "../");
  EXPECT_EQ(*PercentDecode("", false, "f"), "");
  for (const char* bad : {"%", "%4", "%G0", "a%zz", "%%41"}) {
    StatusOr<std::string> decoded = PercentDecode(bad, true, "filename");
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().field(), "filename");
  }
}

TEST(PercentDecodeTest, EncodingRoundTrips) {
  const std::string name = "凭证 (1) \"x\";%.pdf";
  const std::string encoded = PercentEncodeAttrChars(name);
  for (char c : encoded) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    EXPECT_TRUE(alnum || std::string("!#$&+-.^_`|~%").find(c) != std::string::npos) << encoded;
  }
  EXPECT_EQ(*PercentDecode(encoded, false, "f"), name);
  EXPECT_EQ(PercentEncodeAttrChars("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(PercentEncodeAttrChars("a b"), "a%20b");
}

}  // namespace
}  // namespace restitution
