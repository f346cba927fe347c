"""Train the Deep Image Matting network from scratch, in three stages.

  stage 1: encoder-decoder, loss 0.5 alpha + 0.5 compositional
  stage 2: refinement only (encoder-decoder frozen, BN statistics frozen),
           alpha loss only, narrower random trimaps
  stage 3: everything, loss = mean of the overall loss on raw and refined alpha

The stages run one after the other in one process.  Output in
training/runs/NAME/: last.pt (resumable checkpoint, written every
--ckpt-minutes and on exit / SIGTERM / SIGINT, atomically), best.pt (best
validation SAD, of the weight average or the weights as trained),
stage{1,2,3}.pt (end of each stage), train.csv (loss), val.csv (validation
metrics of the average), val_trained.csv (of the weights as trained),
train.log.  Resume with the same command plus --resume.

    /usr/bin/python3 training/train.py --name tiny --steps1 20 --steps2 5 --steps3 5
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
from dataclasses import asdict
import json
import math
import os
import signal
import sys
import time
from pathlib import Path

import numpy as np
import torch

from dataset import FOLDS, CompositeDataset, DataMix, fold_names, load_alphamatting_foregrounds, \
    load_backgrounds, load_cutouts, load_validation, training_alphamatting_names
from inference import finish_alpha, network_input
from losses import mse, overall_loss, sad
from model import DIMConfig, DIMNet, prepare_input, with_knn_input

RUNS_DIR = Path(__file__).resolve().parent / "runs"


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", required=True, help="run folder under training/runs/")
    ap.add_argument("--resume", action="store_true", help="continue from runs/NAME/last.pt")
    ap.add_argument("--init-from", default=None,
                    help="start from an exported .safetensors (e.g. the committed Models/vmatte-dim.safetensors): "
                         "its weights and the stage/step in its metadata; the optimizer starts afresh")
    ap.add_argument("--new-refinement", action="store_true",
                    help="with --init-from --weights-only: take the encoder-decoder's weights only and start the "
                         "refinement afresh, so its width and depth (--refine-width, --refine-layers) may differ from the file's")
    ap.add_argument("--weights-only", action="store_true",
                    help="with --init-from: take only the weights and run the whole schedule from stage 1, step 0 "
                         "(a second cycle after a finished run)")
    # network
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--refine-width", type=int, default=32)
    ap.add_argument("--refine-layers", type=int, default=3, help="3x3 conv + ReLU layers of the refinement")
    ap.add_argument("--fc6", default="1x1", choices=["1x1", "7x7"])
    ap.add_argument("--fused", action="store_true",
                    help="fuse with closed-form matting: its matte is an input and the network "
                         "corrects it (trains from the cached pool of pool.py)")
    ap.add_argument("--no-encoder-decoder", dest="encoder_decoder", action="store_false",
                    help="--fused without stage 1: the refinement alone corrects the closed-form matte "
                         "(a closed-form refinement, format version 3; give --steps1 0)")
    ap.add_argument("--knn-input", action="store_true",
                    help="with --no-encoder-decoder: the refinement also reads the KNN matte (knn_matting.py; "
                         "the pool's, from pool.py --knn)")
    ap.add_argument("--pool-samples", type=int, default=3000, help="--fused: size of the pool")
    ap.add_argument("--closed-form-tolerance", type=float, default=None,
                    help="--fused: the pool's and validation's closed-form mattes are vmatte's solves stopped at "
                         "this relative residual, as the engine gives them (default: converged, pymatting)")
    ap.add_argument("--fold", type=int, default=-1,
                    help=f"cross-validation fold 0..{FOLDS - 1}: its 4 alphamatting images are "
                         "held out and validated on; -1 trains on all 20 (no validation)")
    # schedule (steps per stage; learning rates: warm-up then cosine decay)
    ap.add_argument("--steps1", type=int, default=24000)
    ap.add_argument("--steps2", type=int, default=2500)
    ap.add_argument("--steps3", type=int, default=2500)
    ap.add_argument("--lr1", type=float, default=1e-3)
    ap.add_argument("--lr2", type=float, default=1e-3)
    ap.add_argument("--lr3", type=float, default=5e-5)
    ap.add_argument("--warmup", type=int, default=500, help="warm-up steps of stage 1 (others: 1/4)")
    ap.add_argument("--final-lr-ratio", type=float, default=0.02, help="cosine floor, x stage lr")
    ap.add_argument("--grad-clip", type=float, default=5.0)
    ap.add_argument("--ema-decay", type=float, default=0.999,
                    help="validate and export an exponential moving average of the weights (0: the weights themselves)")
    # data
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--size", type=int, default=320)
    ap.add_argument("--mix", default="",
                    help="the data mix (dataset.DataMix) as comma-separated KEY=SHARE over the "
                         "recipe's: alphamatting, cutouts, procedural (source shares), "
                         "painted_trimaps, photo_degradation, real_photos, dense_fuzz (rates)")
    ap.add_argument("--workers", type=int, default=1,
                    help="DataLoader worker processes (1 on a 2-core machine; most of the cores beside a GPU)")
    ap.add_argument("--seed", type=int, default=0)
    # bookkeeping
    ap.add_argument("--device", default="cpu", help="torch device to train on: cpu, cuda, cuda:1, ...")
    ap.add_argument("--max-minutes", type=float, default=0.0,
                    help="save and stop (as on SIGTERM) after this much wall time; 0: no limit")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels-last", action=argparse.BooleanOptionalAction, default=True,
                    help="NHWC memory layout (about 1.5x faster on this CPU)")
    ap.add_argument("--bf16-stages", default="1,2,3",
                    help="comma list of stages run under bfloat16 autocast (about 2x faster "
                         "on CPUs with AVX512-BF16); the others, and validation, run in f32; "
                         "'' for none")
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--val-every", type=int, default=1000)
    ap.add_argument("--ckpt-minutes", type=float, default=8.0)
    return apply_recipe(ap, argv)


RECIPES_DIR = Path(__file__).resolve().parent / "recipes"


def apply_recipe(ap: argparse.ArgumentParser, argv) -> argparse.Namespace:
    """--recipe NAME (training/recipes/NAME.json, or a path) gives the defaults: every key
    is an option's name (its dest, e.g. steps1, refine_width; mix as an object of shares);
    options on the command line override it."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--recipe")
    known, _ = pre.parse_known_args(argv)
    recipe_mix = DataMix()
    if known.recipe:
        path = Path(known.recipe)
        path = path if path.suffix == ".json" else RECIPES_DIR / f"{known.recipe}.json"
        recipe = json.loads(path.read_text())
        recipe.pop("comment", None)
        recipe_mix = DataMix(**recipe.pop("mix", {}))
        dests = {a.dest for a in ap._actions}
        unknown = sorted(set(recipe) - dests)
        if unknown:
            raise SystemExit(f"{path}: unknown recipe keys {unknown}")
        ap.set_defaults(**recipe)
    ap.add_argument("--recipe", help="training/recipes/NAME.json (or a .json path): the run's defaults")
    args = ap.parse_args(argv)
    try:
        args.mix = DataMix.parse(args.mix, recipe_mix)
    except ValueError as e:
        raise SystemExit(f"--mix: {e}")
    return args


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

class RandomIndices(torch.utils.data.Sampler):
    """Endless random 63-bit sample ids (the dataset draws a sample from its id)."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def __iter__(self):
        while True:
            yield int(self.rng.integers(0, 2 ** 63 - 1))


class SeededComposites(CompositeDataset):
    def __getitem__(self, index: int):
        return self.sample(np.random.default_rng(index))


def _worker_init(_):
    torch.set_num_threads(1)


def atomic_save(obj, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def learning_rate(stage_step: int, steps: int, lr: float, warmup: int, floor: float) -> float:
    if stage_step < warmup:
        return lr * (stage_step + 1) / warmup
    t = (stage_step - warmup) / max(1, steps - warmup)
    return lr * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


class CsvLog:
    def __init__(self, path: Path, fields: list[str]):
        new = not path.exists()
        self.file = open(path, "a", newline="")
        self.writer = csv.DictWriter(self.file, fieldnames=fields)
        if new:
            self.writer.writeheader()

    def write(self, row: dict) -> None:
        self.writer.writerow(row)
        self.file.flush()


@torch.no_grad()
def validate(model: DIMNet, images, closed_form_tolerance: float | None = None) -> dict[str, float]:
    """Mean SAD/1000 and MSE over the unknown region of each held-out
    alphamatting image with trimap1 and trimap2, full resolution, for the
    refined (final) and the raw alpha (and, for a fused network, of the
    closed-form matte it starts from).  Leaves the model in train mode."""
    model.eval()
    device = next(model.parameters()).device
    sums: dict[str, list[float]] = {}
    for v in images:
        rgb = torch.from_numpy(v.image.copy()).permute(2, 0, 1)[None].float().to(device) / 255
        for tname, tri in v.trimaps.items():
            t = torch.from_numpy(tri.copy())[None, None].float().to(device) / 255
            cf = torch.from_numpy(v.closed_form(tname, closed_form_tolerance))[None, None].to(device) \
                if model.config.closed_form_input else None
            knn = torch.from_numpy(v.knn(tname))[None, None].to(device) if model.config.knn_input else None
            raw, refined = model(network_input(rgb, t, cf, knn))
            key = tname.replace("trimap", "t")
            candidates = [("", refined), ("raw_", raw)] + ([("cf_", cf)] if cf is not None else [])
            for kind, a in candidates:
                a = finish_alpha(a, t)[0, 0].cpu().numpy()
                sums.setdefault(f"{kind}sad_{key}", []).append(sad(a, v.alpha, tri))
                sums.setdefault(f"{kind}mse_{key}", []).append(mse(a, v.alpha, tri))
    model.train()
    return {k: float(np.mean(v)) for k, v in sums.items()}


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

class Trainer:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.dir = RUNS_DIR / args.name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log_file = open(self.dir / "train.log", "a")
        self.stop_requested = False
        if not args.encoder_decoder and (not args.fused or args.steps1 or args.steps3):
            raise SystemExit("--no-encoder-decoder trains the refinement of --fused alone: give --steps1 0 --steps3 0")
        self.model = DIMNet(DIMConfig(args.width, args.refine_width, args.fc6, args.fused,
                                      args.refine_layers, args.encoder_decoder, args.knn_input))
        self.memory_format = torch.channels_last if args.channels_last else torch.contiguous_format
        self.bf16_stages = {int(s) for s in args.bf16_stages.split(",") if s.strip()}
        self.state = {"stage": 1, "stage_step": 0, "global_step": 0, "best_sad": float("inf"),
                      "train_seconds": 0.0}
        self.optimizer_state = None
        self.ema: dict[str, torch.Tensor] | None = None
        self.ema_steps = 0
        if args.resume:
            self._load(self.dir / "last.pt")
        elif args.init_from:
            self._load_exported(Path(args.init_from))
        self.device = torch.device(args.device)
        self.model.to(self.device, memory_format=self.memory_format)
        if self.ema is not None:  # a checkpoint's average comes back on the CPU
            self.ema = {k: v.to(self.device) for k, v in self.ema.items()}
        self.steps = {1: args.steps1, 2: args.steps2, 3: args.steps3}
        self.lrs = {1: args.lr1, 2: args.lr2, 3: args.lr3}
        self.train_csv = CsvLog(self.dir / "train.csv", [
            "time", "step", "stage", "stage_step", "lr", "loss", "loss_alpha", "loss_comp",
            "sec_per_step"])
        self.val_csv = None
        self.val_trained_csv = None

    # -- logging / checkpoints --------------------------------------------------

    def log(self, msg: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {msg}"
        print(line, flush=True)
        self.log_file.write(line + "\n")
        self.log_file.flush()

    def _load(self, path: Path) -> None:
        ckpt = torch.load(path, map_location="cpu", weights_only=False)
        cfg = DIMConfig.from_dict(ckpt["config"])
        if cfg != self.model.config:
            raise SystemExit(f"checkpoint config {cfg} differs from the command's {self.model.config}")
        self.model.load_state_dict(ckpt["model"])
        self.state.update(ckpt["state"])
        self.optimizer_state = ckpt.get("optimizer")
        if ckpt.get("ema") is not None:
            self.ema, self.ema_steps = ckpt["ema"], ckpt.get("ema_steps", 0)
        self.log(f"resumed from {path}: {self.state}")

    def _load_exported(self, path: Path) -> None:
        """Continue a run on a machine without runs/NAME/: weights (f16 rounding included)
        and the position in the recipe from an exported file's training metadata."""
        from export import read_model
        from safetensors_io import load_file
        exported = read_model(path)
        if self.args.new_refinement:
            if not self.args.weights_only:
                raise SystemExit("--new-refinement needs --weights-only: the file's schedule position is its own refinement's")
            mine, theirs = self.model.config.to_dict(), exported.config.to_dict()
            for key in ("refine_width", "refine_layers"):
                mine.pop(key)
                theirs.pop(key)
            if mine != theirs:
                raise SystemExit(f"{path}: encoder-decoder config {theirs} differs from the command's {mine}")
            kept = {name: value for name, value in exported.state_dict().items() if not name.startswith("refine")}
            missing = [name for name in self.model.state_dict() if not name.startswith("refine") and name not in kept]
            if missing:
                raise SystemExit(f"{path}: no {', '.join(missing[:3])}")
            self.model.load_state_dict(kept, strict=False)
            self.log(f"initialised the encoder-decoder from {path}; new refinement; schedule from the start")
            return
        if self.model.config.knn_input and dataclasses.replace(exported.config, knn_input=True) == self.model.config:
            # a closed-form refinement gains the KNN input, its weights on it zero: the network starts as the file's
            if not self.args.weights_only:
                raise SystemExit("adding the KNN input needs --weights-only: the schedule starts afresh")
            exported = with_knn_input(exported)
        elif exported.config != self.model.config:
            raise SystemExit(f"{path}: config {exported.config} differs from the command's {self.model.config}")
        self.model.load_state_dict(exported.state_dict())
        if self.args.weights_only:
            self.log(f"initialised from the weights of {path}; schedule from the start")
            return
        info = json.loads(load_file(path)[1].get("training", "{}"))
        for key, source in (("stage", "stage"), ("stage_step", "stage_step"), ("global_step", "step"),
                            ("best_sad", "best_val_sad_t1_plus_t2"), ("train_seconds", "train_seconds")):
            if info.get(source) is not None:
                self.state[key] = info[source]
        self.log(f"initialised from {path}: {self.state}")

    def checkpoint(self, optimizer, name: str = "last.pt", weights: dict | None = None) -> None:
        """Saves the run; `weights` (e.g. the average) replace the model's own in a file
        meant for export."""
        self.state["train_seconds"] += time.time() - self._clock
        self._clock = time.time()
        atomic_save({
            "config": self.model.config.to_dict(),
            "model": weights if weights is not None else self.model.state_dict(),
            "optimizer": optimizer.state_dict() if optimizer is not None else None,
            "state": dict(self.state),
            "args": {**vars(self.args), "mix": asdict(self.args.mix)},
            "ema": self.ema if weights is None else None,
            "ema_steps": self.ema_steps,
        }, self.dir / name)

    # -- weight averaging ----------------------------------------------------------

    def _reset_ema(self) -> None:
        self.ema = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        self.ema_steps = 0

    @torch.no_grad()
    def _update_ema(self) -> None:
        """ema ← d·ema + (1−d)·weights, with d ramped up over the first steps of a stage so
        the average does not drag in the stage's starting weights."""
        if self.args.ema_decay <= 0:
            return
        if self.ema is None:
            self._reset_ema()
        self.ema_steps += 1
        d = min(self.args.ema_decay, (1 + self.ema_steps) / (10 + self.ema_steps))
        for k, v in self.model.state_dict().items():
            if v.dtype.is_floating_point:
                self.ema[k].mul_(d).add_(v.detach(), alpha=1 - d)
            else:
                self.ema[k].copy_(v)

    def _averaged_weights(self) -> dict | None:
        return self.ema if self.args.ema_decay > 0 and self.ema is not None else None

    def _request_stop(self, signum, _frame) -> None:
        self.log(f"signal {signum}: saving and stopping after this step")
        self.stop_requested = True

    # -- stages ------------------------------------------------------------------

    def _stage_setup(self, stage: int):
        m = self.model
        for p in m.parameters():
            p.requires_grad_(stage != 2)
        if stage == 2:
            params = [p for mod in m.refine_modules() for p in mod.parameters()]
            for p in params:
                p.requires_grad_(True)
        elif stage == 1:
            params = [p for mod in m.encoder_decoder_modules() for p in mod.parameters()]
        else:
            params = list(m.parameters())
        optimizer = torch.optim.Adam(params, lr=self.lrs[stage])
        if self.optimizer_state is not None:
            try:
                optimizer.load_state_dict(self.optimizer_state)
            except ValueError as e:  # e.g. saved by another stage: start afresh
                self.log(f"optimizer state not restored ({e})")
            self.optimizer_state = None
        kernels = (7, 15) if stage == 2 else (3, 31)  # stage 2: no wide random dilation
        if self._pool is not None:
            dataset = self._pool
        else:
            dataset = SeededComposites(self.args.size, 10 ** 9, self.args.mix,
                                       trimap_kernels=kernels, **self._data)
        loader = torch.utils.data.DataLoader(
            dataset, batch_size=self.args.batch_size,
            sampler=RandomIndices([self.args.seed, self.state["global_step"], stage]),
            num_workers=self.args.workers, worker_init_fn=_worker_init,
            pin_memory=self.device.type == "cuda",
            prefetch_factor=4 if self.args.workers else 2)
        return optimizer, params, loader

    def _set_modes(self, stage: int) -> None:
        self.model.train()
        if stage == 2:  # frozen encoder-decoder: keep its BN statistics
            for mod in self.model.encoder_decoder_modules():
                mod.eval()

    def _loss(self, stage: int, batch):
        batch = {k: v.to(self.device, non_blocking=True) for k, v in batch.items()}
        x = prepare_input(batch["image"], batch["trimap"], batch.get("closed_form"), batch.get("knn"))
        x = x.contiguous(memory_format=self.memory_format)
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=stage in self.bf16_stages):
            return self._forward_loss(stage, x, batch)

    def _forward_loss(self, stage: int, x: torch.Tensor, batch):
        if stage == 1:
            raw = self.model.encode_decode(x)
            return overall_loss(raw.float(), batch)
        if stage == 2:
            with torch.no_grad():
                raw = self.model.encode_decode(x)
            refined = self.model.refine(x, raw)
            return overall_loss(refined.float(), batch, alpha_weight=1.0)
        raw, refined = self.model(x)
        raw, refined = raw.float(), refined.float()
        l_raw, parts_raw = overall_loss(raw, batch)
        l_ref, parts_ref = overall_loss(refined, batch)
        parts = {k: 0.5 * (parts_raw[k] + parts_ref[k]) for k in parts_raw}
        return 0.5 * (l_raw + l_ref), parts

    def _validate(self) -> None:
        if not self._val:  # trained on all 20: nothing held out, the last weights are the result
            return
        t0 = time.time()
        averaged = self._averaged_weights()
        as_trained = None
        if averaged is not None:
            # The weights as trained are validated too (into val_trained.csv): early in a
            # fine-tune the average still carries much of the starting point.
            as_trained = validate(self.model, self._val, self.args.closed_form_tolerance)
            if self.val_trained_csv is None:
                self.val_trained_csv = CsvLog(self.dir / "val_trained.csv",
                                              ["time", "step", "stage"] + list(as_trained))
            self.val_trained_csv.write({"time": round(time.time() - self._start, 1),
                                        "step": self.state["global_step"], "stage": self.state["stage"],
                                        **{k: f"{v:.5g}" for k, v in as_trained.items()}})
            self.log(f"val step {self.state['global_step']} without averaging: SAD t1 "
                     f"{as_trained['sad_t1']:.2f} t2 {as_trained['sad_t2']:.2f}, MSE t1 "
                     f"{as_trained['mse_t1']:.4f} t2 {as_trained['mse_t2']:.4f}")
            own = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
            self.model.load_state_dict(averaged)
            metrics = validate(self.model, self._val, self.args.closed_form_tolerance)
            self.model.load_state_dict(own)
        else:
            metrics = validate(self.model, self._val, self.args.closed_form_tolerance)
        self._set_modes(self.state["stage"])  # validate() leaves everything in train mode
        if self.val_csv is None:
            self.val_csv = CsvLog(self.dir / "val.csv", ["time", "step", "stage"] + list(metrics))
        row = {"time": round(time.time() - self._start, 1), "step": self.state["global_step"],
               "stage": self.state["stage"], **{k: f"{v:.5g}" for k, v in metrics.items()}}
        self.val_csv.write(row)
        score = metrics["sad_t1"] + metrics["sad_t2"]
        if "cf_sad_t1" in metrics:
            self.log(f"closed-form on the same images: SAD t1 {metrics['cf_sad_t1']:.2f} "
                     f"t2 {metrics['cf_sad_t2']:.2f}")
        self.log(f"val step {self.state['global_step']}: SAD t1 {metrics['sad_t1']:.2f} "
                 f"t2 {metrics['sad_t2']:.2f} (raw {metrics['raw_sad_t1']:.2f} / "
                 f"{metrics['raw_sad_t2']:.2f}), MSE t1 {metrics['mse_t1']:.4f} "
                 f"t2 {metrics['mse_t2']:.4f} [{time.time() - t0:.1f}s]")
        trained_score = math.inf if as_trained is None else as_trained["sad_t1"] + as_trained["sad_t2"]
        if min(score, trained_score) < self.state["best_sad"]:
            use_trained = trained_score < score
            self.state["best_sad"] = min(score, trained_score)
            self.state["best_weights"] = "as trained" if use_trained else "average"
            self.checkpoint(None, "best.pt", weights=self.model.state_dict() if use_trained else averaged)

    def run(self) -> None:
        args = self.args
        torch.set_num_threads(args.threads)
        torch.manual_seed(args.seed + self.state["global_step"])
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)
        self._start = self._clock = time.time()
        self.log(f"run {args.name} (pid {os.getpid()}): {' '.join(sys.argv)}")
        self.log(f"config {json.dumps(self.model.config.to_dict())}, "
                 f"params {sum(p.numel() for p in self.model.parameters()):,}")
        held_out = fold_names(args.fold)
        self.log(f"fold {args.fold}: held out {held_out or 'nothing'}")
        self._pool = None
        if args.fused:
            from pool import PoolDataset, build_pool
            self._pool = PoolDataset(build_pool(args.pool_samples, args.size, args.mix.source_weights,
                                                closed_form_tolerance=args.closed_form_tolerance),
                                     args.pool_samples,
                                     held_out, knn=args.knn_input)
            self.log(f"pool: {len(self._pool)} samples without the held-out images")
        else:
            self._data = {"alphamatting": load_alphamatting_foregrounds(
                              training_alphamatting_names(args.fold), with_photos=args.mix.real_photos > 0),
                          "cutouts": load_cutouts(), "backgrounds": load_backgrounds()}
        self._val = load_validation(held_out)
        if self.state["global_step"] == 0:
            self._validate()

        optimizer = None
        while self.state["stage"] <= 3 and not self.stop_requested:
            stage = self.state["stage"]
            steps = self.steps[stage]
            if self.state["stage_step"] >= steps:
                self._end_stage(optimizer)
                continue
            optimizer, params, loader = self._stage_setup(stage)
            self._set_modes(stage)
            warmup = args.warmup if stage == 1 else max(1, args.warmup // 4)
            self.log(f"stage {stage}: steps {self.state['stage_step']}..{steps}, lr {self.lrs[stage]:g}")
            last_ckpt = time.time()
            acc, t_log = [], time.time()
            for batch in loader:
                st = self.state["stage_step"]
                lr = learning_rate(st, steps, self.lrs[stage], warmup, args.final_lr_ratio)
                for g in optimizer.param_groups:
                    g["lr"] = lr
                loss, parts = self._loss(stage, batch)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if args.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(params, args.grad_clip)
                optimizer.step()
                self._update_ema()
                self.state["stage_step"] += 1
                self.state["global_step"] += 1
                acc.append((loss.item(), parts["alpha"], parts["comp"]))
                gs = self.state["global_step"]
                if len(acc) >= args.log_every or self.state["stage_step"] >= steps:
                    sps = (time.time() - t_log) / len(acc)
                    m = np.nanmean(np.array(acc, dtype=np.float64), axis=0) \
                        if not np.isnan(acc[0][2]) else (np.mean([a[0] for a in acc]),
                                                         np.mean([a[1] for a in acc]), float("nan"))
                    self.train_csv.write({
                        "time": round(time.time() - self._start, 1), "step": gs, "stage": stage,
                        "stage_step": self.state["stage_step"], "lr": f"{lr:.4g}",
                        "loss": f"{m[0]:.5f}", "loss_alpha": f"{m[1]:.5f}",
                        "loss_comp": "" if np.isnan(m[2]) else f"{m[2]:.5f}",
                        "sec_per_step": f"{sps:.2f}"})
                    remaining = sum(self.steps[s] for s in range(stage, 4)) - self.state["stage_step"]
                    self.log(f"step {gs} stage {stage} [{self.state['stage_step']}/{steps}] "
                             f"loss {m[0]:.4f} alpha {m[1]:.4f} lr {lr:.2e} {sps:.2f}s/step "
                             f"(~{remaining * sps / 3600:.1f} h left at this pace)")
                    acc, t_log = [], time.time()
                if gs % args.val_every == 0:
                    self._validate()
                    t_log = time.time()
                if time.time() - last_ckpt > args.ckpt_minutes * 60:
                    self.checkpoint(optimizer)
                    last_ckpt = time.time()
                if args.max_minutes > 0 and time.time() - self._start > args.max_minutes * 60 \
                        and not self.stop_requested:
                    self.log(f"--max-minutes {args.max_minutes:g} reached: saving and stopping")
                    self.stop_requested = True
                if self.stop_requested or self.state["stage_step"] >= steps:
                    break
            del loader
            if self.stop_requested:
                break
            self._end_stage(optimizer)
            optimizer = None  # each stage starts a fresh optimizer

        self.checkpoint(optimizer)
        self.log("stopped (resume with --resume)" if self.stop_requested else "training finished")

    def _end_stage(self, optimizer) -> None:
        stage = self.state["stage"]
        self._validate()
        averaged = self._averaged_weights()
        if averaged is not None:  # the next stage builds on the averaged weights
            self.model.load_state_dict(averaged)
        self.state["stage"] = stage + 1
        self.state["stage_step"] = 0
        self.ema = None  # the next stage averages its own steps
        self.checkpoint(None)            # last.pt: next stage starts a fresh optimizer
        self.checkpoint(None, f"stage{stage}.pt")
        self.log(f"stage {stage} done")


def main(argv=None) -> None:
    Trainer(parse_args(argv)).run()


if __name__ == "__main__":
    main()
