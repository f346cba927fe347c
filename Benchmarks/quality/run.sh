#!/usr/bin/env bash
# Matting quality: vmatte (when Models/vmatte-dim.safetensors exists) and pymatting's closed-form
# and KNN matting on the alphamatting.com validation split (GT02, GT09, GT17, GT25; trimap1 and
# trimap2), scored with `vmatte eval`, plus vmatte on the synthetic sample clip. Writes docs/quality.md.
# Methods: vmatte (the default command), vmatte-mirror (with --mirror-average), cf, knn.
# Usage: bash Benchmarks/quality/run.sh [MODEL.safetensors]
#   IMAGES="GT02" METHODS="knn" TRIMAPS="trimap1" narrow the run (defaults: all of them).
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/data/alphamatting
[ -d "$data" ] || { echo "quality benchmark: $data is missing" >&2; exit 1; }
model=${1:-Models/vmatte-dim.safetensors}
images=${IMAGES:-GT02 GT09 GT17 GT25}
trimaps=${TRIMAPS:-trimap1 trimap2}
methods=${METHODS:-vmatte vmatte-mirror cf knn}
work=.build-bench/quality
rm -rf "$work" && mkdir -p "$work"
/usr/bin/python3 -c 'import pymatting' 2>/dev/null || /usr/bin/python3 -m pip install --break-system-packages pymatting
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte
have_model=0
[ -f "$model" ] && have_model=1
if [[ " $methods " == *" vmatte"* && $have_model = 0 ]]; then
  echo "quality benchmark: no model at $model: vmatte is skipped" >&2
  methods=$(echo $methods | tr ' ' '\n' | grep -v '^vmatte' | xargs)
fi
results=$work/results.tsv
: > "$results"
for method in $methods; do
  for image in $images; do
    for trimap in $trimaps; do
      case=$image-$trimap
      mkdir -p "$work/$method/$case"
      out=$work/$method/$case/alpha.png
      if [[ $method == vmatte* ]]; then
        extra=()
        [ "$method" = vmatte-mirror ] && extra=(--mirror-average)
        start=$(date +%s.%N)
        "$vmatte" "$data/image/$image.png" --trimap "$data/$trimap/$image.png" -o "$work/$method/$case/out/" \
          --alpha-only --model "$model" -q "${extra[@]}"
        seconds=$(printf '%.3f' "$(echo "$(date +%s.%N) - $start" | bc)")
        mv "$work/$method/$case/out/000000.png" "$out"
      else
        seconds=$(/usr/bin/python3 Benchmarks/quality/quality.py matte "$method" "$data/image/$image.png" "$data/$trimap/$image.png" "$out")
      fi
      "$vmatte" eval --pred "$out" --gt "$data/alpha/$image.png" --trimaps "$data/$trimap/$image.png" --json > "$work/$method/$case/eval.json"
      printf '%s\t%s\t%s\t%s\n' "$method" "$image / $trimap" "$seconds" "$work/$method/$case/eval.json" >> "$results"
      echo "$method $case: $seconds s" >&2
    done
  done
done

doc=docs/quality.md
{
  echo "# Matting quality"
  echo
  echo "Made by \`bash Benchmarks/quality/run.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
  echo "Scores by \`vmatte eval\` over each trimap's unknown band (definitions and scalings: [metrics.md](metrics.md));"
  echo "lower is better. Seconds per image: the matting alone (pymatting: the estimate call; vmatte: the whole command)."
  echo
  echo "## alphamatting.com validation split"
  echo
  echo "Images GT02, GT09, GT17, GT25 of the alphamatting.com training set (Rhemann et al., CVPR 2009),"
  echo "low-resolution (about 800 px wide), never used for training. Methods run: ${methods:-none}."
  if [ $have_model = 1 ]; then
    echo "vmatte's model: \`$model\` ($(stat -c %s "$model") bytes, sha256 $(sha256sum "$model" | cut -c1-12)…, $(date -u -r "$model" +%Y-%m-%d))."
  else
    echo "vmatte: skipped (no model at \`$model\`)."
  fi
  echo
} > "$doc"
/usr/bin/python3 Benchmarks/quality/quality.py report "$results" "$doc"

if [ $have_model = 1 ]; then
  {
    echo
    echo "## The Swift engine against PyTorch"
    echo
    echo "The same file run by PyTorch (\`training/inference.py\`, its weights in f32) and by vmatte"
    echo "(\`--whole-frame --sixteen-bit\`), whole image (\`Benchmarks/quality/parity.py\`):"
    echo
    /usr/bin/python3 Benchmarks/quality/parity.py "$model" "$vmatte" "$work"
  } >> "$doc"
fi

{
  echo
  echo "## Synthetic sample clip"
  echo
  if [ $have_model = 1 ]; then
    start=$(date +%s.%N)
    "$vmatte" Samples/clip.mp4 --trimaps Samples/trimaps -o "$work/clip.mov" --model "$model" -q
    seconds=$(printf '%.3f' "$(echo "$(date +%s.%N) - $start" | bc)")
    echo "\`vmatte Samples/clip.mp4 --trimaps Samples/trimaps -o clip.mov\` (keys at frames 0, 50, 99; $(printf '%.1f' "$seconds") s for 100 frames)"
    echo "against \`Samples/gt-alpha.mkv\`, whole frame (the clip has trimaps for its keyframes only):"
    echo
    echo '```'
    "$vmatte" eval --pred "$work/clip.mov" --gt Samples/gt-alpha.mkv | sed -n '2p;$p'
    echo '```'
  else
    echo "Skipped: no model at \`$model\`."
  fi
} >> "$doc"
cat "$doc"
