"""Whole-image inference: the pre/post steps around DIMNet.forward.

    pad (reflect, bottom/right, to a multiple of 32)
    -> prepare_input (normalise RGB, encode trimap)
    -> forward (raw alpha, refined alpha)
    -> crop back to H x W -> clamp to [0, 1]
    -> force known regions: trimap bg -> 0, trimap fg -> 1

The Swift engine mirrors exactly these steps (see MODEL_FORMAT.md); golden.py
writes the tensors of each step for its parity tests.
"""

from __future__ import annotations

import numpy as np
import torch

from model import PAD_MULTIPLE, TRIMAP_BG, TRIMAP_FG, DIMNet, encode_trimap, prepare_input


def padded_size(n: int, multiple: int = PAD_MULTIPLE) -> int:
    return (n + multiple - 1) // multiple * multiple


def reflect_indices(n: int, n_out: int) -> torch.Tensor:
    """Source index for each of n_out positions when a length-n axis is extended
    by reflection without repeating the edge sample (numpy 'reflect', PyTorch
    'reflect'): 0 1 2 .. n-1 n-2 .. 1 0 1 ..  Works for any padding amount
    (it keeps bouncing); a length-1 axis repeats its only sample."""
    i = torch.arange(n_out)
    if n == 1:
        return torch.zeros(n_out, dtype=torch.long)
    period = 2 * (n - 1)
    i = i % period
    return torch.where(i < n, i, period - i)


def pad_to_multiple(x: torch.Tensor, multiple: int = PAD_MULTIPLE) -> torch.Tensor:
    """Reflect-pad (N, C, H, W) at the bottom and right to multiples of `multiple`."""
    h, w = x.shape[-2:]
    hp, wp = padded_size(h, multiple), padded_size(w, multiple)
    if (hp, wp) == (h, w):
        return x
    x = x.index_select(-2, reflect_indices(h, hp).to(x.device))
    return x.index_select(-1, reflect_indices(w, wp).to(x.device))


def finish_alpha(alpha: torch.Tensor, trimap: torch.Tensor) -> torch.Tensor:
    """Crop the padded network alpha to the trimap's size, clamp to [0, 1] and
    copy the trimap's known values (bg -> 0, fg -> 1)."""
    h, w = trimap.shape[-2:]
    alpha = alpha[..., :h, :w].clamp(0.0, 1.0)
    t = encode_trimap(trimap)
    alpha = torch.where(t == TRIMAP_BG, torch.zeros_like(alpha), alpha)
    alpha = torch.where(t == TRIMAP_FG, torch.ones_like(alpha), alpha)
    return alpha


def network_input(rgb: torch.Tensor, trimap: torch.Tensor,
                  closed_form: torch.Tensor | None = None, knn: torch.Tensor | None = None) -> torch.Tensor:
    """Padded network input; closed_form and knn (N, 1, H, W) are padded like the trimap."""
    cf = None if closed_form is None else pad_to_multiple(closed_form)
    knn = None if knn is None else pad_to_multiple(knn)
    return prepare_input(pad_to_multiple(rgb), pad_to_multiple(trimap), cf, knn)


@torch.no_grad()
def predict_tensors(model: DIMNet, rgb: torch.Tensor, trimap: torch.Tensor,
                    stages: bool = False, closed_form: torch.Tensor | None = None,
                    knn: torch.Tensor | None = None):
    """rgb (N, 3, H, W) and trimap (N, 1, H, W) in 0..1 (and, for a fused network,
    its closed-form matte) -> final alpha (N, 1, H, W); with stages=True also a dict
    of every intermediate tensor."""
    x = network_input(rgb, trimap, closed_form, knn)
    if stages:
        raw, refined, st = model(x, stages=True)
        final = finish_alpha(refined, trimap)
        st = {"input": x, **st, "final_alpha": final}
        return final, st
    _, refined = model(x)
    return finish_alpha(refined, trimap)


@torch.no_grad()
def predict_mirror_average(model: DIMNet, rgb: torch.Tensor, trimap: torch.Tensor,
                           closed_form: torch.Tensor | None = None) -> torch.Tensor:
    """As predict_tensors, with the refined alpha averaged over the image and its
    left-right mirror (each padded on its own right), before the finishing steps.
    The mirror's closed-form matte is the mirrored matte (the Laplacian is symmetric)."""
    h, w = trimap.shape[-2:]
    flipped_cf = None if closed_form is None else closed_form.flip(-1)
    _, refined = model(network_input(rgb, trimap, closed_form))
    _, mirrored = model(network_input(rgb.flip(-1), trimap.flip(-1), flipped_cf))
    average = 0.5 * (refined[..., :h, :w] + mirrored[..., :h, :w].flip(-1))
    return finish_alpha(average, trimap)


def predict(model: DIMNet, rgb: np.ndarray, trimap: np.ndarray,
            closed_form: np.ndarray | None = None, knn: np.ndarray | None = None) -> np.ndarray:
    """rgb: H x W x 3 uint8 or float 0..1; trimap: H x W uint8 (0/128/255) or
    float 0..1; closed_form: H x W float 0..1 (a fused network's input).
    Returns the alpha matte as H x W float32 in 0..1."""
    model.eval()
    rgb_t = torch.from_numpy(_to_unit(rgb)).permute(2, 0, 1)[None]
    tri_t = torch.from_numpy(_to_unit(trimap))[None, None]
    cf_t = None if closed_form is None else torch.from_numpy(_to_unit(closed_form))[None, None]
    knn_t = None if knn is None else torch.from_numpy(_to_unit(knn))[None, None]
    return predict_tensors(model, rgb_t, tri_t, closed_form=cf_t, knn=knn_t)[0, 0].numpy()


def _to_unit(a: np.ndarray) -> np.ndarray:
    if a.dtype == np.uint8:
        return a.astype(np.float32) / 255.0
    return np.ascontiguousarray(a, dtype=np.float32)
