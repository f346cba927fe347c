#!/usr/bin/env bash
# Trimap propagation on the bundled sample: dilate vs feedback. Band coverage and area
# against the ground-truth alpha, and the matte quality each gives (vmatte eval).
# Usage: bash Benchmarks/trimaps/run.sh [MODEL]   (default: the bundled model)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-Models/vmatte-dim.safetensors}
work=.build-bench/trimaps
rm -rf "$work" && mkdir -p "$work"
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte
{
echo "Sample: \`Samples/clip.mp4\` (100 frames, keys at 0, 50, 99); model \`$model\`; $(date -u +%Y-%m-%d)."
echo
for mode in dilate feedback; do
  start=$(date +%s.%N)
  $vmatte Samples/clip.mp4 --trimaps Samples/trimaps --propagate "$mode" --model "$model" \
    --alpha-only -o "$work/$mode-alpha" --export-trimaps "$work/$mode-trimaps" -q
  end=$(date +%s.%N)
  echo "### $mode ($(echo "scale=2; ($end - $start)" | bc -l) s for 100 frames)"
  echo '```'
  /usr/bin/python3 Benchmarks/trimaps/coverage.py "$work/$mode-trimaps" Samples/gt-alpha.mkv
  $vmatte eval --pred "$work/$mode-alpha" --gt Samples/gt-alpha.mkv --json | /usr/bin/python3 -c '
import json, sys
report = json.load(sys.stdin)
print(json.dumps(report.get("mean", report), sort_keys=True))'
  echo '```'
done
} | tee Benchmarks/trimaps/RESULTS.md
