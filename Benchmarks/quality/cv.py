"""Cross-validated matting quality over the 20 alphamatting.com images of ../shared/data.

Fold k holds out every 5th image from the k-th (training/dataset.py fold_names); a
fold's model is trained without its images (training/train.py --fold k) and scored
on them here, through the vmatte command a user runs, with trimap1 and trimap2.
Closed-form matting (vmatte --method closed-form) and pymatting's KNN run on the
same images beside it.  Writes the per-image and per-fold tables (markdown) to --out.

    /usr/bin/python3 Benchmarks/quality/cv.py \\
        --models 'training/checkpoints/fused-fold{fold}.safetensors' --out .build-bench/cv/cv.md

Methods: model (the fold models), closed-form, knn, and optionally bundled (one model
file for every fold, --bundled FILE: not cross-validated unless it held out nothing
it is scored on).  Results are cached under .build-bench/cv/ by method, model hash,
image and trimap, so a rerun after one more fold only runs what is new.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "alphamatting"
FOLDS = 5
TRIMAPS = ("trimap1", "trimap2")
METRICS = ("sad", "mse1e3", "gradient", "connectivity")


def names() -> list[str]:
    return sorted(p.stem for p in (DATA / "alpha").glob("GT*.png"))


def fold_of(name: str) -> int:
    return names().index(name) % FOLDS


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def run_case(method: str, model: Path | None, image: str, trimap: str, vmatte: Path, work: Path,
             options: list[str]) -> dict:
    key = f"{method}-{digest(model) if model else 'none'}" + "".join(options)
    folder = work / key / f"{image}-{trimap}"
    result = folder / "eval.json"
    if result.exists():
        return json.loads(result.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    alpha = folder / "alpha.png"
    image_path, trimap_path = DATA / "image" / f"{image}.png", DATA / trimap / f"{image}.png"
    start = time.perf_counter()
    if method == "knn":
        subprocess.run([sys.executable, str(ROOT / "Benchmarks/quality/quality.py"), "matte", "knn",
                        str(image_path), str(trimap_path), str(alpha)], check=True, capture_output=True)
    else:
        extra = (["--method", "closed-form"] if method == "closed-form" else ["--model", str(model)]) + options
        out = folder / "out"
        subprocess.run([str(vmatte), str(image_path), "--trimap", str(trimap_path), "-o", f"{out}/",
                        "--alpha-only", "-q", *extra], check=True)
        (out / "000000.png").replace(alpha)
    seconds = time.perf_counter() - start
    report = subprocess.run([str(vmatte), "eval", "--pred", str(alpha), "--gt", str(DATA / "alpha" / f"{image}.png"),
                             "--trimaps", str(trimap_path), "--json"], check=True, capture_output=True, text=True)
    scores = {k: json.loads(report.stdout)["mean"][k] for k in METRICS}
    scores["seconds"] = seconds
    result.write_text(json.dumps(scores))
    return scores


def mean(rows: list[dict], key: str) -> float:
    return sum(r[key] for r in rows) / len(rows)


def tables(results: dict, methods: list[str], labels: dict) -> str:
    """results[method][(image, trimap)] = scores."""
    lines = []
    for trimap in TRIMAPS:
        lines += [f"### {trimap}: fold means", "",
                  "| fold | images | " + " | ".join(f"{labels[m]} SAD / MSE×1e3" for m in methods) + " |",
                  "|---|---|" + "---:|" * len(methods)]
        fold_means = {m: {} for m in methods}
        for fold in range(FOLDS):
            held = [n for n in names() if fold_of(n) == fold]
            cells = []
            for m in methods:
                rows = [results[m][(n, trimap)] for n in held if (n, trimap) in results[m]]
                if len(rows) < len(held):
                    cells.append("—")
                    continue
                fold_means[m][fold] = {k: mean(rows, k) for k in METRICS}
                cells.append(f"{mean(rows, 'sad'):.2f} / {mean(rows, 'mse1e3'):.2f}")
            lines.append(f"| {fold} | {', '.join(held)} | " + " | ".join(cells) + " |")
        # means over the folds every method has, so that the columns compare
        common = sorted(set.intersection(*(set(fold_means[m]) for m in methods)))
        cells = []
        for m in methods:
            f = [fold_means[m][k] for k in common]
            cells.append(f"**{mean(f, 'sad'):.2f} / {mean(f, 'mse1e3'):.2f}**" if f else "—")
        label = "mean" if len(common) == FOLDS else f"mean of folds {', '.join(map(str, common))}"
        lines += [f"| **{label}** | | " + " | ".join(cells) + " |", ""]
    lines += ["### Per image", "",
              "| image (fold) | trimap | " + " | ".join(f"{labels[m]} SAD / MSE×1e3 / Grad / Conn" for m in methods) + " |",
              "|---|---|" + "---:|" * len(methods)]
    for n in names():
        for trimap in TRIMAPS:
            cells = []
            for m in methods:
                s = results[m].get((n, trimap))
                cells.append("—" if s is None else
                             f"{s['sad']:.2f} / {s['mse1e3']:.2f} / {s['gradient']:.2f} / {s['connectivity']:.2f}")
            lines.append(f"| {n} ({fold_of(n)}) | {trimap} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", help="fold model files, with {fold} for the fold number")
    ap.add_argument("--label", default="vmatte (fused)", help="the fold models' column name")
    ap.add_argument("--bundled", type=Path, help="also score this one model file on every image")
    ap.add_argument("--methods", default="model,closed-form,knn")
    ap.add_argument("--model-options", default="", help="more vmatte options for the network runs, e.g. '--closed-form-tolerance 1e-5'")
    ap.add_argument("--vmatte", type=Path, default=ROOT / ".build/release/vmatte")
    ap.add_argument("--work", type=Path, default=ROOT / ".build-bench/cv")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    if not DATA.is_dir():
        sys.exit(f"cv: {DATA} is missing")
    methods = [m for m in args.methods.split(",") if m != "model" or args.models] + (["bundled"] if args.bundled else [])
    labels = {"model": args.label, "closed-form": "closed-form", "knn": "KNN (pymatting)",
              "bundled": "bundled (not cross-validated)"}
    results = {m: {} for m in methods}
    for m in methods:
        for n in names():
            model = None
            if m == "model":
                model = Path(args.models.format(fold=fold_of(n)))
                if not model.exists():
                    continue
            elif m == "bundled":
                model = args.bundled
            for trimap in TRIMAPS:
                results[m][(n, trimap)] = run_case(m, model, n, trimap, args.vmatte, args.work,
                                                     args.model_options.split() if m in ("model", "bundled") else [])
                print(f"{m} {n} {trimap}: SAD {results[m][(n, trimap)]['sad']:.2f}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(tables(results, methods, labels))
    print(args.out.read_text())


if __name__ == "__main__":
    main()
