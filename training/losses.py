"""Deep Image Matting losses and evaluation metrics.

Both losses use the eps-smoothed absolute difference sqrt(d^2 + eps^2),
eps = 1e-6, and are averaged over the trimap's unknown region only (weight 1
where trimap = 0.5, 0 elsewhere): sum(w * l) / sum(w) per batch (plus one
unknown channel-pixel of slack, so an all-known batch gives 0, not NaN).
"""

from __future__ import annotations

import numpy as np
import torch

EPS = 1e-6
ALPHA_WEIGHT = 0.5  # w_l: overall = w_l * L_alpha + (1 - w_l) * L_comp


def unknown_weight(trimap: torch.Tensor) -> torch.Tensor:
    """1 where the trimap (0 / 0.5 / 1) is unknown, else 0."""
    return ((trimap > 0.25) & (trimap < 0.75)).to(trimap.dtype)


def _smooth_l1(diff: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(diff * diff + EPS * EPS)


def alpha_loss(pred: torch.Tensor, gt: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Alpha-prediction loss; pred, gt, weight: (N, 1, H, W)."""
    return (_smooth_l1(pred - gt) * weight).sum() / (weight.sum() + 1.0)


def composition_loss(pred: torch.Tensor, fg: torch.Tensor, bg: torch.Tensor,
                     image: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Compositional loss: the image re-composited from the ground-truth F, B
    with the predicted alpha against the real image, over RGB."""
    comp = pred * fg + (1 - pred) * bg
    w = weight.expand_as(comp)
    return (_smooth_l1(comp - image) * w).sum() / (w.sum() + 1.0)


def overall_loss(pred: torch.Tensor, batch: dict[str, torch.Tensor],
                 alpha_weight: float = ALPHA_WEIGHT) -> tuple[torch.Tensor, dict[str, float]]:
    """w_l * L_alpha + (1 - w_l) * L_comp on a batch from CompositeDataset.
    alpha_weight = 1 gives the alpha loss alone (stage 2)."""
    w = unknown_weight(batch["trimap"])
    la = alpha_loss(pred, batch["alpha"], w)
    if alpha_weight >= 1.0:
        return la, {"alpha": la.item(), "comp": float("nan")}
    # against the clean composite: the network's input may carry noise the
    # ground-truth F and B cannot reproduce
    lc = composition_loss(pred, batch["fg"], batch["bg"], batch.get("composite", batch["image"]), w)
    loss = alpha_weight * la + (1 - alpha_weight) * lc
    return loss, {"alpha": la.item(), "comp": lc.item()}


# ---------------------------------------------------------------------------
# Evaluation metrics (alphamatting.com conventions, over the unknown region)
# ---------------------------------------------------------------------------

def sad(pred: np.ndarray, gt: np.ndarray, trimap: np.ndarray) -> float:
    """Sum of absolute differences over the unknown region, / 1000."""
    m = (trimap > 0.25 * 255) & (trimap < 0.75 * 255) if trimap.dtype == np.uint8 \
        else (trimap > 0.25) & (trimap < 0.75)
    return float(np.abs(pred - gt)[m].sum() / 1000.0)


def mse(pred: np.ndarray, gt: np.ndarray, trimap: np.ndarray) -> float:
    """Mean squared error over the unknown region."""
    m = (trimap > 0.25 * 255) & (trimap < 0.75 * 255) if trimap.dtype == np.uint8 \
        else (trimap > 0.25) & (trimap < 0.75)
    return float(((pred - gt) ** 2)[m].mean()) if m.any() else 0.0
