//===- ConvNets.cpp - ImageNet CNNs at their published sizes --------------===//
//
// ResNet-50 (torchvision v1.5: stride on the 3x3 conv), VGG-16 (config D),
// Inception-v3 (torchvision, no auxiliary head), GoogLeNet (Szegedy et al.
// 2015 Table 1, 5x5 branches, LRN left out) and MobileNetV2 (width 1.0).
// All take NHWC f32 images and return [batch, 1000] logits.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"
#include "Models.h"

#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace diviml::modelgen {

Error optionError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

Error checkRange(StringRef flag, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo || value > hi)
    return optionError(flag + " must be between " + Twine(lo) + " and " +
                       Twine(hi) + " (got " + Twine(value) + ")");
  return Error::success();
}

Error checkBatch(const ModelOptions &o) {
  // The bound keeps every element and MAC count far from int64 overflow.
  return checkRange("--batch", o.batch, 1, 65536);
}

static ConvSpec conv(int64_t outChannels, int64_t kernel, int64_t stride = 1,
                     int64_t pad = 0, bool hasBias = false) {
  ConvSpec s;
  s.outChannels = outChannels;
  s.kernelH = s.kernelW = kernel;
  s.strideH = s.strideW = stride;
  s.padH = s.padW = pad;
  s.hasBias = hasBias;
  return s;
}

/// Non-square kernels of Inception-v3 (1x7, 7x1, 1x3, 3x1), stride 1.
static ConvSpec convHW(int64_t outChannels, int64_t kh, int64_t kw, int64_t ph,
                       int64_t pw) {
  ConvSpec s = conv(outChannels, 1);
  s.kernelH = kh;
  s.kernelW = kw;
  s.padH = ph;
  s.padW = pw;
  return s;
}

//===----------------------------------------------------------------------===//
// ResNet-50
//===----------------------------------------------------------------------===//

Error buildResNet50(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkBatch(o))
    return e;
  notes.push_back("ResNet-50 v1.5 (torchvision): bottlenecks [3, 4, 6, 3], "
                  "stride on the 3x3 conv, BN folded to mul+add");
  Tensor x = w.beginFunction({o.batch, 224, 224, 3});
  x = w.conv2d("conv1", x, conv(64, 7, 2, 3));
  x = batchNorm(w, "bn1", x);
  x = w.relu("relu", x);
  x = w.maxPool2d("maxpool", x, 3, 2, 1);

  const int64_t blocks[] = {3, 4, 6, 3};
  for (int stage = 0; stage < 4; ++stage) {
    int64_t planes = 64 << stage;
    for (int64_t b = 0; b < blocks[stage]; ++b) {
      std::string pre = formatv("layer{0}.{1}", stage + 1, b).str();
      int64_t stride = (b == 0 && stage > 0) ? 2 : 1;
      Tensor identity = x;
      Tensor y = w.conv2d(pre + ".conv1", x, conv(planes, 1));
      y = w.relu(pre + ".relu1", batchNorm(w, pre + ".bn1", y));
      y = w.conv2d(pre + ".conv2", y, conv(planes, 3, stride, 1));
      y = w.relu(pre + ".relu2", batchNorm(w, pre + ".bn2", y));
      y = w.conv2d(pre + ".conv3", y, conv(4 * planes, 1));
      y = batchNorm(w, pre + ".bn3", y);
      if (b == 0) {
        identity =
            w.conv2d(pre + ".downsample.0", x, conv(4 * planes, 1, stride));
        identity = batchNorm(w, pre + ".downsample.1", identity);
      }
      y = w.add(pre + ".add", y, identity);
      x = w.relu(pre + ".relu3", y);
    }
  }
  w.endFunction(classifierHead(w, x, 1000));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// VGG-16
//===----------------------------------------------------------------------===//

Error buildVgg16(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkBatch(o))
    return e;
  notes.push_back("VGG-16 (configuration D): 13 3x3 convs with bias + ReLU, "
                  "5 max pools, 3 fully connected layers");
  Tensor x = w.beginFunction({o.batch, 224, 224, 3});
  const int64_t convsPerStage[] = {2, 2, 3, 3, 3};
  const int64_t widths[] = {64, 128, 256, 512, 512};
  for (int stage = 0; stage < 5; ++stage) {
    for (int64_t i = 0; i < convsPerStage[stage]; ++i) {
      std::string id = formatv("{0}_{1}", stage + 1, i + 1).str();
      x = w.conv2d("conv" + id, x, conv(widths[stage], 3, 1, 1, true));
      x = w.relu("relu" + id, x);
    }
    x = w.maxPool2d(formatv("pool{0}", stage + 1).str(), x, 2, 2, 0);
  }
  // Flatten 7x7x512 into the rows of a single matmul batch.
  Tensor flat =
      w.reshape("flatten", x, {1, o.batch, x.numElements() / o.batch});
  flat = w.relu("relu6", w.linear("fc6", flat, 4096));
  flat = w.relu("relu7", w.linear("fc7", flat, 4096));
  flat = w.linear("fc8", flat, 1000);
  w.endFunction(w.reshape("logits", flat, {o.batch, 1000}));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Inception-v3
//===----------------------------------------------------------------------===//

/// BasicConv2d of torchvision: conv (no bias) + BN + ReLU.
static Tensor basic(TosaWriter &w, const std::string &name, const Tensor &x,
                    const ConvSpec &spec) {
  return convBnAct(w, name, x, spec, Activation::Relu);
}

static Tensor inceptionA(TosaWriter &w, const std::string &n, const Tensor &x,
                         int64_t poolFeatures) {
  Tensor b1 = basic(w, n + ".branch1x1", x, conv(64, 1));
  Tensor b5 = basic(w, n + ".branch5x5_1", x, conv(48, 1));
  b5 = basic(w, n + ".branch5x5_2", b5, conv(64, 5, 1, 2));
  Tensor b3 = basic(w, n + ".branch3x3dbl_1", x, conv(64, 1));
  b3 = basic(w, n + ".branch3x3dbl_2", b3, conv(96, 3, 1, 1));
  b3 = basic(w, n + ".branch3x3dbl_3", b3, conv(96, 3, 1, 1));
  Tensor bp = w.avgPool2d(n + ".branch_pool_avg", x, 3, 1, 1);
  bp = basic(w, n + ".branch_pool", bp, conv(poolFeatures, 1));
  return w.concat(n + ".concat", {b1, b5, b3, bp}, 3);
}

static Tensor inceptionB(TosaWriter &w, const std::string &n, const Tensor &x) {
  Tensor b3 = basic(w, n + ".branch3x3", x, conv(384, 3, 2));
  Tensor bd = basic(w, n + ".branch3x3dbl_1", x, conv(64, 1));
  bd = basic(w, n + ".branch3x3dbl_2", bd, conv(96, 3, 1, 1));
  bd = basic(w, n + ".branch3x3dbl_3", bd, conv(96, 3, 2));
  Tensor bp = w.maxPool2d(n + ".branch_pool", x, 3, 2, 0);
  return w.concat(n + ".concat", {b3, bd, bp}, 3);
}

static Tensor inceptionC(TosaWriter &w, const std::string &n, const Tensor &x,
                         int64_t c7) {
  Tensor b1 = basic(w, n + ".branch1x1", x, conv(192, 1));
  Tensor b7 = basic(w, n + ".branch7x7_1", x, conv(c7, 1));
  b7 = basic(w, n + ".branch7x7_2", b7, convHW(c7, 1, 7, 0, 3));
  b7 = basic(w, n + ".branch7x7_3", b7, convHW(192, 7, 1, 3, 0));
  Tensor bd = basic(w, n + ".branch7x7dbl_1", x, conv(c7, 1));
  bd = basic(w, n + ".branch7x7dbl_2", bd, convHW(c7, 7, 1, 3, 0));
  bd = basic(w, n + ".branch7x7dbl_3", bd, convHW(c7, 1, 7, 0, 3));
  bd = basic(w, n + ".branch7x7dbl_4", bd, convHW(c7, 7, 1, 3, 0));
  bd = basic(w, n + ".branch7x7dbl_5", bd, convHW(192, 1, 7, 0, 3));
  Tensor bp = w.avgPool2d(n + ".branch_pool_avg", x, 3, 1, 1);
  bp = basic(w, n + ".branch_pool", bp, conv(192, 1));
  return w.concat(n + ".concat", {b1, b7, bd, bp}, 3);
}

static Tensor inceptionD(TosaWriter &w, const std::string &n, const Tensor &x) {
  Tensor b3 = basic(w, n + ".branch3x3_1", x, conv(192, 1));
  b3 = basic(w, n + ".branch3x3_2", b3, conv(320, 3, 2));
  Tensor b7 = basic(w, n + ".branch7x7x3_1", x, conv(192, 1));
  b7 = basic(w, n + ".branch7x7x3_2", b7, convHW(192, 1, 7, 0, 3));
  b7 = basic(w, n + ".branch7x7x3_3", b7, convHW(192, 7, 1, 3, 0));
  b7 = basic(w, n + ".branch7x7x3_4", b7, conv(192, 3, 2));
  Tensor bp = w.maxPool2d(n + ".branch_pool", x, 3, 2, 0);
  return w.concat(n + ".concat", {b3, b7, bp}, 3);
}

static Tensor inceptionE(TosaWriter &w, const std::string &n, const Tensor &x) {
  Tensor b1 = basic(w, n + ".branch1x1", x, conv(320, 1));
  Tensor b3 = basic(w, n + ".branch3x3_1", x, conv(384, 1));
  Tensor b3a = basic(w, n + ".branch3x3_2a", b3, convHW(384, 1, 3, 0, 1));
  Tensor b3b = basic(w, n + ".branch3x3_2b", b3, convHW(384, 3, 1, 1, 0));
  b3 = w.concat(n + ".branch3x3_concat", {b3a, b3b}, 3);
  Tensor bd = basic(w, n + ".branch3x3dbl_1", x, conv(448, 1));
  bd = basic(w, n + ".branch3x3dbl_2", bd, conv(384, 3, 1, 1));
  Tensor bda = basic(w, n + ".branch3x3dbl_3a", bd, convHW(384, 1, 3, 0, 1));
  Tensor bdb = basic(w, n + ".branch3x3dbl_3b", bd, convHW(384, 3, 1, 1, 0));
  bd = w.concat(n + ".branch3x3dbl_concat", {bda, bdb}, 3);
  Tensor bp = w.avgPool2d(n + ".branch_pool_avg", x, 3, 1, 1);
  bp = basic(w, n + ".branch_pool", bp, conv(192, 1));
  return w.concat(n + ".concat", {b1, b3, bd, bp}, 3);
}

Error buildInceptionV3(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkBatch(o))
    return e;
  notes.push_back("Inception-v3 (torchvision layout, 299x299, no auxiliary "
                  "classifier); avg pools exclude padding (TOSA semantics)");
  Tensor x = w.beginFunction({o.batch, 299, 299, 3});
  x = basic(w, "Conv2d_1a_3x3", x, conv(32, 3, 2));
  x = basic(w, "Conv2d_2a_3x3", x, conv(32, 3));
  x = basic(w, "Conv2d_2b_3x3", x, conv(64, 3, 1, 1));
  x = w.maxPool2d("maxpool1", x, 3, 2, 0);
  x = basic(w, "Conv2d_3b_1x1", x, conv(80, 1));
  x = basic(w, "Conv2d_4a_3x3", x, conv(192, 3));
  x = w.maxPool2d("maxpool2", x, 3, 2, 0);
  x = inceptionA(w, "Mixed_5b", x, 32);
  x = inceptionA(w, "Mixed_5c", x, 64);
  x = inceptionA(w, "Mixed_5d", x, 64);
  x = inceptionB(w, "Mixed_6a", x);
  x = inceptionC(w, "Mixed_6b", x, 128);
  x = inceptionC(w, "Mixed_6c", x, 160);
  x = inceptionC(w, "Mixed_6d", x, 160);
  x = inceptionC(w, "Mixed_6e", x, 192);
  x = inceptionD(w, "Mixed_7a", x);
  x = inceptionE(w, "Mixed_7b", x);
  x = inceptionE(w, "Mixed_7c", x);
  w.endFunction(classifierHead(w, x, 1000));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// GoogLeNet
//===----------------------------------------------------------------------===//

/// conv with bias + ReLU, as in the original GoogLeNet (no BN).
static Tensor convRelu(TosaWriter &w, const std::string &n, const Tensor &x,
                       ConvSpec spec) {
  spec.hasBias = true;
  return w.relu(n + ".relu", w.conv2d(n, x, spec));
}

/// One inception module of Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce,
/// #5x5, pool proj.
static Tensor inceptionModule(TosaWriter &w, const std::string &n,
                              const Tensor &x, int64_t c1, int64_t c3r,
                              int64_t c3, int64_t c5r, int64_t c5,
                              int64_t pool) {
  Tensor b1 = convRelu(w, n + ".1x1", x, conv(c1, 1));
  Tensor b3 = convRelu(w, n + ".3x3_reduce", x, conv(c3r, 1));
  b3 = convRelu(w, n + ".3x3", b3, conv(c3, 3, 1, 1));
  Tensor b5 = convRelu(w, n + ".5x5_reduce", x, conv(c5r, 1));
  b5 = convRelu(w, n + ".5x5", b5, conv(c5, 5, 1, 2));
  Tensor bp = w.maxPool2d(n + ".pool", x, 3, 1, 1);
  bp = convRelu(w, n + ".pool_proj", bp, conv(pool, 1));
  return w.concat(n + ".concat", {b1, b3, b5, bp}, 3);
}

Error buildGoogLeNet(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkBatch(o))
    return e;
  notes.push_back("GoogLeNet (Szegedy et al. 2015, Table 1): 5x5 branches, "
                  "conv bias + ReLU, LRN and auxiliary classifiers left out");
  Tensor x = w.beginFunction({o.batch, 224, 224, 3});
  x = convRelu(w, "conv1.7x7_s2", x, conv(64, 7, 2, 3));
  x = w.maxPool2d("pool1.3x3_s2", x, 3, 2, 1);
  x = convRelu(w, "conv2.3x3_reduce", x, conv(64, 1));
  x = convRelu(w, "conv2.3x3", x, conv(192, 3, 1, 1));
  x = w.maxPool2d("pool2.3x3_s2", x, 3, 2, 1);
  x = inceptionModule(w, "inception_3a", x, 64, 96, 128, 16, 32, 32);
  x = inceptionModule(w, "inception_3b", x, 128, 128, 192, 32, 96, 64);
  x = w.maxPool2d("pool3.3x3_s2", x, 3, 2, 1);
  x = inceptionModule(w, "inception_4a", x, 192, 96, 208, 16, 48, 64);
  x = inceptionModule(w, "inception_4b", x, 160, 112, 224, 24, 64, 64);
  x = inceptionModule(w, "inception_4c", x, 128, 128, 256, 24, 64, 64);
  x = inceptionModule(w, "inception_4d", x, 112, 144, 288, 32, 64, 64);
  x = inceptionModule(w, "inception_4e", x, 256, 160, 320, 32, 128, 128);
  x = w.maxPool2d("pool4.3x3_s2", x, 3, 2, 1);
  x = inceptionModule(w, "inception_5a", x, 256, 160, 320, 32, 128, 128);
  x = inceptionModule(w, "inception_5b", x, 384, 192, 384, 48, 128, 128);
  w.endFunction(classifierHead(w, x, 1000, "pool5.7x7_s1", "loss3.classifier"));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// MobileNetV2
//===----------------------------------------------------------------------===//

Error buildMobileNetV2(TosaWriter &w, const ModelOptions &o, Notes &notes) {
  if (Error e = checkBatch(o))
    return e;
  notes.push_back("MobileNetV2 (width 1.0, 224x224): 17 inverted residual "
                  "blocks, ReLU6, depthwise 3x3");
  Tensor x = w.beginFunction({o.batch, 224, 224, 3});
  x = convBnAct(w, "features.0", x, conv(32, 3, 2, 1), Activation::Relu6);

  struct Setting {
    int64_t expand, channels, repeats, stride;
  };
  const Setting settings[] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2},
                              {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
                              {6, 320, 1, 1}};
  int index = 1;
  for (const Setting &s : settings) {
    for (int64_t r = 0; r < s.repeats; ++r, ++index) {
      std::string pre = formatv("features.{0}", index).str();
      int64_t stride = r == 0 ? s.stride : 1;
      int64_t inChannels = x.dim(3);
      Tensor y = x;
      if (s.expand != 1)
        y = convBnAct(w, pre + ".expand", y, conv(inChannels * s.expand, 1),
                      Activation::Relu6);
      y = w.depthwiseConv2d(pre + ".dw.conv", y, 3, stride, 1);
      y = w.relu6(pre + ".dw.relu6", batchNorm(w, pre + ".dw.bn", y));
      y = convBnAct(w, pre + ".project", y, conv(s.channels, 1),
                    Activation::None);
      if (stride == 1 && inChannels == s.channels)
        y = w.add(pre + ".add", y, x);
      x = y;
    }
  }
  x = convBnAct(w, formatv("features.{0}", index).str(), x, conv(1280, 1),
                Activation::Relu6);
  w.endFunction(classifierHead(w, x, 1000, "avgpool", "classifier"));
  return Error::success();
}

} // namespace diviml::modelgen
