"""Helper of Benchmarks/quality/run.sh.

  quality.py matte METHOD IMAGE TRIMAP OUT.png   pymatting's closed-form ("cf") or KNN ("knn")
                                                  matting; prints the seconds the estimate took
  quality.py report RESULTS.tsv OUT.md            the docs/quality.md tables from the
                                                  `vmatte eval --json` reports listed in RESULTS.tsv
"""
import json
import sys
import time


def matte(method, image_path, trimap_path, out_path):
    import numpy as np
    from pymatting import estimate_alpha_cf, estimate_alpha_knn, load_image, save_image
    image = load_image(image_path, "RGB")
    trimap = load_image(trimap_path, "GRAY")
    estimate = {"cf": estimate_alpha_cf, "knn": estimate_alpha_knn}[method]
    # A small warm-up run first, so numba's compilation is not timed.
    estimate(image[::8, ::8].copy(), trimap[::8, ::8].copy())
    start = time.perf_counter()
    alpha = estimate(image, trimap)
    seconds = time.perf_counter() - start
    save_image(out_path, np.clip(alpha, 0, 1))
    print(f"{seconds:.3f}")


METHOD_NAMES = {"vmatte": "vmatte (DIM)", "vmatte-mirror": "vmatte (DIM), --mirror-average", "cf": "pymatting closed-form", "knn": "pymatting KNN"}


def report(results_path, out_path):
    rows = []
    with open(results_path) as f:
        for line in f:
            method, case, seconds, report_path = line.rstrip("\n").split("\t")
            with open(report_path) as r:
                mean = json.load(r)["mean"]
            rows.append((method, case, float(seconds), mean))
    methods = [m for m in METHOD_NAMES if any(r[0] == m for r in rows)]
    with open(out_path, "a") as out:
        out.write("| method | image / trimap | SAD | MSE×1e3 | Grad | Conn | seconds |\n")
        out.write("|---|---|---:|---:|---:|---:|---:|\n")
        for method in methods:
            mine = [r for r in rows if r[0] == method]
            for _, case, seconds, m in mine:
                out.write(f"| {METHOD_NAMES[method]} | {case} | {m['sad']:.2f} | {m['mse1e3']:.2f} | {m['gradient']:.2f} | {m['connectivity']:.2f} | {seconds:.1f} |\n")
            n = len(mine)
            mean = {k: sum(r[3][k] for r in mine) / n for k in ("sad", "mse1e3", "gradient", "connectivity")}
            seconds = sum(r[2] for r in mine) / n
            out.write(f"| **{METHOD_NAMES[method]}** | **mean of {n}** | **{mean['sad']:.2f}** | **{mean['mse1e3']:.2f}** | "
                      f"**{mean['gradient']:.2f}** | **{mean['connectivity']:.2f}** | **{seconds:.1f}** |\n")


if __name__ == "__main__":
    if sys.argv[1] == "matte" and len(sys.argv) == 6:
        matte(*sys.argv[2:])
    elif sys.argv[1] == "report" and len(sys.argv) == 4:
        report(*sys.argv[2:])
    else:
        sys.exit(__doc__)
