#!/usr/bin/env bash
# Engine benchmark: vmatte's network vs PyTorch (Debian python3-torch, 2 threads,
# channels_last, no_grad) on the same weights and sizes. Writes Benchmarks/engine/RESULTS.md.
# Usage: bash Benchmarks/engine/run.sh [MODEL.safetensors]   (default: the shipped model,
# else a random network of the shipped size)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=.build-bench/engine
mkdir -p "$work"
model=${1:-Models/vmatte-dim.safetensors}
if [ ! -f "$model" ]; then
  model="$work/random-w16-r32.safetensors"
  [ -f "$model" ] || /usr/bin/python3 - "$model" <<'PY'
import sys; sys.path.insert(0, "training")
import torch
from export import write_model
from model import DIMConfig, DIMNet
torch.manual_seed(0)
write_model(DIMNet(DIMConfig(width=16, refine_width=32)).eval(), sys.argv[1], dtype="f32")
PY
fi
swift build -c release --product vmatte >/dev/null
{
echo "Model: \`$model\`; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%Y-%m-%d)."
echo
echo "vmatte (\`vmatte bench engine\`, each case on oneDNN and on OpenBLAS; whole frames are all unknown, so the refinement runs everywhere):"
echo '```'
.build/release/vmatte bench engine --model "$model" --whole 320x320 --whole 1280x720 --whole 1920x1080 --tiled "" --layers 1280x720
echo '```'
echo "PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'):"
echo '```'
/usr/bin/python3 Benchmarks/engine/pytorch_bench.py "$model" 320x320 1280x720 1920x1080
echo '```'
} | tee Benchmarks/engine/RESULTS.md
