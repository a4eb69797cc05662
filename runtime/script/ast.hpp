// The syntax tree the parser builds and the compiler walks. Nodes own their children; every node
// keeps the source range it came from, for diagnostics and the line table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace loopscope::script {

struct Span {
  uint32_t offset = 0;
  uint32_t length = 0;
};

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

struct Block {
  std::vector<StmtPtr> stmts;
  Span span;
};

struct FunctionLit {
  std::string name;  // empty for anonymous functions
  std::vector<std::string> params;
  std::vector<Span> param_spans;
  Block body;
  bool is_async = false;
  Span span;
};

enum class ExprKind : uint8_t {
  Nil, True, False, Int, Float, String, Template, Name, List, Map, Function,
  Unary, Binary, And, Or, Call, Index, Member, Await, Spawn, Yield, Range,
};

enum class UnaryOp : uint8_t { Neg, Not };
enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Mod, Eq, NotEq, Lt, Le, Gt, Ge };

struct Expr {
  ExprKind kind;
  Span span;
  int64_t int_value = 0;
  double float_value = 0;
  std::string text;  // string literal, name, member name
  UnaryOp unary = UnaryOp::Neg;
  BinaryOp binary = BinaryOp::Add;
  bool inclusive = false;  // Range: ..=
  ExprPtr a, b;            // operands; Call/Index/Member: a is the callee/object; Index: b the index
  std::vector<ExprPtr> items;            // list items, call arguments, template expressions
  std::vector<std::string> template_text;  // Template: literal pieces (items interleave them)
  std::vector<std::pair<std::string, ExprPtr>> entries;  // Map
  std::unique_ptr<FunctionLit> function;

  explicit Expr(ExprKind k, Span s) : kind(k), span(s) {}
};

enum class StmtKind : uint8_t {
  Expr, Let, FnDecl, Assign, If, While, For, Break, Continue, Return, Try, Throw, Block,
};

enum class AssignOp : uint8_t { Set, Add, Sub, Mul, Div, Mod };

struct Stmt {
  StmtKind kind;
  Span span;
  ExprPtr expr;    // Expr, Return (may be null), Throw, If/While condition, Assign value, For iterable
  ExprPtr target;  // Assign: Name, Index or Member
  AssignOp assign = AssignOp::Set;
  // Let: one name, or a list pattern ([a, b]); For: one or two loop variables.
  std::vector<std::string> names;
  std::vector<Span> name_spans;
  bool destructure = false;
  std::unique_ptr<FunctionLit> function;  // FnDecl
  Block body;                             // If then-block, While/For/Try body, Block
  StmtPtr else_branch;                    // If: a Block or another If
  std::string catch_name;                 // Try
  Span catch_name_span;
  Block catch_body;

  explicit Stmt(StmtKind k, Span s) : kind(k), span(s) {}
};

struct Program {
  Block body;
};

}  // namespace loopscope::script
