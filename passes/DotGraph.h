//===- DotGraph.h - The placed op graph as Graphviz DOT ---------*- C++ -*-===//
//
// Ops coloured by device and clustered by (function, device); edges that
// cross devices labelled with their bytes and transfer time
// (docs/report.md#dot).
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_PASSES_DOTGRAPH_H
#define DIVIML_PASSES_DOTGRAPH_H

#include "Report.h"

namespace diviml {

void writeDot(const PartitionReport &report, llvm::raw_ostream &os);

} // namespace diviml

#endif // DIVIML_PASSES_DOTGRAPH_H
