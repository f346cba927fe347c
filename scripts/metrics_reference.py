"""Reference implementation of vmatte's matting metrics (numpy + scipy only).

Written straight from the Composition-1k MATLAB evaluation code (compute_sad_loss,
compute_mse_loss, compute_gradient_loss with gaussgradient, compute_connectivity_error)
and the videomatting.com temporal errors, as docs/metrics.md states them. Alphas are
float arrays in 0..1 (H x W); `region` is a boolean mask (the trimap's unknown band) or None.
Used only by scripts/make_metric_goldens.py to make the Swift tests' golden values.
"""
import math

import numpy as np
from scipy import ndimage


def unknown_region(trimap):
    """Unknown pixels of a 0..1 trimap after vmatte's snapping (0.25 <= v <= 0.75)."""
    return (trimap >= 0.25) & (trimap <= 0.75)


def _region(alpha, region):
    return np.ones(alpha.shape, dtype=bool) if region is None else region


def sad(pred, gt, region=None):
    r = _region(gt, region)
    return float(np.abs(pred - gt)[r].sum() / 1000)


def mse(pred, gt, region=None):
    r = _region(gt, region)
    n = int(r.sum())
    return 0.0 if n == 0 else float(((pred - gt) ** 2)[r].sum() / n)


def gaussgradient_kernel(sigma):
    """hx exactly as gaussgradient.m builds it (2-D, normalised by its L2 norm)."""
    epsilon = 1e-2
    halfsize = math.ceil(sigma * math.sqrt(-2 * math.log(math.sqrt(2 * math.pi) * sigma * epsilon)))
    size = 2 * halfsize + 1

    def gauss(x):
        return math.exp(-x * x / (2 * sigma * sigma)) / (sigma * math.sqrt(2 * math.pi))

    def dgauss(x):
        return -x * gauss(x) / (sigma * sigma)

    hx = np.zeros((size, size))
    for i in range(size):
        for j in range(size):
            hx[i, j] = gauss(i - halfsize) * dgauss(j - halfsize)
    return hx / math.sqrt((hx * hx).sum())


def gradient_magnitude(alpha, sigma=1.4):
    hx = gaussgradient_kernel(sigma)
    # imfilter(..., 'replicate', 'conv'): true convolution with replicated borders.
    gx = ndimage.convolve(alpha, hx, mode="nearest")
    gy = ndimage.convolve(alpha, hx.T, mode="nearest")
    return np.sqrt(gx ** 2 + gy ** 2)


def gradient(pred, gt, region=None):
    r = _region(gt, region)
    d = gradient_magnitude(pred) - gradient_magnitude(gt)
    return float((d ** 2)[r].sum() / 1000)


def largest_component(mask):
    """Largest 4-connected component; ties go to the component MATLAB's bwconncomp lists
    first, i.e. the one whose first pixel in column-major order comes first."""
    labels, count = ndimage.label(mask, structure=[[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    if count == 0:
        return np.zeros(mask.shape, dtype=bool)
    sizes = np.bincount(labels.ravel())[1:]
    tied = np.flatnonzero(sizes == sizes.max()) + 1
    column_major = labels.T.ravel()
    first = {int(l): int(np.argmax(column_major == l)) for l in tied}
    best = min(tied, key=lambda l: first[int(l)])
    return labels == best


def connectivity(pred, gt, region=None, step=0.1):
    r = _region(gt, region)
    steps = int(round(1 / step))
    thresholds = np.arange(steps + 1) / steps
    l_map = -np.ones(gt.shape)
    for i in range(1, steps + 1):
        omega = largest_component((pred >= thresholds[i]) & (gt >= thresholds[i]))
        flag = (l_map == -1) & ~omega
        l_map[flag] = thresholds[i - 1]
    l_map[l_map == -1] = 1
    pred_d = pred - l_map
    gt_d = gt - l_map
    pred_phi = 1 - pred_d * (pred_d >= 0.15)
    gt_phi = 1 - gt_d * (gt_d >= 0.15)
    return float(np.abs(pred_phi - gt_phi)[r].sum() / 1000)


def dtssd(preds, gts):
    """Mean over t = 1..T-1 of sqrt(mean_p ((pred_t - pred_t-1) - (gt_t - gt_t-1))^2), x1e2."""
    values = [math.sqrt(np.mean(((preds[t] - preds[t - 1]) - (gts[t] - gts[t - 1])) ** 2)) for t in range(1, len(preds))]
    return float(np.mean(values) * 1e2)


def messddt(preds, gts):
    """Mean over t = 1..T-1 of mean_p |(pred_t - gt_t)^2 - (pred_t-1 - gt_t-1)^2| (zero motion), x1e3."""
    values = [np.mean(np.abs((preds[t] - gts[t]) ** 2 - (preds[t - 1] - gts[t - 1]) ** 2)) for t in range(1, len(preds))]
    return float(np.mean(values) * 1e3)
