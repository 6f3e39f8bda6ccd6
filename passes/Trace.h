//===- Trace.h - The schedule as Chrome/Perfetto trace JSON -----*- C++ -*-===//
//
// Format and tracks in docs/report.md#trace. Opens in ui.perfetto.dev and
// chrome://tracing.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_TRACE_H
#define DIVIML_PASSES_TRACE_H

#include "Report.h"

namespace diviml {

/// Latency: every interval of the evaluator's schedule (functions one
/// after the other). Throughput: the first periods of copy 0's steady-state
/// pipeline. Needs the functions' problems, solutions and, for latency,
/// evaluations with events.
llvm::json::Value traceJson(const PartitionReport &report);

/// Writes traceJson() with one event per line (still one JSON document),
/// so that a trace reads and diffs line by line.
void writeTrace(const PartitionReport &report, llvm::raw_ostream &os);

} // namespace diviml

#endif // DIVIML_PASSES_TRACE_H
