//===- diviml-calibrate.cpp - Fit platform figures to measurements --------===//
//
// Reads a base platform (JSON file or preset), optionally a machine table of
// peaks, a profile table of measured op times and a table of timed
// host<->device copies, and writes the platform with fitted efficiency
// curves, launch overheads, peaks and link figures (docs/cost-model.md,
// "Calibration"). Everything the inputs do not fit is kept.
//
//===----------------------------------------------------------------------===//

#include "Calibrate.h"
#include "JsonPrint.h"

#include "DivimlRegistration.h"
#include "diviml/Model/PlatformIO.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace diviml;
namespace cl = llvm::cl;

static cl::OptionCategory category("diviml-calibrate options");
static cl::opt<std::string>
    platformOption("platform", cl::Required, cl::cat(category),
                   cl::desc("Base platform: a JSON file or a preset name"));
static cl::opt<std::string>
    profileOption("profile", cl::cat(category),
                  cl::desc("Profile table of measured op times (fits the "
                           "efficiency curves)"));
static cl::opt<std::string>
    copiesOption("copies", cl::cat(category),
                 cl::desc("Table of timed host<->device copies (fits the "
                          "host links)"));
static cl::opt<std::string>
    machineOption("machine", cl::cat(category),
                  cl::desc("Machine table whose 'peaks' set peak_flops, "
                           "bandwidth and peak_f16"));
static cl::list<std::string> machinePrefix(
    "machine-prefix", cl::CommaSeparated, cl::cat(category),
    cl::desc("<device>=<prefix> of the device's keys in the machine table "
             "(default: the device name)"));
static cl::opt<bool>
    fitLaunchOption("fit-launch", cl::cat(category),
                    cl::desc("Fit each device's launch from its smallest "
                             "profiled ops (else keep the base's)"));
static cl::opt<unsigned>
    launchOps("launch-ops", cl::init(10), cl::cat(category),
              cl::desc("Ops of smallest roofline that --fit-launch uses"));
static cl::opt<unsigned>
    minOps("min-ops", cl::init(3), cl::cat(category),
           cl::desc("Fewest measured ops of a class to fit its curve"));
static cl::opt<double>
    smoothing("smoothing", cl::init(2.0), cl::cat(category),
              cl::desc("Weight of the curvature penalty of the curves"));
static cl::opt<unsigned> sweeps("sweeps", cl::init(6), cl::cat(category),
                                cl::desc("Coordinate sweeps of the curve fit"));
static cl::opt<std::string>
    nameOption("name", cl::cat(category),
               cl::desc("Name of the written platform (default: the base's)"));
static cl::opt<std::string> outputOption("o", cl::init("-"), cl::cat(category),
                                         cl::desc("Output file (default "
                                                  "stdout)"),
                                         cl::value_desc("file"));
static cl::opt<bool> reportOption("report", cl::cat(category),
                                  cl::desc("Print the fit quality to stderr"));

static llvm::Expected<std::string> readFile(llvm::StringRef path,
                                            llvm::StringRef what) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read %s '%s': %s",
                                   what.str().c_str(), path.str().c_str(),
                                   buffer.getError().message().c_str());
  return (*buffer)->getBuffer().str();
}

static llvm::Expected<Platform> loadBase() {
  if (!llvm::sys::fs::exists(platformOption)) {
    if (std::optional<Platform> preset = presetPlatform(platformOption))
      return *preset;
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'%s' is neither a platform file nor a preset", platformOption.c_str());
  }
  llvm::Expected<std::string> text = readFile(platformOption, "platform");
  if (!text)
    return text.takeError();
  llvm::Expected<Platform> platform = parsePlatformJson(*text);
  if (!platform)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(), "platform '%s': %s",
        platformOption.c_str(), llvm::toString(platform.takeError()).c_str());
  return platform;
}

static void printReport(const Platform &platform,
                        llvm::ArrayRef<ClassFit> curves,
                        llvm::ArrayRef<LinkCalibration> links) {
  llvm::raw_ostream &os = llvm::errs();
  for (const Device &device : platform.devices)
    os << llvm::formatv("launch {0}: {1:e3} s\n", device.name,
                        device.launchOverhead);
  os << "curve fit (error = max(pred/meas, meas/pred)):\n"
     << "device class ops roofline-median roofline-p90 fit-median fit-p90\n";
  for (const ClassFit &fit : curves)
    os << llvm::formatv("{0} {1} {2} {3:f2} {4:f2} {5:f2} {6:f2}\n", fit.device,
                        fit.opClass, fit.fitted.count, fit.roofline.median,
                        fit.roofline.p90, fit.fitted.median, fit.fitted.p90);
  os << "copy fit:\ndirection memory copies latency bandwidth median-error "
        "max-error\n";
  for (const LinkCalibration &link : links)
    os << llvm::formatv("{0} {1} {2} {3:e3} {4:e3} {5:f3} {6:f3}\n",
                        link.toDevice ? "h2d" : "d2h",
                        link.pinned ? "pinned" : "pageable", link.copies,
                        link.fit.latency, link.fit.bandwidth,
                        link.fit.medianError, link.fit.maxError);
}

static llvm::Error run() {
  llvm::Expected<Platform> platform = loadBase();
  if (!platform)
    return platform.takeError();
  if (!nameOption.empty())
    platform->name = nameOption;
  if (!machineOption.empty()) {
    llvm::Expected<std::string> text = readFile(machineOption, "machine table");
    if (!text)
      return text.takeError();
    if (llvm::Error err = applyMachinePeaks(*platform, *text, machinePrefix))
      return err;
  }
  std::vector<ClassFit> curves;
  if (!profileOption.empty()) {
    llvm::Expected<std::string> text = readFile(profileOption, "profile table");
    if (!text)
      return text.takeError();
    mlir::DialectRegistry registry;
    registerDialects(registry);
    mlir::MLIRContext context(registry);
    context.loadAllAvailableDialects();
    OpSampler sampler(context, *platform);
    llvm::Expected<std::vector<OpSample>> ops =
        readProfileSamples(*text, sampler, *platform);
    if (!ops)
      return ops.takeError();
    if (fitLaunchOption)
      for (unsigned d = 0; d != platform->numDevices(); ++d)
        if (std::optional<double> launch = fitLaunch(*ops, d, launchOps))
          platform->devices[d].launchOverhead = *launch;
    curves = fitCurves(*platform, *ops, {smoothing, sweeps}, minOps);
  }
  std::vector<LinkCalibration> links;
  if (!copiesOption.empty()) {
    llvm::Expected<std::string> text = readFile(copiesOption, "copy table");
    if (!text)
      return text.takeError();
    llvm::Expected<std::vector<CopyRecord>> copies = parseCopyTable(*text);
    if (!copies)
      return copies.takeError();
    llvm::Expected<std::vector<LinkCalibration>> fitted =
        fitLinks(*platform, *copies);
    if (!fitted)
      return fitted.takeError();
    links = std::move(*fitted);
  }
  // The written platform must read back: a fit never makes it invalid, but
  // a check here keeps a broken file from reaching the presets.
  llvm::json::Value json = platformToJson(*platform);
  std::string text;
  llvm::raw_string_ostream textStream(text);
  printJson(textStream, json);
  if (llvm::Expected<Platform> check = parsePlatformJson(text); !check)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "internal error: the calibrated platform does not read back: %s",
        llvm::toString(check.takeError()).c_str());
  std::error_code ec;
  llvm::ToolOutputFile output(outputOption, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(ec, "cannot write '%s': %s",
                                   outputOption.c_str(), ec.message().c_str());
  output.os() << text << "\n";
  output.keep();
  if (reportOption)
    printReport(*platform, curves, links);
  return llvm::Error::success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv, "diviml-calibrate: fit platform figures to measurements\n");
  if (llvm::Error err = run()) {
    llvm::WithColor::error(llvm::errs(), "diviml-calibrate")
        << llvm::toString(std::move(err)) << "\n";
    return 1;
  }
  return 0;
}
