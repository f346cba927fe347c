"""Plot a run's training loss and validation curves to a PNG (PIL only).

    /usr/bin/python3 training/plot.py training/runs/NAME [--out curves.png]

Top panel: training loss (log scale, smoothed) with stage boundaries.
Bottom panel: validation SAD/1000 (mean of the 4 held-out images) for
trimap1 and trimap2, refined (solid) and raw (thin) alpha.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

from PIL import Image, ImageDraw

W, H = 1000, 760
MARGIN_L, MARGIN_R = 70, 20
COLOURS = {"loss": (40, 90, 200), "alpha": (230, 120, 30), "sad_t1": (30, 150, 60),
           "sad_t2": (200, 40, 40), "raw_sad_t1": (140, 200, 150), "raw_sad_t2": (240, 150, 150)}


def read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def column(rows, key):
    pts = []
    for r in rows:
        try:
            x, y = float(r["step"]), float(r[key])
        except (KeyError, TypeError, ValueError):
            continue
        if math.isfinite(y):
            pts.append((x, y))
    return pts


def smooth(pts, k=9):
    if len(pts) < k:
        return pts
    out = []
    for i in range(len(pts)):
        lo, hi = max(0, i - k // 2), min(len(pts), i + k // 2 + 1)
        out.append((pts[i][0], sum(p[1] for p in pts[lo:hi]) / (hi - lo)))
    return out


def panel(draw, box, series, title, log_y, xmax, stage_starts):
    x0, y0, x1, y1 = box
    draw.rectangle(box, outline=(0, 0, 0))
    draw.text((x0, y0 - 16), title, fill=(0, 0, 0))
    ys = [y for pts, *_ in series for _, y in pts if not log_y or y > 0]
    if not ys:
        draw.text((x0 + 10, y0 + 10), "no data yet", fill=(0, 0, 0))
        return
    lo, hi = min(ys), max(ys)
    if log_y:
        lo, hi = math.log10(lo), math.log10(hi)
    if hi - lo < 1e-9:
        hi = lo + 1
    pad = 0.05 * (hi - lo)
    lo, hi = lo - pad, hi + pad

    def tx(x):
        return x0 + (x1 - x0) * x / max(xmax, 1)

    def ty(y):
        v = math.log10(y) if log_y else y
        return y1 - (y1 - y0) * (v - lo) / (hi - lo)

    for i in range(6):  # y ticks
        v = lo + (hi - lo) * i / 5
        label = 10 ** v if log_y else v
        yy = y1 - (y1 - y0) * i / 5
        draw.line([(x0, yy), (x1, yy)], fill=(225, 225, 225))
        draw.text((5, yy - 6), f"{label:.3g}", fill=(0, 0, 0))
    for i in range(6):  # x ticks
        xv = xmax * i / 5
        draw.text((tx(xv) - 10, y1 + 4), f"{int(xv)}", fill=(0, 0, 0))
    for s, x in stage_starts:
        draw.line([(tx(x), y0), (tx(x), y1)], fill=(160, 160, 160))
        draw.text((tx(x) + 3, y0 + 3), f"stage {s}", fill=(90, 90, 90))
    ly = y0 + 5
    for pts, name, width in series:
        if len(pts) >= 2:
            draw.line([(tx(x), ty(y)) for x, y in pts if not log_y or y > 0],
                      fill=COLOURS.get(name, (0, 0, 0)), width=width)
        elif pts:
            x, y = pts[0]
            draw.ellipse([tx(x) - 3, ty(y) - 3, tx(x) + 3, ty(y) + 3], fill=COLOURS.get(name))
        draw.text((x1 - 150, ly), name, fill=COLOURS.get(name, (0, 0, 0)))
        ly += 14


def plot(run_dir: Path, out: Path) -> None:
    train = read_csv(run_dir / "train.csv")
    val = read_csv(run_dir / "val.csv")
    xmax = max([float(r["step"]) for r in train + val] or [1])
    stage_starts, seen = [], set()
    for r in train:
        s = r.get("stage")
        if s not in seen:
            seen.add(s)
            stage_starts.append((s, float(r["step"]) - float(r.get("stage_step", 0))))
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    d.text((MARGIN_L, 5), f"run {run_dir.name}", fill=(0, 0, 0))
    panel(d, (MARGIN_L, 40, W - MARGIN_R, 370),
          [(smooth(column(train, "loss")), "loss", 2), (smooth(column(train, "loss_alpha")), "alpha", 1)],
          "training loss (overall; alpha part), smoothed, log scale", True, xmax, stage_starts)
    panel(d, (MARGIN_L, 410, W - MARGIN_R, H - 30),
          [(column(val, "raw_sad_t1"), "raw_sad_t1", 1), (column(val, "raw_sad_t2"), "raw_sad_t2", 1),
           (column(val, "sad_t1"), "sad_t1", 2), (column(val, "sad_t2"), "sad_t2", 2)],
          "validation SAD/1000 over unknown region (mean of GT02, GT09, GT17, GT25)",
          False, xmax, stage_starts)
    img.save(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir")
    ap.add_argument("--out", help="default RUN_DIR/curves.png")
    args = ap.parse_args()
    run_dir = Path(args.run_dir)
    out = Path(args.out) if args.out else run_dir / "curves.png"
    plot(run_dir, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
