"""Band coverage of propagated trimaps against a ground-truth alpha clip.

    /usr/bin/python3 Benchmarks/trimaps/coverage.py TRIMAP_DIR GT_ALPHA_VIDEO

For every frame: the share of true transition pixels (0 < alpha < 1) inside the unknown
band, the band's area relative to the true transition area, and whether every definite
trimap pixel agrees with the ground truth. Prints one JSON line with the worst coverage
and the means.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image


def main() -> None:
    trimaps, video = Path(sys.argv[1]), sys.argv[2]
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["ffmpeg", "-v", "error", "-i", video, "-pix_fmt", "gray", f"{folder}/%06d.png"], check=True)
        truth = sorted(Path(folder).glob("*.png"))
        coverages, ratios, wrong = [], [], 0
        for index, path in enumerate(truth):
            trimap_path = trimaps / f"{index:06d}.png"
            if not trimap_path.exists():
                continue
            alpha = np.asarray(Image.open(path), dtype=np.uint8)
            trimap = np.asarray(Image.open(trimap_path).convert("L"), dtype=np.uint8)
            soft = (alpha > 0) & (alpha < 255)
            band = trimap == 128
            coverages.append(float((soft & band).sum()) / max(1, int(soft.sum())))
            ratios.append(float(band.sum()) / max(1, int(soft.sum())))
            wrong += int(((trimap == 255) & (alpha < 255)).sum() + ((trimap == 0) & (alpha > 0)).sum())
    print(json.dumps({"frames": len(coverages), "worstCoverage": min(coverages), "meanCoverage": float(np.mean(coverages)),
                      "meanBandToTrueArea": float(np.mean(ratios)), "wrongDefinitePixels": wrong}))


if __name__ == "__main__":
    main()
