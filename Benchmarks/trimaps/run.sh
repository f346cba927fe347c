#!/usr/bin/env bash
# Trimap propagation: dilate vs feedback on the bundled sample and on synthetic clips with
# exact alpha (made by scripts/make_sample.py from the validation subjects, never trained on;
# skipped without ../shared/data). Band coverage and area against the true alpha, and the
# matte quality each mode gives (vmatte eval). Writes Benchmarks/trimaps/RESULTS.md.
# Usage: bash Benchmarks/trimaps/run.sh [MODEL]   (default: the bundled model)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-Models/vmatte-dim.safetensors}
work=.build-bench/trimaps
clips=.build-bench/clips
rm -rf "$work" && mkdir -p "$work" "$clips"
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte

# shellcheck source=../synthetic-clips.sh
source Benchmarks/synthetic-clips.sh
folders=(Samples)
if [ -d ../shared/data ]; then
  while IFS='|' read -r path _; do folders+=("$path"); done < <(synthetic_clips "$clips")
else
  echo "note: ../shared/data is absent: the synthetic clips are skipped" >&2
fi

measure() {  # folder mode -> one table row
  local folder=$1 mode=$2 out="$work/$(basename "$1")-$2" start end
  start=$(date +%s.%N)
  $vmatte "$folder/clip.mp4" --trimaps "$folder/trimaps" --propagate "$mode" --model "$model" \
    --alpha-only -o "$out-alpha" --export-trimaps "$out-trimaps" -q
  end=$(date +%s.%N)
  /usr/bin/python3 - "$out-trimaps" "$folder/gt-alpha.mkv" "$out-alpha" "$(basename "$folder")" "$mode" \
    "$(echo "$end - $start" | bc -l)" "$vmatte" <<'PY'
import json, subprocess, sys
trimaps, truth, alpha, clip, mode, seconds, vmatte = sys.argv[1:]
cover = json.loads(subprocess.run(["/usr/bin/python3", "Benchmarks/trimaps/coverage.py", trimaps, truth],
                                  check=True, capture_output=True, text=True).stdout)
score = json.loads(subprocess.run([vmatte, "eval", "--pred", alpha, "--gt", truth, "--json"],
                                  check=True, capture_output=True, text=True).stdout)["mean"]
print(f"| {clip} | {mode} | {100 * cover['worstCoverage']:.0f} % / {100 * cover['meanCoverage']:.0f} % "
      f"| {cover['meanBandToTrueArea']:.1f} | {cover['wrongDefinitePixels'] / cover['frames']:.0f} "
      f"| {score['sad']:.2f} | {score['mse1e3']:.1f} | {score['dtSSD']:.2f} | {float(seconds) / cover['frames']:.2f} |")
PY
}

{
echo "Model \`$model\`; $(nproc) cores; $(date -u +%Y-%m-%d). Keys at the first, middle and last frame of each clip."
echo "Coverage: share of the true soft pixels (0 < α < 1) inside the unknown band (worst frame / mean);"
echo "band: unknown area / true soft area; wrong: definite trimap pixels the truth contradicts, per frame;"
echo "SAD, MSE×1e3, dtSSD×1e2 of the mattes over whole frames (vmatte eval); s: seconds per frame."
echo
echo "| clip | mode | coverage worst / mean | band | wrong px | SAD | MSE×1e3 | dtSSD | s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for folder in "${folders[@]}"; do
  for mode in dilate feedback; do measure "$folder" "$mode"; done
done
} | tee Benchmarks/trimaps/RESULTS.md
