"""The fused method's error against the tolerance of its closed-form input, cross-validated.

Each fold model (as in cv.py) runs with `--closed-form-tolerance T` for every T given, on the
images its fold held out, both trimap sets. With {tolerance} in --models, each T has its own
fold models (say, trained on closed-form mattes stopped at that T). Prints the fold means per tolerance, beside
closed-form matting (`--method closed-form`, pymatting's 1e-7), and a nested estimate that
does not choose the tolerance on the images it scores: for each fold, the tolerance with the
lowest SAD (trimap1 + trimap2) over the other four folds, scored on that fold.

    /usr/bin/python3 Benchmarks/quality/tolerance.py \\
        --models 'training/checkpoints/fused-w8-fold{fold}.safetensors' 1e-7 1e-5 3e-5 1e-4 3e-4 1e-3
    /usr/bin/python3 Benchmarks/quality/tolerance.py \
        --models 'training/checkpoints/fused-w8-stopped-{tolerance}-fold{fold}.safetensors' 1e-4 3e-4 1e-3

Shares cv.py's cache (.build-bench/cv/), so tolerances already scored are not run again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cv  # noqa: E402


def fold_mean(scores: dict, fold: int, trimap: str, key: str) -> float:
    held = [n for n in cv.names() if cv.fold_of(n) == fold]
    return sum(scores[(n, trimap)][key] for n in held) / len(held)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", required=True,
                    help="fold model files, with {fold} for the fold number (and {tolerance} for the tolerance, if they differ by it)")
    ap.add_argument("--vmatte", type=Path, default=cv.ROOT / ".build/release/vmatte")
    ap.add_argument("--work", type=Path, default=cv.ROOT / ".build-bench/cv")
    ap.add_argument("tolerances", nargs="+")
    args = ap.parse_args()
    if not cv.DATA.is_dir():
        sys.exit(f"tolerance: {cv.DATA} is missing")
    runs = {}
    for tolerance in args.tolerances:
        runs[tolerance] = {(n, t): cv.run_case("model", Path(args.models.format(fold=cv.fold_of(n), tolerance=tolerance)), n, t, args.vmatte,
                                               args.work, ["--closed-form-tolerance", tolerance])
                           for n in cv.names() for t in cv.TRIMAPS}
    closed_form = {(n, t): cv.run_case("closed-form", None, n, t, args.vmatte, args.work, [])
                   for n in cv.names() for t in cv.TRIMAPS}

    def means(scores: dict, trimap: str, key: str) -> float:
        return sum(fold_mean(scores, k, trimap, key) for k in range(cv.FOLDS)) / cv.FOLDS

    print("| closed-form input | trimap1 SAD / MSE×1e3 | trimap2 SAD / MSE×1e3 | folds below closed-form in SAD (t1, t2) |")
    print("|---|---:|---:|---:|")
    for label, scores in [(f"fused, tolerance {t}", runs[t]) for t in args.tolerances] + [("closed-form (1e-7)", closed_form)]:
        below = [sum(fold_mean(scores, k, t, "sad") < fold_mean(closed_form, k, t, "sad") for k in range(cv.FOLDS))
                 for t in cv.TRIMAPS]
        print(f"| {label} | " + " | ".join(f"{means(scores, t, 'sad'):.2f} / {means(scores, t, 'mse1e3'):.2f}"
                                          for t in cv.TRIMAPS) + f" | {below[0]}, {below[1]} |")
    print()
    print("| held-out fold | tolerance chosen on the other four | trimap1 SAD / MSE×1e3 | trimap2 SAD / MSE×1e3 |")
    print("|---|---|---:|---:|")
    totals = {(t, key): 0.0 for t in cv.TRIMAPS for key in ("sad", "mse1e3")}
    for fold in range(cv.FOLDS):
        others = [k for k in range(cv.FOLDS) if k != fold]
        chosen = min(args.tolerances, key=lambda tol: sum(fold_mean(runs[tol], k, t, "sad") for k in others for t in cv.TRIMAPS))
        cells = []
        for t in cv.TRIMAPS:
            sad, mse = fold_mean(runs[chosen], fold, t, "sad"), fold_mean(runs[chosen], fold, t, "mse1e3")
            totals[(t, "sad")] += sad / cv.FOLDS
            totals[(t, "mse1e3")] += mse / cv.FOLDS
            cells.append(f"{sad:.2f} / {mse:.2f}")
        print(f"| {fold} | {chosen} | " + " | ".join(cells) + " |")
    print("| **mean** | | " + " | ".join(f"**{totals[(t, 'sad')]:.2f} / {totals[(t, 'mse1e3')]:.2f}**" for t in cv.TRIMAPS) + " |")


if __name__ == "__main__":
    main()
