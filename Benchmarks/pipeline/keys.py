#!/usr/bin/env python3
"""Keyframe trimaps for a scaled copy of the sample clip, made from its exact alpha.

Usage: keys.py GT_ALPHA.mkv WIDTH HEIGHT EVERY OUT_DIR
Scales the ground-truth alpha to WIDTHxHEIGHT (bicubic), and for every EVERY-th frame (and
the last) writes OUT_DIR/NNNNNN.png: background outside the alpha grown by a disk, foreground
inside the opaque part shrunk by it, unknown between (make_sample.py's rule, its radius
scaled with the frame). Prints the unknown share of the keys.
"""
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from make_sample import H as SAMPLE_HEIGHT, TRIMAP_RADIUS, make_trimap  # noqa: E402


def main():
    gt, width, height, every, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", gt, "-vf", f"scale={width}:{height}:flags=bicubic",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width)
    radius = round(TRIMAP_RADIUS * height / SAMPLE_HEIGHT)
    out.mkdir(parents=True, exist_ok=True)
    indices = sorted(set(range(0, len(frames), every)) | {len(frames) - 1})
    unknown = []
    for i in indices:
        trimap = make_trimap(frames[i], radius)
        unknown.append((trimap == 128).mean())
        Image.fromarray(trimap).save(out / f"{i:06d}.png")
    print(f"{len(indices)} keys, radius {radius} px, unknown {100 * np.mean(unknown):.1f} % of the frame")


if __name__ == "__main__":
    main()
