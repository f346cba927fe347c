"""The Swift engine against PyTorch for one exported model, on the validation split.

    /usr/bin/python3 Benchmarks/quality/parity.py MODEL.safetensors VMATTE_BINARY WORK_DIR

For each of GT02, GT09, GT17, GT25 with trimap1 and trimap2: PyTorch (training/inference.py,
the file's weights in f32) and `vmatte IMAGE --trimap TRIMAP --whole-frame --sixteen-bit`
matte the image; prints a Markdown table of the largest and mean absolute difference and the
share of pixels that differ by more than 1e-3 (16-bit output: quantisation alone is 7.6e-6).
"""
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "training"))
from export import read_model  # noqa: E402
from inference import predict  # noqa: E402

DATA = (REPO / ".." / "shared" / "data" / "alphamatting").resolve()


def main() -> None:
    model_path, vmatte, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    torch.set_num_threads(2)
    model = read_model(model_path)
    print("| image / trimap | max abs diff | mean abs diff | pixels > 1e-3 |")
    print("|---|---:|---:|---:|")
    worst = 0.0
    for image in ("GT02", "GT09", "GT17", "GT25"):
        for trimap in ("trimap1", "trimap2"):
            rgb = np.asarray(Image.open(DATA / "image" / f"{image}.png").convert("RGB"))
            tri = np.asarray(Image.open(DATA / trimap / f"{image}.png").convert("L"))
            reference = predict(model, rgb, tri)
            out = work / f"parity-{image}-{trimap}"
            subprocess.run([vmatte, str(DATA / "image" / f"{image}.png"), "--trimap", str(DATA / trimap / f"{image}.png"),
                            "--model", model_path, "--whole-frame", "--sixteen-bit", "--alpha-only",
                            "-o", f"{out}/", "--overwrite", "-q"], check=True)
            swift = np.asarray(Image.open(out / "000000.png"), dtype=np.float64) / 65535.0
            diff = np.abs(swift - reference)
            worst = max(worst, float(diff.max()))
            print(f"| {image} / {trimap} | {diff.max():.2e} | {diff.mean():.2e} | {100 * (diff > 1e-3).mean():.3f} % |")
    print()
    print(f"Largest difference over all: {worst:.2e}.")


if __name__ == "__main__":
    main()
