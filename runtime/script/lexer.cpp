#include "runtime/script/lexer.hpp"

#include <cerrno>
#include <cstdlib>
#include <unordered_map>

#include "runtime/script/utf8.hpp"

namespace loopscope::script {

std::string_view tok_name(Tok t) noexcept {
  switch (t) {
    case Tok::Eof: return "end of file";
    case Tok::Newline: return "end of line";
    case Tok::Ident: return "a name";
    case Tok::Int: return "an integer";
    case Tok::Float: return "a number";
    case Tok::String: return "a string";
    case Tok::Template: return "a template string";
    case Tok::Let: return "'let'";
    case Tok::Fn: return "'fn'";
    case Tok::Async: return "'async'";
    case Tok::Await: return "'await'";
    case Tok::Spawn: return "'spawn'";
    case Tok::Yield: return "'yield'";
    case Tok::If: return "'if'";
    case Tok::Else: return "'else'";
    case Tok::While: return "'while'";
    case Tok::For: return "'for'";
    case Tok::In: return "'in'";
    case Tok::Break: return "'break'";
    case Tok::Continue: return "'continue'";
    case Tok::Return: return "'return'";
    case Tok::Try: return "'try'";
    case Tok::Catch: return "'catch'";
    case Tok::Throw: return "'throw'";
    case Tok::True: return "'true'";
    case Tok::False: return "'false'";
    case Tok::Nil: return "'nil'";
    case Tok::And: return "'and'";
    case Tok::Or: return "'or'";
    case Tok::Not: return "'not'";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::LBrace: return "'{'";
    case Tok::RBrace: return "'}'";
    case Tok::Comma: return "','";
    case Tok::Dot: return "'.'";
    case Tok::Colon: return "':'";
    case Tok::Semicolon: return "';'";
    case Tok::DotDot: return "'..'";
    case Tok::DotDotEq: return "'..='";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::Percent: return "'%'";
    case Tok::Assign: return "'='";
    case Tok::PlusAssign: return "'+='";
    case Tok::MinusAssign: return "'-='";
    case Tok::StarAssign: return "'*='";
    case Tok::SlashAssign: return "'/='";
    case Tok::PercentAssign: return "'%='";
    case Tok::Eq: return "'=='";
    case Tok::NotEq: return "'!='";
    case Tok::Lt: return "'<'";
    case Tok::Le: return "'<='";
    case Tok::Gt: return "'>'";
    case Tok::Ge: return "'>='";
  }
  return "a token";
}

namespace {

const std::unordered_map<std::string_view, Tok>& keywords() {
  static const std::unordered_map<std::string_view, Tok> k = {
      {"let", Tok::Let},       {"fn", Tok::Fn},       {"async", Tok::Async},       {"await", Tok::Await},
      {"spawn", Tok::Spawn},   {"yield", Tok::Yield}, {"if", Tok::If},             {"else", Tok::Else},
      {"while", Tok::While},   {"for", Tok::For},     {"in", Tok::In},             {"break", Tok::Break},
      {"continue", Tok::Continue}, {"return", Tok::Return}, {"try", Tok::Try},     {"catch", Tok::Catch},
      {"throw", Tok::Throw},   {"true", Tok::True},   {"false", Tok::False},       {"nil", Tok::Nil},
      {"and", Tok::And},       {"or", Tok::Or},       {"not", Tok::Not},
  };
  return k;
}

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

}  // namespace

bool check_encoding(const Source& source, std::vector<Diagnostic>& diags) {
  const std::string& t = source.text();
  auto fail = [&](size_t i, const char* what) {
    auto p = source.position(static_cast<uint32_t>(i));
    diags.push_back({Diagnostic::Severity::Error, p.line, p.col, 1, what});
    return false;
  };
  for (size_t i = 0; i < t.size();) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == 0) return fail(i, "the program contains a NUL byte; .coro files are UTF-8 text");
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > t.size()) return fail(i, "the program is not valid UTF-8 text (bad byte here)");
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(t[i + k]);
      if (!utf8::is_continuation(cc)) return fail(i, "the program is not valid UTF-8 text (bad byte here)");
      cp = (cp << 6) | (cc & 0x3F);
    }
    bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return fail(i, "the program is not valid UTF-8 text (bad byte here)");
    i += n;
  }
  return true;
}

Lexer::Lexer(const Source& source, std::string_view text, uint32_t base, std::vector<Diagnostic>& diags)
    : source_(source), text_(text), base_(base), diags_(diags) {}

void Lexer::error(uint32_t offset, uint32_t length, std::string message) {
  if (diags_.size() >= 20) return;
  auto p = source_.position(base_ + offset);
  diags_.push_back({Diagnostic::Severity::Error, p.line, p.col, length ? length : 1, std::move(message)});
}

bool Lexer::continues_line(const Token& last) const {
  switch (last.kind) {
    case Tok::Plus: case Tok::Minus: case Tok::Star: case Tok::Slash: case Tok::Percent:
    case Tok::Assign: case Tok::PlusAssign: case Tok::MinusAssign: case Tok::StarAssign:
    case Tok::SlashAssign: case Tok::PercentAssign:
    case Tok::Eq: case Tok::NotEq: case Tok::Lt: case Tok::Le: case Tok::Gt: case Tok::Ge:
    case Tok::And: case Tok::Or: case Tok::Not: case Tok::DotDot: case Tok::DotDotEq:
    case Tok::LParen: case Tok::LBracket: case Tok::LBrace: case Tok::Comma: case Tok::Colon: case Tok::Dot:
    case Tok::In: case Tok::Else: case Tok::Await: case Tok::Spawn:
      return true;
    default:
      return false;
  }
}

std::vector<Token> Lexer::tokenize() {
  std::vector<Token> out;
  for (;;) {
    Token t = next();
    if (t.kind == Tok::Newline) {
      // Drop line breaks that cannot end a statement.
      bool inside_parens = !brackets_.empty() && brackets_.back() != '{';
      if (out.empty() || out.back().kind == Tok::Newline || out.back().kind == Tok::Semicolon || inside_parens ||
          continues_line(out.back()))
        continue;
      // A line starting with `.` continues the previous one (method chains).
      size_t p = pos_;
      for (;;) {
        while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r' || text_[p] == '\n')) ++p;
        if (p + 1 < text_.size() && text_[p] == '/' && text_[p + 1] == '/') {
          while (p < text_.size() && text_[p] != '\n') ++p;
          continue;
        }
        break;
      }
      if (p < text_.size() && text_[p] == '.' && !(p + 1 < text_.size() && text_[p + 1] == '.')) continue;
    }
    bool eof = t.kind == Tok::Eof;
    out.push_back(std::move(t));
    if (eof) break;
  }
  return out;
}

void Lexer::skip_space_and_comments() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      size_t start = pos_;
      size_t end = text_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        error(static_cast<uint32_t>(start), 2, "this comment is never closed: add '*/' to end it");
        pos_ = text_.size();
        return;
      }
      // A block comment spanning lines still separates statements.
      if (text_.substr(start, end - start).find('\n') != std::string_view::npos) {
        pos_ = end + 2;
        pending_newline_ = true;
        continue;
      }
      pos_ = end + 2;
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  for (;;) {
    Token t;
    if (scan(t)) return t;
  }
}

// Scans one token into `t`; false when it skipped a character that is not a token (reported).
bool Lexer::scan(Token& t) {
  skip_space_and_comments();
  t.offset = base_ + static_cast<uint32_t>(pos_);
  if (pending_newline_) {
    pending_newline_ = false;
    t.kind = Tok::Newline;
    return true;
  }
  if (pos_ >= text_.size()) {
    t.kind = Tok::Eof;
    return true;
  }
  char c = text_[pos_];
  if (c == '\n') {
    ++pos_;
    t.kind = Tok::Newline;
    t.length = 1;
    return true;
  }
  if (is_digit(c)) {
    t = number();
    return true;
  }
  if (is_ident_start(c)) {
    t = identifier();
    return true;
  }
  if (c == '"' || c == '\'') {
    t = string(c);
    return true;
  }
  if (c == '`') {
    t = template_string();
    return true;
  }

  auto two = [&](char second) { return pos_ + 1 < text_.size() && text_[pos_ + 1] == second; };
  auto make = [&](Tok k, uint32_t len) {
    t.kind = k;
    t.length = len;
    pos_ += len;
    return true;
  };
  switch (c) {
    case '(': brackets_.push_back('('); return make(Tok::LParen, 1);
    case '[': brackets_.push_back('['); return make(Tok::LBracket, 1);
    case '{': brackets_.push_back('{'); return make(Tok::LBrace, 1);
    case ')':
    case ']':
    case '}':
      if (!brackets_.empty()) brackets_.pop_back();
      return make(c == ')' ? Tok::RParen : c == ']' ? Tok::RBracket : Tok::RBrace, 1);
    case ',': return make(Tok::Comma, 1);
    case ':': return make(Tok::Colon, 1);
    case ';': return make(Tok::Semicolon, 1);
    case '.':
      if (two('.')) {
        if (pos_ + 2 < text_.size() && text_[pos_ + 2] == '=') return make(Tok::DotDotEq, 3);
        return make(Tok::DotDot, 2);
      }
      return make(Tok::Dot, 1);
    case '+': return two('=') ? make(Tok::PlusAssign, 2) : make(Tok::Plus, 1);
    case '-': return two('=') ? make(Tok::MinusAssign, 2) : make(Tok::Minus, 1);
    case '*': return two('=') ? make(Tok::StarAssign, 2) : make(Tok::Star, 1);
    case '/': return two('=') ? make(Tok::SlashAssign, 2) : make(Tok::Slash, 1);
    case '%': return two('=') ? make(Tok::PercentAssign, 2) : make(Tok::Percent, 1);
    case '=': return two('=') ? make(Tok::Eq, 2) : make(Tok::Assign, 1);
    case '!': return two('=') ? make(Tok::NotEq, 2) : make(Tok::Not, 1);
    case '<': return two('=') ? make(Tok::Le, 2) : make(Tok::Lt, 1);
    case '>': return two('=') ? make(Tok::Ge, 2) : make(Tok::Gt, 1);
    case '&':
      if (two('&')) return make(Tok::And, 2);
      break;
    case '|':
      if (two('|')) return make(Tok::Or, 2);
      break;
    default:
      break;
  }
  // Not a token: report it (a whole UTF-8 character) and skip it; a run of them is one error.
  size_t len = utf8::char_end(text_, pos_) - pos_;
  std::string ch(text_.substr(pos_, len));
  if (pos_ != last_bad_end_) {
    error(static_cast<uint32_t>(pos_), 1,
          c == '&' ? "'&' is not an operator here; did you mean '&&' (or 'and')?"
          : c == '|' ? "'|' is not an operator here; did you mean '||' (or 'or')?"
                     : "unexpected character '" + ch + "'");
  }
  pos_ += len;
  last_bad_end_ = pos_;
  return false;
}

Token Lexer::identifier() {
  Token t;
  t.offset = base_ + static_cast<uint32_t>(pos_);
  size_t start = pos_;
  while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
  std::string_view word = text_.substr(start, pos_ - start);
  t.length = static_cast<uint32_t>(word.size());
  auto it = keywords().find(word);
  if (it != keywords().end()) {
    t.kind = it->second;
  } else {
    t.kind = Tok::Ident;
    t.text = std::string(word);
  }
  return t;
}

Token Lexer::number() {
  Token t;
  size_t start = pos_;
  t.offset = base_ + static_cast<uint32_t>(start);
  while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
  bool is_float = false;
  // A '.' followed by a digit makes a float; `0..10` is a range.
  if (pos_ + 1 < text_.size() && text_[pos_] == '.' && is_digit(text_[pos_ + 1])) {
    is_float = true;
    ++pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    size_t save = pos_++;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (pos_ < text_.size() && is_digit(text_[pos_])) {
      is_float = true;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    } else {
      pos_ = save;
    }
  }
  std::string lit(text_.substr(start, pos_ - start));
  t.length = static_cast<uint32_t>(lit.size());
  if (pos_ < text_.size() && is_ident_start(text_[pos_])) {
    size_t end = pos_;
    while (end < text_.size() && is_ident_char(text_[end])) ++end;
    error(static_cast<uint32_t>(start), static_cast<uint32_t>(end - start),
          "'" + std::string(text_.substr(start, end - start)) + "' is not a number (names cannot start with a digit)");
    pos_ = end;
  }
  if (is_float) {
    t.kind = Tok::Float;
    t.float_value = std::strtod(lit.c_str(), nullptr);
    return t;
  }
  t.kind = Tok::Int;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(lit.c_str(), &end, 10);
  if (errno == ERANGE) {
    error(static_cast<uint32_t>(start), t.length,
          "integer literal " + (lit.size() > 40 ? lit.substr(0, 40) + "..." : lit) +
              " is out of range (integers are 64-bit: at most 9223372036854775807)");
    v = 0;
  }
  t.int_value = v;
  return t;
}

bool Lexer::decode_escape(std::string& out) {
  // at the backslash
  size_t at = pos_;
  ++pos_;
  if (pos_ >= text_.size()) return false;
  char e = text_[pos_++];
  switch (e) {
    case 'n': out += '\n'; return true;
    case 't': out += '\t'; return true;
    case 'r': out += '\r'; return true;
    case '0': out += '\0'; return true;
    case '\\': out += '\\'; return true;
    case '"': out += '"'; return true;
    case '\'': out += '\''; return true;
    case '`': out += '`'; return true;
    case '$': out += '$'; return true;
    case 'u': {
      if (pos_ >= text_.size() || text_[pos_] != '{') break;
      size_t close = text_.find('}', pos_);
      if (close == std::string_view::npos || close - pos_ > 8) break;
      std::string hex(text_.substr(pos_ + 1, close - pos_ - 1));
      char* end = nullptr;
      unsigned long cp = std::strtoul(hex.c_str(), &end, 16);
      if (hex.empty() || *end || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) break;
      utf8::append(out, static_cast<uint32_t>(cp));
      pos_ = close + 1;
      return true;
    }
    default:
      break;
  }
  error(static_cast<uint32_t>(at), 2, "unknown escape sequence '\\" + std::string(1, e) + "' (use \\n \\t \\\\ \\\" \\' or \\u{...})");
  return true;
}

Token Lexer::string(char quote) {
  Token t;
  size_t start = pos_++;
  t.offset = base_ + static_cast<uint32_t>(start);
  t.kind = Tok::String;
  while (true) {
    if (pos_ >= text_.size() || text_[pos_] == '\n') {
      error(static_cast<uint32_t>(start), 1, std::string("this string is never closed: add ") + quote + " before the end of the line");
      break;
    }
    char c = text_[pos_];
    if (c == quote) {
      ++pos_;
      break;
    }
    if (c == '\\') {
      decode_escape(t.text);
      continue;
    }
    t.text += c;
    ++pos_;
  }
  t.length = static_cast<uint32_t>(pos_ - start);
  return t;
}

Token Lexer::template_string() {
  Token t;
  size_t start = pos_++;
  t.offset = base_ + static_cast<uint32_t>(start);
  t.kind = Tok::Template;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) t.parts.push_back({false, std::move(literal), 0});
    literal.clear();
  };
  for (;;) {
    if (pos_ >= text_.size()) {
      error(static_cast<uint32_t>(start), 1, "this template string is never closed: add ` to end it");
      break;
    }
    char c = text_[pos_];
    if (c == '`') {
      ++pos_;
      break;
    }
    if (c == '\\') {
      decode_escape(literal);
      continue;
    }
    if (c == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
      flush();
      size_t expr_start = pos_ + 2;
      // Find the matching '}', stepping over nested braces, strings and templates.
      int depth = 1;
      size_t p = expr_start;
      while (p < text_.size() && depth > 0) {
        char d = text_[p];
        if (d == '{') {
          ++depth;
        } else if (d == '}') {
          if (--depth == 0) break;
        } else if (d == '"' || d == '\'' || d == '`') {
          char q = d;
          for (++p; p < text_.size() && text_[p] != q; ++p)
            if (text_[p] == '\\') ++p;
        }
        ++p;
      }
      if (p >= text_.size()) {
        error(static_cast<uint32_t>(pos_), 2, "'${' in this template string is never closed: add '}'");
        pos_ = text_.size();
        break;
      }
      t.parts.push_back({true, std::string(text_.substr(expr_start, p - expr_start)), base_ + static_cast<uint32_t>(expr_start)});
      pos_ = p + 1;
      continue;
    }
    literal += c;
    ++pos_;
  }
  flush();
  t.length = static_cast<uint32_t>(pos_ - start);
  return t;
}

}  // namespace loopscope::script
