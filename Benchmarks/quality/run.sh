#!/usr/bin/env bash
# Matting quality: cross-validated over the 20 alphamatting.com images of ../shared/data
# (Benchmarks/quality/cv.py: each fold's model on the 4 images it held out, closed-form and
# KNN beside it, both trimap sets), the bundled model's parity with PyTorch, and the synthetic
# sample clip. Writes docs/quality.md.
# Usage: bash Benchmarks/quality/run.sh [MODEL.safetensors]
#   FOLD_MODELS='training/checkpoints/NAME-fold{fold}.safetensors' names the fold models
#   (default: the fused-w8 recipe's refinements, as closed-form refinements); MODEL (default Models/vmatte-dim.safetensors) is the
#   bundled model, scored on every image too (not cross-validated: see its card).
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/data/alphamatting
[ -d "$data" ] || { echo "quality benchmark: $data is missing" >&2; exit 1; }
model=${1:-Models/vmatte-dim.safetensors}
default_fold_models='training/checkpoints/fused-w8-refine-fold{fold}.safetensors'
fold_models=${FOLD_MODELS:-$default_fold_models}
work=.build-bench/quality
mkdir -p "$work"
/usr/bin/python3 -c 'import pymatting' 2>/dev/null || /usr/bin/python3 -m pip install --break-system-packages pymatting
swift build -c release --product vmatte >/dev/null
vmatte=.build/release/vmatte
have_model=0
[ -f "$model" ] && have_model=1
bundled=()
[ $have_model = 1 ] && bundled=(--bundled "$model")
/usr/bin/python3 Benchmarks/quality/cv.py --models "$fold_models" "${bundled[@]}" --vmatte "$vmatte" --out "$work/cv.md"

doc=docs/quality.md
{
  echo "# Matting quality"
  echo
  echo "Made by \`bash Benchmarks/quality/run.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
  echo "Scores by \`vmatte eval\` over each trimap's unknown band (definitions and scalings: [metrics.md](metrics.md));"
  echo "lower is better."
  echo
  echo "## Cross-validation over the 20 alphamatting.com images"
  echo
  echo "The 20 low-resolution images (about 800 px wide) of the alphamatting.com training set in"
  echo "\`../shared/data\` (Rhemann et al., CVPR 2009), in 5 folds of 4: fold k holds out every 5th image"
  echo "from the k-th (\`training/dataset.py\` \`fold_names\`). Each fold's model (\`$fold_models\`) was"
  echo "trained without its fold's images and is scored on them only, through the \`vmatte\` command"
  echo "(default settings, \`--model\`). Closed-form matting is \`vmatte --method closed-form\` (equal to"
  echo "pymatting's, [closed-form.md](closed-form.md)); KNN is pymatting's \`estimate_alpha_knn\`."
  if [ $have_model = 1 ]; then
    echo "The bundled plain network (\`$model\`) is scored beside them on every image, but it was"
    echo "trained on 16 of these 20 images (all but GT02, GT09, GT17, GT25), so only those four of its rows are unseen."
  fi
  echo
  cat "$work/cv.md"
  echo
  echo "## The closed-form input's tolerance"
  echo
  echo "\`Benchmarks/quality/tolerance.py\`: the same fold models with \`--closed-form-tolerance T\`, and the"
  echo "nested estimate that chooses T without the fold it scores:"
  echo
  /usr/bin/python3 Benchmarks/quality/tolerance.py --models "$fold_models" --vmatte "$vmatte" 1e-7 1e-5 3e-5 1e-4 2e-4 3e-4 5e-4 1e-3
} > "$doc"

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
  echo "\`vmatte Samples/clip.mp4 --trimaps Samples/trimaps -o clip.mov --method M\` (keys at frames 0, 50, 99)"
  echo "against \`Samples/gt-alpha.mkv\`, whole frame, mean over the 100 frames (seconds: the whole command):"
  echo
  echo "| method | SAD | MSE×1e3 | Grad | Conn | dtSSD×1e2 | MESSDdt×1e3 | seconds |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for method in fused dim closed-form; do
    start=$(date +%s.%N)
    "$vmatte" Samples/clip.mp4 --trimaps Samples/trimaps -o "$work/clip-$method.mov" --method "$method" -q --overwrite
    seconds=$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")
    "$vmatte" eval --pred "$work/clip-$method.mov" --gt Samples/gt-alpha.mkv | awk -v m="$method" -v s="$seconds" \
      '$1 == "mean" { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", m, $2, $3, $4, $5, $6, $7, s }'
  done
} >> "$doc"
{
  echo
  echo "## Synthetic clips: the default against closed-form matting"
  echo
  echo "\`bash Benchmarks/quality/clips.sh\`: each clip matted by the fused method with the fold model that"
  echo "held its subject out, and by closed-form matting with the default propagation and on the nearest"
  echo "key's trimap (\`--propagate dilate\`)."
  echo
  bash Benchmarks/quality/clips.sh "$fold_models" | tail -n +4
} >> "$doc"
cat "$doc"
