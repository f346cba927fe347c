"""Procedurally generated foregrounds with fractional alpha.

The photographic sources are short of fine fractional structure (the cut-outs
have 2-4 % soft pixels), so this module draws it:

  * hair / fur: an opaque core blob with many thin anti-aliased strands
    (random cubic Bezier curves) growing out of its border;
  * semi-transparent shapes (glass, veils): ellipses and polygons with constant
    partial opacity, sometimes with soft (defocused) edges;
  * motion-blurred shapes: an opaque shape smeared along a random direction;
  * lattices (wire mesh, netting, fences, lace): a region covered by families
    of thin lines or pierced by a grid of holes, where the background shows
    through everywhere inside the object;
  * fuzz: a blob fringed by many short fibres (wool, fur, down).

Everything is drawn at 4x supersampling and box-filtered down, with colours
averaged premultiplied, so the result obeys the compositing equation exactly
at output resolution: image = alpha * F + (1 - alpha) * B.

    fg, alpha = make_soft_foreground(rng, 320)  # uint8 HxWx3, float32 HxW
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops, ImageDraw
from scipy import ndimage

SUPERSAMPLE = 4


def _random_colour(rng: np.random.Generator) -> np.ndarray:
    if rng.random() < 0.5:  # hair-like: browns, blacks, blondes, greys
        base = rng.choice([[0.10, 0.07, 0.05], [0.35, 0.22, 0.12], [0.75, 0.62, 0.40],
                           [0.55, 0.55, 0.55], [0.90, 0.88, 0.85], [0.45, 0.20, 0.08]])
        return np.clip(np.asarray(base) * rng.uniform(0.7, 1.3, 3), 0, 1)
    return rng.uniform(0, 1, 3)


def _smooth_texture(rng: np.random.Generator, size: int, base: np.ndarray,
                    amount: float) -> np.ndarray:
    """size x size x 3 float colour field: base modulated by low-frequency noise."""
    cells = int(rng.integers(2, 9))
    noise = rng.normal(0, 1, (cells, cells, 3)).astype(np.float32)
    noise = 0.7 * noise[..., :1] + 0.3 * noise  # mostly brightness, some hue
    up = np.stack([np.asarray(Image.fromarray(noise[..., c]).resize((size, size), Image.BICUBIC))
                   for c in range(3)], -1)
    return np.clip(base[None, None] * (1 + amount * up), 0, 1).astype(np.float32)


def _bezier(p: np.ndarray, n: int) -> np.ndarray:
    """Points of a cubic Bezier curve with control points p (4 x 2)."""
    t = np.linspace(0, 1, n)[:, None]
    return ((1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1]
            + 3 * (1 - t) * t ** 2 * p[2] + t ** 3 * p[3])


def _blob_polygon(rng: np.random.Generator, cx: float, cy: float, radius: float,
                  n: int = 24) -> np.ndarray:
    """A random star-shaped closed polygon (smooth-ish radius variation)."""
    ang = np.sort(rng.uniform(0, 2 * np.pi, n))
    harmonics = sum(rng.normal(0, 0.15) * np.cos(k * ang + rng.uniform(0, 6.3)) for k in range(1, 4))
    r = radius * np.clip(1 + harmonics, 0.4, 1.6)
    return np.stack([cx + r * np.cos(ang), cy + r * np.sin(ang)], 1)


class _Layer:
    """Premultiplied colour and alpha at output resolution.  Shapes are drawn
    4x supersampled and box-filtered to coverage, then composited 'over' what
    is there already."""

    def __init__(self, size: int):
        self.size = size
        self.big = size * SUPERSAMPLE
        self.premul = np.zeros((size, size, 3), np.float32)
        self.alpha = np.zeros((size, size), np.float32)

    def _coverage(self, draw_fn) -> np.ndarray:
        img = Image.new("L", (self.big, self.big), 0)
        draw_fn(ImageDraw.Draw(img))
        img = img.resize((self.size, self.size), Image.BOX)
        return np.asarray(img, np.float32) / 255.0

    def over(self, premul: np.ndarray, alpha: np.ndarray) -> None:
        """Porter-Duff 'over' of a premultiplied layer onto the canvas."""
        self.premul = premul + (1 - alpha[..., None]) * self.premul
        self.alpha = alpha + (1 - alpha) * self.alpha

    def fill(self, coverage: np.ndarray, colour, opacity: float) -> None:
        a = coverage * opacity
        self.over(a[..., None] * colour, a)

    def polygon(self, pts: np.ndarray, colour, opacity: float = 1.0) -> None:
        pts = [tuple(p) for p in pts * SUPERSAMPLE]
        self.fill(self._coverage(lambda d: d.polygon(pts, fill=255)), colour, opacity)

    def ellipse(self, box, colour, opacity: float = 1.0) -> None:
        box = [v * SUPERSAMPLE for v in box]
        self.fill(self._coverage(lambda d: d.ellipse(box, fill=255)), colour, opacity)

    def strands(self, curves: list[np.ndarray], widths: list[float],
                colours: list[np.ndarray], opacities: list[float]) -> None:
        """Many thin strands at once (each a polyline in output pixels; later
        strands cover earlier ones).  Colours are averaged premultiplied."""
        a_img = Image.new("L", (self.big, self.big), 0)
        c_img = Image.new("RGB", (self.big, self.big), (0, 0, 0))
        da, dc = ImageDraw.Draw(a_img), ImageDraw.Draw(c_img)
        for pts, w, col, op in zip(curves, widths, colours, opacities):
            xy = [tuple(p) for p in pts * SUPERSAMPLE]
            width = max(1, int(round(w * SUPERSAMPLE)))
            da.line(xy, fill=int(round(255 * op)), width=width, joint="curve")
            dc.line(xy, fill=tuple(int(v * 255) for v in col), width=width, joint="curve")
        pm_img = ImageChops.multiply(c_img, Image.merge("RGB", [a_img] * 3))
        small = (self.size, self.size)
        premul = np.asarray(pm_img.resize(small, Image.BOX), np.float32) / 255.0
        alpha = np.asarray(a_img.resize(small, Image.BOX), np.float32) / 255.0
        self.over(premul, alpha)

    def resolve(self) -> tuple[np.ndarray, np.ndarray]:
        return self.premul, self.alpha


def _motion_blur(premul: np.ndarray, alpha: np.ndarray, length: float,
                 angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Average of shifted copies along a line (a linear motion blur)."""
    n = max(2, int(length))
    shifts = {(int(round(t * np.sin(angle))), int(round(t * np.cos(angle))))
              for t in np.linspace(-length / 2, length / 2, n)}
    stack = np.concatenate([premul, alpha[..., None]], -1)
    pad = int(np.ceil(length / 2)) + 1
    padded = np.pad(stack, ((pad, pad), (pad, pad), (0, 0)))
    h, w = alpha.shape
    acc = np.zeros_like(stack)
    for dy, dx in shifts:
        acc += padded[pad + dy:pad + dy + h, pad + dx:pad + dx + w]
    acc /= len(shifts)
    return acc[..., :3], acc[..., 3]


def _defocus(premul: np.ndarray, alpha: np.ndarray, sigma: float):
    premul = ndimage.gaussian_filter(premul, (sigma, sigma, 0))
    alpha = ndimage.gaussian_filter(alpha, sigma)
    return premul, alpha


def _hair(rng: np.random.Generator, layer: _Layer, size: int, fuzz: bool = False,
          dense_fuzz_rate: float = 0.0) -> None:
    base = _random_colour(rng)
    core_tex = _smooth_texture(rng, size, base, 0.3)
    cx, cy = rng.uniform(0.2, 0.8, 2) * size
    radius = rng.uniform(0.12, 0.35) * size
    poly = _blob_polygon(rng, cx, cy, radius)
    layer.polygon(poly, core_tex)
    # Dense fuzz (wool, fleece, a knitted edge): enough fibres, wide enough, that
    # much of its halo is mostly opaque rather than see-through. No draw at rate 0,
    # so earlier recipes see the same random stream.
    dense = fuzz and dense_fuzz_rate > 0 and rng.random() < dense_fuzz_rate
    if dense:
        counts, widths_from = (1500, 4000), (0.6, 1.6)
    elif fuzz:
        counts, widths_from = (400, 1500), (0.2, 0.8)
    else:
        counts, widths_from = (60, 500), (0.3, 1.5)
    n = int(rng.integers(*counts))
    # strands start on the blob border, leave roughly outwards, and curl
    idx = rng.integers(0, len(poly), n)
    t = rng.uniform(0, 1, n)[:, None]
    starts = poly[idx] * (1 - t) + poly[(idx + 1) % len(poly)] * t
    out = starts - np.array([cx, cy])
    out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-6
    flow = rng.normal(0, 0.6, 2)  # common "combing" direction
    length_scale = rng.uniform(0.02, 0.1) * size if fuzz else rng.uniform(0.1, 0.5) * size
    width_scale = rng.uniform(*widths_from)
    curves, widths, colours, opacities = [], [], [], []
    for i in range(n):
        d = out[i] + flow + rng.normal(0, 0.3, 2)
        d /= np.linalg.norm(d) + 1e-6
        perp = np.array([-d[1], d[0]])
        length = length_scale * rng.uniform(0.3, 1.2)
        p0 = starts[i] - d * rng.uniform(0, 0.1) * radius  # root inside the core
        p1 = p0 + d * length / 3 + perp * rng.normal(0, 0.2) * length
        p2 = p0 + d * 2 * length / 3 + perp * rng.normal(0, 0.3) * length
        p3 = p0 + d * length + perp * rng.normal(0, 0.3) * length
        curves.append(_bezier(np.stack([p0, p1, p2, p3]), 24))
        widths.append(width_scale * rng.uniform(0.25, 1.0))
        colours.append(np.clip(base * rng.uniform(0.75, 1.25) + rng.normal(0, 0.03, 3), 0, 1))
        opacities.append(rng.uniform(0.5, 1.0) if rng.random() < 0.3 else 1.0)
    layer.strands(curves, widths, colours, opacities)


def _line_offsets(rng: np.random.Generator, extent: float, spacing: float) -> np.ndarray:
    """Positions of parallel lines across extent, the spacing drifting slowly
    (as a mesh seen at an angle) and jittered a little."""
    gradient = rng.uniform(-0.5, 0.5) / extent
    out, x = [], -extent
    while x < extent:
        out.append(x)
        x += spacing * max(0.3, 1 + gradient * x) * rng.uniform(0.95, 1.05)
    return np.asarray(out)


def _lattice_coverage(rng: np.random.Generator, layer: _Layer, size: int) -> np.ndarray:
    """Coverage of a random mesh pattern over the whole canvas."""
    spacing = rng.uniform(3, 28)
    centre = np.array([size / 2, size / 2])
    if rng.random() < 0.3:  # a perforated sheet: a grid of holes
        hole = spacing * rng.uniform(0.3, 0.85)
        angle = rng.uniform(0, np.pi)
        u, v = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
        stagger = rng.random() < 0.5
        boxes = []
        for i, a in enumerate(_line_offsets(rng, size, spacing)):
            for b in _line_offsets(rng, size, spacing):
                c = centre + a * u + (b + (spacing / 2 if stagger and i % 2 else 0)) * v
                r = hole / 2 * SUPERSAMPLE
                boxes.append([c[0] * SUPERSAMPLE - r, c[1] * SUPERSAMPLE - r,
                              c[0] * SUPERSAMPLE + r, c[1] * SUPERSAMPLE + r])
        return 1 - layer._coverage(lambda d: [d.ellipse(bx, fill=255) for bx in boxes])
    families = int(rng.choice([1, 2, 2, 3]))
    first = rng.uniform(0, np.pi)
    angles = [first + k * np.pi / families + rng.normal(0, 0.15) for k in range(families)]
    # Open meshes (thin wires) and dense ones (screens, woven cloth: a two-family
    # dense mesh covers 58-96 % of the area) in equal measure.
    fraction = rng.uniform(0.04, 0.35) if rng.random() < 0.5 else rng.uniform(0.35, 0.8)
    width = max(0.3, spacing * fraction)
    wave_amp = spacing * rng.uniform(0, 0.4) if rng.random() < 0.4 else 0.0  # woven / crimped
    wave_len = spacing * rng.uniform(1.5, 4)
    lines = []
    t = np.linspace(-size, size, 64)
    for angle in angles:
        u, v = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
        for off in _line_offsets(rng, size, spacing):
            wobble = wave_amp * np.sin(2 * np.pi * t / wave_len + rng.uniform(0, 6.3))
            pts = centre + t[:, None] * u + (off + wobble)[:, None] * v
            lines.append([tuple(p) for p in pts * SUPERSAMPLE])
    w = max(1, int(round(width * SUPERSAMPLE)))
    return layer._coverage(lambda d: [d.line(xy, fill=255, width=w) for xy in lines])


def _lattice(rng: np.random.Generator, layer: _Layer, size: int) -> None:
    """A meshed object: the lattice clipped to a random region, often with an
    opaque rim, sometimes over solid things behind it."""
    if rng.random() < 0.4:
        _solid_shapes(rng, layer, size)
    cx, cy = rng.uniform(0.3, 0.7, 2) * size
    r = rng.uniform(0.25, 0.6) * size
    region_pts = _blob_polygon(rng, cx, cy, r, n=int(rng.integers(4, 24)))
    region = layer._coverage(lambda d: d.polygon([tuple(p) for p in region_pts * SUPERSAMPLE], fill=255))
    colour = _smooth_texture(rng, size, _random_colour(rng), 0.3)
    opacity = 1.0 if rng.random() < 0.8 else rng.uniform(0.4, 1.0)
    layer.fill(region * _lattice_coverage(rng, layer, size), colour, opacity)
    if rng.random() < 0.5:  # a solid rim along part of the outline
        k = int(rng.integers(2, len(region_pts)))
        rim = [tuple(p) for p in region_pts[:k] * SUPERSAMPLE]
        w = max(1, int(rng.uniform(1, 8) * SUPERSAMPLE))
        layer.fill(layer._coverage(lambda d: d.line(rim, fill=255, width=w, joint="curve")), colour, 1.0)


def _transparent_shapes(rng: np.random.Generator, layer: _Layer, size: int) -> None:
    for _ in range(int(rng.integers(1, 5))):
        colour = _smooth_texture(rng, size, _random_colour(rng), 0.2)
        opacity = rng.uniform(0.15, 0.85)
        cx, cy = rng.uniform(0.1, 0.9, 2) * size
        r = rng.uniform(0.1, 0.35) * size
        if rng.random() < 0.5:
            rx, ry = r, r * rng.uniform(0.4, 1.0)
            layer.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], colour, opacity)
        else:
            layer.polygon(_blob_polygon(rng, cx, cy, r, n=int(rng.integers(3, 9))), colour, opacity)


def _solid_shapes(rng: np.random.Generator, layer: _Layer, size: int) -> None:
    for _ in range(int(rng.integers(1, 3))):
        colour = _smooth_texture(rng, size, _random_colour(rng), 0.3)
        cx, cy = rng.uniform(0.25, 0.75, 2) * size
        layer.polygon(_blob_polygon(rng, cx, cy, rng.uniform(0.1, 0.3) * size), colour)


def make_soft_foreground(rng: np.random.Generator, size: int = 320, dense_fuzz_rate: float = 0.0
                         ) -> tuple[np.ndarray, np.ndarray]:
    """A size x size foreground: (F as uint8 H x W x 3, alpha float32 H x W).

    F is the un-premultiplied colour; where alpha is 0 it is filled with the
    colour of the nearest covered pixel (keeps F plausible for the
    compositional loss)."""
    layer = _Layer(size)
    kind = rng.choice(["hair", "hair", "fuzz", "lattice", "lattice", "transparent", "motion"])
    if kind in ("hair", "fuzz"):
        _hair(rng, layer, size, fuzz=kind == "fuzz", dense_fuzz_rate=dense_fuzz_rate)
        if rng.random() < 0.3:
            _transparent_shapes(rng, layer, size)
    elif kind == "lattice":
        _lattice(rng, layer, size)
    elif kind == "transparent":
        if rng.random() < 0.5:
            _solid_shapes(rng, layer, size)
        _transparent_shapes(rng, layer, size)
    else:
        _solid_shapes(rng, layer, size)
        if rng.random() < 0.5:
            _hair(rng, layer, size)
    premul, alpha = layer.resolve()
    if kind == "motion" or rng.random() < 0.15:
        premul, alpha = _motion_blur(premul, alpha, rng.uniform(4, 40), rng.uniform(0, np.pi))
    if rng.random() < 0.2:
        premul, alpha = _defocus(premul, alpha, rng.uniform(0.5, 2.5))
    alpha = np.clip(alpha, 0.0, 1.0)
    # exact 0 / 1 where the maths left rounding dust
    alpha[alpha < 1e-3] = 0.0
    alpha[alpha > 1 - 1e-3] = 1.0
    fg = premul / np.maximum(alpha, 1e-3)[..., None]
    fg = fill_uncovered(np.clip(fg, 0, 1), alpha > 0)
    return (fg * 255 + 0.5).astype(np.uint8), alpha.astype(np.float32)


def fill_uncovered(colour: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """Copy into uncovered pixels the colour of the nearest covered pixel."""
    if covered.all() or not covered.any():
        return colour
    _, (iy, ix) = ndimage.distance_transform_edt(~covered, return_indices=True)
    return colour[iy, ix]
