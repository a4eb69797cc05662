#include "runtime/script/compiler.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <unordered_map>

#include "runtime/script/builtins.hpp"
#include "runtime/script/lexer.hpp"
#include "runtime/script/parser.hpp"

namespace loopscope::script {

namespace {

struct Local {
  std::string name;
  int reg;
  int depth;
  bool initialized;
  bool captured = false;  // a closure refers to it: its scope's end must close it
};

struct Loop {
  std::vector<size_t> breaks;
  std::vector<size_t> continues;
  int depth;      // scope depth outside the loop body
  int try_depth;  // open try blocks outside the loop
};

struct Func {
  Func* parent = nullptr;
  Proto* proto = nullptr;
  std::vector<Local> locals;
  std::vector<Loop> loops;
  int depth = 0;
  int free_reg = 0;
  int try_depth = 0;
  bool allows_await = false;
  bool allows_yield = false;
};

// Whether a statement list contains a function literal (which could observe a `let` before it runs).
bool contains_function(const Block& b);
bool expr_contains_function(const Expr* e) {
  if (!e) return false;
  if (e->kind == ExprKind::Function) return true;
  if (expr_contains_function(e->a.get()) || expr_contains_function(e->b.get())) return true;
  for (const auto& i : e->items)
    if (expr_contains_function(i.get())) return true;
  for (const auto& [k, v] : e->entries)
    if (expr_contains_function(v.get())) return true;
  return false;
}
bool stmt_contains_function(const Stmt* s) {
  if (!s) return false;
  if (s->kind == StmtKind::FnDecl) return true;
  if (expr_contains_function(s->expr.get()) || expr_contains_function(s->target.get())) return true;
  return contains_function(s->body) || contains_function(s->catch_body) || stmt_contains_function(s->else_branch.get());
}
bool contains_function(const Block& b) {
  for (const auto& s : b.stmts)
    if (stmt_contains_function(s.get())) return true;
  return false;
}

class Compiler {
 public:
  Compiler(const Source& source, Heap& constants, std::vector<Diagnostic>& diags)
      : source_(source), constants_(constants), diags_(diags) {}

  std::unique_ptr<Proto> compile_main(const Program& program) {
    auto proto = std::make_unique<Proto>();
    proto->name = "main";
    proto->is_main = true;
    proto->is_async = true;
    proto->line = 1;
    Func f;
    f.proto = proto.get();
    f.allows_await = true;
    fn_ = &f;
    block(program.body);
    emit_return_nil();
    fn_ = nullptr;
    return proto;
  }

 private:
  // ---- diagnostics ---------------------------------------------------------------------------
  void error(Span s, std::string message) {
    if (diags_.size() >= Parser::kMaxErrors) return;
    auto p = source_.position(s.offset);
    diags_.push_back({Diagnostic::Severity::Error, p.line, p.col, s.length ? s.length : 1, std::move(message)});
  }
  void set_line(Span s) { line_ = source_.position(s.offset).line; }

  // ---- emitting --------------------------------------------------------------------------------
  size_t emit(Instr i) {
    fn_->proto->code.push_back(i);
    fn_->proto->lines.push_back(line_);
    return fn_->proto->code.size() - 1;
  }
  size_t here() const { return fn_->proto->code.size(); }
  size_t emit_jump() { return emit(encode_sj(Op::Jmp, 0)); }
  void patch_jump(size_t at, size_t target) {
    int32_t offset = static_cast<int32_t>(target) - static_cast<int32_t>(at) - 1;
    Instr& i = fn_->proto->code[at];
    if (op_of(i) == Op::Jmp) {
      i = encode_sj(Op::Jmp, offset);
    } else {
      if (offset > kMaxJump || offset < -kMaxJump) too_large();
      i = encode_sbx(op_of(i), arg_a(i), offset);
    }
  }
  void patch_here(const std::vector<size_t>& jumps) {
    for (size_t j : jumps) patch_jump(j, here());
  }
  void jump_back(size_t target) { emit(encode_sj(Op::Jmp, static_cast<int32_t>(target) - static_cast<int32_t>(here()) - 1)); }
  void too_large() {
    if (!reported_too_large_) error({0, 1}, "the function '" + fn_->proto->name + "' is too large to compile; split it into smaller functions");
    reported_too_large_ = true;
  }
  void emit_return_nil() {
    int r = alloc_reg();
    emit(encode(Op::LoadNil, r, 0, 0));
    emit(encode(Op::Return, r, 0, 0));
    free_to(r);
  }

  uint32_t constant(Value v) {
    auto& k = fn_->proto->constants;
    for (size_t i = 0; i < k.size(); ++i) {
      if (k[i].type == v.type && (v.type == ValueType::Int ? k[i].as.i == v.as.i : v.type == ValueType::Float ? k[i].as.f == v.as.f : false))
        return static_cast<uint32_t>(i);
    }
    if (k.size() >= 65535) too_large();
    k.push_back(v);
    return static_cast<uint32_t>(k.size() - 1);
  }
  uint32_t string_constant(const std::string& s) {
    auto& k = fn_->proto->constants;
    for (size_t i = 0; i < k.size(); ++i)
      if (is_obj(k[i], ObjType::String) && as<String>(k[i])->value == s) return static_cast<uint32_t>(i);
    if (k.size() >= 65535) too_large();
    k.push_back(Value::object(constants_.make_permanent<String>(s)));
    return static_cast<uint32_t>(k.size() - 1);
  }

  // ---- registers -------------------------------------------------------------------------------
  int alloc_reg() {
    int r = fn_->free_reg++;
    if (fn_->free_reg > kMaxRegisters) {
      if (!reported_registers_) error({0, 1}, "the function '" + fn_->proto->name + "' uses too many variables and temporaries (at most 250)");
      reported_registers_ = true;
      fn_->free_reg = kMaxRegisters;
      r = kMaxRegisters - 1;
    }
    fn_->proto->max_registers = static_cast<uint8_t>(std::max<int>(fn_->proto->max_registers, fn_->free_reg));
    return r;
  }
  void free_to(int r) { fn_->free_reg = r; }

  // ---- scopes ----------------------------------------------------------------------------------
  void begin_scope() { ++fn_->depth; }
  void end_scope() {
    int first = -1;
    bool captured = false;
    while (!fn_->locals.empty() && fn_->locals.back().depth == fn_->depth) {
      first = fn_->locals.back().reg;
      captured |= fn_->locals.back().captured;
      fn_->locals.pop_back();
    }
    if (first >= 0) {
      if (captured) emit(encode(Op::Close, first, 0, 0));
      free_to(first);
    }
    --fn_->depth;
  }
  // Closes the captured variables of scopes deeper than `depth` (for break/continue).
  void close_scopes_above(int depth) {
    int first = -1;
    bool captured = false;
    for (const Local& l : fn_->locals) {
      if (l.depth <= depth) continue;
      if (first < 0) first = l.reg;
      captured |= l.captured;
    }
    if (captured) emit(encode(Op::Close, first, 0, 0));
  }
  Local* declare(const std::string& name, Span span, bool initialized) {
    for (auto it = fn_->locals.rbegin(); it != fn_->locals.rend() && it->depth == fn_->depth; ++it) {
      if (it->name == name) {
        error(span, "'" + name + "' is already declared in this block");
        return &*it;
      }
    }
    fn_->locals.push_back({name, alloc_reg(), fn_->depth, initialized});
    return &fn_->locals.back();
  }

  // ---- names -----------------------------------------------------------------------------------
  struct Resolved {
    enum Kind { LocalVar, Upval, BuiltinFn, Unknown } kind;
    int index;
    Local* local = nullptr;
  };
  static Local* find_local(Func* f, const std::string& name) {
    for (auto it = f->locals.rbegin(); it != f->locals.rend(); ++it)
      if (it->name == name) return &*it;
    return nullptr;
  }
  int upvalue(Func* f, const std::string& name) {
    if (!f->parent) return -1;
    auto& ups = f->proto->upvalues;
    for (size_t i = 0; i < ups.size(); ++i)
      if (ups[i].name == name) return static_cast<int>(i);
    if (Local* l = find_local(f->parent, name)) {
      l->captured = true;
      ups.push_back({true, static_cast<uint8_t>(l->reg), name});
    } else {
      int outer = upvalue(f->parent, name);
      if (outer < 0) return -1;
      ups.push_back({false, static_cast<uint8_t>(outer), name});
    }
    if (ups.size() > 255) too_large();
    return static_cast<int>(ups.size() - 1);
  }
  Resolved resolve(const std::string& name) {
    if (Local* l = find_local(fn_, name)) return {Resolved::LocalVar, l->reg, l};
    int up = upvalue(fn_, name);
    if (up >= 0) return {Resolved::Upval, up};
    if (auto b = builtin_index(name)) return {Resolved::BuiltinFn, static_cast<int>(*b)};
    return {Resolved::Unknown, -1};
  }
  void unknown_name(const std::string& name, Span span) {
    error(span, "unknown name '" + name + "' (declare it first: let " + name + " = ...)");
  }

  // ---- statements ------------------------------------------------------------------------------
  void block(const Block& b) {
    begin_scope();
    // Hoisting: every declaration of the block gets its register now.
    std::vector<int> let_registers;
    for (const auto& s : b.stmts) {
      if (s->kind == StmtKind::Let) {
        for (size_t i = 0; i < s->names.size(); ++i) let_registers.push_back(declare(s->names[i], s->name_spans[i], false)->reg);
      } else if (s->kind == StmtKind::FnDecl) {
        declare(s->names[0], s->name_spans[0], true);
      }
    }
    if (!let_registers.empty() && contains_function(b)) {
      set_line(b.span);
      for (int reg : let_registers) emit(encode(Op::LoadUndef, reg, 0, 0));
    }
    for (const auto& s : b.stmts) {
      if (s->kind != StmtKind::FnDecl) continue;
      set_line(s->span);
      Local* l = find_local(fn_, s->names[0]);
      function(*s->function, l->reg);
    }
    for (const auto& s : b.stmts) statement(*s);
    end_scope();
  }

  void statement(const Stmt& s) {
    set_line(s.span);
    int saved = fn_->free_reg;
    switch (s.kind) {
      case StmtKind::Expr: {
        int r = alloc_reg();
        expr_to(*s.expr, r);
        break;
      }
      case StmtKind::Let: let(s); break;
      case StmtKind::FnDecl: break;  // hoisted
      case StmtKind::Assign: assign(s); break;
      case StmtKind::If: if_stmt(s); break;
      case StmtKind::While: while_stmt(s); break;
      case StmtKind::For: for_stmt(s); break;
      case StmtKind::Break:
      case StmtKind::Continue: {
        if (fn_->loops.empty()) {
          error(s.span, std::string("'") + (s.kind == StmtKind::Break ? "break" : "continue") + "' is only allowed inside a loop");
          break;
        }
        Loop& loop = fn_->loops.back();
        for (int i = fn_->try_depth; i > loop.try_depth; --i) emit(encode(Op::EndTry, 0, 0, 0));
        close_scopes_above(loop.depth);
        (s.kind == StmtKind::Break ? loop.breaks : loop.continues).push_back(emit_jump());
        break;
      }
      case StmtKind::Return: {
        int r;
        if (s.expr) {
          r = expr_any(*s.expr);
        } else {
          r = alloc_reg();
          emit(encode(Op::LoadNil, r, 0, 0));
        }
        emit(encode(Op::Return, r, 0, 0));
        break;
      }
      case StmtKind::Throw: {
        int r = expr_any(*s.expr);
        emit(encode(Op::Throw, r, 0, 0));
        break;
      }
      case StmtKind::Try: try_stmt(s); break;
      case StmtKind::Block: block(s.body); break;
    }
    free_to(saved);
  }

  void let(const Stmt& s) {
    if (s.destructure) {
      int src = expr_any(*s.expr);
      // `let [] = xs` binds nothing but still checks that xs is a list (docs/language.md).
      int first = s.names.empty() ? src : find_local(fn_, s.names[0])->reg;
      emit(encode(Op::Unpack, first, src, static_cast<uint32_t>(s.names.size())));
      for (const auto& n : s.names) find_local(fn_, n)->initialized = true;
      return;
    }
    int reg = find_local(fn_, s.names[0])->reg;
    expr_to(*s.expr, reg);
    find_local(fn_, s.names[0])->initialized = true;  // (pointers into locals do not survive compiling)
  }

  void assign(const Stmt& s) {
    const Expr& t = *s.target;
    static const BinaryOp ops[] = {BinaryOp::Add, BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Mod};
    bool compound = s.assign != AssignOp::Set;
    BinaryOp op = ops[static_cast<int>(s.assign)];
    if (t.kind == ExprKind::Name) {
      Resolved r = resolve(t.text);
      switch (r.kind) {
        case Resolved::LocalVar: {
          if (!r.local->initialized) error(t.span, "'" + t.text + "' is used before its declaration (let " + t.text + " = ...)");
          if (compound) {
            int v = expr_any(*s.expr);
            emit_binary(op, r.index, r.index, v);
          } else {
            expr_to(*s.expr, r.index);
          }
          return;
        }
        case Resolved::Upval: {
          int v = alloc_reg();
          if (compound) {
            emit(encode(Op::GetUpval, v, r.index, 0));
            int rhs = expr_any(*s.expr);
            emit_binary(op, v, v, rhs);
          } else {
            expr_to(*s.expr, v);
          }
          emit(encode(Op::SetUpval, v, r.index, 0));
          return;
        }
        case Resolved::BuiltinFn:
          error(t.span, "cannot assign to the builtin '" + t.text + "' (declare your own variable with let)");
          return;
        case Resolved::Unknown:
          error(t.span, "cannot assign to '" + t.text + "': no variable has that name (declare it with let " + t.text + " = ...)");
          return;
      }
    }
    int obj = expr_any(*t.a);
    if (t.kind == ExprKind::Index) {
      int key = expr_any(*t.b);
      int v = alloc_reg();
      if (compound) {
        emit(encode(Op::GetIndex, v, obj, key));
        int rhs = expr_any(*s.expr);
        emit_binary(op, v, v, rhs);
      } else {
        expr_to(*s.expr, v);
      }
      emit(encode(Op::SetIndex, obj, key, v));
      return;
    }
    // Member
    uint32_t k = string_constant(t.text);
    int v = alloc_reg();
    if (compound) {
      emit_get_field(v, obj, k);
      int rhs = expr_any(*s.expr);
      emit_binary(op, v, v, rhs);
    } else {
      expr_to(*s.expr, v);
    }
    if (k <= 255) {
      emit(encode(Op::SetField, obj, k, v));
    } else {
      int key = alloc_reg();
      emit(encode_bx(Op::LoadK, key, k));
      emit(encode(Op::SetIndex, obj, key, v));
    }
  }

  void if_stmt(const Stmt& s) {
    std::vector<size_t> to_else = condition(*s.expr, false);
    block(s.body);
    if (s.else_branch) {
      size_t to_end = emit_jump();
      patch_here(to_else);
      statement(*s.else_branch);
      patch_jump(to_end, here());
    } else {
      patch_here(to_else);
    }
  }

  void while_stmt(const Stmt& s) {
    size_t top = here();
    std::vector<size_t> exits = condition(*s.expr, false);
    fn_->loops.push_back({{}, {}, fn_->depth, fn_->try_depth});
    block(s.body);
    Loop loop = std::move(fn_->loops.back());
    fn_->loops.pop_back();
    for (size_t c : loop.continues) patch_jump(c, top);
    jump_back(top);
    patch_here(exits);
    patch_here(loop.breaks);
  }

  void for_stmt(const Stmt& s) {
    begin_scope();
    const Expr& it = *s.expr;
    if (it.kind == ExprKind::Range && s.names.size() == 1) {
      // for i in a..b: R[base] counter, R[base+1] limit, R[base+2] the loop variable.
      int base = alloc_reg();
      alloc_reg();
      expr_to(*it.a, base);
      expr_to(*it.b, base + 1);
      if (it.inclusive) emit(encode(Op::AddI, base + 1, base + 1, 127 + 1));
      fn_->locals.push_back({"(for counter)", base, fn_->depth, true});
      fn_->locals.push_back({"(for limit)", base + 1, fn_->depth, true});
      size_t prep = emit(encode_sbx(Op::ForPrep, base, 0));
      size_t body = here();
      fn_->loops.push_back({{}, {}, fn_->depth, fn_->try_depth});
      begin_scope();
      declare(s.names[0], s.name_spans[0], true);  // base + 2
      block(s.body);
      end_scope();
      Loop loop = std::move(fn_->loops.back());
      fn_->loops.pop_back();
      patch_here(loop.continues);
      size_t back = emit(encode_sbx(Op::ForLoop, base, 0));
      patch_jump(back, body);
      patch_jump(prep, here());
      patch_here(loop.breaks);
    } else {
      // for x in list / for k, v in map: R[base] the iterable, R[base+1] and R[base+2] the
      // position (see ops::iterate), R[base+3] (and R[base+4]) the loop variables.
      int base = alloc_reg();
      alloc_reg();
      alloc_reg();
      expr_to(it, base);
      fn_->locals.push_back({"(for iterable)", base, fn_->depth, true});
      fn_->locals.push_back({"(for position)", base + 1, fn_->depth, true});
      fn_->locals.push_back({"(for character index)", base + 2, fn_->depth, true});
      emit(encode(Op::IterPrep, base, static_cast<uint32_t>(s.names.size()), 0));
      size_t to_next = emit_jump();
      size_t body = here();
      fn_->loops.push_back({{}, {}, fn_->depth, fn_->try_depth});
      begin_scope();
      for (size_t i = 0; i < s.names.size(); ++i) declare(s.names[i], s.name_spans[i], true);
      block(s.body);
      end_scope();
      Loop loop = std::move(fn_->loops.back());
      fn_->loops.pop_back();
      patch_here(loop.continues);
      patch_jump(to_next, here());
      size_t next = emit(encode_sbx(s.names.size() == 2 ? Op::IterNext2 : Op::IterNext, base, 0));
      patch_jump(next, body);
      patch_here(loop.breaks);
    }
    end_scope();
  }

  void try_stmt(const Stmt& s) {
    begin_scope();
    int err = alloc_reg();
    size_t try_at = emit(encode_sbx(Op::Try, err, 0));
    ++fn_->try_depth;
    block(s.body);
    --fn_->try_depth;
    emit(encode(Op::EndTry, 0, 0, 0));
    size_t to_end = emit_jump();
    patch_jump(try_at, here());
    fn_->locals.push_back({s.catch_name, err, fn_->depth, true});
    block(s.catch_body);
    end_scope();
    patch_jump(to_end, here());
  }

  // ---- conditions ------------------------------------------------------------------------------
  // Emits code that jumps when the truthiness of `e` equals `when`; returns the jumps to patch.
  std::vector<size_t> condition(const Expr& e, bool when) {
    set_line(e.span);
    int saved = fn_->free_reg;
    std::vector<size_t> jumps;
    switch (e.kind) {
      case ExprKind::Unary:
        if (e.unary == UnaryOp::Not) return condition(*e.a, !when);
        break;
      case ExprKind::And:
      case ExprKind::Or: {
        bool is_and = e.kind == ExprKind::And;
        if (is_and != when) {
          // and/false: either side false jumps. or/true: either side true jumps.
          jumps = condition(*e.a, when);
          auto more = condition(*e.b, when);
          jumps.insert(jumps.end(), more.begin(), more.end());
        } else {
          // and/true: a false skips; b true jumps. or/false: a true skips; b false jumps.
          auto skip = condition(*e.a, !when);
          jumps = condition(*e.b, when);
          patch_here(skip);
        }
        return jumps;
      }
      case ExprKind::True:
      case ExprKind::False:
        if ((e.kind == ExprKind::True) == when) jumps.push_back(emit_jump());
        return jumps;
      case ExprKind::Binary: {
        BinaryOp op = e.binary;
        if (op == BinaryOp::Eq || op == BinaryOp::NotEq || op == BinaryOp::Lt || op == BinaryOp::Le || op == BinaryOp::Gt ||
            op == BinaryOp::Ge) {
          compare_jump(e, when);
          jumps.push_back(emit_jump());
          free_to(saved);
          return jumps;
        }
        break;
      }
      default:
        break;
    }
    int r = expr_any(e);
    emit(encode(Op::Test, r, when ? 1 : 0, 0));
    jumps.push_back(emit_jump());
    free_to(saved);
    return jumps;
  }

  static bool small_int(const Expr& e, int32_t& out) {
    if (e.kind == ExprKind::Int && e.int_value >= -127 && e.int_value <= 128) {
      out = static_cast<int32_t>(e.int_value);
      return true;
    }
    return false;
  }

  // Emits TestXX so that the next instruction (a jump) runs when (a op b) == when.
  void compare_jump(const Expr& e, bool when) {
    BinaryOp op = e.binary;
    bool k = when;
    if (op == BinaryOp::NotEq) {
      op = BinaryOp::Eq;
      k = !k;
    }
    int32_t imm;
    if (small_int(*e.b, imm)) {
      int a = expr_any(*e.a);
      Op t = op == BinaryOp::Eq ? Op::TestEqI : op == BinaryOp::Lt ? Op::TestLtI : op == BinaryOp::Le ? Op::TestLeI
           : op == BinaryOp::Gt ? Op::TestGtI : Op::TestGeI;
      emit(encode(t, a, static_cast<uint32_t>(imm + 127), k ? 1 : 0));
      return;
    }
    int a = expr_any(*e.a);
    int b = expr_any(*e.b);
    switch (op) {
      case BinaryOp::Eq: emit(encode(Op::TestEq, a, b, k)); break;
      case BinaryOp::Lt: emit(encode(Op::TestLt, a, b, k)); break;
      case BinaryOp::Le: emit(encode(Op::TestLe, a, b, k)); break;
      case BinaryOp::Gt: emit(encode(Op::TestLt, b, a, k)); break;
      case BinaryOp::Ge: emit(encode(Op::TestLe, b, a, k)); break;
      default: break;
    }
  }

  // ---- expressions -----------------------------------------------------------------------------
  // The register holding `e`: a local's own register when `e` is that local, else a new temporary.
  int expr_any(const Expr& e) {
    if (e.kind == ExprKind::Name) {
      if (Local* l = find_local(fn_, e.text); l && l->initialized) return l->reg;
    }
    int r = alloc_reg();
    expr_to(e, r);
    return r;
  }

  void emit_binary(BinaryOp op, int target, int a, int b) {
    Op o = Op::Add;
    switch (op) {
      case BinaryOp::Add: o = Op::Add; break;
      case BinaryOp::Sub: o = Op::Sub; break;
      case BinaryOp::Mul: o = Op::Mul; break;
      case BinaryOp::Div: o = Op::Div; break;
      case BinaryOp::Mod: o = Op::Mod; break;
      case BinaryOp::Eq: o = Op::Eq; break;
      case BinaryOp::Lt: o = Op::Lt; break;
      case BinaryOp::Le: o = Op::Le; break;
      case BinaryOp::Gt: o = Op::Lt; std::swap(a, b); break;
      case BinaryOp::Ge: o = Op::Le; std::swap(a, b); break;
      case BinaryOp::NotEq:
        emit(encode(Op::Eq, target, a, b));
        emit(encode(Op::Not, target, target, 0));
        return;
    }
    emit(encode(o, target, a, b));
  }

  void emit_get_field(int target, int obj, uint32_t k) {
    if (k <= 255) {
      emit(encode(Op::GetField, target, obj, k));
    } else {
      int key = alloc_reg();
      emit(encode_bx(Op::LoadK, key, k));
      emit(encode(Op::GetIndex, target, obj, key));
    }
  }

  void load_int(int target, int64_t v) {
    if (v >= -32767 && v <= 32768) {
      emit(encode_sbx(Op::LoadI, target, static_cast<int32_t>(v)));
    } else {
      emit(encode_bx(Op::LoadK, target, constant(Value::integer(v))));
    }
  }

  void expr_to(const Expr& e, int target) {
    set_line(e.span);
    int saved = fn_->free_reg;
    switch (e.kind) {
      case ExprKind::Nil: emit(encode(Op::LoadNil, target, 0, 0)); break;
      case ExprKind::True: emit(encode(Op::LoadBool, target, 1, 0)); break;
      case ExprKind::False: emit(encode(Op::LoadBool, target, 0, 0)); break;
      case ExprKind::Int: load_int(target, e.int_value); break;
      case ExprKind::Float: emit(encode_bx(Op::LoadK, target, constant(Value::number(e.float_value)))); break;
      case ExprKind::String: emit(encode_bx(Op::LoadK, target, string_constant(e.text))); break;
      case ExprKind::Template: {
        // Concat needs its parts in consecutive registers.
        int base = fn_->free_reg;
        int count = 0;
        for (size_t i = 0; i < e.template_text.size(); ++i) {
          if (!e.template_text[i].empty()) {
            emit(encode_bx(Op::LoadK, alloc_reg(), string_constant(e.template_text[i])));
            ++count;
          }
          if (i < e.items.size()) {
            expr_to(*e.items[i], alloc_reg());
            ++count;
          }
        }
        if (count == 0) {
          emit(encode_bx(Op::LoadK, target, string_constant("")));
        } else {
          emit(encode(Op::Concat, target, base, count));
        }
        break;
      }
      case ExprKind::Name: {
        Resolved r = resolve(e.text);
        switch (r.kind) {
          case Resolved::LocalVar:
            if (!r.local->initialized) error(e.span, "'" + e.text + "' is used before its declaration (let " + e.text + " = ...)");
            if (r.index != target) emit(encode(Op::Move, target, r.index, 0));
            break;
          case Resolved::Upval: emit(encode(Op::GetUpval, target, r.index, 0)); break;
          case Resolved::BuiltinFn: emit(encode_bx(Op::Builtin, target, static_cast<uint32_t>(r.index))); break;
          case Resolved::Unknown: unknown_name(e.text, e.span); break;
        }
        break;
      }
      case ExprKind::List: {
        size_t n = e.items.size();
        size_t first_batch = std::min<size_t>(n, 200);
        int base = fn_->free_reg;
        for (size_t i = 0; i < first_batch; ++i) expr_to(*e.items[i], alloc_reg());
        emit(encode(Op::NewList, target, base, static_cast<uint32_t>(first_batch)));
        free_to(saved);
        for (size_t i = first_batch; i < n; ++i) {
          int r = expr_any(*e.items[i]);
          emit(encode(Op::Append, target, r, 0));
          free_to(saved);
        }
        break;
      }
      case ExprKind::Map: {
        size_t n = e.entries.size();
        size_t first_batch = std::min<size_t>(n, 100);
        int base = fn_->free_reg;
        for (size_t i = 0; i < first_batch; ++i) {
          emit(encode_bx(Op::LoadK, alloc_reg(), string_constant(e.entries[i].first)));
          expr_to(*e.entries[i].second, alloc_reg());
        }
        emit(encode(Op::NewMap, target, base, static_cast<uint32_t>(first_batch)));
        free_to(saved);
        for (size_t i = first_batch; i < n; ++i) {
          int key = alloc_reg();
          emit(encode_bx(Op::LoadK, key, string_constant(e.entries[i].first)));
          int v = expr_any(*e.entries[i].second);
          emit(encode(Op::SetIndex, target, key, v));
          free_to(saved);
        }
        break;
      }
      case ExprKind::Function: function(*e.function, target); break;
      case ExprKind::Unary: {
        if (e.unary == UnaryOp::Neg && e.a->kind == ExprKind::Int) {
          load_int(target, -e.a->int_value);
          break;
        }
        if (e.unary == UnaryOp::Neg && e.a->kind == ExprKind::Float) {
          emit(encode_bx(Op::LoadK, target, constant(Value::number(-e.a->float_value))));
          break;
        }
        int a = expr_any(*e.a);
        emit(encode(e.unary == UnaryOp::Neg ? Op::Neg : Op::Not, target, a, 0));
        break;
      }
      case ExprKind::Binary: {
        int32_t imm;
        if ((e.binary == BinaryOp::Add || e.binary == BinaryOp::Sub) && small_int(*e.b, imm) && imm != 128) {
          int a = expr_any(*e.a);
          emit(encode(e.binary == BinaryOp::Add ? Op::AddI : Op::SubI, target, a, static_cast<uint32_t>(imm + 127)));
          break;
        }
        int a = expr_any(*e.a);
        int b = expr_any(*e.b);
        emit_binary(e.binary, target, a, b);
        break;
      }
      case ExprKind::And:
      case ExprKind::Or: {
        // The value of the operand that decided, like JavaScript's && and ||.
        expr_to(*e.a, target);
        emit(encode(Op::Test, target, e.kind == ExprKind::And ? 0 : 1, 0));
        size_t done = emit_jump();
        expr_to(*e.b, target);
        patch_jump(done, here());
        break;
      }
      case ExprKind::Range: {
        int a = expr_any(*e.a);
        int b = alloc_reg();
        expr_to(*e.b, b);
        if (e.inclusive) emit(encode(Op::AddI, b, b, 127 + 1));
        emit(encode(Op::Range, target, a, b));
        break;
      }
      case ExprKind::Call: call(e, target); break;
      case ExprKind::Index: {
        int obj = expr_any(*e.a);
        int key = expr_any(*e.b);
        emit(encode(Op::GetIndex, target, obj, key));
        break;
      }
      case ExprKind::Member: {
        int obj = expr_any(*e.a);
        emit_get_field(target, obj, string_constant(e.text));
        break;
      }
      case ExprKind::Await: {
        if (!fn_->allows_await) {
          error(e.span, "'await' is only allowed inside an async fn or at the top level of the program; make this function async");
        }
        int a = expr_any(*e.a);
        set_line(e.span);
        emit(encode(Op::Await, target, a, 0));
        break;
      }
      case ExprKind::Spawn: {
        int a = expr_any(*e.a);
        set_line(e.span);
        emit(encode(Op::Spawn, target, a, 0));
        break;
      }
      case ExprKind::Yield: {
        if (!fn_->allows_yield) {
          error(e.span, fn_->proto->is_main
                            ? "'yield' is only allowed inside a plain fn run as a coroutine; at the top level, use 'await yield_now()' to let other tasks run"
                            : "'yield' is not allowed directly in an async fn; use 'await yield_now()' to let other tasks run");
        }
        int a = alloc_reg();
        if (e.a) {
          expr_to(*e.a, a);
        } else {
          emit(encode(Op::LoadNil, a, 0, 0));
        }
        set_line(e.span);
        emit(encode(Op::Yield, target, a, 0));
        break;
      }
    }
    free_to(saved);
  }

  void call(const Expr& e, int target) {
    // The callee and its arguments need consecutive registers; a target that is the newest
    // temporary can be the first of them, which saves a move of the result.
    bool reuse_target = target == fn_->free_reg - 1;
    int base = reuse_target ? target : fn_->free_reg;
    int callee_reg = reuse_target ? target : alloc_reg();
    bool method = e.a->kind == ExprKind::Member;
    if (method) {
      expr_to(*e.a->a, callee_reg);
    } else {
      expr_to(*e.a, callee_reg);
    }
    for (const auto& arg : e.items) expr_to(*arg, alloc_reg());
    if (e.items.size() > 200) error(e.span, "too many arguments in one call (at most 200)");
    set_line(e.span);
    if (method) {
      emit(encode(Op::CallMethod, base, static_cast<uint32_t>(e.items.size()), 0));
      uint32_t name = string_constant(e.a->text);
      emit(encode_bx(Op::ExtraArg, static_cast<uint32_t>(method_id(e.a->text)), name));
    } else {
      emit(encode(Op::Call, base, static_cast<uint32_t>(e.items.size()), 0));
    }
    if (target != base) emit(encode(Op::Move, target, base, 0));
  }

  // Compiles a function literal into a new Proto and emits the closure into `target`.
  void function(const FunctionLit& f, int target) {
    auto proto = std::make_unique<Proto>();
    proto->name = f.name.empty() ? "<anonymous>" : f.name;
    proto->is_async = f.is_async;
    proto->line = source_.position(f.span.offset).line;
    if (f.params.size() > 200) error(f.span, "too many parameters (at most 200)");
    proto->num_params = static_cast<uint8_t>(std::min<size_t>(f.params.size(), 200));
    Func child;
    child.parent = fn_;
    child.proto = proto.get();
    child.allows_await = f.is_async;
    child.allows_yield = !f.is_async;
    Func* outer = fn_;
    uint32_t outer_line = line_;
    fn_ = &child;
    ++fn_->depth;
    for (size_t i = 0; i < f.params.size(); ++i) declare(f.params[i], f.param_spans[i], true);
    block(f.body);
    set_line({f.span.offset + f.span.length - 1, 1});
    emit_return_nil();
    fn_ = outer;
    line_ = outer_line;
    auto& protos = fn_->proto->protos;
    protos.push_back(std::move(proto));
    if (protos.size() > 65535) too_large();
    emit(encode_bx(Op::Closure, target, static_cast<uint32_t>(protos.size() - 1)));
  }

  const Source& source_;
  Heap& constants_;
  std::vector<Diagnostic>& diags_;
  Func* fn_ = nullptr;
  uint32_t line_ = 1;
  bool reported_too_large_ = false;
  bool reported_registers_ = false;
};

}  // namespace

CompiledProgram compile(std::shared_ptr<const Source> source, Heap& constants, std::vector<Diagnostic>& diags) {
  CompiledProgram out;
  out.source = source;
  if (!check_encoding(*source, diags)) return out;
  Lexer lexer(*source, source->text(), 0, diags);
  std::vector<Token> tokens = lexer.tokenize();
  Parser parser(*source, std::move(tokens), diags);
  Program program = parser.parse_program();
  if (!diags.empty()) return out;
  Compiler compiler(*source, constants, diags);
  auto main = compiler.compile_main(program);
  if (diags.empty()) out.main = std::move(main);
  return out;
}

const char* op_name(Op op) noexcept {
  static const char* const names[] = {
#define LOOPSCOPE_OP_NAME(name) #name,
      LOOPSCOPE_OPS(LOOPSCOPE_OP_NAME)
#undef LOOPSCOPE_OP_NAME
  };
  return op < Op::Count ? names[static_cast<size_t>(op)] : "?";
}

std::string disassemble(const Proto& proto) {
  std::string out = "function " + proto.name + " (line " + std::to_string(proto.line) + ", " +
                    std::to_string(proto.num_params) + " params, " + std::to_string(proto.max_registers) + " registers" +
                    (proto.is_async ? ", async" : "") + ")\n";
  for (size_t i = 0; i < proto.code.size(); ++i) {
    Instr in = proto.code[i];
    char buf[128];
    std::snprintf(buf, sizeof buf, "  %4zu [%3u] %-10s A=%u B=%u C=%u Bx=%u\n", i, proto.lines[i], op_name(op_of(in)),
                  arg_a(in), arg_b(in), arg_c(in), arg_bx(in));
    out += buf;
  }
  for (const auto& p : proto.protos) out += disassemble(*p);
  return out;
}

}  // namespace loopscope::script
