// Parser: tokens → syntax tree, by recursive descent (precedence low → high: yield, or, and,
// comparisons, `..`, `+ -`, `* / %`, prefix `- not ! await spawn`, postfix call/index/member).
//
// On a syntax error it records a diagnostic, skips to the end of the statement and goes on, so
// one run reports several independent mistakes. Nesting deeper than kMaxDepth is an error, not a
// stack overflow.
#pragma once

#include <vector>

#include "runtime/script/ast.hpp"
#include "runtime/script/diagnostic.hpp"
#include "runtime/script/token.hpp"

namespace loopscope::script {

class Parser {
 public:
  static constexpr int kMaxDepth = 256;
  static constexpr int kChainPerLevel = 16;  // operators of one chain that count as one level
  static constexpr size_t kMaxErrors = 20;

  Parser(const Source& source, std::vector<Token> tokens, std::vector<Diagnostic>& diags, int depth = 0);
  Program parse_program();
  ExprPtr parse_lone_expression();  // a template's ${...}: one expression, then the end

 private:
  // statements
  StmtPtr statement();
  StmtPtr let_statement();
  StmtPtr if_statement();
  StmtPtr while_statement();
  StmtPtr for_statement();
  StmtPtr try_statement();
  StmtPtr function_declaration();
  Block block();
  void end_statement();
  // expressions
  ExprPtr expression();
  ExprPtr yield_expr();
  ExprPtr or_expr();
  ExprPtr and_expr();
  ExprPtr comparison();
  ExprPtr range();
  ExprPtr additive();
  ExprPtr multiplicative();
  ExprPtr unary();
  ExprPtr postfix();
  ExprPtr primary();
  ExprPtr list_literal();
  ExprPtr map_literal();
  ExprPtr template_literal();
  std::unique_ptr<FunctionLit> function_rest(bool is_async, std::string name, uint32_t start);

  // tokens
  const Token& peek(size_t ahead = 0) const;
  bool at(Tok k) const { return peek().kind == k; }
  bool match(Tok k);
  const Token& advance();
  bool expect(Tok k, const char* context);
  void skip_newlines();
  bool at_statement_end() const;
  void synchronize();
  void error_at(const Token& t, std::string message);
  void error_span(Span s, std::string message);
  Span span_from(uint32_t start) const;
  struct ChainGuard {
    Parser& p;
    int links = 0;
    int added = 0;
    explicit ChainGuard(Parser& parser) : p(parser) {}
    ~ChainGuard() { p.depth_ -= added; }
    bool step();  // false (error reported) when the chain makes the expression too deep
  };

  struct DepthGuard {
    Parser& p;
    bool ok;
    explicit DepthGuard(Parser& parser);
    ~DepthGuard() { --p.depth_; }
  };

  const Source& source_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::vector<Diagnostic>& diags_;
  int depth_;
  bool panic_ = false;  // in error recovery: stay quiet until the next statement
  uint32_t last_end_ = 0;
};

}  // namespace loopscope::script
