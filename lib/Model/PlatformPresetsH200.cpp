//===- PlatformPresetsH200.cpp - The measured CPU + H200 node -------------===//
//
// Presets fitted from ../shared/measurements/h200-node (an NVIDIA H200 and 16
// vCPUs of a Sapphire Rapids Xeon, PyTorch eager, fp32): measured peaks, copy
// timings, efficiency curves fitted by diviml-calibrate, host dispatch fitted
// to the whole placed programs run there. docs/platforms.md gives the source
// of every number. Kept as the platform JSON format so that a calibration's
// output can replace it as it is.
//
//===----------------------------------------------------------------------===//

#include "PlatformPresetsH200.h"

#include "diviml/Model/PlatformIO.h"

#include "llvm/Support/ErrorHandling.h"

using namespace diviml;

/// The eager runtime of the measurements: one Python thread issues every op
/// and copy (PyTorch `.to()`, pageable, blocking) and runs the CPU's ops.
static const char *const kH200Node = R"json(
{
 "devices": [
  {
   "bandwidth": 74600000000,
   "dispatch": 0.0001101,
   "dispatch_by_class": {
    "view": 2.26e-05
   },
   "efficiency": {
    "conv": [
     [
      2609000,
      0.06487
     ],
     [
      10000000,
      0.1279
     ],
     [
      100000000,
      0.4446
     ],
     [
      1000000000,
      0.6894
     ],
     [
      10000000000,
      0.8153
     ],
     [
      29600000000,
      0.858
     ]
    ],
    "data-movement": [
     [
      326100,
      0.4095
     ],
     [
      1000000,
      0.6982
     ],
     [
      10000000,
      2.09
     ],
     [
      49560000,
      3.401
     ]
    ],
    "depthwise": [
     [
      137600,
      0.02204
     ],
     [
      1000000,
      0.1317
     ],
     [
      10000000,
      0.8391
     ],
     [
      65030000,
      1.603
     ]
    ],
    "elementwise": [
     [
      1024,
      7.588
     ],
     [
      10000,
      2.271
     ],
     [
      100000,
      0.6711
     ],
     [
      1000000,
      1.553
     ],
     [
      10000000,
      7.892
     ],
     [
      100000000,
      1.623
     ],
     [
      205500000,
      0.9892
     ]
    ],
    "matmul": [
     [
      2048000,
      3.841
     ],
     [
      10000000,
      2.462
     ],
     [
      100000000,
      1.291
     ],
     [
      1000000000,
      0.6766
     ],
     [
      4832000000,
      0.7485
     ]
    ],
    "pool": [
     [
      51200,
      0.749
     ],
     [
      100000,
      0.6995
     ],
     [
      1000000,
      0.5531
     ],
     [
      10000000,
      0.5373
     ],
     [
      25690000,
      0.5309
     ]
    ],
    "reduction": [
     [
      1000000,
      2.735
     ],
     [
      6341000,
      2.735
     ]
    ]
   },
   "first_touch_bandwidth": 9259000000,
   "kind": "cpu",
   "launch": 2e-06,
   "name": "cpu",
   "peak_flops": 1680000000000,
   "slots": 1
  },
  {
   "bandwidth": 4240000000000,
   "dispatch": 2.26e-05,
   "dispatch_by_class": {
    "conv": 9.15e-05,
    "depthwise": 9.15e-05
   },
   "efficiency": {
    "conv": [
     [
      2609000,
      0.002761
     ],
     [
      10000000,
      0.009881
     ],
     [
      100000000,
      0.08788
     ],
     [
      1000000000,
      0.3538
     ],
     [
      10000000000,
      0.552
     ],
     [
      29600000000,
      0.6806
     ]
    ],
    "data-movement": [
     [
      326100,
      0.09379
     ],
     [
      1000000,
      0.1533
     ],
     [
      10000000,
      0.4206
     ],
     [
      49560000,
      0.8485
     ]
    ],
    "depthwise": [
     [
      137600,
      0.001215
     ],
     [
      1000000,
      0.00869
     ],
     [
      10000000,
      0.08354
     ],
     [
      65030000,
      0.5261
     ]
    ],
    "elementwise": [
     [
      100000,
      0.2525
     ],
     [
      1000000,
      0.3923
     ],
     [
      10000000,
      3.087
     ],
     [
      100000000,
      1.096
     ],
     [
      205500000,
      0.7924
     ]
    ],
    "matmul": [
     [
      2048000,
      0.4945
     ],
     [
      10000000,
      0.5293
     ],
     [
      100000000,
      0.5843
     ],
     [
      1000000000,
      0.7278
     ],
     [
      4832000000,
      0.8458
     ]
    ],
    "pool": [
     [
      1000000,
      0.07716
     ],
     [
      10000000,
      0.1034
     ],
     [
      25690000,
      0.1166
     ]
    ],
    "reduction": [
     [
      1000000,
      0.4845
     ],
     [
      6341000,
      0.4845
     ]
    ]
   },
   "kind": "gpu",
   "launch": 7.1e-06,
   "memory": 141000000000,
   "name": "gpu",
   "peak_f16": 702000000000000,
   "peak_flops": 51200000000000,
   "slots": 1
  }
 ],
 "host": "cpu",
 "links": [
  {
   "bandwidth": 54750000000,
   "dispatch": 1.08e-05,
   "from": "cpu",
   "host_memory": "pageable",
   "latency": 1.103e-05,
   "pageable_bandwidth": 19350000000,
   "pageable_latency": 1.435e-05,
   "synchronous": true,
   "to": "gpu"
  },
  {
   "bandwidth": 54990000000,
   "dispatch": 1.08e-05,
   "from": "gpu",
   "host_memory": "pageable",
   "latency": 9.065e-06,
   "pageable_bandwidth": 14090000000,
   "pageable_latency": 1.459e-05,
   "synchronous": true,
   "to": "cpu"
  }
 ],
 "name": "h200-node",
 "runtime": {
  "flavour": "eager",
  "host_ops_on_dispatch_thread": true,
  "host_threads": 1
 },
 "transfers_overlap_compute": true
})json";

static Platform parsePreset(const char *text) {
  llvm::Expected<Platform> platform = parsePlatformJson(text);
  if (!platform)
    llvm::report_fatal_error(llvm::Twine("malformed built-in platform: ") +
                             llvm::toString(platform.takeError()));
  return std::move(*platform);
}

Platform diviml::h200Node() { return parsePreset(kH200Node); }

/// The same node with a runtime that replays CUDA graphs. The host issues
/// one replay per inference instead of every kernel (6.9 us for a graph of
/// 1000 kernels on a CPU + H100 node), so a GPU op costs it nothing; on the
/// GPU, a replayed kernel costs 1.0 us back to back instead of the eager
/// stream's 7.1 us, and the measurement executor runs about three kernels per
/// TOSA op (eager host dispatch 22.6 us per op against 7-11 us per kernel):
/// the GPU's per-op floor is 3 us (docs/platforms.md, docs/fidelity-h100.md).
Platform diviml::h200NodeGraph() {
  Platform platform = h200Node();
  platform.name = "h200-node-graph";
  platform.runtime->flavour = "graph";
  Device &gpu = platform.devices[*platform.findDevice("gpu")];
  gpu.dispatch = 0.0;
  gpu.dispatchByClass.clear();
  gpu.launchOverhead = 3.0e-6;
  return platform;
}
