"""Writes Tests/MetricsTests/Golden/metrics_golden.json: small seeded 8-bit alphas and
trimaps, and their metric values from scripts/metrics_reference.py.

Run: /usr/bin/python3 scripts/make_metric_goldens.py   (numpy + scipy; deterministic).
Inputs are stored in the JSON as 8-bit integers, row-major; both sides turn them into alphas as
float32(v) / float32(255) and compute in float64.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics_reference as ref  # noqa: E402

H, W = 37, 53
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "MetricsTests", "Golden", "metrics_golden.json")


def to_alpha(v):
    return (np.asarray(v, dtype=np.float32) / np.float32(255)).astype(np.float64)


def soft_blob(cx, cy, radius, softness):
    y, x = np.mgrid[0:H, 0:W]
    r = np.hypot(x - cx, y - cy)
    return np.clip((radius - r) / softness + 0.5, 0, 1)


def quantise(a):
    return np.clip(np.round(a * 255), 0, 255).astype(np.int64)


def trimap_of(gt8, margin=3):
    from scipy import ndimage
    fg = ndimage.binary_erosion(gt8 == 255, iterations=margin)
    bg = ndimage.binary_erosion(gt8 == 0, iterations=margin, border_value=1)
    t = np.full(gt8.shape, 128, dtype=np.int64)
    t[fg] = 255
    t[bg] = 0
    return t


def noisy(gt8, rng, amount, islands):
    a = gt8 / 255.0 + rng.normal(0, amount, gt8.shape)
    for _ in range(islands):
        y, x = rng.randint(0, H - 4), rng.randint(0, W - 4)
        a[y:y + rng.randint(1, 4), x:x + rng.randint(1, 4)] = rng.uniform(0.3, 1.0)
    return quantise(np.clip(a, 0, 1))


def scores(pred8, gt8, trimap8):
    pred, gt = to_alpha(pred8), to_alpha(gt8)
    region = None if trimap8 is None else ref.unknown_region(to_alpha(trimap8))
    return {"sad": ref.sad(pred, gt, region), "mse": ref.mse(pred, gt, region),
            "gradient": ref.gradient(pred, gt, region), "connectivity": ref.connectivity(pred, gt, region)}


def image_case(name, pred8, gt8, trimap8):
    return {"name": name, "pred": pred8.ravel().tolist(), "gt": gt8.ravel().tolist(),
            "trimap": None if trimap8 is None else trimap8.ravel().tolist(), "expected": scores(pred8, gt8, trimap8)}


def main():
    rng = np.random.RandomState(20240611)
    gt_a = quantise(np.maximum(soft_blob(20, 17, 11, 4), 0.6 * soft_blob(42, 25, 6, 3)))
    gt_b = quantise(soft_blob(30, 20, 14, 7) * (0.5 + 0.5 * np.sin(np.arange(W) / 3.0))[None, :])
    pred_a = noisy(gt_a, rng, 0.06, 6)
    pred_b = noisy(gt_b, rng, 0.15, 10)
    offset = np.clip(gt_a + 20, 0, 255)
    # Two equal opaque squares: the largest component is a tie that the scan order decides.
    tie = np.zeros((H, W), dtype=np.int64)
    tie[5:11, 30:36] = 255
    tie[20:26, 8:14] = 255
    tie_pred = tie.copy()
    tie_pred[22, 10] = 200
    tie_pred[7, 33] = 90
    cases = [
        image_case("noisy blob, trimap", pred_a, gt_a, trimap_of(gt_a)),
        image_case("noisy blob, whole frame", pred_a, gt_a, None),
        image_case("textured alpha, wide trimap", pred_b, gt_b, trimap_of(gt_b, margin=1)),
        image_case("random alphas, whole frame", rng.randint(0, 256, (H, W)), rng.randint(0, 256, (H, W)), None),
        image_case("perfect prediction", gt_a.copy(), gt_a, trimap_of(gt_a)),
        image_case("offset by 20/255 (clipped)", offset, gt_a, trimap_of(gt_a)),
        image_case("tied components", tie_pred, tie, None),
    ]
    frames_gt = [quantise(soft_blob(15 + 6 * t, 18 + t, 10, 4)) for t in range(4)]
    frames_pred = [noisy(g, rng, 0.05, 3) for g in frames_gt]
    trimaps = [trimap_of(g) for g in frames_gt]
    per_frame = [scores(p, g, t) for p, g, t in zip(frames_pred, frames_gt, trimaps)]
    preds, gts = [to_alpha(p) for p in frames_pred], [to_alpha(g) for g in frames_gt]
    sequence = {"pred": [p.ravel().tolist() for p in frames_pred], "gt": [g.ravel().tolist() for g in frames_gt],
                "trimap": [t.ravel().tolist() for t in trimaps], "expected": per_frame,
                "dtSSD": ref.dtssd(preds, gts), "messdt": ref.messddt(preds, gts)}
    document = {"width": W, "height": H, "note": "8-bit values, row-major; alpha = float32(v)/float32(255). SAD, gradient, connectivity /1000; MSE unscaled; dtSSD x1e2, MESSDdt x1e3.",
                "images": cases, "sequence": sequence}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(document, f, separators=(",", ":"))
        f.write("\n")
    for case in cases:
        print(case["name"], case["expected"])
    print("sequence", sequence["dtSSD"], sequence["messdt"])


if __name__ == "__main__":
    main()
