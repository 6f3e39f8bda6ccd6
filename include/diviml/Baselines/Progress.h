//===- Progress.h - A throttled progress line on stderr ---------*- C++ -*-===//
//
// Long searches (split's local search, the MILP's branch-and-bound) report
// their best value and bound when the user asks (`progress=true`): one line
// on stderr at most once a second, never on stdout, so the program's output
// stays byte-identical.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_BASELINES_PROGRESS_H
#define DIVIML_BASELINES_PROGRESS_H

#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <string>

namespace diviml {

class ProgressLine {
public:
  /// `what` names the algorithm in each line; nothing is printed unless
  /// `enabled`.
  ProgressLine(bool enabled, llvm::StringRef what);
  /// Prints "<what>: <elapsed> s, best <v>, bound <b>, gap <g> %" if a
  /// second has passed since the last line (or `force`). `best` or
  /// `bound` may be infinite / 0 when unknown.
  void update(double best, double bound, bool force = false);
  bool enabled() const { return on; }

private:
  bool on;
  std::string what;
  std::chrono::steady_clock::time_point began, last;
};

} // namespace diviml

#endif // DIVIML_BASELINES_PROGRESS_H
