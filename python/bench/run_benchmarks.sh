#!/usr/bin/env bash
# Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
#
# Runs the speed and memory benchmarks of docs/benchmarks.md in order, on a quiet machine, and copies the
# small result files (JSON + PNG) to docs/results/. Usage, from the repository root, after
# `mvn -B -q -DskipTests package`:
#
#   python/bench/run_benchmarks.sh [OUT_DIR]        # default OUT_DIR: bench-results
#
# Steps (about 20 minutes on 2 cores): matmul peak, fedbiot-djl vs PyTorch eager, client cost per method,
# simulation scale, Flower SuperNode overhead, FedBiOT bytes on the Flower wire, JMH. The replication study is
# separate (long): see docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${1:-bench-results}"
mkdir -p "$out" docs/results
step() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

step "matmul peak"
bin/fedbiot bench matmul --sizes 256,512,1024,2048 --repeats 15 --out "$out"
peak=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['peak_gflops'])" "$out/matmul.json")

step "fedbiot-djl vs transformers+PEFT (peak $peak GFLOP/s)"
bin/fedbiot bench pytorch --sizes tiny,10m,medium,smollm2-135m --batch 4 --seq 128 --repeats 2 --group-steps 2 \
  --profile --peak-gflops "$peak" --out "$out"

step "client cost per method"
bin/fedbiot bench client-cost --model smollm2-135m --batch 4 --seq 128 --steps 3 --rounds 2 --align-steps 3 \
  --out "$out"

step "simulation scale"
bin/fedbiot bench scale --clients 2,8,32,100 --out "$out"

step "client memory at a longer sequence (activations dominate)"
bin/fedbiot bench client-cost --model smollm2-135m --batch 8 --seq 256 --steps 2 --rounds 2 \
  --configs fedbiot:2:0.5,fedavg:0:0 --skip-server --name client-cost-b8-t256 --out "$out"

step "Java vs Python Flower SuperNode overhead (real flwr SuperLink)"
bin/fedbiot bench flower-overhead --sizes 1,100 --rounds 5 --warmup 1 --out "$out"

step "FedBiOT bytes at the wire over a real Flower SuperLink"
bin/fedbiot bench flower-wire --threads 1 --out "$out"

step "JMH"
mvn -B -q -o -pl benchmarks -am package -DskipTests
java -cp "benchmarks/target/*:benchmarks/target/lib/*" org.openjdk.jmh.Main -wi 2 -i 3 -w 1s -r 1s -f 1 \
  -rf json -rff "$out/jmh.json" AggregationBenchmark
bin/fedbiot bench jmh-plot --in "$out/jmh.json" --out "$out/jmh.png"

cp "$out"/*.json "$out"/*.png docs/results/
step "done: $out -> docs/results"
