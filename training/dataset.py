"""Training composites, built as the Deep Image Matting paper builds them.

Foreground sources (with sampling weights, default 50 / 25 / 25 %):
  (a) alphamatting.com training images (Rhemann et al. 2009) minus the
      held-out fold's images (fold_names); F solved from image + GT alpha with pymatting's
      estimate_foreground_ml, cached in training/cache/;
  (b) RGBA cut-outs (Debian tuxpaint stamps): F = RGB, alpha = A;
  (c) procedural soft structures (procedural.py): hair, transparency, blur.
Backgrounds: random crops of the natural photos in data/backgrounds.

Per sample: random rescale of the foreground, a crop of 320, 480 or 640
pixels centred on an unknown pixel, resized to 320; horizontal flip; light
colour jitter of F and B separately; composite I = alpha F + (1 - alpha) B
(quantised to 8 bits); a random trimap from eroding the known fg / bg regions
with random kernel sizes, or (for a share of the alphamatting samples) the
image's own hand-painted trimap, cropped and scaled with it.  Optionally (a
share `DataMix.photo_degradation` of the samples) the camera's imperfections that
composites lack (photo_degradation.py): a defocused background, sensor noise and
JPEG compression of the network's input; the compositional loss still compares
against the clean composite.  With `DataMix.real_photos` a share of the alphamatting
samples keep the photograph as shot (its own background, crops and flips only):
real lighting, lens and sensor that no composite has; the compositional loss
then uses the F and B estimated from it.  Every sample is drawn afresh: each
epoch differs.

    ds = CompositeDataset()
    s = ds[0]   # dict of float tensors: image (3,H,W), trimap (1,H,W) 0/0.5/1,
                #                        alpha (1,H,W), fg (3,H,W), bg (3,H,W),
                #                        composite (3,H,W): image before degradation
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from scipy import ndimage

from model import encode_trimap
from photo_degradation import DEFOCUS_RATE, defocus, degrade
from procedural import fill_uncovered, make_soft_foreground

TRAINING_DIR = Path(__file__).resolve().parent
CACHE_DIR = TRAINING_DIR / "cache"
DATA_DIR = Path(os.environ.get("VMATTE_DATA", TRAINING_DIR.parent.parent / "shared" / "data"))

FOLDS = 5  # cross-validation over the 20 alphamatting images: fold k holds out every 5th
BACKGROUND_SHORT_SIDE = 960  # backgrounds are cached downscaled to this

Image.MAX_IMAGE_PIXELS = None  # some wallpapers are > 20 Mpx


@dataclass(frozen=True)
class DataMix:
    """What training samples are made of: the shares of the three foreground sources
    (normalised when drawn) and the rates of the optional sample kinds."""
    alphamatting: float = 0.5
    cutouts: float = 0.25
    procedural: float = 0.25
    painted_trimaps: float = 0.0     # alphamatting samples on the image's own hand-painted trimap
    photo_degradation: float = 0.0   # samples given defocus, sensor noise and JPEG
    real_photos: float = 0.0         # alphamatting samples that are the photo as shot
    dense_fuzz: float = 0.0          # procedural fuzz drawn dense
    renders: float = 0.0             # share of path-traced foregrounds (render_foregrounds.py)

    @property
    def source_weights(self) -> tuple[float, ...]:
        """The foreground sources' shares; the renders' only when they have one, so that mixes
        without them draw exactly the samples they always drew."""
        shares = (self.alphamatting, self.cutouts, self.procedural)
        return shares + (self.renders,) if self.renders > 0 else shares

    @classmethod
    def parse(cls, text: str, base: "DataMix | None" = None) -> "DataMix":
        """'alphamatting=0.45,procedural=0.4,...' over `base` (default: the defaults)."""
        values = asdict(base or cls())
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, value = item.partition("=")
            if key not in values:
                raise ValueError(f"unknown data-mix share '{key}' (known: {', '.join(values)})")
            values[key] = float(value)
        return cls(**values)


@dataclass
class Foreground:
    name: str
    fg: np.ndarray      # H x W x 3 uint8, un-premultiplied colour
    alpha: np.ndarray   # H x W float32 in 0..1
    trimaps: tuple = ()  # hand-painted trimaps, H x W uint8 (0 / 128 / 255), if the source has them
    photo: np.ndarray | None = None       # the photo itself (alphamatting), H x W x 3 uint8
    background: np.ndarray | None = None  # B estimated behind it, H x W x 3 uint8


# ---------------------------------------------------------------------------
# Loading (with caches)
# ---------------------------------------------------------------------------

def _read_rgb(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def _read_gray(path: Path) -> np.ndarray:
    """Single channel of an image as uint8 (alpha PNGs are RGB with equal
    channels; trimaps are palette PNGs)."""
    img = Image.open(path)
    if img.mode == "P":
        img = img.convert("RGB")
    arr = np.asarray(img)
    return arr[..., 0] if arr.ndim == 3 else arr


def alphamatting_names() -> list[str]:
    return sorted(p.stem for p in (DATA_DIR / "alphamatting" / "alpha").glob("GT*.png"))


def fold_names(fold: int, folds: int = FOLDS) -> list[str]:
    """The alphamatting images fold `fold` holds out (every folds-th, from the fold-th):
    4 of 20 with 5 folds.  fold = -1 holds out none (a model trained on all 20)."""
    if fold < 0:
        return []
    if fold >= folds:
        raise ValueError(f"fold {fold} of {folds} does not exist")
    return alphamatting_names()[fold::folds]


def training_alphamatting_names(fold: int) -> list[str]:
    held_out = set(fold_names(fold))
    return [n for n in alphamatting_names() if n not in held_out]


def estimated_foreground(name: str) -> np.ndarray:
    """F for an alphamatting image (uint8 H x W x 3), see _estimated_layer."""
    return _estimated_layer(name, "foreground")


def estimated_background(name: str) -> np.ndarray:
    """B behind an alphamatting image (uint8 H x W x 3), see _estimated_layer."""
    return _estimated_layer(name, "background")


_LAYER_CACHE_PREFIX = {"foreground": "fg", "background": "back"}


def _estimated_layer(name: str, layer: str) -> np.ndarray:
    """F or B solved from an alphamatting image and its GT alpha:
    alphamatting/LAYER/NAME.png in the data folder where a data pack
    (pack_data.py) holds it, else computed once with pymatting's
    estimate_foreground_ml and cached as training/cache/{fg,back}_NAME.npy."""
    packed = DATA_DIR / "alphamatting" / layer / f"{name}.png"
    if packed.exists():
        return _read_rgb(packed)
    path = CACHE_DIR / f"{_LAYER_CACHE_PREFIX[layer]}_{name}.npy"
    if path.exists():
        return np.load(path)
    from pymatting import estimate_foreground_ml
    image = _read_rgb(DATA_DIR / "alphamatting" / "image" / f"{name}.png") / 255.0
    alpha = _read_gray(DATA_DIR / "alphamatting" / "alpha" / f"{name}.png") / 255.0
    fg, bg = estimate_foreground_ml(image, alpha, return_background=True)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for solved, solved_layer in ((fg, "foreground"), (bg, "background")):
        target = CACHE_DIR / f"{_LAYER_CACHE_PREFIX[solved_layer]}_{name}.npy"
        if target.exists():  # keep what earlier runs trained on
            continue
        tmp = target.with_suffix(f".{os.getpid()}.tmp.npy")  # other processes may fill the same cache
        np.save(tmp, (np.clip(solved, 0, 1) * 255 + 0.5).astype(np.uint8))
        os.replace(tmp, target)
    return np.load(path)


def load_alphamatting_foregrounds(names: list[str],
                                  with_photos: bool = False) -> list[Foreground]:
    """Alphamatting images (a fold's training images) as foregrounds; with_photos
    also keeps each photo itself and its estimated background (for
    real-photo samples)."""
    out = []
    for n in names:
        root = DATA_DIR / "alphamatting"
        alpha = _read_gray(root / "alpha" / f"{n}.png").astype(np.float32) / 255
        trimaps = tuple(_read_gray(root / t / f"{n}.png") for t in ("trimap1", "trimap2")
                        if (root / t / f"{n}.png").exists())
        photo = _read_rgb(root / "image" / f"{n}.png") if with_photos else None
        background = estimated_background(n) if with_photos else None
        out.append(Foreground(f"alphamatting/{n}", estimated_foreground(n), alpha, trimaps,
                              photo, background))
    return out


RENDERS_DIR = CACHE_DIR / "renders"


def load_renders(folder: Path = RENDERS_DIR) -> list[Foreground]:
    """The path-traced foregrounds of render_foregrounds.py (straight-alpha RGBA PNGs)."""
    out = []
    for p in sorted(folder.glob("render-[0-9]*[0-9].png")):
        rgba = np.asarray(Image.open(p).convert("RGBA"))
        alpha = rgba[..., 3].astype(np.float32) / 255
        if not (alpha > 0).any():
            continue  # the object left the frame
        fg = fill_uncovered(rgba[..., :3], alpha > 0)
        out.append(Foreground(f"render/{p.stem}", np.ascontiguousarray(fg), alpha))
    if not out:
        raise SystemExit(f"{folder}: no renders (make them with training/render_foregrounds.py)")
    return out


def load_cutouts() -> list[Foreground]:
    """RGBA cut-outs; colour under alpha = 0 replaced by the nearest covered
    colour (their stored RGB there is arbitrary)."""
    out = []
    for p in sorted((DATA_DIR / "foregrounds").glob("*.png")):
        rgba = np.asarray(Image.open(p).convert("RGBA"))
        alpha = rgba[..., 3].astype(np.float32) / 255
        fg = fill_uncovered(rgba[..., :3], alpha > 0)
        out.append(Foreground(f"cutout/{p.stem}", np.ascontiguousarray(fg), alpha))
    return out


def downscaled_background(path: Path) -> Image.Image:
    """A background photo as RGB, shrunk (never enlarged) to a short side of
    BACKGROUND_SHORT_SIDE."""
    img = Image.open(path).convert("RGB")
    s = BACKGROUND_SHORT_SIDE / min(img.size)
    if s < 1:
        img = img.resize((round(img.width * s), round(img.height * s)), Image.LANCZOS)
    return img


def load_backgrounds() -> list[np.ndarray]:
    """Background photos downscaled to a short side of BACKGROUND_SHORT_SIDE,
    cached as training/cache/bg_NAME.npy (uint8 H x W x 3)."""
    out = []
    for p in sorted((DATA_DIR / "backgrounds").glob("*.jpg")):
        path = CACHE_DIR / f"bg_{p.stem}.npy"
        if not path.exists():
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")  # other processes may fill the same cache
            np.save(tmp, np.asarray(downscaled_background(p)))
            os.replace(tmp, path)
        out.append(np.load(path))
    return out


@dataclass
class ValidationImage:
    name: str
    image: np.ndarray    # H x W x 3 uint8
    alpha: np.ndarray    # H x W float32 0..1
    trimaps: dict        # "trimap1"/"trimap2" -> H x W uint8 (0/128/255)

    def closed_form(self, trimap: str, tolerance: float | None = None) -> np.ndarray:
        """Closed-form matte with one of the trimaps (converged, or vmatte's solve stopped
        at `tolerance`), computed once and cached as
        training/cache/closed_form/NAME_TRIMAP[_TOLERANCE].npy."""
        from closed_form import closed_form_matte
        suffix = "" if tolerance is None else f"_{tolerance:g}"
        return _cached(CACHE_DIR / "closed_form" / f"{self.name}_{trimap}{suffix}.npy",
                       lambda: closed_form_matte(self.image, self.trimaps[trimap], tolerance))

    def knn(self, trimap: str) -> np.ndarray:
        """KNN matte (knn_matting.py) with one of the trimaps, cached as
        training/cache/knn/NAME_TRIMAP_RECIPE.npy."""
        from closed_form import snapped_trimap
        from knn_matting import knn_matte, recipe_key
        return _cached(CACHE_DIR / "knn" / f"{self.name}_{trimap}_{recipe_key()}.npy",
                       lambda: knn_matte(self.image / 255.0, snapped_trimap(self.trimaps[trimap])))


def _cached(path: Path, compute) -> np.ndarray:
    """The array saved at `path`, computed and saved there first if it is not."""
    if path.exists():
        return np.load(path)
    array = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")  # other processes may fill the same cache
    np.save(tmp, array)
    os.replace(tmp, path)
    return array


def load_validation(names: list[str]) -> list[ValidationImage]:
    root = DATA_DIR / "alphamatting"
    return [ValidationImage(
        n, _read_rgb(root / "image" / f"{n}.png"),
        _read_gray(root / "alpha" / f"{n}.png").astype(np.float32) / 255,
        {t: _read_gray(root / t / f"{n}.png") for t in ("trimap1", "trimap2")})
        for n in names]


# ---------------------------------------------------------------------------
# Sample construction
# ---------------------------------------------------------------------------

def _resize_rgb(a: np.ndarray, w: int, h: int) -> np.ndarray:
    return np.asarray(Image.fromarray(a).resize((w, h), Image.BILINEAR))


def _resize_nearest(a: np.ndarray, w: int, h: int) -> np.ndarray:
    return np.asarray(Image.fromarray(a).resize((w, h), Image.NEAREST))


def _resize_alpha(a: np.ndarray, w: int, h: int) -> np.ndarray:
    return np.clip(np.asarray(Image.fromarray(a).resize((w, h), Image.BILINEAR)), 0, 1)


def random_trimap(alpha: np.ndarray, rng: np.random.Generator,
                  kernel_range: tuple[int, int]) -> np.ndarray:
    """0 / 0.5 / 1 trimap: the exact-fg and exact-bg regions of alpha, each
    eroded by a square kernel of random size in kernel_range (so the unknown
    band = every fractional pixel, dilated randomly on each side)."""
    k_fg, k_bg = rng.integers(kernel_range[0], kernel_range[1] + 1, 2)
    fg = ndimage.minimum_filter((alpha >= 1.0).astype(np.uint8), size=int(k_fg)) > 0
    bg = ndimage.minimum_filter((alpha <= 0.0).astype(np.uint8), size=int(k_bg)) > 0
    tri = np.full(alpha.shape, 0.5, np.float32)
    tri[fg] = 1.0
    tri[bg] = 0.0
    return tri


def _jitter(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Light colour jitter: brightness, contrast, per-channel gain, saturation."""
    x = rgb.astype(np.float32) / 255.0
    x = x * rng.uniform(0.85, 1.15) * rng.normal(1.0, 0.04, 3).astype(np.float32)
    mean = x.mean()
    x = (x - mean) * rng.uniform(0.85, 1.15) + mean
    gray = x.mean(axis=2, keepdims=True)
    x = (x - gray) * rng.uniform(0.8, 1.2) + gray
    return np.clip(x, 0, 1)


class CompositeDataset(torch.utils.data.Dataset):
    """Random composites; `length` samples per epoch, each drawn afresh."""

    def __init__(self, size: int = 320, length: int = 8000,
                 mix: DataMix = DataMix(),
                 crop_sizes: tuple[int, ...] = (320, 480, 640),
                 trimap_kernels: tuple[int, int] = (3, 31),
                 alphamatting: list[Foreground] | None = None,
                 cutouts: list[Foreground] | None = None,
                 backgrounds: list[np.ndarray] | None = None):
        self.size = size
        self.length = length
        w = np.asarray(mix.source_weights, np.float64)
        self.source_weights = w / w.sum()
        self.crop_sizes = crop_sizes
        self.trimap_kernels = trimap_kernels
        self.painted_trimap_rate = mix.painted_trimaps
        self.photo_degradation_rate = mix.photo_degradation
        self.real_photo_rate = mix.real_photos
        self.dense_fuzz_rate = mix.dense_fuzz
        self.alphamatting = (load_alphamatting_foregrounds(training_alphamatting_names(-1),
                                                           with_photos=mix.real_photos > 0)
                             if alphamatting is None else alphamatting)
        self.cutouts = load_cutouts() if cutouts is None else cutouts
        self.renders = load_renders() if mix.renders > 0 else []
        self.backgrounds = load_backgrounds() if backgrounds is None else backgrounds

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        # torch seeds every worker (and the main process) differently each
        # epoch, so samples differ between epochs.
        rng = np.random.default_rng([torch.initial_seed() % (2 ** 63), index])
        return self.sample(rng)

    # -- pieces ----------------------------------------------------------------

    def _foreground_crop(self, rng: np.random.Generator
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, tuple | None, str]:
        """(F uint8, alpha float32, painted trimap 0 / 0.5 / 1 or None,
        (photo, B) uint8 for a real-photo sample or None, source name) at
        size x size, centred on an unknown pixel."""
        s = self.size
        source = rng.choice(len(self.source_weights), p=self.source_weights)
        if source == 2:
            return (*make_soft_foreground(rng, s, self.dense_fuzz_rate), None, None, "procedural")
        if source == 0:
            item = self.alphamatting[rng.integers(len(self.alphamatting))]
            scale = rng.uniform(0.6, 1.2)
        elif source == 1:
            item = self.cutouts[rng.integers(len(self.cutouts))]
            scale = rng.uniform(0.75, 1.6)
        else:  # a render, made at the training size
            item = self.renders[rng.integers(len(self.renders))]
            scale = rng.uniform(0.75, 1.3)
        h, w = item.alpha.shape
        h2, w2 = max(8, round(h * scale)), max(8, round(w * scale))
        # drawn only when enabled, so runs without it keep the sample stream of earlier cycles
        real = (self.real_photo_rate > 0 and item.photo is not None
                and rng.random() < self.real_photo_rate)
        colour = [item.fg, item.photo, item.background] if real else [item.fg]
        colour = [_resize_rgb(c, w2, h2) for c in colour]
        alpha = _resize_alpha(item.alpha, w2, h2)
        painted = None
        if self.painted_trimap_rate > 0 and item.trimaps and rng.random() < self.painted_trimap_rate:
            painted = _resize_nearest(item.trimaps[rng.integers(len(item.trimaps))], w2, h2)

        crop = int(rng.choice(self.crop_sizes))
        if source == 0:
            crop = min(crop, h2, w2)  # a full photo: never pad past its frame
        else:  # a cut-out: pad with transparent pixels, at a random place
            ph, pw = max(0, crop - h2), max(0, crop - w2)
            top, left = int(rng.integers(ph + 1)), int(rng.integers(pw + 1))
            pad = ((top, ph - top), (left, pw - left))
            alpha = np.pad(alpha, pad)
            colour = [np.pad(c, pad + ((0, 0),), mode="edge") for c in colour]
            h2, w2 = alpha.shape

        soft = np.argwhere((alpha > 0) & (alpha < 1))
        if len(soft) == 0:
            soft = np.array([[h2 // 2, w2 // 2]])
        cy, cx = soft[rng.integers(len(soft))] + rng.integers(-crop // 8, crop // 8 + 1, 2)
        top = int(np.clip(cy - crop // 2, 0, h2 - crop))
        left = int(np.clip(cx - crop // 2, 0, w2 - crop))
        colour = [np.ascontiguousarray(c[top:top + crop, left:left + crop]) for c in colour]
        alpha = np.ascontiguousarray(alpha[top:top + crop, left:left + crop])
        if crop != s:
            colour = [_resize_rgb(c, s, s) for c in colour]
            alpha = _resize_alpha(alpha, s, s)
        if painted is not None:
            painted = _resize_nearest(np.ascontiguousarray(painted[top:top + crop, left:left + crop]), s, s)
            painted = encode_trimap(torch.from_numpy(painted.astype(np.float32) / 255)).numpy()
        return colour[0], alpha, painted, (tuple(colour[1:]) if real else None), item.name

    def _background_crop(self, rng: np.random.Generator) -> np.ndarray:
        bg = self.backgrounds[rng.integers(len(self.backgrounds))]
        h, w = bg.shape[:2]
        side = int(rng.uniform(self.size * 0.75, min(h, w)))
        top, left = int(rng.integers(h - side + 1)), int(rng.integers(w - side + 1))
        crop = np.ascontiguousarray(bg[top:top + side, left:left + side])
        crop = _resize_rgb(crop, self.size, self.size)
        return crop[:, ::-1] if rng.random() < 0.5 else crop

    def sample(self, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        return self.sample_with_source(rng)[0]

    def sample_with_source(self, rng: np.random.Generator) -> tuple[dict[str, torch.Tensor], str]:
        """A sample and the name of its foreground (e.g. alphamatting/GT04, procedural)."""
        fg8, alpha, painted, photo, source = self._foreground_crop(rng)
        if rng.random() < 0.5:
            fg8, alpha = fg8[:, ::-1], alpha[:, ::-1]
            painted = None if painted is None else painted[:, ::-1]
            photo = None if photo is None else tuple(c[:, ::-1] for c in photo)
        alpha = alpha.astype(np.float32)
        alpha[alpha < 1 / 255] = 0.0   # exact known values after resampling
        alpha[alpha > 254 / 255] = 1.0
        if photo is None:
            fg = _jitter(fg8, rng)
            bg = _jitter(self._background_crop(rng), rng)
        else:  # the photo as shot, with the F and B estimated from it
            fg, bg = (c.astype(np.float32) / 255 for c in (fg8, photo[1]))
        # drawn only when enabled, so runs without it keep the sample stream of earlier cycles
        degraded = self.photo_degradation_rate > 0 and rng.random() < self.photo_degradation_rate
        if degraded and photo is None and rng.random() < DEFOCUS_RATE:
            bg = defocus(bg, rng)
        a = alpha[..., None]
        composite = np.round((a * fg + (1 - a) * bg) * 255) / 255
        image = composite if photo is None else photo[0].astype(np.float32) / 255
        if degraded:
            image = degrade(image, rng)
        trimap = random_trimap(alpha, rng, self.trimap_kernels) if painted is None else painted

        def chw(x):
            x = np.ascontiguousarray(x, dtype=np.float32)
            return torch.from_numpy(x[None] if x.ndim == 2 else x.transpose(2, 0, 1).copy())
        return {"image": chw(image), "trimap": chw(trimap), "alpha": chw(alpha),
                "fg": chw(fg), "bg": chw(bg), "composite": chw(composite)}, source
