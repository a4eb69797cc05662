// Lexer: source text → tokens.
//
// A line break ends a statement (a Newline token), except where the statement obviously goes on:
// inside ( ) or [ ], after a line that ends with an operator, `(`, `[`, `{`, `,`, `:` or `.`, and
// before a line that starts with `.` (so that promise chains can be written one `.then` per line).
// The whole source must be valid UTF-8 without NUL bytes.
#pragma once

#include <vector>

#include "runtime/script/diagnostic.hpp"
#include "runtime/script/token.hpp"

namespace loopscope::script {

class Lexer {
 public:
  // Lexes `text`, which starts at byte `base` of `source` (template expressions are lexed on their
  // own). Errors go to `diags`; lexing continues after them where it can.
  Lexer(const Source& source, std::string_view text, uint32_t base, std::vector<Diagnostic>& diags);
  std::vector<Token> tokenize();

 private:
  Token next();
  bool scan(Token& t);
  void skip_space_and_comments();
  Token number();
  Token string(char quote);
  Token template_string();
  Token identifier();
  bool decode_escape(std::string& out);
  void error(uint32_t offset, uint32_t length, std::string message);
  bool continues_line(const Token& last) const;

  const Source& source_;
  std::string_view text_;
  uint32_t base_;
  size_t pos_ = 0;
  std::vector<Diagnostic>& diags_;
  std::vector<char> brackets_;  // open ( [ { not yet closed
  bool pending_newline_ = false;  // a block comment spanned a line break
  size_t last_bad_end_ = SIZE_MAX;  // end of the last character that was not a token
};

// Checks the encoding (valid UTF-8, no NUL byte); reports the first problem.
bool check_encoding(const Source& source, std::vector<Diagnostic>& diags);

}  // namespace loopscope::script
