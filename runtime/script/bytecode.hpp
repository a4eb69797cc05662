// Bytecode: 32-bit register instructions (op 8 | A 8 | B 8 | C 8, or op | A | Bx 16, or op | sJ 24),
// compiled functions (Proto) and the compiled program.
//
// Registers are the slots of a call frame on the fiber's value stack; locals live in the low
// registers, temporaries above them. Conditional jumps are "test and skip the next instruction",
// which is a JMP.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/script/diagnostic.hpp"
#include "runtime/script/value.hpp"

namespace loopscope::script {

// Every instruction, with its operands and meaning. The X-macro keeps the enum, the names and
// the interpreter's dispatch table in the same order.
#define LOOPSCOPE_OPS(X) \
  X(Move) /* A B      R[A] = R[B] */ \
  X(LoadK) /* A Bx     R[A] = K[Bx] */ \
  X(LoadI) /* A sBx    R[A] = sBx */ \
  X(LoadNil) /* A        R[A] = nil */ \
  X(LoadBool) /* A B      R[A] = B != 0 */ \
  X(LoadUndef) /* A        R[A] = <not yet declared> */ \
  X(CheckInit) /* A Bx     error if R[A] is undefined (name K[Bx]) */ \
  X(GetUpval) /* A B      R[A] = Up[B] (error if not yet declared; name in the Proto) */ \
  X(SetUpval) /* A B      Up[B] = R[A] */ \
  X(Closure) /* A Bx     R[A] = closure of Proto::protos[Bx] */ \
  X(Builtin) /* A Bx     R[A] = builtin #Bx */ \
  X(NewList) /* A B C    R[A] = [R[B] .. R[B+C-1]] */ \
  X(Append) /* A B      R[A].push(R[B]) */ \
  X(NewMap) /* A B C    R[A] = {R[B]: R[B+1], ...} (C pairs) */ \
  X(GetIndex) /* A B C    R[A] = R[B][R[C]] */ \
  X(SetIndex) /* A B C    R[A][R[B]] = R[C] */ \
  X(GetField) /* A B C    R[A] = R[B].K[C] */ \
  X(SetField) /* A B C    R[A].K[B] = R[C] */ \
  X(Add) /* A B C   R[A] = R[B] op R[C] */ \
  X(Sub) /* A B C   R[A] = R[B] op R[C] */ \
  X(Mul) /* A B C   R[A] = R[B] op R[C] */ \
  X(Div) /* A B C   R[A] = R[B] op R[C] */ \
  X(Mod) /* A B C   R[A] = R[B] op R[C] */ \
  X(AddI) /* A B sC   R[A] = R[B] + sC */ \
  X(SubI) /* A B sC   R[A] = R[B] - sC */ \
  X(Neg) /* A B      R[A] = -R[B] */ \
  X(Not) /* A B      R[A] = not R[B] */ \
  X(Eq) /* A B C    R[A] = R[B] op R[C] */ \
  X(Lt) /* A B C    R[A] = R[B] op R[C] */ \
  X(Le) /* A B C    R[A] = R[B] op R[C] */ \
  X(TestEq) /* A B k   if (R[A] op R[B]) != k then skip the next instruction */ \
  X(TestLt) /* A B k   if (R[A] op R[B]) != k then skip the next instruction */ \
  X(TestLe) /* A B k   if (R[A] op R[B]) != k then skip the next instruction */ \
  X(TestLtI) /* A sB k   the same against an integer */ \
  X(TestLeI) /* A sB k   the same against an integer */ \
  X(TestGtI) /* A sB k   the same against an integer */ \
  X(TestGeI) /* A sB k   the same against an integer */ \
  X(TestEqI) /* A sB k   the same against an integer */ \
  X(Test) /* A k      if truthy(R[A]) != k then skip the next instruction */ \
  X(Jmp) /* sJ */ \
  X(Call) /* A B      R[A] = R[A](R[A+1] .. R[A+B]) */ \
  X(CallMethod) /* A B      R[A] = R[A].name(R[A+1] .. R[A+B]); name = K[next instruction's Bx] */ \
  X(ExtraArg) /* Bx       operand of the previous instruction */ \
  X(Return) /* A        return R[A] */ \
  X(ForPrep) /* A sBx    R[A] start, R[A+1] limit (exclusive); checks; jumps past the loop if empty */ \
  X(ForLoop) /* A sBx    R[A] += 1; if R[A] < R[A+1] { R[A+2] = R[A]; jump back } */ \
  X(IterPrep) /* A B      R[A] = iteration state over R[B] (list, map or string); R[A+1], R[A+2] = positions */ \
  X(IterNext) /* A sBx    next element into R[A+3]; jump back; falls through when done */ \
  X(IterNext2) /* A sBx    the same with two loop variables: R[A+3], R[A+4] */ \
  X(Await) /* A B      R[A] = await R[B] */ \
  X(Spawn) /* A B      R[A] = spawn R[B] */ \
  X(Yield) /* A B      R[A] = yield R[B] */ \
  X(Throw) /* A */ \
  X(Try) /* A sBx    a throw below jumps to pc+sBx with the error in R[A] */ \
  X(EndTry) /* the try block ended normally */ \
  X(Concat) /* A B C    R[A] = str(R[B]) + ... + str(R[B+C-1]) */ \
  X(Range) /* A B C    R[A] = the list R[B]..R[C] (C encodes registers; inclusive if flag in k) */ \
  X(Close) /* A        close captured variables at or above R[A] (end of a scope) */ \
  X(Unpack) /* A B C    R[A..A+C) = R[B][0..C) */

enum class Op : uint8_t {
#define LOOPSCOPE_OP_ENUM(name) name,
  LOOPSCOPE_OPS(LOOPSCOPE_OP_ENUM)
#undef LOOPSCOPE_OP_ENUM
  Count
};

using Instr = uint32_t;

constexpr Instr encode(Op op, uint32_t a, uint32_t b, uint32_t c) {
  return static_cast<uint32_t>(op) | (a << 8) | (b << 16) | (c << 24);
}
constexpr Instr encode_bx(Op op, uint32_t a, uint32_t bx) { return static_cast<uint32_t>(op) | (a << 8) | (bx << 16); }
constexpr Instr encode_sbx(Op op, uint32_t a, int32_t sbx) {
  return encode_bx(op, a, static_cast<uint32_t>(sbx + 32767));
}
constexpr Instr encode_sj(Op op, int32_t sj) { return static_cast<uint32_t>(op) | (static_cast<uint32_t>(sj + 8388607) << 8); }

constexpr Op op_of(Instr i) { return static_cast<Op>(i & 0xFF); }
constexpr uint32_t arg_a(Instr i) { return (i >> 8) & 0xFF; }
constexpr uint32_t arg_b(Instr i) { return (i >> 16) & 0xFF; }
constexpr uint32_t arg_c(Instr i) { return i >> 24; }
constexpr uint32_t arg_bx(Instr i) { return i >> 16; }
constexpr int32_t arg_sbx(Instr i) { return static_cast<int32_t>(arg_bx(i)) - 32767; }
constexpr int32_t arg_sj(Instr i) { return static_cast<int32_t>(i >> 8) - 8388607; }
constexpr int32_t arg_sb(Instr i) { return static_cast<int32_t>(arg_b(i)) - 127; }
constexpr int32_t arg_sc(Instr i) { return static_cast<int32_t>(arg_c(i)) - 127; }

constexpr int kMaxRegisters = 250;
constexpr int32_t kMaxJump = 32767;

struct UpvalueDesc {
  bool in_parent_local;  // captures the parent's register `index`, else the parent's upvalue
  uint8_t index;
  std::string name;
};

struct Proto {
  std::string name;  // "main", a function's name, or "<anonymous>"
  uint32_t line = 0;
  uint8_t num_params = 0;
  uint8_t max_registers = 1;
  bool is_async = false;
  bool is_main = false;
  std::vector<Instr> code;
  std::vector<uint32_t> lines;  // source line of each instruction
  std::vector<Value> constants;
  std::vector<std::unique_ptr<Proto>> protos;
  std::vector<UpvalueDesc> upvalues;
};

// A compiled program: its source (for messages) and the top-level function `main`.
struct CompiledProgram {
  std::shared_ptr<const Source> source;
  std::unique_ptr<Proto> main;
};

const char* op_name(Op op) noexcept;

}  // namespace loopscope::script
