#!/usr/bin/env bash
# Video quality of the methods on the bundled sample and the synthetic clips of docs/trimaps.md
# (scripts/make_sample.py; skipped without ../shared/data): the default (fused) method, with the
# fold model that never saw the clip's subject, against closed-form matting with the default
# propagation and closed-form matting on the nearest key's trimap (--propagate dilate). SAD,
# MSE×1e3 and dtSSD×1e2 over whole frames (vmatte eval). Writes Benchmarks/quality/CLIPS.md.
# Usage: bash Benchmarks/quality/clips.sh ['training/checkpoints/fused-w8-refine-fold{fold}.safetensors']
set -euo pipefail
cd "$(dirname "$0")/../.."
default_pattern='training/checkpoints/fused-w8-refine-fold{fold}.safetensors'
pattern=${1:-$default_pattern}
work=.build-bench/clips-quality
clips=.build-bench/clips
mkdir -p "$work" "$clips"
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte

# shellcheck source=../synthetic-clips.sh
source Benchmarks/synthetic-clips.sh
entries=("Samples|GT09")
if [ -d ../shared/data ]; then
  while read -r entry; do entries+=("$entry"); done < <(synthetic_clips "$clips")
else
  echo "note: ../shared/data is absent: only the bundled sample is scored" >&2
fi

fold_of() {  # subject -> the cross-validation fold that holds it out
  /usr/bin/python3 -c "import sys; sys.path.insert(0, 'training'); from dataset import FOLDS, fold_names
print(next(k for k in range(FOLDS) if sys.argv[1] in fold_names(k)))" "$1"
}

score() {  # folder label output -> one table row
  $vmatte eval --pred "$3" --gt "$1/gt-alpha.mkv" --json | /usr/bin/python3 -c "
import json, sys; m = json.load(sys.stdin)['mean']
print(f\"| $(basename "$1") | $2 | {m['sad']:.3f} | {m['mse1e3']:.2f} | {m['dtSSD']:.2f} |\")"
}

{
echo "$(nproc) cores; $(date -u +%Y-%m-%d). Keys at the first, middle and last frame of each clip; SAD, MSE×1e3 and"
echo "dtSSD×1e2 of the mattes over whole frames, means over frames (vmatte eval)."
echo
echo "| clip | method | SAD | MSE×1e3 | dtSSD×1e2 |"
echo "|---|---|---:|---:|---:|"
for entry in "${entries[@]}"; do
  IFS='|' read -r folder subject <<< "$entry"
  fold=$(fold_of "$subject")
  model=$(echo "$pattern" | sed "s/{fold}/$fold/")
  out="$work/$(basename "$folder")"
  rm -rf "$out" && mkdir -p "$out"
  $vmatte "$folder/clip.mp4" --trimaps "$folder/trimaps" --model "$model" --method fused --alpha-only -o "$out/fused" -q
  score "$folder" "fused, fold $fold model ($subject held out)" "$out/fused"
  $vmatte "$folder/clip.mp4" --trimaps "$folder/trimaps" --method closed-form --alpha-only -o "$out/cf" -q
  score "$folder" "closed-form (feedback propagation)" "$out/cf"
  $vmatte "$folder/clip.mp4" --trimaps "$folder/trimaps" --method closed-form --propagate dilate --alpha-only -o "$out/cf-dilate" -q
  score "$folder" "closed-form, nearest key's trimap (dilate)" "$out/cf-dilate"
done
} | tee Benchmarks/quality/CLIPS.md
