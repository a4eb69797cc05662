#include "runtime/script/parser.hpp"

#include "runtime/script/lexer.hpp"

namespace loopscope::script {

namespace {
// The spelling of a keyword token ('catch' for Tok::Catch).
std::string keyword_text(Tok k) {
  std::string_view quoted = tok_name(k);
  return std::string(quoted.substr(1, quoted.size() - 2));
}
}  // namespace

Parser::Parser(const Source& source, std::vector<Token> tokens, std::vector<Diagnostic>& diags, int depth)
    : source_(source), tokens_(std::move(tokens)), diags_(diags), depth_(depth) {
  if (tokens_.empty() || tokens_.back().kind != Tok::Eof) tokens_.push_back(Token{});
}

Parser::DepthGuard::DepthGuard(Parser& parser) : p(parser), ok(++parser.depth_ <= kMaxDepth) {
  if (!ok && !p.panic_) {
    p.error_at(p.peek(), "the program is nested too deeply (more than " + std::to_string(kMaxDepth) +
                             " levels of brackets, blocks or operators)");
    // Skip everything: unwinding from here would only report the same problem again.
    p.pos_ = p.tokens_.size() - 1;
  }
}

// ---------------------------------------------------------------------------------------------
// tokens

const Token& Parser::peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

const Token& Parser::advance() {
  const Token& t = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  last_end_ = t.offset + t.length;
  return t;
}

bool Parser::match(Tok k) {
  if (!at(k)) return false;
  advance();
  return true;
}

void Parser::error_span(Span s, std::string message) {
  if (panic_ || diags_.size() >= kMaxErrors) return;
  auto p = source_.position(s.offset);
  diags_.push_back({Diagnostic::Severity::Error, p.line, p.col, s.length ? s.length : 1, std::move(message)});
  panic_ = true;
}

void Parser::error_at(const Token& t, std::string message) { error_span({t.offset, t.length}, std::move(message)); }

bool Parser::expect(Tok k, const char* context) {
  if (match(k)) return true;
  const Token& t = peek();
  std::string found = t.kind == Tok::Ident ? "'" + t.text + "'" : std::string(tok_name(t.kind));
  error_at(t, "expected " + std::string(tok_name(k)) + " " + context + ", found " + found);
  return false;
}

void Parser::skip_newlines() {
  while (at(Tok::Newline) || at(Tok::Semicolon)) advance();
}

bool Parser::at_statement_end() const {
  Tok k = peek().kind;
  return k == Tok::Newline || k == Tok::Semicolon || k == Tok::RBrace || k == Tok::Eof;
}

Span Parser::span_from(uint32_t start) const { return {start, last_end_ > start ? last_end_ - start : 1}; }

void Parser::synchronize() {
  // Skip to the end of the broken statement, keeping braces balanced.
  int braces = 0;
  while (!at(Tok::Eof)) {
    Tok k = peek().kind;
    if (braces == 0 && (k == Tok::Newline || k == Tok::Semicolon)) break;
    if (k == Tok::LBrace) ++braces;
    if (k == Tok::RBrace) {
      if (braces == 0) break;
      --braces;
    }
    advance();
  }
  panic_ = false;
}

void Parser::end_statement() {
  if (at(Tok::Newline) || at(Tok::Semicolon)) {
    advance();
    return;
  }
  if (at(Tok::RBrace) || at(Tok::Eof)) return;
  const Token& t = peek();
  error_at(t, "expected the end of the statement (a new line or ';'), found " +
                  (t.kind == Tok::Ident ? "'" + t.text + "'" : std::string(tok_name(t.kind))));
}

// ---------------------------------------------------------------------------------------------
// statements

Program Parser::parse_program() {
  Program prog;
  prog.body.span = {0, static_cast<uint32_t>(source_.text().size())};
  skip_newlines();
  while (!at(Tok::Eof)) {
    size_t before = pos_;
    if (at(Tok::RBrace)) {
      error_at(peek(), "unexpected '}': there is no '{' for it to close");
      advance();
      panic_ = false;
      skip_newlines();
      continue;
    }
    if (StmtPtr s = statement()) prog.body.stmts.push_back(std::move(s));
    if (panic_) synchronize();
    if (pos_ == before) advance();  // never loop on the same token
    skip_newlines();
  }
  return prog;
}

ExprPtr Parser::parse_lone_expression() {
  skip_newlines();
  ExprPtr e = expression();
  skip_newlines();
  if (!at(Tok::Eof)) error_at(peek(), "expected '}' to end the ${...} in this template string");
  return e;
}

Block Parser::block() {
  Block b;
  uint32_t start = peek().offset;
  if (!expect(Tok::LBrace, "to start a block")) return b;
  DepthGuard guard(*this);
  if (!guard.ok) return b;
  skip_newlines();
  while (!at(Tok::RBrace) && !at(Tok::Eof)) {
    size_t before = pos_;
    if (StmtPtr s = statement()) b.stmts.push_back(std::move(s));
    if (panic_) synchronize();
    if (pos_ == before) advance();
    skip_newlines();
  }
  if (at(Tok::Eof)) {
    error_span({start, 1}, "this '{' is never closed: add '}'");
  } else {
    advance();
  }
  b.span = span_from(start);
  return b;
}

StmtPtr Parser::statement() {
  DepthGuard guard(*this);
  if (!guard.ok) return nullptr;
  const Token& t = peek();
  uint32_t start = t.offset;
  switch (t.kind) {
    case Tok::Let: return let_statement();
    case Tok::If: return if_statement();
    case Tok::While: return while_statement();
    case Tok::For: return for_statement();
    case Tok::Try: return try_statement();
    case Tok::Fn:
      if (peek(1).kind == Tok::Ident) return function_declaration();
      break;
    case Tok::Async:
      if (peek(1).kind == Tok::Fn && peek(2).kind == Tok::Ident) return function_declaration();
      break;
    case Tok::Break:
    case Tok::Continue: {
      advance();
      auto s = std::make_unique<Stmt>(t.kind == Tok::Break ? StmtKind::Break : StmtKind::Continue, span_from(start));
      end_statement();
      return s;
    }
    case Tok::Return: {
      advance();
      auto s = std::make_unique<Stmt>(StmtKind::Return, Span{});
      if (!at_statement_end()) s->expr = expression();
      s->span = span_from(start);
      end_statement();
      return s;
    }
    case Tok::Throw: {
      advance();
      auto s = std::make_unique<Stmt>(StmtKind::Throw, Span{});
      if (at_statement_end()) {
        error_at(peek(), "'throw' needs a value to throw, for example: throw \"something went wrong\"");
        return nullptr;
      }
      s->expr = expression();
      s->span = span_from(start);
      end_statement();
      return s;
    }
    case Tok::LBrace: {
      auto s = std::make_unique<Stmt>(StmtKind::Block, Span{});
      s->body = block();
      s->span = span_from(start);
      return s;
    }
    case Tok::Else:
      error_at(t, "'else' without an 'if' before it");
      return nullptr;
    case Tok::Catch:
      error_at(t, "'catch' without a 'try' before it");
      return nullptr;
    default:
      break;
  }

  ExprPtr e = expression();
  if (!e) return nullptr;
  AssignOp op;
  bool is_assign = true;
  switch (peek().kind) {
    case Tok::Assign: op = AssignOp::Set; break;
    case Tok::PlusAssign: op = AssignOp::Add; break;
    case Tok::MinusAssign: op = AssignOp::Sub; break;
    case Tok::StarAssign: op = AssignOp::Mul; break;
    case Tok::SlashAssign: op = AssignOp::Div; break;
    case Tok::PercentAssign: op = AssignOp::Mod; break;
    default: is_assign = false; op = AssignOp::Set; break;
  }
  if (is_assign) {
    const Token& eq = advance();
    if (e->kind != ExprKind::Name && e->kind != ExprKind::Index && e->kind != ExprKind::Member) {
      error_span({eq.offset, eq.length}, "can only assign to a name, an element (a[i]) or a field (m.k)");
      return nullptr;
    }
    auto s = std::make_unique<Stmt>(StmtKind::Assign, Span{});
    s->assign = op;
    s->target = std::move(e);
    s->expr = expression();
    s->span = span_from(start);
    end_statement();
    return s;
  }
  auto s = std::make_unique<Stmt>(StmtKind::Expr, span_from(start));
  s->expr = std::move(e);
  end_statement();
  return s;
}

StmtPtr Parser::let_statement() {
  uint32_t start = advance().offset;  // let
  auto s = std::make_unique<Stmt>(StmtKind::Let, Span{});
  if (match(Tok::LBracket)) {
    s->destructure = true;
    while (!at(Tok::RBracket)) {
      const Token& name = peek();
      if (!expect(Tok::Ident, "in the list pattern")) return nullptr;
      s->names.push_back(name.text);
      s->name_spans.push_back({name.offset, name.length});
      if (!match(Tok::Comma)) break;
    }
    if (!expect(Tok::RBracket, "to end the list pattern")) return nullptr;
  } else {
    const Token& name = peek();
    if (name.kind != Tok::Ident) {
      error_at(name, name.kind == Tok::Eof || name.kind == Tok::Newline
                         ? "expected a name after 'let'"
                         : "expected a name after 'let', found " + std::string(tok_name(name.kind)) +
                               (name.kind >= Tok::Let && name.kind <= Tok::Not ? " (a keyword cannot be a name)" : ""));
      return nullptr;
    }
    advance();
    s->names.push_back(name.text);
    s->name_spans.push_back({name.offset, name.length});
  }
  if (!expect(Tok::Assign, "after the name in 'let' (every variable starts with a value: let x = 0)")) return nullptr;
  s->expr = expression();
  s->span = span_from(start);
  end_statement();
  return s;
}

StmtPtr Parser::if_statement() {
  uint32_t start = advance().offset;  // if
  auto s = std::make_unique<Stmt>(StmtKind::If, Span{});
  s->expr = expression();
  if (!s->expr) return nullptr;
  s->body = block();
  // `else` may start the next line.
  size_t save = pos_;
  skip_newlines();
  if (match(Tok::Else)) {
    if (at(Tok::If)) {
      s->else_branch = if_statement();
      s->span = span_from(start);
      return s;
    }
    auto b = std::make_unique<Stmt>(StmtKind::Block, Span{});
    uint32_t bstart = peek().offset;
    b->body = block();
    b->span = span_from(bstart);
    s->else_branch = std::move(b);
  } else {
    pos_ = save;
  }
  s->span = span_from(start);
  match(Tok::Newline) || match(Tok::Semicolon);  // a statement ending in a block needs no terminator
  return s;
}

StmtPtr Parser::while_statement() {
  uint32_t start = advance().offset;
  auto s = std::make_unique<Stmt>(StmtKind::While, Span{});
  s->expr = expression();
  if (!s->expr) return nullptr;
  s->body = block();
  s->span = span_from(start);
  match(Tok::Newline) || match(Tok::Semicolon);  // a statement ending in a block needs no terminator
  return s;
}

StmtPtr Parser::for_statement() {
  uint32_t start = advance().offset;
  auto s = std::make_unique<Stmt>(StmtKind::For, Span{});
  bool parens = match(Tok::LParen);
  for (;;) {
    const Token& name = peek();
    if (!expect(Tok::Ident, "after 'for' (for x in list { ... })")) return nullptr;
    s->names.push_back(name.text);
    s->name_spans.push_back({name.offset, name.length});
    if (s->names.size() == 2 || !match(Tok::Comma)) break;
  }
  if (!expect(Tok::In, "after the loop variable")) return nullptr;
  s->expr = expression();
  if (!s->expr) return nullptr;
  if (parens && !expect(Tok::RParen, "to close 'for ('")) return nullptr;
  s->body = block();
  s->span = span_from(start);
  match(Tok::Newline) || match(Tok::Semicolon);  // a statement ending in a block needs no terminator
  return s;
}

StmtPtr Parser::try_statement() {
  uint32_t start = advance().offset;
  auto s = std::make_unique<Stmt>(StmtKind::Try, Span{});
  s->body = block();
  size_t save = pos_;
  skip_newlines();
  if (!at(Tok::Catch)) {
    pos_ = save;
    error_at(peek(), "expected 'catch' after the 'try' block (try { ... } catch e { ... })");
    return nullptr;
  }
  advance();
  bool parens = match(Tok::LParen);
  const Token& name = peek();
  if (!expect(Tok::Ident, "after 'catch' (the name that receives the error)")) return nullptr;
  s->catch_name = name.text;
  s->catch_name_span = {name.offset, name.length};
  if (parens && !expect(Tok::RParen, "to close 'catch ('")) return nullptr;
  s->catch_body = block();
  s->span = span_from(start);
  match(Tok::Newline) || match(Tok::Semicolon);  // a statement ending in a block needs no terminator
  return s;
}

StmtPtr Parser::function_declaration() {
  uint32_t start = peek().offset;
  bool is_async = match(Tok::Async);
  advance();  // fn
  const Token& name = advance();
  auto s = std::make_unique<Stmt>(StmtKind::FnDecl, Span{});
  s->names.push_back(name.text);
  s->name_spans.push_back({name.offset, name.length});
  s->function = function_rest(is_async, name.text, start);
  if (!s->function) return nullptr;
  s->span = span_from(start);
  match(Tok::Newline) || match(Tok::Semicolon);  // a statement ending in a block needs no terminator
  return s;
}

std::unique_ptr<FunctionLit> Parser::function_rest(bool is_async, std::string name, uint32_t start) {
  auto f = std::make_unique<FunctionLit>();
  f->name = std::move(name);
  f->is_async = is_async;
  if (!expect(Tok::LParen, "to start the parameter list")) return nullptr;
  while (!at(Tok::RParen)) {
    const Token& p = peek();
    if (!expect(Tok::Ident, "as a parameter name")) return nullptr;
    f->params.push_back(p.text);
    f->param_spans.push_back({p.offset, p.length});
    if (!match(Tok::Comma)) break;
  }
  if (!expect(Tok::RParen, "to end the parameter list")) return nullptr;
  f->body = block();
  f->span = span_from(start);
  return f;
}

// ---------------------------------------------------------------------------------------------
// expressions

ExprPtr Parser::expression() {
  DepthGuard guard(*this);
  if (!guard.ok) return nullptr;
  return yield_expr();
}

ExprPtr Parser::yield_expr() {
  if (!at(Tok::Yield)) return or_expr();
  const Token& y = advance();
  auto e = std::make_unique<Expr>(ExprKind::Yield, Span{y.offset, y.length});
  Tok k = peek().kind;
  bool bare = k == Tok::Newline || k == Tok::Semicolon || k == Tok::RBrace || k == Tok::RParen || k == Tok::RBracket ||
              k == Tok::Comma || k == Tok::Eof;
  if (!bare) e->a = expression();
  e->span = span_from(y.offset);
  return e;
}

// A chain `a + b + c ...` builds a left-deep tree that the compiler walks recursively, so a long
// chain counts as nesting too: one level per kChainPerLevel operators, until the chain ends.
bool Parser::ChainGuard::step() {
  if (++links % kChainPerLevel != 0) return true;
  ++added;
  if (++p.depth_ <= kMaxDepth) return true;
  if (!p.panic_) {
    p.error_at(p.peek(), "the program is nested too deeply (an expression with more than " +
                             std::to_string(kMaxDepth * kChainPerLevel) + " chained operators?)");
    p.pos_ = p.tokens_.size() - 1;
  }
  return false;
}

ExprPtr Parser::or_expr() {
  ExprPtr left = and_expr();
  ChainGuard chain(*this);
  while (left && at(Tok::Or)) {
    if (!chain.step()) return nullptr;
    advance();
    auto e = std::make_unique<Expr>(ExprKind::Or, Span{});
    e->span = left->span;
    e->a = std::move(left);
    e->b = and_expr();
    if (!e->b) return nullptr;
    e->span = span_from(e->span.offset);
    left = std::move(e);
  }
  return left;
}

ExprPtr Parser::and_expr() {
  ExprPtr left = comparison();
  ChainGuard chain(*this);
  while (left && at(Tok::And)) {
    if (!chain.step()) return nullptr;
    advance();
    auto e = std::make_unique<Expr>(ExprKind::And, left->span);
    e->a = std::move(left);
    e->b = comparison();
    if (!e->b) return nullptr;
    e->span = span_from(e->span.offset);
    left = std::move(e);
  }
  return left;
}

ExprPtr Parser::comparison() {
  ExprPtr left = range();
  ChainGuard chain(*this);
  for (;;) {
    if (!left || !chain.step()) return nullptr;
    BinaryOp op;
    switch (peek().kind) {
      case Tok::Eq: op = BinaryOp::Eq; break;
      case Tok::NotEq: op = BinaryOp::NotEq; break;
      case Tok::Lt: op = BinaryOp::Lt; break;
      case Tok::Le: op = BinaryOp::Le; break;
      case Tok::Gt: op = BinaryOp::Gt; break;
      case Tok::Ge: op = BinaryOp::Ge; break;
      default: return left;
    }
    advance();
    auto e = std::make_unique<Expr>(ExprKind::Binary, left->span);
    e->binary = op;
    e->a = std::move(left);
    e->b = range();
    if (!e->b) return nullptr;
    e->span = span_from(e->span.offset);
    left = std::move(e);
  }
}

ExprPtr Parser::range() {
  ExprPtr left = additive();
  if (left && (at(Tok::DotDot) || at(Tok::DotDotEq))) {
    bool inclusive = advance().kind == Tok::DotDotEq;
    auto e = std::make_unique<Expr>(ExprKind::Range, left->span);
    e->inclusive = inclusive;
    e->a = std::move(left);
    e->b = additive();
    if (!e->b) return nullptr;
    e->span = span_from(e->span.offset);
    return e;
  }
  return left;
}

ExprPtr Parser::additive() {
  ExprPtr left = multiplicative();
  ChainGuard chain(*this);
  while (left && (at(Tok::Plus) || at(Tok::Minus))) {
    if (!chain.step()) return nullptr;
    BinaryOp op = advance().kind == Tok::Plus ? BinaryOp::Add : BinaryOp::Sub;
    auto e = std::make_unique<Expr>(ExprKind::Binary, left->span);
    e->binary = op;
    e->a = std::move(left);
    e->b = multiplicative();
    if (!e->b) return nullptr;
    e->span = span_from(e->span.offset);
    left = std::move(e);
  }
  return left;
}

ExprPtr Parser::multiplicative() {
  ExprPtr left = unary();
  ChainGuard chain(*this);
  while (left && (at(Tok::Star) || at(Tok::Slash) || at(Tok::Percent))) {
    if (!chain.step()) return nullptr;
    Tok k = advance().kind;
    auto e = std::make_unique<Expr>(ExprKind::Binary, left->span);
    e->binary = k == Tok::Star ? BinaryOp::Mul : k == Tok::Slash ? BinaryOp::Div : BinaryOp::Mod;
    e->a = std::move(left);
    e->b = unary();
    if (!e->b) return nullptr;
    e->span = span_from(e->span.offset);
    left = std::move(e);
  }
  return left;
}

ExprPtr Parser::unary() {
  DepthGuard guard(*this);
  if (!guard.ok) return nullptr;
  const Token& t = peek();
  uint32_t start = t.offset;
  switch (t.kind) {
    case Tok::Minus:
    case Tok::Not: {
      bool neg = advance().kind == Tok::Minus;
      auto e = std::make_unique<Expr>(ExprKind::Unary, Span{});
      e->unary = neg ? UnaryOp::Neg : UnaryOp::Not;
      e->a = unary();
      if (!e->a) return nullptr;
      e->span = span_from(start);
      return e;
    }
    case Tok::Await:
    case Tok::Spawn: {
      bool await = advance().kind == Tok::Await;
      auto e = std::make_unique<Expr>(await ? ExprKind::Await : ExprKind::Spawn, Span{});
      e->a = unary();
      if (!e->a) return nullptr;
      e->span = span_from(start);
      return e;
    }
    default:
      return postfix();
  }
}

ExprPtr Parser::postfix() {
  ExprPtr e = primary();
  ChainGuard chain(*this);
  while (e) {
    if (!chain.step()) return nullptr;
    uint32_t start = e->span.offset;
    if (match(Tok::LParen)) {
      auto call = std::make_unique<Expr>(ExprKind::Call, Span{});
      call->a = std::move(e);
      while (!at(Tok::RParen)) {
        ExprPtr arg = expression();
        if (!arg) return nullptr;
        call->items.push_back(std::move(arg));
        if (!match(Tok::Comma)) break;
      }
      if (!expect(Tok::RParen, "to close the argument list")) return nullptr;
      call->span = span_from(start);
      e = std::move(call);
    } else if (match(Tok::LBracket)) {
      auto idx = std::make_unique<Expr>(ExprKind::Index, Span{});
      idx->a = std::move(e);
      idx->b = expression();
      if (!idx->b) return nullptr;
      if (!expect(Tok::RBracket, "to close the index")) return nullptr;
      idx->span = span_from(start);
      e = std::move(idx);
    } else if (match(Tok::Dot)) {
      const Token& name = peek();
      bool keyword = name.kind >= Tok::Let && name.kind <= Tok::Not;  // p.catch(...), m.in
      if (name.kind != Tok::Ident && !keyword) {
        error_at(name, "expected a field or method name after '.'");
        return nullptr;
      }
      advance();
      auto m = std::make_unique<Expr>(ExprKind::Member, Span{});
      m->a = std::move(e);
      m->text = keyword ? keyword_text(name.kind) : name.text;
      m->span = span_from(start);
      e = std::move(m);
    } else {
      break;
    }
  }
  return e;
}

ExprPtr Parser::primary() {
  const Token& t = peek();
  Span s{t.offset, t.length};
  switch (t.kind) {
    case Tok::Nil: advance(); return std::make_unique<Expr>(ExprKind::Nil, s);
    case Tok::True: advance(); return std::make_unique<Expr>(ExprKind::True, s);
    case Tok::False: advance(); return std::make_unique<Expr>(ExprKind::False, s);
    case Tok::Int: {
      auto e = std::make_unique<Expr>(ExprKind::Int, s);
      e->int_value = advance().int_value;
      return e;
    }
    case Tok::Float: {
      auto e = std::make_unique<Expr>(ExprKind::Float, s);
      e->float_value = advance().float_value;
      return e;
    }
    case Tok::String: {
      auto e = std::make_unique<Expr>(ExprKind::String, s);
      e->text = advance().text;
      return e;
    }
    case Tok::Template: return template_literal();
    case Tok::Ident: {
      auto e = std::make_unique<Expr>(ExprKind::Name, s);
      e->text = advance().text;
      return e;
    }
    case Tok::LParen: {
      advance();
      skip_newlines();
      ExprPtr inner = expression();
      if (!inner) return nullptr;
      skip_newlines();
      if (!expect(Tok::RParen, "to close '('")) return nullptr;
      return inner;
    }
    case Tok::LBracket: return list_literal();
    case Tok::LBrace: return map_literal();
    case Tok::Async:
    case Tok::Fn: {
      uint32_t start = t.offset;
      bool is_async = match(Tok::Async);
      if (!expect(Tok::Fn, "after 'async'")) return nullptr;
      std::string name;
      if (at(Tok::Ident)) name = advance().text;  // a named function expression
      auto e = std::make_unique<Expr>(ExprKind::Function, s);
      e->function = function_rest(is_async, name, start);
      if (!e->function) return nullptr;
      e->span = span_from(start);
      return e;
    }
    case Tok::Eof:
      error_at(t, "the program ends in the middle of an expression");
      return nullptr;
    case Tok::Newline:
      error_at(t, "expected an expression before the end of the line");
      return nullptr;
    default:
      error_at(t, "expected an expression, found " + std::string(tok_name(t.kind)));
      return nullptr;
  }
}

ExprPtr Parser::list_literal() {
  uint32_t start = advance().offset;  // [
  auto e = std::make_unique<Expr>(ExprKind::List, Span{});
  skip_newlines();
  while (!at(Tok::RBracket)) {
    if (at(Tok::Comma)) {
      error_at(peek(), "empty element in a list (two commas in a row)");
      return nullptr;
    }
    ExprPtr item = expression();
    if (!item) return nullptr;
    e->items.push_back(std::move(item));
    skip_newlines();
    if (!match(Tok::Comma)) break;
    skip_newlines();
  }
  skip_newlines();
  if (!expect(Tok::RBracket, "to close the list")) return nullptr;
  e->span = span_from(start);
  return e;
}

ExprPtr Parser::map_literal() {
  uint32_t start = advance().offset;  // {
  DepthGuard guard(*this);
  if (!guard.ok) return nullptr;
  auto e = std::make_unique<Expr>(ExprKind::Map, Span{});
  skip_newlines();
  while (!at(Tok::RBrace)) {
    const Token& key = peek();
    std::string k;
    if (key.kind == Tok::Ident || key.kind == Tok::String) {
      k = key.text;
    } else if (key.kind >= Tok::Let && key.kind <= Tok::Not) {
      k = keyword_text(key.kind);  // a keyword as a key
    } else {
      error_at(key, "expected a key (a name or a string) in the map");
      return nullptr;
    }
    advance();
    if (!expect(Tok::Colon, "after the map key")) return nullptr;
    skip_newlines();
    ExprPtr v = expression();
    if (!v) return nullptr;
    e->entries.emplace_back(std::move(k), std::move(v));
    skip_newlines();
    if (!match(Tok::Comma)) break;
    skip_newlines();
  }
  if (!expect(Tok::RBrace, "to close the map")) return nullptr;
  e->span = span_from(start);
  return e;
}

ExprPtr Parser::template_literal() {
  const Token& t = advance();
  auto e = std::make_unique<Expr>(ExprKind::Template, Span{t.offset, t.length});
  std::string pending;
  for (const TemplatePart& part : t.parts) {
    if (!part.is_expr) {
      pending += part.text;
      continue;
    }
    e->template_text.push_back(std::move(pending));
    pending.clear();
    Lexer lexer(source_, part.text, part.offset, diags_);
    Parser sub(source_, lexer.tokenize(), diags_, depth_);
    ExprPtr inner = sub.parse_lone_expression();
    if (!inner || sub.panic_) {
      panic_ = true;  // the inner parser reported it; recover at the end of this statement
      return nullptr;
    }
    e->items.push_back(std::move(inner));
  }
  e->template_text.push_back(std::move(pending));
  return e;
}

}  // namespace loopscope::script
