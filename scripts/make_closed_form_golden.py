"""Golden data for the classical solvers' parity tests (Tests/ClosedFormTests/Golden/).

A crop of the sample clip's frame 0 around its key's unknown band, the key's trimap,
pymatting's `estimate_alpha_cf` matte of it (default epsilon 1e-7, rtol 1e-7) and the KNN
matte of training/knn_matting.py, as float32 tensors in one safetensors file. Run from the repository root with pymatting installed:

    python3 scripts/make_closed_form_golden.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image
from pymatting import estimate_alpha_cf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))
from knn_matting import knn_matte  # noqa: E402
from safetensors_io import save_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/ClosedFormTests/Golden/closed_form_golden.safetensors"
HEIGHT, WIDTH = 96, 128


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        frame = Path(folder) / "frame.png"
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(ROOT / "Samples/clip.mp4"), "-frames:v", "1", str(frame)], check=True)
        image = np.asarray(Image.open(frame).convert("RGB"), dtype=np.float64) / 255
    trimap = np.asarray(Image.open(ROOT / "Samples/trimaps/000000.png").convert("L"), dtype=np.float64) / 255
    # The crop centred on the unknown band's middle row and column.
    rows, columns = np.nonzero((trimap > 0.1) & (trimap < 0.9))
    top = int(np.clip(np.median(rows) - HEIGHT // 2, 0, trimap.shape[0] - HEIGHT))
    left = int(np.clip(np.median(columns) - WIDTH // 2, 0, trimap.shape[1] - WIDTH))
    image = image[top:top + HEIGHT, left:left + WIDTH]
    trimap = trimap[top:top + HEIGHT, left:left + WIDTH]
    alpha = estimate_alpha_cf(image, trimap)
    unknown = (trimap > 0.1) & (trimap < 0.9)
    print(f"crop at ({left}, {top}), {unknown.sum()} unknown pixels, alpha mean {alpha[unknown].mean():.4f}")
    save_file({
        "image": np.ascontiguousarray(image.transpose(2, 0, 1), dtype=np.float32),
        "trimap": trimap.astype(np.float32),
        "alpha": alpha.astype(np.float32),
        "knn": knn_matte(image, np.where(unknown, 0.5, np.round(trimap))),
    }, OUT, metadata={"source": "Samples/clip.mp4 frame 0, Samples/trimaps/000000.png", "crop": f"{left},{top},{WIDTH},{HEIGHT}",
                      "reference": "pymatting estimate_alpha_cf, epsilon 1e-7, rtol 1e-7",
                      "knn": "training/knn_matting.py knn_matte"})


if __name__ == "__main__":
    main()
