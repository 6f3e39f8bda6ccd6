//===- DocsJsonTest.cpp - Every JSON example of docs/ parses --------------===//
//
// The platform example of docs/formats.md was rejected for years ("devices
// 'dla' and 'cpu' have no link"): examples are now read by the readers they
// illustrate. A platform must also pass Problem::check() with ops that may
// run anywhere; a profile must parse as a profile; anything else must at
// least be JSON. Blocks fenced `jsonc` are abridged excerpts and skipped.
//
//===----------------------------------------------------------------------===//

#include "ProfileTable.h"

#include "diviml/Dialect/Diviml.h"
#include "diviml/Model/JsonInput.h"
#include "diviml/Model/PlatformIO.h"
#include "diviml/Model/Problem.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace diviml;

namespace {

struct Example {
  std::string where;
  std::string text;
};

/// The ```json blocks of every Markdown file under docs/.
std::vector<Example> jsonExamples() {
  std::vector<Example> examples;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(DIVIML_DOCS_DIR, ec), end;
       it != end && !ec; it.increment(ec)) {
    if (llvm::sys::path::extension(it->path()) != ".md")
      continue;
    auto buffer = llvm::MemoryBuffer::getFile(it->path());
    if (!buffer)
      continue;
    llvm::SmallVector<llvm::StringRef> lines;
    (*buffer)->getBuffer().split(lines, '\n');
    std::optional<Example> open;
    for (unsigned i = 0, e = lines.size(); i != e; ++i) {
      llvm::StringRef line = lines[i].trim();
      if (!open && line == "```json") {
        open = Example{llvm::sys::path::filename(it->path()).str() + ":" +
                           std::to_string(i + 1),
                       ""};
      } else if (open && line.starts_with("```")) {
        examples.push_back(std::move(*open));
        open.reset();
      } else if (open) {
        open->text += lines[i].str() + "\n";
      }
    }
  }
  return examples;
}

TEST(DocsJsonTest, EveryExampleIsReadByItsReader) {
  mlir::MLIRContext context;
  context.loadDialect<mlir::tosa::TosaDialect, DivimlDialect>();
  std::vector<Example> examples = jsonExamples();
  // formats.md (platform, runtime), cost-model.md (profile).
  EXPECT_GE(examples.size(), 3u);
  unsigned platforms = 0, profiles = 0;
  for (const Example &example : examples) {
    SCOPED_TRACE(example.where);
    // A member on its own ("runtime": {...}) is parsed inside braces.
    std::string text = example.text;
    if (llvm::StringRef(text).ltrim().starts_with("\""))
      text = "{" + text + "}";
    llvm::Expected<llvm::json::Value> value =
        parseJsonInput(text, example.where);
    ASSERT_TRUE(bool(value)) << llvm::toString(value.takeError());
    const llvm::json::Object *object = value->getAsObject();
    if (object && object->get("devices") && object->get("links")) {
      ++platforms;
      llvm::Expected<Platform> platform = parsePlatformJson(example.text);
      ASSERT_TRUE(bool(platform)) << llvm::toString(platform.takeError());
      Problem problem(*platform);
      for (unsigned v = 0; v != 2; ++v) {
        Node node;
        node.name = "n" + std::to_string(v);
        node.time.assign(platform->numDevices(), 1.0);
        problem.addNode(node);
      }
      problem.addEdge(0, 1, 1.0);
      problem.finalize();
      llvm::Error err = problem.check();
      EXPECT_FALSE(bool(err)) << llvm::toString(std::move(err));
    } else if (object && object->get("entries")) {
      ++profiles;
      llvm::Expected<ProfileTable> table =
          ProfileTable::parse(example.text, &context);
      EXPECT_TRUE(bool(table)) << llvm::toString(table.takeError());
    }
  }
  EXPECT_GE(platforms, 1u);
  EXPECT_GE(profiles, 1u);
}

} // namespace
