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
 "name": "h200-node",
 "host": "cpu",
 "runtime": {
  "flavour": "eager",
  "host_threads": 1,
  "host_ops_on_dispatch_thread": true
 },
 "devices": [
  {
   "name": "cpu",
   "kind": "cpu",
   "peak_flops": 1680000000000.0,
   "bandwidth": 74600000000.0,
   "launch": 2e-06,
   "slots": 1,
   "dispatch": 0.0001101,
   "dispatch_by_class": {
    "view": 2.26e-05
   },
   "first_touch_bandwidth": 9259000000.0,
   "efficiency": {
    "conv": [
     [
      2609000.0,
      0.06505
     ],
     [
      10000000.0,
      0.1274
     ],
     [
      100000000.0,
      0.4467
     ],
     [
      1000000000.0,
      0.6839
     ],
     [
      10000000000.0,
      0.8318
     ],
     [
      29600000000.0,
      0.9121
     ]
    ],
    "data-movement": [
     [
      326100.0,
      0.4133
     ],
     [
      1000000.0,
      0.6998
     ],
     [
      10000000.0,
      2.065
     ],
     [
      49560000.0,
      3.42
     ]
    ],
    "depthwise": [
     [
      137600.0,
      0.02193
     ],
     [
      1000000.0,
      0.1334
     ],
     [
      10000000.0,
      0.8414
     ],
     [
      65030000.0,
      1.59
     ]
    ],
    "elementwise": [
     [
      1024.0,
      7.578
     ],
     [
      10000.0,
      2.265
     ],
     [
      100000.0,
      0.6683
     ],
     [
      1000000.0,
      1.567
     ],
     [
      10000000.0,
      7.674
     ],
     [
      100000000.0,
      2.291
     ],
     [
      205500000.0,
      1.569
     ]
    ],
    "matmul": [
     [
      2048000.0,
      3.827
     ],
     [
      10000000.0,
      2.455
     ],
     [
      100000000.0,
      1.288
     ],
     [
      1000000000.0,
      0.6761
     ],
     [
      4832000000.0,
      0.749
     ]
    ],
    "pool": [
     [
      51200.0,
      0.8139
     ],
     [
      100000.0,
      0.912
     ],
     [
      1000000.0,
      1.349
     ],
     [
      10000000.0,
      1.531
     ],
     [
      25690000.0,
      1.613
     ]
    ],
    "reduction": [
     [
      393700.0,
      2.71
     ],
     [
      1000000.0,
      2.723
     ],
     [
      6341000.0,
      2.748
     ]
    ]
   }
  },
  {
   "name": "gpu",
   "kind": "gpu",
   "peak_flops": 51200000000000.0,
   "bandwidth": 4240000000000.0,
   "memory": 141000000000.0,
   "launch": 7.1e-06,
   "slots": 1,
   "dispatch": 2.26e-05,
   "dispatch_by_class": {
    "conv": 9.15e-05,
    "depthwise": 9.15e-05
   },
   "efficiency": {
    "conv": [
     [
      2609000.0,
      0.002759
     ],
     [
      10000000.0,
      0.009886
     ],
     [
      100000000.0,
      0.0881
     ],
     [
      1000000000.0,
      0.3508
     ],
     [
      10000000000.0,
      0.5559
     ],
     [
      29600000000.0,
      0.6869
     ]
    ],
    "data-movement": [
     [
      326100.0,
      0.09352
     ],
     [
      1000000.0,
      0.1531
     ],
     [
      10000000.0,
      0.4217
     ],
     [
      49560000.0,
      0.8528
     ]
    ],
    "depthwise": [
     [
      137600.0,
      0.00121
     ],
     [
      1000000.0,
      0.00871
     ],
     [
      10000000.0,
      0.08318
     ],
     [
      65030000.0,
      0.521
     ]
    ],
    "elementwise": [
     [
      100000.0,
      0.2512
     ],
     [
      1000000.0,
      0.389
     ],
     [
      10000000.0,
      3.09
     ],
     [
      100000000.0,
      1.096
     ],
     [
      205500000.0,
      0.7929
     ]
    ],
    "matmul": [
     [
      2048000.0,
      0.5022
     ],
     [
      10000000.0,
      0.5309
     ],
     [
      100000000.0,
      0.5754
     ],
     [
      1000000000.0,
      0.7244
     ],
     [
      4832000000.0,
      0.848
     ]
    ],
    "pool": [
     [
      51200.0,
      0.1305
     ],
     [
      100000.0,
      0.1216
     ],
     [
      1000000.0,
      0.0955
     ],
     [
      10000000.0,
      0.2786
     ],
     [
      25690000.0,
      0.4321
     ]
    ],
    "reduction": [
     [
      1000000.0,
      0.4842
     ],
     [
      6341000.0,
      0.4842
     ]
    ]
   }
  }
 ],
 "links": [
  {
   "from": "cpu",
   "to": "gpu",
   "bandwidth": 54400000000.0,
   "latency": 1.06e-05,
   "pageable_bandwidth": 16800000000.0,
   "pageable_latency": 1.62e-05,
   "host_memory": "pageable",
   "synchronous": true,
   "dispatch": 1.08e-05
  },
  {
   "from": "gpu",
   "to": "cpu",
   "bandwidth": 55000000000.0,
   "latency": 9.2e-06,
   "pageable_bandwidth": 13800000000.0,
   "pageable_latency": 1.56e-05,
   "host_memory": "pageable",
   "synchronous": true,
   "dispatch": 1.08e-05
  }
 ]
})json";

/// The same node with a runtime that replays CUDA graphs: a GPU op costs the
/// host 1-3 us instead of tens (runtimes.json); everything else as measured.
static const char *const kH200NodeGraph = R"json(
{
 "name": "h200-node-graph",
 "host": "cpu",
 "runtime": {
  "flavour": "graph",
  "host_threads": 1,
  "host_ops_on_dispatch_thread": true
 },
 "devices": [
  {
   "name": "cpu",
   "kind": "cpu",
   "peak_flops": 1680000000000.0,
   "bandwidth": 74600000000.0,
   "launch": 2e-06,
   "slots": 1,
   "dispatch": 0.0001101,
   "dispatch_by_class": {
    "view": 2.26e-05
   },
   "first_touch_bandwidth": 9259000000.0,
   "efficiency": {
    "conv": [
     [
      2609000.0,
      0.06505
     ],
     [
      10000000.0,
      0.1274
     ],
     [
      100000000.0,
      0.4467
     ],
     [
      1000000000.0,
      0.6839
     ],
     [
      10000000000.0,
      0.8318
     ],
     [
      29600000000.0,
      0.9121
     ]
    ],
    "data-movement": [
     [
      326100.0,
      0.4133
     ],
     [
      1000000.0,
      0.6998
     ],
     [
      10000000.0,
      2.065
     ],
     [
      49560000.0,
      3.42
     ]
    ],
    "depthwise": [
     [
      137600.0,
      0.02193
     ],
     [
      1000000.0,
      0.1334
     ],
     [
      10000000.0,
      0.8414
     ],
     [
      65030000.0,
      1.59
     ]
    ],
    "elementwise": [
     [
      1024.0,
      7.578
     ],
     [
      10000.0,
      2.265
     ],
     [
      100000.0,
      0.6683
     ],
     [
      1000000.0,
      1.567
     ],
     [
      10000000.0,
      7.674
     ],
     [
      100000000.0,
      2.291
     ],
     [
      205500000.0,
      1.569
     ]
    ],
    "matmul": [
     [
      2048000.0,
      3.827
     ],
     [
      10000000.0,
      2.455
     ],
     [
      100000000.0,
      1.288
     ],
     [
      1000000000.0,
      0.6761
     ],
     [
      4832000000.0,
      0.749
     ]
    ],
    "pool": [
     [
      51200.0,
      0.8139
     ],
     [
      100000.0,
      0.912
     ],
     [
      1000000.0,
      1.349
     ],
     [
      10000000.0,
      1.531
     ],
     [
      25690000.0,
      1.613
     ]
    ],
    "reduction": [
     [
      393700.0,
      2.71
     ],
     [
      1000000.0,
      2.723
     ],
     [
      6341000.0,
      2.748
     ]
    ]
   }
  },
  {
   "name": "gpu",
   "kind": "gpu",
   "peak_flops": 51200000000000.0,
   "bandwidth": 4240000000000.0,
   "memory": 141000000000.0,
   "launch": 7.1e-06,
   "slots": 1,
   "dispatch": 2e-06,
   "dispatch_by_class": {},
   "efficiency": {
    "conv": [
     [
      2609000.0,
      0.002759
     ],
     [
      10000000.0,
      0.009886
     ],
     [
      100000000.0,
      0.0881
     ],
     [
      1000000000.0,
      0.3508
     ],
     [
      10000000000.0,
      0.5559
     ],
     [
      29600000000.0,
      0.6869
     ]
    ],
    "data-movement": [
     [
      326100.0,
      0.09352
     ],
     [
      1000000.0,
      0.1531
     ],
     [
      10000000.0,
      0.4217
     ],
     [
      49560000.0,
      0.8528
     ]
    ],
    "depthwise": [
     [
      137600.0,
      0.00121
     ],
     [
      1000000.0,
      0.00871
     ],
     [
      10000000.0,
      0.08318
     ],
     [
      65030000.0,
      0.521
     ]
    ],
    "elementwise": [
     [
      100000.0,
      0.2512
     ],
     [
      1000000.0,
      0.389
     ],
     [
      10000000.0,
      3.09
     ],
     [
      100000000.0,
      1.096
     ],
     [
      205500000.0,
      0.7929
     ]
    ],
    "matmul": [
     [
      2048000.0,
      0.5022
     ],
     [
      10000000.0,
      0.5309
     ],
     [
      100000000.0,
      0.5754
     ],
     [
      1000000000.0,
      0.7244
     ],
     [
      4832000000.0,
      0.848
     ]
    ],
    "pool": [
     [
      51200.0,
      0.1305
     ],
     [
      100000.0,
      0.1216
     ],
     [
      1000000.0,
      0.0955
     ],
     [
      10000000.0,
      0.2786
     ],
     [
      25690000.0,
      0.4321
     ]
    ],
    "reduction": [
     [
      1000000.0,
      0.4842
     ],
     [
      6341000.0,
      0.4842
     ]
    ]
   }
  }
 ],
 "links": [
  {
   "from": "cpu",
   "to": "gpu",
   "bandwidth": 54400000000.0,
   "latency": 1.06e-05,
   "pageable_bandwidth": 16800000000.0,
   "pageable_latency": 1.62e-05,
   "host_memory": "pageable",
   "synchronous": true,
   "dispatch": 1.08e-05
  },
  {
   "from": "gpu",
   "to": "cpu",
   "bandwidth": 55000000000.0,
   "latency": 9.2e-06,
   "pageable_bandwidth": 13800000000.0,
   "pageable_latency": 1.56e-05,
   "host_memory": "pageable",
   "synchronous": true,
   "dispatch": 1.08e-05
  }
 ]
})json";

static Platform parsePreset(const char *text) {
  llvm::Expected<Platform> platform = parsePlatformJson(text);
  if (!platform)
    llvm::report_fatal_error(llvm::Twine("malformed built-in platform: ") +
                             llvm::toString(platform.takeError()));
  return std::move(*platform);
}

Platform diviml::h200Node() { return parsePreset(kH200Node); }

Platform diviml::h200NodeGraph() { return parsePreset(kH200NodeGraph); }
