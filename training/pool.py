"""A cached pool of training composites with their closed-form mattes, for the
fused network (model.DIMConfig.closed_form_input): closed-form matting costs
~0.5 s per 320 x 320 composite, too slow to run for every sample drawn, so a
fixed pool is made once and training draws from it (with random flips: the
matting Laplacian is symmetric, so a flipped sample's closed-form matte is the
flipped matte).

Every alphamatting image is in the pool; a fold's training leaves out the samples
made from its held-out images (each sample records its foreground's name).  The
pool's folder name is a hash of everything that makes it (but its size: sample i
is the same in a pool of any size), so a change of data or recipe makes a new pool;
shards already written are kept, so an interrupted or enlarged build continues
where it stopped.

    /usr/bin/python3 training/pool.py --samples 3000 --workers 2 [--closed-form-tolerance 3e-4]

With --closed-form-tolerance the mattes are vmatte's own solves stopped at that
relative residual, as the engine feeds them to a fused model (.build/release/vmatte).
With --knn each shard also gets its samples' KNN mattes (knn_matting.py), in files of
their own beside it, for a refinement that reads them (model.DIMConfig.knn_input).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import numpy as np
import torch

from closed_form import closed_form_matte
from dataset import CACHE_DIR, DATA_DIR, CompositeDataset, DataMix, alphamatting_names, \
    load_alphamatting_foregrounds

SHARD = 100
POOL_SEED = 20261203


def pool_recipe(size: int, source_weights, trimap_kernels, closed_form_tolerance: float | None = None) -> dict:
    files = sorted(str(p.relative_to(DATA_DIR)) for sub in ("alphamatting", "foregrounds", "backgrounds")
                   for p in (DATA_DIR / sub).rglob("*") if p.is_file())
    recipe = {"size": size, "source_weights": list(source_weights),
              "trimap_kernels": list(trimap_kernels), "seed": POOL_SEED,
              "data": hashlib.sha1("\n".join(files).encode()).hexdigest()[:12],
              "closed_form": "closed_form.closed_form_matte (pymatting estimate_alpha_cf)"}
    if len(source_weights) > 3:  # renders among the sources: the pool follows their files
        from dataset import RENDERS_DIR
        names = sorted(p.name for p in RENDERS_DIR.glob("render-[0-9]*[0-9].png"))
        recipe["renders"] = hashlib.sha1("\n".join(names).encode()).hexdigest()[:12]
    if closed_form_tolerance is not None:
        recipe["closed_form"] = "vmatte --method closed-form"
        recipe["closed_form_tolerance"] = closed_form_tolerance
    return recipe


def pool_dir(recipe: dict) -> Path:
    key = hashlib.sha1(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:10]
    return CACHE_DIR / f"pool-{recipe['size']}-{key}"


_dataset: CompositeDataset | None = None
_tolerance: float | None = None


def _init_worker(recipe: dict) -> None:
    global _dataset, _tolerance
    _tolerance = recipe.get("closed_form_tolerance")
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a trainer's handler: the pool must end its workers
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    torch.set_num_threads(1)
    weights = recipe["source_weights"]
    _dataset = CompositeDataset(recipe["size"], 1, DataMix(*weights[:3], renders=weights[3] if len(weights) > 3 else 0.0),
                                trimap_kernels=tuple(recipe["trimap_kernels"]),
                                alphamatting=load_alphamatting_foregrounds(alphamatting_names()))


def _u8(x: torch.Tensor) -> np.ndarray:
    return (x.numpy() * 255 + 0.5).astype(np.uint8)


def shard_path(folder: Path, index: int) -> Path:
    return folder / f"shard-{index:04d}.npz"


def _make_shard(args: tuple[Path, int]) -> str:
    path, first = args
    rows = {k: [] for k in ("image", "fg", "bg", "alpha", "trimap", "closed_form", "source")}
    for i in range(first, first + SHARD):
        sample, source = _dataset.sample_with_source(np.random.default_rng([POOL_SEED, i]))
        image = _u8(sample["image"])
        trimap = sample["trimap"][0].numpy()
        with contextlib.redirect_stdout(io.StringIO()):  # pymatting's preconditioner warnings
            cf = closed_form_matte(image.transpose(1, 2, 0), trimap, _tolerance)
        rows["image"].append(image)
        rows["fg"].append(_u8(sample["fg"]))
        rows["bg"].append(_u8(sample["bg"]))
        rows["alpha"].append(sample["alpha"].numpy().astype(np.float16))
        rows["trimap"].append(_u8(sample["trimap"]))
        rows["closed_form"].append(cf[None].astype(np.float16))
        rows["source"].append(source)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")  # two builders may race on a shard
    np.savez(tmp, **{k: np.stack(v) if k != "source" else np.array(v) for k, v in rows.items()})
    os.replace(tmp, path)
    return path.name


def knn_shard_path(folder: Path, index: int) -> Path:
    from knn_matting import recipe_key
    return folder / f"knn-{recipe_key()}-{index:04d}.npz"


def _make_knn_shard(args: tuple[Path, Path]) -> str:
    from knn_matting import knn_matte
    source, path = args
    data = np.load(source)
    mattes = [knn_matte(image.transpose(1, 2, 0) / 255.0, trimap[0] / 255.0)[None].astype(np.float16)
              for image, trimap in zip(data["image"], data["trimap"])]
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    np.savez(tmp, knn=np.stack(mattes))
    os.replace(tmp, path)
    return path.name


def add_knn(folder: Path, samples: int, workers: int) -> None:
    """Writes the KNN mattes of the pool's first `samples` (whole shards) that lack them."""
    todo = [(shard_path(folder, i), knn_shard_path(folder, i)) for i in range((samples + SHARD - 1) // SHARD)
            if not knn_shard_path(folder, i).exists()]
    start = time.time()
    with multiprocessing.Pool(workers) as workers_pool:
        for done, name in enumerate(workers_pool.imap_unordered(_make_knn_shard, todo), 1):
            print(f"{name} ({done}/{len(todo)}, {time.time() - start:.0f} s)", flush=True)


def build_pool(samples: int = 3000, size: int = 320, source_weights=(0.5, 0.25, 0.25),
               trimap_kernels=(3, 31), workers: int = 2, closed_form_tolerance: float | None = None) -> Path:
    recipe = pool_recipe(size, source_weights, trimap_kernels, closed_form_tolerance)
    out = pool_dir(recipe)
    out.mkdir(parents=True, exist_ok=True)
    (out / "recipe.json").write_text(json.dumps(recipe, indent=1))
    todo = [(shard_path(out, first // SHARD), first) for first in range(0, samples, SHARD)
            if not shard_path(out, first // SHARD).exists()]
    if not todo:
        return out
    start = time.time()
    with multiprocessing.Pool(workers, _init_worker, (recipe,)) as workers_pool:
        for done, name in enumerate(workers_pool.imap_unordered(_make_shard, todo), 1):
            print(f"{name} ({done}/{len(todo)}, {time.time() - start:.0f} s)", flush=True)
    return out


class PoolDataset(torch.utils.data.Dataset):
    """The first `samples` of a pool, less those made from held-out images, drawn by id,
    flipped at random."""

    def __init__(self, folder: Path, samples: int, held_out: list[str], knn: bool = False):
        excluded = {f"alphamatting/{n}" for n in held_out}
        parts = {k: [] for k in ("image", "fg", "bg", "alpha", "trimap", "closed_form") + (("knn",) if knn else ())}
        for index in range((samples + SHARD - 1) // SHARD):
            data = dict(np.load(shard_path(folder, index)))
            if knn:
                if not knn_shard_path(folder, index).exists():
                    raise SystemExit(f"{knn_shard_path(folder, index)}: missing (training/pool.py --knn)")
                data["knn"] = np.load(knn_shard_path(folder, index))["knn"]
            keep = np.array([s not in excluded for s in data["source"]])
            for k in parts:
                parts[k].append(data[k][keep])
        if not parts["image"]:
            raise SystemExit(f"{folder}: no pool shards (build them with training/pool.py)")
        self.arrays = {k: np.concatenate(v) for k, v in parts.items()}

    def __len__(self) -> int:
        return len(self.arrays["image"])

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        rng = np.random.default_rng(index)
        i = int(rng.integers(len(self)))
        flip = rng.random() < 0.5
        out = {}
        for k, v in self.arrays.items():
            x = v[i][..., ::-1] if flip else v[i]
            x = torch.from_numpy(np.ascontiguousarray(x)).float()
            out[k] = x / 255 if v.dtype == np.uint8 else x
        trimap = out["trimap"]
        out["trimap"] = torch.where(trimap < 0.25, 0.0, torch.where(trimap > 0.75, 1.0, 0.5))
        out["composite"] = out["image"]
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=3000)
    ap.add_argument("--size", type=int, default=320)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--closed-form-tolerance", type=float, default=None,
                    help="closed-form mattes from vmatte's solver stopped at this relative residual "
                         "(default: converged, through pymatting)")
    ap.add_argument("--renders", type=float, default=0.0,
                    help="share of path-traced foregrounds (training/cache/renders) beside the default sources")
    ap.add_argument("--knn", action="store_true", help="also the samples' KNN mattes (knn_matting.py)")
    args = ap.parse_args()
    weights = DataMix(renders=args.renders).source_weights
    folder = build_pool(args.samples, args.size, weights, workers=args.workers, closed_form_tolerance=args.closed_form_tolerance)
    if args.knn:
        add_knn(folder, args.samples, args.workers)
    print(folder)


if __name__ == "__main__":
    main()
