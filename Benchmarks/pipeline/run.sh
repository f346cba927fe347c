#!/usr/bin/env bash
# End to end at 1280x720: the sample clip scaled up (bicubic, H.264 CRF 16, its AAC audio),
# keys every 12 frames made from its exact alpha (keys.py), matted with default settings to a
# ProRes 4444 cut-out. Prints one line per run: fps, the matting stage's seconds a frame split
# into trimap propagation, closed-form solve and the rest (network, input, output), compose
# seconds a frame, peak RSS. Writes the table to Benchmarks/pipeline/RESULTS.md too. Needs ffmpeg,
# numpy, scipy and Pillow (no ../shared).
# Usage: bash Benchmarks/pipeline/run.sh [runs] [frames] [other vmatte binary to alternate with [its --model]]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
frames=${2:-48}
other=${3:-}
other_model=${4:-}
work=.build-bench/pipeline
mkdir -p "$work"
swift build -c release --product vmatte >/dev/null
clip=$work/clip-1280x720.mp4
keys=$work/keys-1280x720
[ -f "$clip" ] || ffmpeg -v error -y -i Samples/clip.mp4 -vf scale=1280:720:flags=bicubic \
  -c:v libx264 -crf 16 -pix_fmt yuv420p -c:a copy "$clip"
[ -d "$keys" ] || /usr/bin/python3 Benchmarks/pipeline/keys.py Samples/gt-alpha.mkv 1280 720 12 "$keys"

binaries=(.build/release/vmatte)
[ -n "$other" ] && binaries+=("$other")
{
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%d); $frames frames of"
echo "$clip, keys every 12 frames ($(ls "$keys" | wc -l) keys), default settings, ProRes 4444 cut-out."
echo "Seconds a frame; process = trimaps + closed-form + KNN + rest (the network and its input and output)."
echo
echo "| binary | fps | process s/frame | trimaps | closed-form (iterations) | KNN | rest | compose s/frame | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for _ in $(seq "$runs"); do
  for binary in "${binaries[@]}"; do
    model=()
    [ "$binary" = "$other" ] && [ -n "$other_model" ] && model=(--model "$other_model" --method fused)
    "$binary" "$clip" --trimaps "$keys" -o "$work/out.mov" --overwrite --frames "0-$((frames - 1))" --json --quiet \
      "${model[@]}" > "$work/report.json"
    label=$binary
    [ ${#model[@]} -gt 0 ] && label="$binary --model $(basename "$other_model")"
    /usr/bin/python3 - "$label" "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
n, s, cf = r["frames"], r["stageSeconds"], r["closedForm"]
knn = r.get("knn") or {"seconds": 0.0}
rest = (s["process"] - s["trimaps"] - cf["seconds"] - knn["seconds"]) / n
print(f"| {sys.argv[1]} | {r['framesPerSecond']:.2f} | {s['process'] / n:.3f} | {s['trimaps'] / n:.3f} | "
      f"{cf['seconds'] / n:.3f} ({cf['iterations'] / max(1, cf['solves']):.0f}) | {knn['seconds'] / n:.3f} | {rest:.3f} | "
      f"{s['compose'] / n:.3f} | {r['peakResidentMiB']:.0f} |")
PY
  done
done
} | tee Benchmarks/pipeline/RESULTS.md
