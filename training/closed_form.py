"""Closed-form matting (Levin, Lischinski, Weiss 2008) through pymatting: the
fifth input plane of a fused network, exactly as MODEL_FORMAT.md states it
(the Swift engine computes the same with its own solver, Sources/ClosedForm)."""

from __future__ import annotations

import numpy as np


def snapped_trimap(trimap: np.ndarray) -> np.ndarray:
    """0 / 0.5 / 1 (float64) from a 0..255 uint8 or 0..1 float trimap."""
    t = trimap.astype(np.float64) / 255.0 if trimap.dtype == np.uint8 else trimap.astype(np.float64)
    out = np.full(t.shape, 0.5)
    out[t < 0.25] = 0.0
    out[t > 0.75] = 1.0
    return out


def closed_form_matte(rgb: np.ndarray, trimap: np.ndarray) -> np.ndarray:
    """H x W float32 in 0..1: pymatting's estimate_alpha_cf with its defaults on
    rgb (uint8 or float 0..1) and the snapped trimap, clipped, known pixels exact."""
    from pymatting import estimate_alpha_cf
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
    alpha = np.clip(estimate_alpha_cf(image, t), 0.0, 1.0)
    alpha[t == 0] = 0.0
    alpha[t == 1] = 1.0
    return alpha.astype(np.float32)
