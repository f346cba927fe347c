"""Pack the training data into one small folder that can travel to another machine
(the `device` tool's GPU machine takes at most 64 MiB with the repository).

    /usr/bin/python3 training/pack_data.py            # -> training/pack/
    VMATTE_DATA=training/pack python3 training/train.py --device cuda ...

The pack has the layout of ../shared/data that training reads, made smaller:
  alphamatting/alpha, trimap1, trimap2   as they are
  alphamatting/image                     as they are (validation; --real-photos)
  alphamatting/foreground, background    F and B of each image (PNG, from the
                                         cache: the other machine has no pymatting)
  foregrounds/                           the RGBA cut-outs, as they are
  backgrounds/                           downscaled to the short side training uses
                                         (JPEG, quality 92)
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from PIL import Image

import dataset
from dataset import DATA_DIR, TRAINING_DIR


def _save_atomic(img: Image.Image, path: Path, **kw) -> None:
    tmp = path.with_name(path.stem + ".tmp" + path.suffix)
    img.save(tmp, **kw)
    os.replace(tmp, path)


def pack(out: Path) -> int:
    src = DATA_DIR / "alphamatting"
    for sub in ("alpha", "trimap1", "trimap2", "image", "foreground", "background"):
        (out / "alphamatting" / sub).mkdir(parents=True, exist_ok=True)
    for name in dataset.alphamatting_names():
        for sub in ("alpha", "trimap1", "trimap2", "image"):
            if (src / sub / f"{name}.png").exists():
                shutil.copyfile(src / sub / f"{name}.png", out / "alphamatting" / sub / f"{name}.png")
        for layer, solved in (("foreground", dataset.estimated_foreground(name)),
                              ("background", dataset.estimated_background(name))):
            _save_atomic(Image.fromarray(solved), out / "alphamatting" / layer / f"{name}.png")

    (out / "foregrounds").mkdir(exist_ok=True)
    for p in sorted((DATA_DIR / "foregrounds").glob("*.png")):
        shutil.copyfile(p, out / "foregrounds" / p.name)

    (out / "backgrounds").mkdir(exist_ok=True)
    for p in sorted((DATA_DIR / "backgrounds").glob("*.jpg")):
        _save_atomic(dataset.downscaled_background(p), out / "backgrounds" / p.name, quality=92)
    return sum(f.stat().st_size for f in out.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=TRAINING_DIR / "pack")
    args = ap.parse_args()
    if args.out.resolve() == DATA_DIR.resolve():
        raise SystemExit("--out must not be the data folder it reads")
    size = pack(args.out)
    print(f"{args.out}: {size / 2 ** 20:.1f} MiB")


if __name__ == "__main__":
    main()
