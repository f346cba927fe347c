"""Export a trained network to a safetensors file for the Swift engine.

Tensors keep PyTorch's names and layouts (conv weights OIHW); BatchNorm is NOT
folded into the convs (the Swift loader folds it with eps = model.BN_EPS).
The file's __metadata__ (all values are strings) holds:
  format        "vmatte-dim"
  version       "1"; "2" for a network fused with closed-form matting; "3" for a
                closed-form refinement (no encoder-decoder); "4" for a closed-form
                refinement that also reads a KNN matte
  inputs        "rgb,trimap", "rgb,trimap,closed_form" or "rgb,trimap,closed_form,knn"
  architecture  JSON: widths per layer, kernels, fc6 kind, refine width,
                alpha activation, bn eps (model.DIMConfig.architecture())
  input         JSON: mean / std, trimap encoding, pad multiple (model.input_spec())
  dtype         "f16" or "f32"
  training      JSON: checkpoint, step, stage, validation SAD (informative)
See MODEL_FORMAT.md for the full description.

    /usr/bin/python3 training/export.py training/runs/dim-w16/best.pt \
        --out training/runs/dim-w16/vmatte-dim-w16.safetensors [--dtype f32]

--refinement-only keeps a fused network's refinement alone, as a closed-form refinement
(version 3: the raw alpha is the closed-form matte, no encoder-decoder); the source may be
a checkpoint or an exported file:

    /usr/bin/python3 training/export.py training/checkpoints/fused-w8-fold0.safetensors \
        --refinement-only --out training/checkpoints/fused-w8-refine-fold0.safetensors
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np
import torch

from model import DIMConfig, DIMNet, input_spec
from safetensors_io import load_file, save_file

FORMAT = "vmatte-dim"
VERSIONS = ("1", "2", "3", "4")  # 2: fused with closed-form matting; 3: a closed-form refinement; 4: one with KNN


def model_tensors(model: DIMNet, dtype: str = "f16") -> dict[str, np.ndarray]:
    """state_dict minus BN's num_batches_tracked, as numpy arrays."""
    np_dtype = {"f16": np.float16, "f32": np.float32}[dtype]
    out = {}
    for name, t in model.state_dict().items():
        if name.endswith("num_batches_tracked"):
            continue
        out[name] = t.detach().cpu().numpy().astype(np_dtype)
    return out


def model_metadata(model: DIMNet, dtype: str, training: dict | None = None) -> dict[str, str]:
    return {
        "format": FORMAT,
        "version": model.config.version,
        "inputs": model.config.inputs,
        "architecture": model.config.architecture_json(),
        "input": json.dumps(input_spec(model.config.closed_form_input, model.config.knn_input), separators=(",", ":")),
        "dtype": dtype,
        "training": json.dumps(training or {}, separators=(",", ":")),
    }


def write_model(model: DIMNet, path: str | Path, dtype: str = "f16",
                training: dict | None = None) -> None:
    save_file(model_tensors(model, dtype), path, model_metadata(model, dtype, training))


def read_model(path: str | Path) -> DIMNet:
    """Rebuild a DIMNet (f32, eval mode) from an exported file."""
    tensors, meta = load_file(path)
    if meta.get("format") != FORMAT or meta.get("version") not in VERSIONS:
        raise ValueError(f"{path}: not a {FORMAT} file of version {'/'.join(VERSIONS)} "
                         f"({meta.get('format')} {meta.get('version')})")
    arch = json.loads(meta["architecture"])
    stage1 = meta["version"] in ("1", "2")
    model = DIMNet(DIMConfig(width=arch["width"] if stage1 else DIMConfig.width, refine_width=arch["refine_width"],
                             fc6_kind=arch["fc6_kind"] if stage1 else DIMConfig.fc6_kind,
                             closed_form_input="closed_form" in arch.get("inputs", ""),
                             refine_layers=arch.get("refine_layers", 3), encoder_decoder=stage1,
                             knn_input=meta["version"] == "4"))
    state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{path}: missing {missing}, unexpected {unexpected}")
    return model.eval()


def refinement_only(model: DIMNet) -> DIMNet:
    """A fused network's refinement alone, as a closed-form refinement (same weights)."""
    if not model.config.closed_form_input:
        raise ValueError("only a network fused with closed-form matting keeps its refinement alone")
    refinement = DIMNet(dataclasses.replace(model.config, encoder_decoder=False))
    kept = refinement.state_dict().keys()
    refinement.load_state_dict({k: v for k, v in model.state_dict().items() if k in kept})
    return refinement.eval()


def load_checkpoint(path: str | Path) -> tuple[DIMNet, dict]:
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    model = DIMNet(DIMConfig.from_dict(ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    state = ckpt.get("state", {})
    info = {"checkpoint": Path(path).name, "step": state.get("global_step"),
            "stage": state.get("stage"), "stage_step": state.get("stage_step"),
            "train_seconds": state.get("train_seconds"),
            "best_val_sad_t1_plus_t2": state.get("best_sad"), "best_weights": state.get("best_weights")}
    return model.eval(), info


@torch.no_grad()
def round_trip_error(model: DIMNet, path: str | Path) -> tuple[float, float]:
    """(max, mean) |final alpha difference| between the model and the model
    re-read from the exported file, on held-out image GT02 with trimap2.
    f32 export: exactly 0.  f16 export: small, with rare larger single-pixel
    differences where f16 rounding flips a max-pool argmax."""
    from dataset import load_validation
    from inference import predict
    v = load_validation(["GT02"])[0]
    cf = v.closed_form("trimap2") if model.config.closed_form_input else None
    knn = v.knn("trimap2") if model.config.knn_input else None
    a = predict(model, v.image, v.trimaps["trimap2"], cf, knn)
    b = predict(read_model(path), v.image, v.trimaps["trimap2"], cf, knn)
    d = np.abs(a - b)
    return float(d.max()), float(d.mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint", help="a .pt from training/runs/NAME/ (or an exported file)")
    ap.add_argument("--out", required=True, help="output .safetensors path")
    ap.add_argument("--dtype", default="f16", choices=["f16", "f32"])
    ap.add_argument("--refinement-only", action="store_true",
                    help="keep a fused network's refinement alone (format version 3)")
    args = ap.parse_args()
    if Path(args.checkpoint).suffix == ".safetensors":
        model = read_model(args.checkpoint)
        info = {**json.loads(load_file(args.checkpoint)[1].get("training", "{}")), "source": Path(args.checkpoint).name}
    else:
        model, info = load_checkpoint(args.checkpoint)
    if args.refinement_only:
        model = refinement_only(model)
    write_model(model, args.out, args.dtype, info)
    n = sum(v.size for v in model_tensors(model, "f32").values())
    print(f"wrote {args.out}: {n:,} values ({args.dtype}), {Path(args.out).stat().st_size:,} bytes")
    mx, mean = round_trip_error(model, args.out)
    print(f"round trip on GT02/trimap2: |alpha difference| max {mx:.2e}, mean {mean:.2e}")


if __name__ == "__main__":
    main()
