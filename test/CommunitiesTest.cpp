//===- CommunitiesTest.cpp - Louvain communities and modularity -----------===//

#include "diviml/Split/Communities.h"

#include "gtest/gtest.h"

#include <functional>
#include <random>

using namespace diviml;

namespace {

/// Two triangles {0, 1, 2} and {3, 4, 5} joined by the edge 2-3.
std::vector<WeightedEdge> twoTriangles() {
  return {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1},
          {4, 5, 1}, {3, 5, 1}, {2, 3, 1}};
}

TEST(CommunitiesTest, ModularityOfTwoTrianglesByHand) {
  // 2m = 14. Each triangle: in = 2 * 3 = 6, tot = 2 + 2 + 3 = 7, so
  // Q = 2 * (6/14 - (7/14)^2) = 2 * 5/28 = 5/14.
  EXPECT_NEAR(modularity(6, twoTriangles(), {0, 0, 0, 1, 1, 1}), 5.0 / 14,
              1e-12);
  // Everything in one community: in = tot = 2m, Q = 1 - 1 = 0.
  EXPECT_NEAR(modularity(6, twoTriangles(), {0, 0, 0, 0, 0, 0}), 0, 1e-12);
  // Singletons: in = 0, Q = -sum (k_i / 14)^2 = -(4*4 + 2*9) / 196.
  EXPECT_NEAR(modularity(6, twoTriangles(), {0, 1, 2, 3, 4, 5}), -34.0 / 196,
              1e-12);
  // Resolution 2 doubles the penalty: 2 * (6/14 - 2/4) = -1/7.
  EXPECT_NEAR(modularity(6, twoTriangles(), {0, 0, 0, 1, 1, 1}, 2), -1.0 / 7,
              1e-12);
}

TEST(CommunitiesTest, SelfLoopsCountTwiceInDegreeAndInside) {
  // A self-loop of weight 1 at 0 and the edge 0-1: 2m = 2 + 2 = 4.
  // {0}, {1}: Q = (2/4 - (3/4)^2) + (0 - (1/4)^2) = -1/16 - 1/16.
  std::vector<WeightedEdge> edges = {{0, 0, 1}, {0, 1, 1}};
  EXPECT_NEAR(modularity(2, edges, {0, 1}), -1.0 / 8, 1e-12);
  EXPECT_NEAR(modularity(2, edges, {0, 0}), 0, 1e-12);
}

TEST(CommunitiesTest, FindsTheTwoTriangles) {
  Communities found = detectCommunities(6, twoTriangles());
  ASSERT_EQ(found.count, 2u);
  EXPECT_EQ(found.community, (std::vector<unsigned>{0, 0, 0, 1, 1, 1}));
  EXPECT_NEAR(found.modularity, 5.0 / 14, 1e-12);
}

TEST(CommunitiesTest, HeavyEdgesDecide) {
  // Chain 0 -10- 1 -1- 2 -10- 3: {0, 1}, {2, 3}. 2m = 42, each side has
  // in = 20 and tot = 21: Q = 2 * (20/42 - 1/4) = 19/42.
  std::vector<WeightedEdge> edges = {{0, 1, 10}, {1, 2, 1}, {2, 3, 10}};
  Communities found = detectCommunities(4, edges);
  EXPECT_EQ(found.community, (std::vector<unsigned>{0, 0, 1, 1}));
  EXPECT_NEAR(found.modularity, 19.0 / 42, 1e-12);
  // Reweighted, the middle pair belongs together: 0 -1- 1 -10- 2 -1- 3.
  edges = {{0, 1, 1}, {1, 2, 10}, {2, 3, 1}};
  found = detectCommunities(4, edges);
  EXPECT_EQ(found.community, (std::vector<unsigned>{0, 0, 0, 0}));
}

TEST(CommunitiesTest, WeightlessAndIsolatedNodesStandAlone) {
  Communities found = detectCommunities(3, {});
  EXPECT_EQ(found.count, 3u);
  EXPECT_EQ(found.community, (std::vector<unsigned>{0, 1, 2}));
  EXPECT_EQ(found.modularity, 0);
  // Node 2 has only a zero-weight edge.
  found = detectCommunities(3, {{0, 1, 1}, {1, 2, 0}});
  EXPECT_EQ(found.community, (std::vector<unsigned>{0, 0, 1}));
}

TEST(CommunitiesTest, RecoversPlantedClusters) {
  // 8 clusters of 16 nodes: inside, each pair linked with probability 0.5;
  // between, 0.01. Louvain must return exactly the clusters.
  std::mt19937_64 engine(7);
  auto chance = [&](double p) {
    return double(engine() >> 11) * 0x1.0p-53 < p;
  };
  unsigned clusters = 8, size = 16, n = clusters * size;
  std::vector<WeightedEdge> edges;
  for (unsigned a = 0; a != n; ++a)
    for (unsigned b = a + 1; b != n; ++b)
      if (chance(a / size == b / size ? 0.5 : 0.01))
        edges.push_back({a, b, 1});
  Communities found = detectCommunities(n, edges);
  ASSERT_EQ(found.count, clusters);
  for (unsigned v = 0; v != n; ++v)
    EXPECT_EQ(found.community[v], v / size) << "node " << v;
  // The labels are the planted ones, so the score is theirs.
  std::vector<unsigned> planted(n);
  for (unsigned v = 0; v != n; ++v)
    planted[v] = v / size;
  EXPECT_NEAR(found.modularity, modularity(n, edges, planted), 1e-12);
}

TEST(CommunitiesTest, CommunitiesAreConnected) {
  // Sparse random multigraphs with self-loops: every community must be
  // connected through its own edges, whatever Louvain merged.
  std::mt19937_64 engine(3);
  for (unsigned trial = 0; trial != 20; ++trial) {
    unsigned n = 60;
    std::vector<WeightedEdge> edges;
    for (unsigned i = 0; i != 90; ++i)
      edges.push_back(
          {unsigned(engine() % n), unsigned(engine() % n), 1.0 + engine() % 5});
    Communities found = detectCommunities(n, edges);
    // Union-find over edges inside communities: each community is one set.
    std::vector<unsigned> parent(n);
    for (unsigned v = 0; v != n; ++v)
      parent[v] = v;
    std::function<unsigned(unsigned)> root = [&](unsigned v) {
      return parent[v] == v ? v : parent[v] = root(parent[v]);
    };
    for (const WeightedEdge &edge : edges)
      if (found.community[edge.a] == found.community[edge.b])
        parent[root(edge.a)] = root(edge.b);
    std::vector<int> rootOf(found.count, -1);
    for (unsigned v = 0; v != n; ++v) {
      int &r = rootOf[found.community[v]];
      if (r < 0)
        r = root(v);
      EXPECT_EQ(unsigned(r), root(v)) << "trial " << trial << " node " << v;
    }
    // Never worse than everything apart.
    std::vector<unsigned> singletons(n);
    for (unsigned v = 0; v != n; ++v)
      singletons[v] = v;
    EXPECT_GE(found.modularity, modularity(n, edges, singletons));
  }
}

} // namespace
