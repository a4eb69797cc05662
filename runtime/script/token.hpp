// Tokens of the .coro language (spec section 1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::script {

enum class Tok : uint8_t {
  Eof,
  Newline,  // ends a statement (see lexer.hpp for when a line break is one)
  Ident,
  Int,
  Float,
  String,
  Template,  // `...${expr}...`
  // keywords
  Let, Fn, Async, Await, Spawn, Yield, If, Else, While, For, In, Break, Continue, Return, Try, Catch, Throw,
  True, False, Nil, And, Or, Not,
  // punctuation
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Dot, Colon, Semicolon, DotDot, DotDotEq,
  // operators
  Plus, Minus, Star, Slash, Percent,
  Assign, PlusAssign, MinusAssign, StarAssign, SlashAssign, PercentAssign,
  Eq, NotEq, Lt, Le, Gt, Ge,
};

std::string_view tok_name(Tok t) noexcept;

struct TemplatePart {
  bool is_expr;
  std::string text;     // literal text (escapes decoded), or the expression's source
  uint32_t offset = 0;  // where the expression starts in the program
};

struct Token {
  Tok kind = Tok::Eof;
  uint32_t offset = 0;  // byte offset in the source
  uint32_t length = 0;  // bytes
  int64_t int_value = 0;
  double float_value = 0;
  std::string text;  // identifier name or decoded string
  std::vector<TemplatePart> parts;
};

}  // namespace loopscope::script
