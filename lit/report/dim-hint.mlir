// Dynamic dimensions: one warning per function with the number of ops that
// have them; dim-hint=<size> gives the size they are taken to have.
// math.exp on tensor<?x8xf32>: one FLOP per element, so 8 FLOPs by
// default and 4 x 8 = 32 with dim-hint=4; bytes read and written are
// 2 x elements x 4 bytes: 64, then 256.
// RUN: diviml-opt %s --diviml-annotate-costs=platform=cpu-2gpu 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: diviml-opt %s --diviml-annotate-costs="platform=cpu-2gpu dim-hint=4" 2>&1 | FileCheck %s --check-prefix=FOUR
// RUN: diviml-opt %s --diviml-partition="algorithm=greedy dim-hint=4" -o /dev/null 2>&1 | FileCheck %s --check-prefix=PART

// ONE: warning: '@dynamic': 2 ops have dynamic dimensions, each taken to be 1 in its cost (set dim-hint=<size>)
// ONE: math.exp {{.*}}#diviml.cost<flops = 8.000000e+00, bytes = 6.400000e+01
// FOUR: warning: '@dynamic': 2 ops have dynamic dimensions, each taken to be 4 in its cost
// FOUR: math.exp {{.*}}#diviml.cost<flops = 3.200000e+01, bytes = 2.560000e+02
// PART: warning: '@dynamic': 2 ops have dynamic dimensions, each taken to be 4 in its cost
// PART-NOT: warning

func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = math.exp %x : tensor<?x8xf32>
  %1 = math.exp %0 : tensor<?x8xf32>
  return %1 : tensor<?x8xf32>
}
