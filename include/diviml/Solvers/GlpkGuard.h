//===- GlpkGuard.h - Surviving GLPK's fatal errors --------------*- C++ -*-===//
//
// GLPK reports a broken internal invariant (a numerical breakdown on extreme
// coefficients: "Assertion failed: q != 0", "invalid scale factor") by calling
// its error hook and then abort(). Both users of GLPK (the bounds' LPs and the
// MILP backend) run each solver call through runGlpkGuarded(), which turns
// the abort into a failed call. Header-only; Bounds, which runs its LPs on
// GLPK directly, uses it through a private link to this layer.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_SOLVERS_GLPKGUARD_H
#define DIVIML_SOLVERS_GLPKGUARD_H

#include <glpk.h>

#include <csetjmp>

namespace diviml {

namespace detail {
/// Where the innermost guarded call of this thread resumes on an error.
inline thread_local std::jmp_buf *glpkResume = nullptr;

inline void glpkErrorHook(void *) {
  if (glpkResume)
    std::longjmp(*glpkResume, 1);
}
} // namespace detail

/// Runs `call`, a lambda around one GLPK call, and returns false when GLPK
/// failed fatally. longjmp skips the frames between GLPK's error and here,
/// so `call` must hold no objects with destructors. After a failure GLPK's
/// whole environment is freed, every glp_prob included: callers must forget
/// their problems without deleting them.
template <typename Call> bool runGlpkGuarded(Call &&call) {
  std::jmp_buf resume;
  std::jmp_buf *outer = detail::glpkResume;
  detail::glpkResume = &resume;
  glp_error_hook(detail::glpkErrorHook, nullptr);
  if (setjmp(resume)) {
    detail::glpkResume = outer;
    glp_free_env();
    return false;
  }
  call();
  detail::glpkResume = outer;
  if (!outer)
    glp_error_hook(nullptr, nullptr);
  return true;
}

} // namespace diviml

#endif // DIVIML_SOLVERS_GLPKGUARD_H
