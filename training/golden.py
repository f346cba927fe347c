"""Golden tensors for the Swift engine's parity tests.

Builds a small network with random weights (w = 3, r = 5, fc6 1x1: odd
channel counts 3, 6, 12, 24 on purpose, to catch SIMD remainder bugs) and
non-trivial BatchNorm statistics, runs a fixed-seed 67 x 93 (H x W) image +
trimap through the whole inference pipeline (reflect-pad to 96 x 96, prepare,
forward, crop, clamp, force known regions) and writes, as f32 safetensors:

  OUT/golden_weights.safetensors   the network, in the exact export format
                                   (export.write_model, dtype f32, metadata)
  OUT/golden_tensors.safetensors   the inputs and every intermediate tensor:
      rgb            (1, 3, 67, 93)  image in 0..1
      trimap         (1, 1, 67, 93)  0 / 0.5 / 1
      input          (1, 4, 96, 96)  padded + normalised network input
      enc1 .. enc5   last conv (after BN + ReLU) of each encoder block, pre-pool
      pool1 .. pool5 after each 2x2 max pool
      fc6, deconv6, deconv5 .. deconv1   (after BN + ReLU)
      alpha_logits   (1, 1, 96, 96)  alpha_pred conv output, before sigmoid
      raw_alpha      (1, 1, 96, 96)  sigmoid(alpha_logits)
      refine_residual(1, 1, 96, 96)  refine_pred conv output
      refined_alpha  (1, 1, 96, 96)  clamp(raw_alpha + refine_residual, 0, 1)
      final_alpha    (1, 1, 67, 93)  cropped, clamped, known regions forced
      final_alpha_mirror_average (1, 1, 67, 93)  refined alpha averaged with the
                     mirrored image's, then finished (inference.predict_mirror_average)
  metadata of golden_tensors: the sizes and the seed.

With --fused the network is fused with closed-form matting (format version 2:
a fifth input plane, the closed-form matte from closed_form.py, and the residual
alpha head) on a 45 x 61 image padded to 64 x 64; the files are
fused_golden_{weights,tensors}.safetensors, with closed_form (1, 1, 45, 61) and
alpha_residual (the alpha_pred output) in place of alpha_logits.

With --refinement the network is a closed-form refinement (format version 3: no
encoder-decoder, the raw alpha is the closed-form matte) on the same 45 x 61 image;
the files are refinement_golden_{weights,tensors}.safetensors, with closed_form,
raw_alpha, refine_residual, refined_alpha and the final alphas.

With --knn-refinement it is a closed-form refinement that also reads a KNN matte
(format version 4; knn_matting.py) on the same image: knn_refinement_golden_*, with knn
beside closed_form.

    /usr/bin/python3 training/golden.py [OUT] [--fused | --refinement | --knn-refinement]   # default Tests/EngineTests/Golden
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from closed_form import closed_form_matte
from export import write_model
from knn_matting import knn_matte
from inference import pad_to_multiple, predict_mirror_average, predict_tensors
from model import DIMConfig, DIMNet, prepare_input
from safetensors_io import save_file

REPO = Path(__file__).resolve().parent.parent
HEIGHT, WIDTH = 67, 93
FUSED_HEIGHT, FUSED_WIDTH = 45, 61
SEED = 1234
FUSED_NETWORK_SEED = 1239  # the first seed whose pool windows have no near-ties (gap > 1e-4)


def random_network(seed: int = SEED, width: int = 3, refine_width: int = 5,
                   fused: bool = False, encoder_decoder: bool = True, knn: bool = False) -> DIMNet:
    """Random weights; BN running statistics first estimated on random inputs
    (so activations stay in a sane range), then perturbed; BN affine
    parameters random; refine_pred (and a fused network's alpha_pred) non-zero."""
    torch.manual_seed(seed)
    model = DIMNet(DIMConfig(width=width, refine_width=refine_width, closed_form_input=fused,
                             encoder_decoder=encoder_decoder, knn_input=knn))
    if not encoder_decoder:
        with torch.no_grad():
            for conv in model.refine_modules()[:-1]:
                conv.bias.normal_(0.0, 0.05)
            model.refine_pred.weight.normal_(0.0, 0.02)
            model.refine_pred.bias.fill_(-0.01)
        return model.eval()
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in bns:
        bn.momentum = None  # cumulative average over the calibration passes
        bn.reset_running_stats()
    model.train()
    with torch.no_grad():
        for i in range(4):
            model(_random_input(torch.Generator().manual_seed(seed + i + 1), 2, 64, 96, fused))
    with torch.no_grad():
        for bn in bns:
            n = bn.num_features
            bn.running_mean += 0.1 * torch.randn(n) * bn.running_var.sqrt()
            bn.running_var *= torch.empty(n).uniform_(0.7, 1.4)
            bn.weight.copy_(torch.empty(n).uniform_(0.6, 1.4))
            bn.bias.copy_(0.2 * torch.randn(n))
            bn.momentum = 0.1
        for conv in model.refine_modules()[:-1] + [model.alpha_pred]:
            conv.bias.normal_(0.0, 0.05)
        if fused:  # a correction of a tenth or so: the clamp of the residual head not saturated
            model.alpha_pred.weight.normal_(0.0, 0.02)
        else:
            model.alpha_pred.weight.mul_(0.25)  # logits of a few units: sigmoid not saturated
        model.refine_pred.weight.normal_(0.0, 0.02)
        model.refine_pred.bias.fill_(-0.01)
    return model.eval()


def _random_input(g: torch.Generator, n: int, h: int, w: int, fused: bool = False) -> torch.Tensor:
    rgb, tri = golden_image(g, n, h, w)
    # calibration only: a smooth stand-in for the closed-form plane
    cf = 0.5 * (tri + rgb.mean(1, keepdim=True)) if fused else None
    return prepare_input(pad_to_multiple(rgb), pad_to_multiple(tri),
                         None if cf is None else pad_to_multiple(cf))


def golden_image(g: torch.Generator, n: int = 1, h: int = HEIGHT, w: int = WIDTH):
    """A smooth random image with some noise, and a blocky trimap with all
    three classes."""
    low = torch.rand(n, 3, 5, 7, generator=g)
    rgb = nn.functional.interpolate(low, size=(h, w), mode="bilinear", align_corners=False)
    rgb = (rgb + 0.1 * torch.randn(n, 3, h, w, generator=g)).clamp(0, 1)
    cls = torch.randint(0, 3, (n, 1, 6, 8), generator=g).float() / 2
    tri = nn.functional.interpolate(cls, size=(h, w), mode="nearest")
    return rgb, tri


def pool_gap(x: np.ndarray) -> float:
    """Smallest (largest - second largest) over the 2x2 pool windows of x
    whose maximum is positive: how robust the argmax is to rounding."""
    n, c, h, w = x.shape
    win = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(-1, 4)
    win = np.sort(win, axis=1)
    pos = win[:, 3] > 0
    return float((win[pos, 3] - win[pos, 2]).min())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=str(REPO / "Tests" / "EngineTests" / "Golden"))
    kind = ap.add_mutually_exclusive_group()
    kind.add_argument("--fused", action="store_true", help="the network fused with closed-form matting")
    kind.add_argument("--refinement", action="store_true", help="a closed-form refinement (no encoder-decoder)")
    kind.add_argument("--knn-refinement", action="store_true", help="a closed-form refinement that also reads a KNN matte")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    knn = args.knn_refinement
    args.refinement = args.refinement or knn
    fused = args.fused or args.refinement
    prefix = "knn_refinement_golden" if knn else "refinement_golden" if args.refinement else "fused_golden" if fused else "golden"
    height, width = (FUSED_HEIGHT, FUSED_WIDTH) if fused else (HEIGHT, WIDTH)
    network_seed = FUSED_NETWORK_SEED if fused else SEED

    model = random_network(network_seed, fused=fused, encoder_decoder=not args.refinement, knn=knn)
    rgb, tri = golden_image(torch.Generator().manual_seed(SEED), 1, height, width)
    extra, cf = {}, None
    if fused:
        matte = closed_form_matte(rgb[0].permute(1, 2, 0).numpy(), tri[0, 0].numpy())
        cf = torch.from_numpy(matte)[None, None]
        extra = {"closed_form": cf}
    knn_plane = None
    if knn:
        knn_plane = torch.from_numpy(knn_matte(rgb[0].permute(1, 2, 0).double().numpy(), tri[0, 0].double().numpy()))[None, None]
        extra["knn"] = knn_plane
    final, stages = predict_tensors(model, rgb, tri, stages=True, closed_form=cf, knn=knn_plane)
    tensors = {"rgb": rgb, "trimap": tri, **extra, **stages}
    if not knn:  # the mirror of a KNN matte is not the mirrored image's KNN matte (ties fall differently)
        tensors["final_alpha_mirror_average"] = predict_mirror_average(model, rgb, tri, cf)
    assert torch.equal(tensors["final_alpha"], final)
    arrays = {k: v.detach().numpy().astype(np.float32) for k, v in tensors.items()}
    gap = min(pool_gap(arrays[f"enc{b}"]) for b in range(1, 6)) if not args.refinement else float("inf")

    note = "random weights for parity tests" + (" of the closed-form KNN refinement" if knn
                                                 else " of the closed-form refinement" if args.refinement
                                                 else " of the fused network" if fused else "")
    generator = "training/golden.py" + (" --knn-refinement" if knn else " --refinement" if args.refinement
                                        else " --fused" if fused else "")
    write_model(model, out / f"{prefix}_weights.safetensors", "f32",
                {"note": f"{note} ({generator})", "seed": network_seed})
    padded = tensors["input"].shape[-1]
    meta = {"height": str(height), "width": str(width), "padded": f"{padded}x{padded}", "seed": str(SEED),
            "network_seed": str(network_seed), "generator": generator,
            "min_pool_gap": f"{gap:.3g}",
            "tensors": json.dumps({k: list(v.shape) for k, v in arrays.items()})}
    if fused:
        meta["closed_form"] = "pymatting estimate_alpha_cf(rgb, trimap), defaults, clipped to 0..1"
    if knn:
        meta["knn"] = "training/knn_matting.py knn_matte(rgb, trimap)"
    save_file(arrays, out / f"{prefix}_tensors.safetensors", meta)

    for k, v in arrays.items():
        print(f"  {k:16s} {str(tuple(v.shape)):18s} min {v.min():9.4f} max {v.max():9.4f} "
              f"mean {v.mean():9.4f}")
    sizes = sum((out / f"{prefix}_{f}.safetensors").stat().st_size for f in ("weights", "tensors"))
    if not args.refinement:
        print(f"smallest gap between the largest and second largest positive value of a "
              f"2x2 pool window: {gap:.3g} (ties there would make argmax implementation-defined)")
    print(f"wrote {out}/{prefix}_*.safetensors ({sizes:,} bytes)")


if __name__ == "__main__":
    main()
