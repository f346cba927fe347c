"""Golden output of the bundled model for the Swift engine's parity test.

Runs `Models/vmatte-dim.safetensors` (its f16 weights widened to f32, as the
engine does) through training/inference.py on a 96 x 128 crop of the bundled
sample's first frame and key trimap, and writes

  OUT/bundled_model_golden.safetensors
      rgb          (1, 3, 96, 128)  the crop, 0..1
      trimap       (1, 1, 96, 128)  0 / 0.5 / 1
      final_alpha  (1, 1, 96, 128)  PyTorch's matte
  metadata: the model file's `training` entry (which checkpoint this is for),
  the crop origin, and the smallest max-pool gap of the crop.

Of the candidate crops that hold unknown pixels it keeps the one whose 2x2
max-pool windows are furthest from a tie: a near-tie lets f32 sums taken in
another order pick another argmax, which the unpooling then moves a pixel over
(Benchmarks/quality/parity.py shows it on whole images). With trained weights
even the best crop has windows within ~1e-5 of a tie, so the test allows a
small patch to differ. Rerun this whenever the bundled model changes; the test
checks that the `training` entry matches.

    /usr/bin/python3 training/golden_bundled.py [OUT]   # default Tests/EngineTests/Golden
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from export import read_model
from golden import pool_gap
from inference import predict_tensors
from safetensors_io import load_file, save_file

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "Models" / "vmatte-dim.safetensors"
CROP_H, CROP_W = 96, 128


def first_frame(clip: Path) -> np.ndarray:
    """Frame 0 of the clip as H x W x 3 uint8, decoded by the ffmpeg command."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", str(clip)],
                           check=True, capture_output=True, text=True).stdout.strip().split(",")
    width, height = int(probe[0]), int(probe[1])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-frames:v", "1", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=str(REPO / "Tests" / "EngineTests" / "Golden"))
    args = ap.parse_args()
    torch.set_num_threads(2)

    model = read_model(str(MODEL))
    training = load_file(str(MODEL))[1]["training"]
    frame = first_frame(REPO / "Samples" / "clip.mp4")
    key = np.asarray(Image.open(REPO / "Samples" / "trimaps" / "000000.png").convert("L"))
    tri_all = np.where(key < 64, 0.0, np.where(key > 191, 1.0, 0.5)).astype(np.float32)

    best = None
    for top in range(0, frame.shape[0] - CROP_H + 1, 24):
        for left in range(0, frame.shape[1] - CROP_W + 1, 32):
            tri = tri_all[top:top + CROP_H, left:left + CROP_W]
            if (tri == 0.5).mean() < 0.1:
                continue
            rgb = torch.from_numpy(frame[top:top + CROP_H, left:left + CROP_W].astype(np.float32) / 255)
            rgb = rgb.permute(2, 0, 1)[None].contiguous()
            trimap = torch.from_numpy(np.ascontiguousarray(tri))[None, None]
            final, stages = predict_tensors(model, rgb, trimap, stages=True)
            gap = min(pool_gap(stages[f"enc{b}"].detach().numpy()) for b in range(1, 6))
            if best is None or gap > best[0]:
                best = (gap, top, left, rgb, trimap, final)
    if best is None:
        raise SystemExit("no crop of the sample's key trimap has enough unknown pixels")
    gap, top, left, rgb, trimap, final = best
    arrays = {"rgb": rgb, "trimap": trimap, "final_alpha": final}
    arrays = {k: v.detach().numpy().astype(np.float32) for k, v in arrays.items()}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {"generator": "training/golden_bundled.py", "model_training": training,
            "crop": f"top {top}, left {left}, {CROP_H}x{CROP_W} of Samples/clip.mp4 frame 0",
            "min_pool_gap": f"{gap:.3g}"}
    save_file(arrays, out / "bundled_model_golden.safetensors", meta)
    alpha = arrays["final_alpha"]
    print(f"crop at ({top}, {left}); smallest pool gap {gap:.3g}; "
          f"unknown {100 * (arrays['trimap'] == 0.5).mean():.0f} %, alpha mean {alpha.mean():.3f}")
    print(f"wrote {out / 'bundled_model_golden.safetensors'}")


if __name__ == "__main__":
    main()
