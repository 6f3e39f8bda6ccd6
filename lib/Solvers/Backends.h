//===- Backends.h - Factories of the MILP backends --------------*- C++ -*-===//
//
// Private to lib/Solvers: createMilpSolver() is the public way in.
//
//===----------------------------------------------------------------------===//

#ifndef DIVIML_LIB_SOLVERS_BACKENDS_H
#define DIVIML_LIB_SOLVERS_BACKENDS_H

#include "diviml/Solvers/MilpSolver.h"

namespace diviml::detail {

std::unique_ptr<MilpSolver> createGlpkSolver();
#ifdef DIVIML_HAVE_CBC
std::unique_ptr<MilpSolver> createCbcSolver();
#endif

} // namespace diviml::detail

#endif // DIVIML_LIB_SOLVERS_BACKENDS_H
