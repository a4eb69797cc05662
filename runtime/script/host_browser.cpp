// Real-time runs in the browser. The page's event loop cannot be waited on from inside a call,
// so a real-time run there is driven by the page in slices (wasm/), not by run_source.
#include "runtime/script/program_run.hpp"

namespace loopscope::script {

void run_real(const CompiledProgram&, const RunOptions&, Output& out, RunResult& r) {
  r.error = "real mode in the browser runs on the page's event loop: start it from a Session, not from a synchronous run";
  out.err(r.error + "\n");
  r.exit_status = kExitUsage;
}

}  // namespace loopscope::script
