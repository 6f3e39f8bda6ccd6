//===- Verify.cpp - Is a solution valid for its problem? ------------------===//

#include "diviml/Model/Solution.h"
#include "diviml/Model/Support.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace diviml;

static llvm::Error invalid(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Copy 0 is "the placement"; replicas are named by their copy number.
static std::string copyName(unsigned copy) {
  return copy == 0 ? std::string("the placement")
                   : llvm::formatv("replica {0}", copy).str();
}

static llvm::Error verifyCopy(const Problem &problem,
                              const std::vector<unsigned> &placement,
                              unsigned copy) {
  const Platform &platform = problem.platform;
  unsigned n = problem.numNodes(), numDev = problem.numDevices();
  if (placement.size() != n)
    return invalid(llvm::formatv("{0} places {1} nodes but the problem has {2}",
                                 copyName(copy), placement.size(), n));
  for (unsigned v = 0; v != n; ++v) {
    const Node &node = problem.nodes[v];
    if (placement[v] >= numDev)
      return invalid(llvm::formatv(
          "{0} puts node '{1}' on device {2}, but there are {3} devices",
          copyName(copy), node.name, placement[v], numDev));
    if (!node.canRunOn(placement[v]))
      return invalid(llvm::formatv(
          "{0} puts node '{1}' on device '{2}' where it cannot run",
          copyName(copy), node.name, platform.devices[placement[v]].name));
  }
  llvm::DenseMap<int, unsigned> firstOfGroup;
  for (unsigned v = 0; v != n; ++v) {
    int group = problem.nodes[v].colocationGroup;
    if (group < 0)
      continue;
    auto [it, inserted] = firstOfGroup.try_emplace(group, v);
    unsigned first = it->second;
    if (!inserted && placement[first] != placement[v])
      return invalid(llvm::formatv(
          "{0} splits colocation group {1}: node '{2}' is on device '{3}' "
          "but node '{4}' is on device '{5}'",
          copyName(copy), group, problem.nodes[first].name,
          platform.devices[placement[first]].name, problem.nodes[v].name,
          platform.devices[placement[v]].name));
  }
  std::vector<double> memory(numDev, 0);
  for (unsigned v = 0; v != n; ++v)
    memory[placement[v]] += problem.nodes[v].memory;
  for (unsigned d = 0; d != numDev; ++d)
    if (!fitsInMemory(memory[d], platform.devices[d].memoryCapacity))
      return invalid(llvm::formatv(
          "{0} puts {1} bytes on device '{2}', more than its capacity of {3}",
          copyName(copy), formatQuantity(memory[d]), platform.devices[d].name,
          formatQuantity(platform.devices[d].memoryCapacity)));
  return llvm::Error::success();
}

static llvm::Error verifyOrder(const Problem &problem,
                               const std::vector<unsigned> &order) {
  unsigned n = problem.numNodes();
  if (order.size() != n)
    return invalid(llvm::formatv(
        "the order lists {0} nodes but the problem has {1}", order.size(), n));
  constexpr unsigned kUnseen = ~0u;
  std::vector<unsigned> position(n, kUnseen);
  for (unsigned i = 0; i != n; ++i) {
    unsigned v = order[i];
    if (v >= n)
      return invalid(llvm::formatv(
          "the order names node {0}, but there are {1} nodes", v, n));
    if (position[v] != kUnseen)
      return invalid(llvm::formatv("the order lists node '{0}' twice",
                                   problem.nodes[v].name));
    position[v] = i;
  }
  for (const Edge &edge : problem.edges)
    if (edge.src < n && edge.dst < n && position[edge.src] > position[edge.dst])
      return invalid(llvm::formatv(
          "the order puts node '{0}' before its predecessor '{1}'",
          problem.nodes[edge.dst].name, problem.nodes[edge.src].name));
  return llvm::Error::success();
}

llvm::Error diviml::verify(const Problem &problem, const Solution &solution) {
  for (unsigned c = 0, e = solution.numCopies(); c != e; ++c)
    if (llvm::Error err = verifyCopy(problem, solution.copy(c), c))
      return err;
  if (!solution.order.empty())
    if (llvm::Error err = verifyOrder(problem, solution.order))
      return err;
  if (solution.replicas.empty())
    return llvm::Error::success();
  // Copies serve separate shares of the stream; a device they share (the
  // host that feeds them all) holds every sharing copy's nodes.
  std::vector<double> memory(problem.numDevices(), 0);
  for (unsigned c = 0, e = solution.numCopies(); c != e; ++c)
    for (auto [v, d] : llvm::enumerate(solution.copy(c)))
      memory[d] += problem.nodes[v].memory;
  for (unsigned d = 0, e = problem.numDevices(); d != e; ++d)
    if (!fitsInMemory(memory[d], problem.platform.devices[d].memoryCapacity))
      return invalid(llvm::formatv(
          "the {0} copies together put {1} bytes on device '{2}', more than "
          "its capacity of {3}",
          solution.numCopies(), formatQuantity(memory[d]),
          problem.platform.devices[d].name,
          formatQuantity(problem.platform.devices[d].memoryCapacity)));
  return llvm::Error::success();
}
