"""Cross-validated fold means of a recipe's fold runs in PyTorch, for experiments the engine
cannot run yet: each fold's checkpoint scored on its held-out alphamatting images with
closed-form inputs stopped at each tolerance (vmatte's solver, as the engine feeds them),
and the nested estimate that chooses the tolerance without the fold it scores (the lowest
SAD, trimap1 + trimap2, over the other folds). Models the engine reads are scored through
it by Benchmarks/quality/tolerance.py instead.

    /usr/bin/python3 training/fold_eval.py conv-cf 3e-4 2e-4      # runs conv-cf-f0 .. conv-cf-f4
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from dataset import FOLDS, fold_names, load_validation
from export import load_checkpoint
from train import RUNS_DIR, validate

METRICS = ("sad_t1", "sad_t2", "mse_t1", "mse_t2")


def nested(scores: dict[tuple[int, float], dict[str, float]], tolerances: list[float]) -> dict[str, float]:
    """Fold means of SAD when each fold's tolerance is the best on the other folds."""
    chosen = {}
    for fold in range(FOLDS):
        others = [f for f in range(FOLDS) if f != fold]
        chosen[fold] = min(tolerances, key=lambda t: sum(scores[(f, t)]["sad_t1"] + scores[(f, t)]["sad_t2"]
                                                          for f in others))
    return {k: float(np.mean([scores[(f, chosen[f])][k] for f in range(FOLDS)])) for k in ("sad_t1", "sad_t2")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", help="the runs are training/runs/NAME-f0 .. NAME-f4")
    ap.add_argument("tolerances", type=float, nargs="+", help="closed-form tolerances to score at")
    ap.add_argument("--checkpoint", default="last.pt")
    args = ap.parse_args()
    torch.set_num_threads(1)
    scores = {}
    for fold in range(FOLDS):
        run = RUNS_DIR / f"{args.name}-f{fold}" / args.checkpoint
        if not Path(run).exists():
            raise SystemExit(f"{run}: missing")
        model, _ = load_checkpoint(run)
        images = load_validation(fold_names(fold))
        for tolerance in args.tolerances:
            scores[(fold, tolerance)] = validate(model, images, tolerance)
            row = scores[(fold, tolerance)]
            print(f"fold {fold} at {tolerance:g}: SAD {row['sad_t1']:.3f} / {row['sad_t2']:.3f}, "
                  f"MSE×1e3 {row['mse_t1'] * 1e3:.2f} / {row['mse_t2'] * 1e3:.2f}", flush=True)
    for tolerance in args.tolerances:
        mean = {k: float(np.mean([scores[(f, tolerance)][k] for f in range(FOLDS)])) for k in METRICS}
        print(f"fold means at {tolerance:g}: SAD {mean['sad_t1']:.3f} / {mean['sad_t2']:.3f}, "
              f"MSE×1e3 {mean['mse_t1'] * 1e3:.2f} / {mean['mse_t2'] * 1e3:.2f}")
    if len(args.tolerances) > 1:
        estimate = nested(scores, args.tolerances)
        print(f"nested: SAD {estimate['sad_t1']:.3f} / {estimate['sad_t2']:.3f}")


if __name__ == "__main__":
    main()
