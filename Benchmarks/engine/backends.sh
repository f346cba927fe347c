#!/usr/bin/env bash
# oneDNN against XNNPACK on the shipped network's convolution shapes (Benchmarks/engine/backends.c):
# how the engine's backend was chosen. Needs libdnnl-dev, libxnnpack-dev and libpthreadpool-dev.
# Usage: bash Benchmarks/engine/backends.sh [WIDTH HEIGHT [W R]]   (default 1280 736 16 32)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .build-bench/engine
cc -O2 -Wall -o .build-bench/engine/backends Benchmarks/engine/backends.c -ldnnl -lXNNPACK -lpthreadpool -lm
OMP_NUM_THREADS=2 .build-bench/engine/backends "$@"
