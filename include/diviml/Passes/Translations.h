//===- Translations.h - diviml-translate registrations ----------*- C++ -*-===//

#ifndef DIVIML_PASSES_TRANSLATIONS_H
#define DIVIML_PASSES_TRANSLATIONS_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace diviml {

/// Registers `--import-msr-json` (a Tarnawski et al. workload to a module of
/// diviml.node ops) and `--export-msr-split` (a partitioned module to that
/// artifact's split format); see docs/formats.md. The exporter parses its
/// input with the dialects that `registerDialects` registers.
void registerMsrTranslations(
    void (*registerDialects)(mlir::DialectRegistry &registry));

/// Registers `--export-plan`: the entry function of a partitioned, lowered or
/// unplaced module as a JSON execution plan (docs/formats.md), read by
/// diviml-measure.
void registerPlanExport(
    void (*registerDialects)(mlir::DialectRegistry &registry));

} // namespace diviml

#endif // DIVIML_PASSES_TRANSLATIONS_H
