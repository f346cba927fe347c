#!/usr/bin/env bash
# Matting on a busy machine: seconds to matte one image with 0, 1, … busy loops (`yes`) beside
# vmatte, on all cores' worth of OpenBLAS threads (--threads = cores) and on 1, and with the
# default (the threads fit the idle cores). Run it on an otherwise quiet machine.
# Usage: bash Benchmarks/engine/busy.sh [IMAGE TRIMAP]   (default: the bundled sample's frame 50)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte
work=.build-bench/busy
rm -rf "$work" && mkdir -p "$work"
cores=$(nproc)
if [ $# -ge 2 ]; then image=$1 trimap=$2; else
  ffmpeg -v error -i Samples/clip.mp4 -vf "select=eq(n\,50)" -frames:v 1 "$work/frame.png"
  image=$work/frame.png trimap=Samples/trimaps/000050.png
fi
seconds() {  # extra vmatte options -> best of 3 wall-clock seconds
  local best=
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$vmatte" "$image" --trimap "$trimap" -o "$work/out/" --alpha-only --overwrite -q "$@"
    end=$(date +%s.%N)
    best=$(echo "$end - $start" | bc | awk -v b="$best" '{ print (b == "" || $1 < b) ? $1 : b }')
  done
  printf '%.2f' "$best"
}
core=$("$vmatte" "$image" --trimap "$trimap" -o "$work/out/" --alpha-only --overwrite -q --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["openblasCore"])')
echo "vmatte on $image; $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); OpenBLAS $core"
echo
echo "| busy loops | --threads $cores | --threads 1 | default |"
echo "|---:|---:|---:|---:|"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for busy in $(seq 0 "$cores"); do
  if [ "$busy" -gt 0 ]; then yes > /dev/null & pids+=($!); sleep 1; fi
  echo "| $busy | $(seconds --threads "$cores") | $(seconds --threads 1) | $(seconds) |"
done
