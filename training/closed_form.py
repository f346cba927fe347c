"""Closed-form matting (Levin, Lischinski, Weiss 2008): the fifth input plane of a
fused network, exactly as MODEL_FORMAT.md states it.  Converged solves go through
pymatting (the Swift engine gives the same with its own solver, Sources/ClosedForm);
a solve stopped early at a relative residual depends on the solver's path, so
those run vmatte's own solver, as the engine runs it for a fused model."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

VMATTE = Path(os.environ.get("VMATTE", Path(__file__).resolve().parent.parent / ".build/release/vmatte"))


def snapped_trimap(trimap: np.ndarray) -> np.ndarray:
    """0 / 0.5 / 1 (float64) from a 0..255 uint8 or 0..1 float trimap."""
    t = trimap.astype(np.float64) / 255.0 if trimap.dtype == np.uint8 else trimap.astype(np.float64)
    out = np.full(t.shape, 0.5)
    out[t < 0.25] = 0.0
    out[t > 0.75] = 1.0
    return out


def closed_form_matte(rgb: np.ndarray, trimap: np.ndarray, tolerance: float | None = None) -> np.ndarray:
    """H x W float32 in 0..1 on rgb (uint8 or float 0..1) and the snapped trimap,
    clipped, known pixels exact: pymatting's estimate_alpha_cf with its defaults
    (tolerance None), or vmatte's solve stopped at that relative residual."""
    image = rgb.astype(np.float64) / 255.0 if rgb.dtype == np.uint8 else rgb.astype(np.float64)
    t = snapped_trimap(trimap)
    unknown = (t > 0) & (t < 1)
    if not unknown.any():
        return t.astype(np.float32)
    if not (t == 1).any() or not (t == 0).any():
        # one known class only: the solution is constant, that class (0 when nothing is known),
        # as vmatte's solver gives it (pymatting refuses such trimaps)
        fill = 1.0 if (t == 1).any() else 0.0
        return np.where(unknown, fill, t).astype(np.float32)
    if tolerance is not None:
        return vmatte_closed_form(image, t, tolerance)
    from pymatting import estimate_alpha_cf
    alpha = np.clip(estimate_alpha_cf(image, t), 0.0, 1.0)
    alpha[t == 0] = 0.0
    alpha[t == 1] = 1.0
    return alpha.astype(np.float32)


def vmatte_closed_form(image: np.ndarray, trimap: np.ndarray, tolerance: float) -> np.ndarray:
    """`vmatte --method closed-form --closed-form-tolerance T` on an H x W x 3 float
    image and a 0 / 0.5 / 1 trimap, through 8-bit PNGs in (what a user's frames
    are) and a 16-bit PNG out."""
    if not VMATTE.exists():
        raise SystemExit(f"{VMATTE}: no vmatte binary (swift build -c release, or set VMATTE)")
    with tempfile.TemporaryDirectory(prefix="vmatte-cf-") as work:
        folder = Path(work)
        Image.fromarray((image * 255 + 0.5).astype(np.uint8)).save(folder / "image.png")
        Image.fromarray((trimap * 255 + 0.5).astype(np.uint8)).save(folder / "trimap.png")
        command = [str(VMATTE), str(folder / "image.png"), "--trimap", str(folder / "trimap.png"),
                   "-o", f"{folder / 'out'}/", "--alpha-only", "--sixteen-bit", "-q",
                   "--method", "closed-form", "--closed-form-tolerance", repr(tolerance)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip()}")
        alpha = np.asarray(Image.open(folder / "out" / "000000.png"), dtype=np.float64) / 65535
    alpha[trimap == 0] = 0.0
    alpha[trimap == 1] = 1.0
    return alpha.astype(np.float32)
