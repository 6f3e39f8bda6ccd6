// Names with quotes or backslashes print escaped and parse back.
// RUN: diviml-opt %s | diviml-opt | FileCheck %s
// CHECK: #diviml.platform<"odd\22name", host = "a\22b", overlap = true, devices = [#diviml.device<"a\22b", cpu, {{.*}}>, #diviml.device<"c\\d", gpu, {{.*}}>], links = [#diviml.link<"a\22b" -> "c\\d", bandwidth = {{.*}}>]>
module attributes {diviml.platform = #diviml.platform<"odd\"name", host = "a\"b",
    devices = [#diviml.device<"a\"b", cpu, peak_flops = 1.0e12, bandwidth = 1.0e11>,
               #diviml.device<"c\\d", gpu, peak_flops = 1.0e13, bandwidth = 1.0e12>],
    links = [#diviml.link<"a\"b" -> "c\\d", bandwidth = 1.0e10>]>} {}
