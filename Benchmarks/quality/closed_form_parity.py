"""vmatte's closed-form solver against pymatting's `estimate_alpha_cf` on the 20 images of
../shared/data/alphamatting, both trimap sets.

    python3 Benchmarks/quality/closed_form_parity.py VMATTE_BINARY WORK_DIR

Runs `vmatte IMAGE --trimap TRIMAP --method closed-form --sixteen-bit --alpha-only` and
pymatting (default epsilon 1e-7, rtol 1e-7) on each, and prints a Markdown table of the mean
and largest absolute difference over the whole image and over the unknown band, with each
side's seconds. The bar (issue: closed-form in Swift): mean absolute difference ≤ 1e-3.
"""
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image
from pymatting import estimate_alpha_cf

DATA = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "alphamatting").resolve()


def main() -> None:
    vmatte, work = sys.argv[1], Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    print("| image / trimap | unknown px | mean abs diff | mean abs diff, unknown | max abs diff | pymatting s | vmatte s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    means = []
    for path in sorted((DATA / "image").glob("GT*.png")):
        for trimap_set in ("trimap1", "trimap2"):
            rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255
            trimap = np.asarray(Image.open(DATA / trimap_set / path.name).convert("L"), dtype=np.float64) / 255
            start = time.perf_counter()
            reference = estimate_alpha_cf(rgb, trimap)
            reference_seconds = time.perf_counter() - start
            out = work / f"cf-{path.stem}-{trimap_set}"
            start = time.perf_counter()
            subprocess.run([vmatte, str(path), "--trimap", str(DATA / trimap_set / path.name), "--method", "closed-form",
                            "--sixteen-bit", "--alpha-only", "-o", f"{out}/", "--overwrite", "-q"], check=True)
            vmatte_seconds = time.perf_counter() - start
            swift = np.asarray(Image.open(out / "000000.png"), dtype=np.float64) / 65535
            diff = np.abs(swift - reference)
            unknown = (trimap > 0.1) & (trimap < 0.9)
            means.append(diff.mean())
            print(f"| {path.stem} / {trimap_set} | {unknown.sum()} | {diff.mean():.2e} | {diff[unknown].mean():.2e} | "
                  f"{diff.max():.2e} | {reference_seconds:.2f} | {vmatte_seconds:.2f} |")
    print()
    print(f"Mean absolute difference over all {len(means)}: {np.mean(means):.2e}; largest per image: {np.max(means):.2e}.")


if __name__ == "__main__":
    main()
