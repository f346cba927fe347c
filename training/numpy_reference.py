"""An independent NumPy implementation of MODEL_FORMAT.md (no PyTorch).

It reads a vmatte-dim safetensors file, folds BatchNorm, and runs the whole
inference pipeline exactly as the format document describes; it exists to
check that the document is complete and that the golden files agree with it:

    /usr/bin/python3 training/numpy_reference.py [Tests/EngineTests/Golden]

prints the max difference per golden tensor.  It is also a compact model for
the Swift engine to follow.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from safetensors_io import load_file


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x [C, H, W], w [O, C, k, k] (OIHW), zero padding k // 2, stride 1."""
    c, h, wd = x.shape
    o, _, k, _ = w.shape
    p = k // 2
    xp = np.pad(x, ((0, 0), (p, p), (p, p)))
    out = np.zeros((o, h, wd), np.float64)
    for ky in range(k):
        for kx in range(k):
            out += np.tensordot(w[:, :, ky, kx], xp[:, ky:ky + h, kx:kx + wd], axes=(1, 0))
    return out + b[:, None, None]


def maxpool2x2(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Returns (max, flat index row * W + col of the first max in row-major
    window order)."""
    c, h, w = x.shape
    win = x.reshape(c, h // 2, 2, w // 2, 2).transpose(0, 1, 3, 2, 4).reshape(c, h // 2, w // 2, 4)
    k = win.argmax(axis=-1)  # numpy argmax returns the first maximum
    rows = 2 * np.arange(h // 2)[None, :, None] + k // 2
    cols = 2 * np.arange(w // 2)[None, None, :] + k % 2
    return win.max(axis=-1), rows * w + cols


def unpool(x: np.ndarray, idx: np.ndarray, h: int, w: int) -> np.ndarray:
    c = x.shape[0]
    out = np.zeros((c, h * w), x.dtype)
    np.put_along_axis(out, idx.reshape(c, -1), x.reshape(c, -1), axis=1)
    return out.reshape(c, h, w)


class Reference:
    def __init__(self, path: str | Path):
        t, meta = load_file(path)
        assert meta["format"] == "vmatte-dim" and meta["version"] == "1"
        self.arch = json.loads(meta["architecture"])
        self.input = json.loads(meta["input"])
        eps = self.arch["bn_eps"]
        t = {k: v.astype(np.float64) for k, v in t.items()}
        self.layers = {}
        for name in {k.split(".")[0] for k in t}:
            if f"{name}.bn.weight" in t:  # fold BN
                s = t[f"{name}.bn.weight"] / np.sqrt(t[f"{name}.bn.running_var"] + eps)
                w = t[f"{name}.conv.weight"] * s[:, None, None, None]
                b = t[f"{name}.bn.bias"] - t[f"{name}.bn.running_mean"] * s
            else:
                w, b = t[f"{name}.weight"], t[f"{name}.bias"]
            self.layers[name] = (w, b)

    def cbr(self, name, x):
        return np.maximum(conv2d(x, *self.layers[name]), 0)

    def forward(self, x: np.ndarray) -> dict[str, np.ndarray]:
        st = {}
        h, pools = x, []
        for b, n in enumerate(self.arch["encoder_convs_per_block"], 1):
            for i in range(1, n + 1):
                h = self.cbr(f"conv{b}_{i}", h)
            st[f"enc{b}"] = h
            pools.append((h.shape[1:],) + tuple(maxpool2x2(h)[1:]))
            h, _ = maxpool2x2(h)
            st[f"pool{b}"] = h
        h = st["fc6"] = self.cbr("fc6", h)
        h = st["deconv6"] = self.cbr("deconv6", h)
        for b in range(5, 0, -1):
            (hh, ww), idx = pools[b - 1]
            h = st[f"deconv{b}"] = self.cbr(f"deconv{b}", unpool(h, idx, hh, ww))
        logits = st["alpha_logits"] = conv2d(h, *self.layers["alpha_pred"])
        raw = st["raw_alpha"] = 1 / (1 + np.exp(-logits))
        g = np.concatenate([x[:3], raw])
        for name in (f"refine{i}" for i in range(1, self.arch["refine_layers"] + 1)):
            g = np.maximum(conv2d(g, *self.layers[name]), 0)
        res = st["refine_residual"] = conv2d(g, *self.layers["refine_pred"])
        st["refined_alpha"] = np.clip(raw + res, 0, 1)
        return st

    def matte(self, rgb: np.ndarray, trimap: np.ndarray) -> dict[str, np.ndarray]:
        """rgb [3, H, W] and trimap [H, W] in 0..1 -> all stages + final alpha."""
        _, h, w = rgb.shape
        m = self.input["pad_multiple"]
        hp, wp = -(-h // m) * m, -(-w // m) * m

        def src(n, n_out):
            i = np.arange(n_out) % (2 * (n - 1)) if n > 1 else np.zeros(n_out, int)
            return np.where(i < n, i, 2 * (n - 1) - i)
        rows, cols = src(h, hp), src(w, wp)
        rgb_p, tri_p = rgb[:, rows][:, :, cols], trimap[rows][:, cols]
        snap = lambda t: np.where(t < 0.25, 0.0, np.where(t > 0.75, 1.0, 0.5))
        mean = np.array(self.input["mean"])[:, None, None]
        std = np.array(self.input["std"])[:, None, None]
        x = np.concatenate([(rgb_p - mean) / std, snap(tri_p)[None]])
        st = {"input": x, **self.forward(x)}
        a = np.clip(st["refined_alpha"][0, :h, :w], 0, 1)
        t = snap(trimap)
        st["final_alpha"] = np.where(t == 0, 0.0, np.where(t == 1, 1.0, a))[None]
        return st


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else
                  Path(__file__).resolve().parent.parent / "Tests" / "EngineTests" / "Golden")
    ref = Reference(folder / "golden_weights.safetensors")
    gold, _ = load_file(folder / "golden_tensors.safetensors")
    st = ref.matte(gold["rgb"][0].astype(np.float64), gold["trimap"][0, 0].astype(np.float64))
    worst = 0.0
    for k in gold:
        if k not in st:  # inputs, and the mirror average (not part of this reference)
            continue
        d = float(np.abs(st[k] - gold[k][0]).max())
        scale = float(np.abs(gold[k]).max())
        worst = max(worst, d / max(scale, 1.0))
        print(f"  {k:16s} max |diff| {d:.2e}  (max |value| {scale:.3g})")
    print("OK" if worst < 1e-4 else "MISMATCH", f"(worst relative {worst:.2e})")
    sys.exit(0 if worst < 1e-4 else 1)


if __name__ == "__main__":
    main()
