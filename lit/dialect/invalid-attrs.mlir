// Every verifier and parser message of the dialect's attributes, located.
// RUN: diviml-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{unknown device kind 'tpu'; expected cpu, gpu or accel}}
module attributes {x.d = #diviml.device<"a", tpu, peak_flops = 1.0, bandwidth = 1.0>} {}

// -----

// expected-error @+1 {{device 'a' needs 'peak_flops' and 'bandwidth'}}
module attributes {x.d = #diviml.device<"a", cpu, bandwidth = 1.0>} {}

// -----

// expected-error @+1 {{unknown key 'peak'; expected one of: peak_flops, bandwidth, memory, launch, slots, peak_f16, peak_int8, unsupported}}
module attributes {x.d = #diviml.device<"a", cpu, peak = 1.0, bandwidth = 1.0>} {}

// -----

// expected-error @+1 {{'slots' is given twice}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0, slots = 1, slots = 2>} {}

// -----

// expected-error @+1 {{device name must not be empty}}
module attributes {x.d = #diviml.device<"", cpu, peak_flops = 1.0, bandwidth = 1.0>} {}

// -----

// expected-error @+1 {{device 'a' needs a positive finite peak_flops}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 0.0, bandwidth = 1.0>} {}

// -----

// expected-error @+1 {{device 'a' needs a positive bandwidth}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = -1.0>} {}

// -----

// expected-error @+1 {{device 'a' needs a positive memory}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0, memory = 0.0>} {}

// -----

// expected-error @+1 {{device 'a' needs a finite, non-negative launch overhead}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0, launch = -1.0e-6>} {}

// -----

// expected-error @+1 {{device 'a' needs between 1 and 4096 slots}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0, slots = 0>} {}

// -----

// A negative count wraps to a huge unsigned: rejected, not simulated.
// expected-error @+1 {{device 'a' needs between 1 and 4096 slots}}
module attributes {x.d = #diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0, slots = -1>} {}

// -----

// 0 would mean "not given": an explicit peak must be positive.
// expected-error @+1 {{device 'a' needs a positive finite peak_f16}}
module attributes {x.d = #diviml.device<"a", gpu, peak_flops = 1.0, bandwidth = 1.0, peak_f16 = 0.0>} {}

// -----

// expected-error @+1 {{device 'a' needs a positive finite peak_int8}}
module attributes {x.d = #diviml.device<"a", gpu, peak_flops = 1.0, bandwidth = 1.0, peak_int8 = -4.0>} {}

// -----

// expected-error @+1 {{device 'a' needs a positive finite peak_f16}}
module attributes {x.d = #diviml.device<"a", gpu, peak_flops = 1.0, bandwidth = 1.0, peak_f16 = inf>} {}

// -----

// expected-error @+1 {{device 'a' lists an empty op kind as unsupported}}
module attributes {x.d = #diviml.device<"a", accel, peak_flops = 1.0, bandwidth = 1.0, unsupported = ["tosa.gather", ""]>} {}

// -----

// expected-error @+1 {{device 'a' lists 'tosa.erf' twice as unsupported}}
module attributes {x.d = #diviml.device<"a", accel, peak_flops = 1.0, bandwidth = 1.0, unsupported = ["tosa.erf", "tosa.erf"]>} {}

// -----

// expected-error @+1 {{link 'a' -> 'b' needs a 'bandwidth'}}
module attributes {x.l = #diviml.link<"a" -> "b", latency = 1.0>} {}

// -----

// expected-error @+1 {{unknown key 'speed'; expected one of: bandwidth, latency}}
module attributes {x.l = #diviml.link<"a" -> "b", speed = 1.0>} {}

// -----

// expected-error @+1 {{link endpoints must be non-empty device names}}
module attributes {x.l = #diviml.link<"" -> "b", bandwidth = 1.0>} {}

// -----

// expected-error @+1 {{link 'a' -> 'a' must connect two different devices}}
module attributes {x.l = #diviml.link<"a" -> "a", bandwidth = 1.0>} {}

// -----

// expected-error @+1 {{link 'a' -> 'b' needs a positive bandwidth}}
module attributes {x.l = #diviml.link<"a" -> "b", bandwidth = 0.0>} {}

// -----

// expected-error @+1 {{link 'a' -> 'b' needs a finite, non-negative latency}}
module attributes {x.l = #diviml.link<"a" -> "b", bandwidth = 1.0, latency = inf>} {}

// -----

// expected-error @+1 {{platform 'p' has no devices}}
module attributes {x.p = #diviml.platform<"p">} {}

// -----

// expected-error @+1 {{platform 'p' has two devices named 'a'}}
module attributes {x.p = #diviml.platform<"p", devices = [#diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0>, #diviml.device<"a", gpu, peak_flops = 1.0, bandwidth = 1.0>]>} {}

// -----

// expected-error @+1 {{platform 'p' names unknown host 'b'}}
module attributes {x.p = #diviml.platform<"p", host = "b", devices = [#diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0>]>} {}

// -----

// expected-error @+1 {{platform 'p' has a link to unknown device 'b'}}
module attributes {x.p = #diviml.platform<"p", devices = [#diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0>], links = [#diviml.link<"a" -> "b", bandwidth = 1.0>]>} {}

// -----

// expected-error @+1 {{platform 'p' has two links 'a' -> 'b'}}
module attributes {x.p = #diviml.platform<"p", devices = [#diviml.device<"a", cpu, peak_flops = 1.0, bandwidth = 1.0>, #diviml.device<"b", cpu, peak_flops = 1.0, bandwidth = 1.0>], links = [#diviml.link<"a" -> "b", bandwidth = 1.0>, #diviml.link<"a" -> "b", bandwidth = 2.0>]>} {}

// -----

// expected-error @+1 {{expected 'true' or 'false'}}
module attributes {x.p = #diviml.platform<"p", overlap = yes>} {}

// -----

// expected-error @+1 {{unknown key 'hosts'; expected one of: host, overlap, devices, links}}
module attributes {x.p = #diviml.platform<"p", hosts = "a">} {}

// -----

// expected-error @+1 {{cost figures must be finite and non-negative}}
module attributes {x.c = #diviml.cost<flops = -1.0>} {}

// -----

// expected-error @+1 {{time on device 'gpu0' must be a finite, non-negative float}}
module attributes {x.c = #diviml.cost<times = {gpu0 = "fast"}>} {}

// -----

// expected-error @+1 {{unknown key 'latency'; expected one of: flops, bytes, output_bytes, memory, times}}
module attributes {x.c = #diviml.cost<latency = 1.0>} {}
