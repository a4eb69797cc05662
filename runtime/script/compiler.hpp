// Compiler: syntax tree → bytecode (one Proto per function).
//
// Names are resolved here, once: a local is a register, a captured variable an upvalue, anything
// else must be a builtin, or it is a compile error ("unknown name"). Declarations are hoisted to
// the top of their block (functions can call each other before their definition; a `let` used
// by a function before it ran is a runtime error, and a `let` read before its line in the same
// function is a compile error). `await` outside an async fn or the top level, `yield` outside a
// plain fn, and programs too large for the instruction format are compile errors too.
#pragma once

#include <memory>
#include <vector>

#include "runtime/script/ast.hpp"
#include "runtime/script/bytecode.hpp"
#include "runtime/script/diagnostic.hpp"
#include "runtime/script/heap.hpp"

namespace loopscope::script {

// Parses and compiles. On errors returns a program without `main` and fills `diags`.
// String constants are allocated, permanently, in `constants`.
CompiledProgram compile(std::shared_ptr<const Source> source, Heap& constants, std::vector<Diagnostic>& diags);

// Human-readable bytecode, for debugging (`loopscope check --bytecode`).
std::string disassemble(const Proto& proto);

}  // namespace loopscope::script
