"""Parameter count and multiply-accumulate count of the network.

Counts the convolutions only (BN, ReLU, pooling, sigmoid are a rounding
error).  FLOPs = 2 x MACs.

    /usr/bin/python3 training/flops.py --width 16 --refine-width 32 --size 320
"""

from __future__ import annotations

import argparse

import torch
import torch.nn as nn

from model import DIMConfig, DIMNet


def count_macs(model: DIMNet, height: int, width: int) -> dict[str, int]:
    """MACs per top-level part (encoder, decoder, refine) for one image."""
    macs: dict[str, int] = {"encoder": 0, "decoder": 0, "refine": 0}
    hooks = []

    def part_of(name: str) -> str:
        if name.startswith("refine"):
            return "refine"
        if name.startswith(("conv", "fc6")):
            return "encoder"
        return "decoder"

    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            def hook(mod, inp, out, part=part_of(name)):
                k = mod.kernel_size[0] * mod.kernel_size[1]
                macs[part] += out.numel() * mod.in_channels // mod.groups * k
            hooks.append(m.register_forward_hook(hook))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 4, height, width))
    for h in hooks:
        h.remove()
    macs["total"] = sum(macs.values())
    return macs


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--refine-width", type=int, default=32)
    ap.add_argument("--fc6", default="1x1", choices=["1x1", "7x7"])
    ap.add_argument("--size", type=int, default=320)
    args = ap.parse_args()
    model = DIMNet(DIMConfig(args.width, args.refine_width, args.fc6))
    macs = count_macs(model, args.size, args.size)
    print(f"w={args.width} r={args.refine_width} fc6={args.fc6} "
          f"params={count_params(model):,}")
    for part, m in macs.items():
        print(f"  {part:8s} {m / 1e9:7.3f} GMAC  {2 * m / 1e9:7.3f} GFLOP  at {args.size}x{args.size}")


if __name__ == "__main__":
    main()
