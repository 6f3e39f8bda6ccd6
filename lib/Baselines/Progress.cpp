//===- Progress.cpp - A throttled progress line on stderr -----------------===//

#include "diviml/Baselines/Progress.h"

#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

#include <cmath>

using namespace diviml;

namespace {

/// A logger of its own, always at info, writing plain lines to stderr: the
/// default logger stays quiet unless the user raises its level.
spdlog::logger &progressLogger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto made = std::make_shared<spdlog::logger>(
        "diviml-progress", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made->set_pattern("%v");
    made->set_level(spdlog::level::info);
    return made;
  }();
  return *logger;
}

} // namespace

ProgressLine::ProgressLine(bool enabled, llvm::StringRef what)
    : on(enabled), what(what.str()), began(std::chrono::steady_clock::now()),
      last(began) {}

void ProgressLine::update(double best, double bound, bool force) {
  if (!on)
    return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last < std::chrono::seconds(1))
    return;
  last = now;
  double elapsed = std::chrono::duration<double>(now - began).count();
  std::string gap = "?";
  if (std::isfinite(best) && best > 0 && bound > 0)
    gap = fmt::format("{:.2f} %", 100 * std::max(0.0, best - bound) / best);
  progressLogger().info("{}: {:.1f} s, best {:.6g}, bound {:.6g}, gap {}", what,
                        elapsed, best, bound, gap);
}
