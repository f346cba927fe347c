"""KNN matting on the unknown band (after Chen, Li, Tang, "KNN Matting", 2013): the
nonlocal evidence a fused refinement reads beside the closed-form matte.  The NumPy /
SciPy mirror of Sources/ClosedForm/KNNMatting.swift, for training pools and golden data.

Each pixel's feature is (r, g, b, s*x, s*y), x and y in 0..1 across the image.  Every
unknown pixel is joined to its k nearest pixels (unknown or known, itself excluded) among
the pixels within CANDIDATE_REACH rows and columns of an unknown pixel, in two passes,
(k, s) = (20, 2) and (10, 0.1); an unknown pair joined both ways counts twice.
With the known pixels fixed at 0 / 1 the matte minimises sum over edges (a_i - a_j)^2:
L_uu a_u = W_uk a_k, solved by Jacobi-preconditioned conjugate gradients from 0.5 to a
relative residual of 1e-4, then clipped to 0..1.
"""

from __future__ import annotations

import hashlib

import numpy as np
import scipy.sparse
import scipy.sparse.linalg
from scipy import ndimage
from scipy.spatial import cKDTree

PASSES = ((20, 2.0), (10, 0.1))
CANDIDATE_REACH = 16
TOLERANCE = 1e-4
MAX_ITERATIONS = 2000


def recipe_key() -> str:
    """Names cached KNN mattes: changes with the passes and the tolerance."""
    return hashlib.sha1(repr((PASSES, CANDIDATE_REACH, TOLERANCE, MAX_ITERATIONS)).encode()).hexdigest()[:8]


def conjugate_gradient(a, b: np.ndarray, diagonal: np.ndarray, x: np.ndarray, tolerance: float) -> np.ndarray:
    """Jacobi-preconditioned CG from x until |b - a x| < tolerance |b| (or MAX_ITERATIONS)."""
    if not np.any(b):  # no unknown pixel reaches the foreground: the matte is 0 there
        return np.zeros_like(x)
    r = b - a @ x
    goal = tolerance * np.linalg.norm(b)
    z = r / diagonal
    p = z.copy()
    rz = r @ z
    for _ in range(MAX_ITERATIONS):
        if np.linalg.norm(r) < goal:
            break
        q = a @ p
        step = rz / (p @ q)
        x = x + step * p
        r = r - step * q
        z = r / diagonal
        rz, previous = r @ z, rz
        p = z + (rz / previous) * p
    return x


def features(rgb: np.ndarray, spatial: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    y, x = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
    return np.concatenate([rgb.reshape(-1, 3), spatial * x.reshape(-1, 1), spatial * y.reshape(-1, 1)], axis=1)


def knn_edges(rgb: np.ndarray, unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) pairs, i an unknown pixel's flat index, j one of its neighbours, over both passes."""
    rows, cols = [], []
    queries = np.flatnonzero(unknown.ravel())
    candidates = np.flatnonzero(ndimage.maximum_filter(unknown, size=2 * CANDIDATE_REACH + 1).ravel())
    for k, spatial in PASSES:
        f = features(rgb, spatial)
        # features hold the position, so a pixel is its own unique nearest neighbour: drop column 0
        _, neighbours = cKDTree(f[candidates]).query(f[queries], k=k + 1)
        rows.append(np.repeat(queries, k))
        cols.append(candidates[neighbours[:, 1:]].ravel())
    return np.concatenate(rows), np.concatenate(cols)


def knn_matte(rgb: np.ndarray, trimap: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """H x W float32 matte from rgb (H x W x 3, 0..1) and a 0 / 0.5 / 1 trimap."""
    t = trimap.astype(np.float64)
    unknown = (t > 0) & (t < 1)
    out = t.astype(np.float64).copy()
    if not unknown.any():
        return out.astype(np.float32)
    if not (t == 1).any() or not (t == 0).any():
        out[unknown] = 1.0 if (t == 1).any() else 0.0
        return out.astype(np.float32)
    n = t.size
    i, j = knn_edges(rgb.astype(np.float64), unknown)
    w = scipy.sparse.coo_matrix((np.ones(len(i)), (i, j)), (n, n)).tocsr()
    u = unknown.ravel()
    w_uu = w[u][:, u]
    w_uu = w_uu + w_uu.T
    w_uk = w[u][:, ~u]
    degree = np.asarray(w_uu.sum(1)).ravel() + np.asarray(w_uk.sum(1)).ravel()
    laplacian = scipy.sparse.diags(degree) - w_uu
    rhs = w_uk @ t.ravel()[~u]
    a = conjugate_gradient(laplacian.tocsr(), rhs, degree, np.full(len(rhs), 0.5), tolerance)
    flat = out.ravel()
    flat[u] = np.clip(a, 0, 1)
    return flat.reshape(t.shape).astype(np.float32)
