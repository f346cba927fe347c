#!/usr/bin/env python3
"""Generate vmatte's bundled sample clip with exact ground truth (Samples/).

Usage (from anywhere):  /usr/bin/python3 scripts/make_sample.py

A real-alpha subject from the alphamatting.com training set (GT09, a doll with
a woolly hat and loose hair; one of the project's VALIDATION images, never
trained on) is moved over a panning crop of a natural background photo and
composited in float as I = alpha*F + (1-alpha)*B, where F is the foreground
colour estimated from the photo and its ground-truth alpha (pymatting's
estimate_foreground_ml), so soft edges carry no colour of the photo's original
background.

Outputs (all deterministic; re-running regenerates identical content):
  Samples/clip.mp4            480x270, 25 fps, 100 frames (4 s), H.264 yuv420p
                              BT.709 (tagged and converted), CRF 18, faststart,
                              plus an AAC mono 48 kHz 64 kbit/s quiet A-major chord
  Samples/gt-alpha.mkv        the exact alpha of every frame, FFV1 gray (8-bit)
  Samples/trimaps/NNNNNN.png  keyframe trimaps (0/128/255) for frames 0, 50, 99

Needs: numpy, scipy, Pillow, pymatting and the ffmpeg CLI (libx264, aac, ffv1),
and the read-only data folder ../shared/data next to the repository.
"""

import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
DATA = (REPO / ".." / "shared" / "data").resolve()
OUT = REPO / "Samples"

SEED = 20090609                 # motion phases are drawn from this seed
SUBJECT = "GT09"                # validation split: GT02, GT09, GT17, GT25
BACKGROUND = "plasma_Path.jpg"  # GPL-2+, plasma-workspace-wallpapers

W, H = 480, 270                 # output frame size (16:9, even)
FPS = 25
N_FRAMES = 100                  # 4 s
KEYFRAMES = (0, 50, 99)         # trimaps are written for these frames
TRIMAP_RADIUS = 8               # px, disk used to grow the unknown band

# Subject placement: bottom edge of the photo (the doll's cut-off chest) sits
# just below the bottom of the frame, so the cut never shows.
SUBJECT_HEIGHT_FRAC = 0.66      # photo height (800 px) -> ~66 % of frame height
SCALE_AMPL = 0.05               # +-5 % slow zoom
DRIFT_AMPL = 55.0               # px, horizontal sinusoidal drift (one period / clip)
BOB_AMPL = 3.0                  # px, small vertical bob
OVERHANG = 7.0                  # px of the photo's bottom that lie below the frame
RIGHT_FADE = 12                 # px: fade faint fuzz touching the photo's right edge

# Background: a 1600x900 crop (scaled to 480x270) panning 120 px to the right.
BG_CROP = (1600.0, 900.0)
BG_START = (260.0, 120.0)       # top-left of the crop at frame 0 (photo px)
BG_PAN = (120.0, 20.0)          # total pan over the clip (photo px)

RESAMPLE = Image.BILINEAR       # antialiased triangle filter: no ringing, alpha stays in [0,1]


def die(msg):
    sys.exit(f"make_sample.py: {msg}")


def load_rgb(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0


def resize_channels(chans, box, size=(W, H)):
    """Antialiased resize of float32 'F' images over a sub-pixel source box."""
    return [np.asarray(c.resize(size, RESAMPLE, box=box), dtype=np.float64) for c in chans]


def disk(r):
    y, x = np.mgrid[-r:r + 1, -r:r + 1]
    return x * x + y * y <= r * r


def make_trimap(a8, radius=TRIMAP_RADIUS):
    from scipy import ndimage
    se = disk(radius)
    grown = ndimage.binary_dilation(a8 > 0, structure=se)                  # outside = bg
    core = ndimage.binary_erosion(a8 == 255, structure=se, border_value=1)  # frame edge != bg
    tri = np.full(a8.shape, 128, np.uint8)
    tri[~grown] = 0
    tri[core] = 255
    return tri


def run_ffmpeg(args, data):
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"] + args
    res = subprocess.run(cmd, input=data)
    if res.returncode != 0:
        die("ffmpeg failed: " + " ".join(cmd))


def check_inputs():
    if not DATA.is_dir():
        die(f"data folder {DATA} not found (expected ../shared/data next to the repo); "
            "the sample cannot be regenerated without it")
    img_path = DATA / "alphamatting" / "image" / f"{SUBJECT}.png"
    alpha_path = DATA / "alphamatting" / "alpha" / f"{SUBJECT}.png"
    bg_path = DATA / "backgrounds" / BACKGROUND
    for p in (img_path, alpha_path, bg_path):
        if not p.is_file():
            die(f"missing input {p}")
    if shutil.which("ffmpeg") is None:
        die("the ffmpeg CLI is required")
    try:
        import pymatting  # noqa: F401
        import scipy.ndimage  # noqa: F401
    except ImportError as e:
        die(f"{e}; install with: /usr/bin/python3 -m pip install --break-system-packages pymatting scipy")
    return img_path, alpha_path, bg_path


def render():
    """Return (rgb_frames uint8 [N,H,W,3], alpha_frames uint8 [N,H,W], base scale)."""
    img_path, alpha_path, bg_path = check_inputs()
    from pymatting import estimate_foreground_ml
    rng = np.random.default_rng(SEED)
    ph_x, ph_s, ph_y = rng.uniform(0.0, 2.0 * math.pi, size=3)

    # 1. Foreground colour of the subject.
    image = load_rgb(img_path)
    alpha = np.asarray(Image.open(alpha_path).convert("RGB"), dtype=np.float64)[..., 0] / 255.0
    fg = estimate_foreground_ml(image, alpha).astype(np.float64)
    fg = np.clip(fg, 0.0, 1.0)
    sh, sw = alpha.shape
    # Faint fuzz touches the photo's right edge (alpha <= 30/255): fade it out so
    # the subject has no straight cut edge when it moves.
    ramp = np.ones(sw)
    t = (np.arange(RIGHT_FADE) + 0.5) / RIGHT_FADE
    ramp[sw - RIGHT_FADE:] = 1.0 - t * t * (3.0 - 2.0 * t)
    alpha = alpha * ramp[None, :]
    ys, xs = np.nonzero(alpha > 0)
    src_cx = 0.5 * (xs.min() + xs.max() + 1)

    # 2. Per-frame placement: output u = x0 + s*x, v = y0 + s*y (pixel-edge coords).
    s0 = SUBJECT_HEIGHT_FRAC * H / sh
    frames = []
    for i in range(N_FRAMES):
        ph = 2.0 * math.pi * i / N_FRAMES
        s = s0 * (1.0 + SCALE_AMPL * math.sin(ph + ph_s))
        cx = W / 2 + DRIFT_AMPL * math.sin(ph + ph_x)
        x0 = cx - s * src_cx
        y0 = H + OVERHANG + BOB_AMPL * math.sin(2.0 * ph + ph_y) - s * sh
        frames.append((s, x0, y0))
    assert all(y0 + s * sh >= H + 2.0 for s, x0, y0 in frames), "photo bottom would show"

    # Pad the premultiplied foreground so every frame's source box lies inside;
    # transparent padding left/top/right, edge-replicated rows at the bottom
    # (the body continues below the frame; only filter support ever sees them).
    margin = 24
    pl = max(0, math.ceil(max(x0 / s for s, x0, y0 in frames))) + margin
    pr = max(0, math.ceil(max((W - x0) / s - sw for s, x0, y0 in frames))) + margin
    pt = max(0, math.ceil(max(y0 / s for s, x0, y0 in frames))) + margin
    pb = margin
    premult = fg * alpha[..., None]
    planes = [premult[..., 0], premult[..., 1], premult[..., 2], alpha]
    padded = []
    for p in planes:
        q = np.pad(p, ((0, pb), (0, 0)), mode="edge")
        q = np.pad(q, ((pt, 0), (pl, pr)), mode="constant")
        padded.append(Image.fromarray(q.astype(np.float32), mode="F"))

    bg_img = np.asarray(Image.open(bg_path).convert("RGB"), dtype=np.float32) / 255.0
    bg_planes = [Image.fromarray(np.ascontiguousarray(bg_img[..., c]), mode="F") for c in range(3)]
    bw, bh = BG_CROP
    assert BG_START[0] + BG_PAN[0] + bw <= bg_img.shape[1] and BG_START[1] + BG_PAN[1] + bh <= bg_img.shape[0]

    rgb_frames = np.empty((N_FRAMES, H, W, 3), np.uint8)
    alpha_frames = np.empty((N_FRAMES, H, W), np.uint8)
    for i, (s, x0, y0) in enumerate(frames):
        box = (pl - x0 / s, pt - y0 / s, pl + (W - x0) / s, pt + (H - y0) / s)
        pr_, pg_, pb_, a = resize_channels(padded, box)
        a = np.clip(a, 0.0, 1.0)
        a8 = np.rint(a * 255.0).astype(np.uint8)
        with np.errstate(divide="ignore", invalid="ignore"):
            F = np.stack([pr_, pg_, pb_], axis=-1) / a[..., None]
        F = np.where(a[..., None] > 0, np.clip(F, 0.0, 1.0), 0.0)

        u = i / (N_FRAMES - 1)
        e = 0.5 - 0.5 * math.cos(math.pi * u)  # eased pan
        bx, by = BG_START[0] + e * BG_PAN[0], BG_START[1] + e * BG_PAN[1]
        B = np.stack(resize_channels(bg_planes, (bx, by, bx + bw, by + bh)), axis=-1)

        aq = (a8.astype(np.float64) / 255.0)[..., None]  # composite with the stored GT alpha
        I = aq * F + (1.0 - aq) * B
        rgb_frames[i] = np.rint(np.clip(I, 0.0, 1.0) * 255.0).astype(np.uint8)
        alpha_frames[i] = a8
    return rgb_frames, alpha_frames, s0


def main():
    rgb_frames, alpha_frames, s0 = render()

    # 3.-5. Write outputs.
    OUT.mkdir(exist_ok=True)
    tdir = OUT / "trimaps"
    tdir.mkdir(exist_ok=True)
    for old in tdir.glob("*.png"):
        old.unlink()
    for k in KEYFRAMES:
        Image.fromarray(make_trimap(alpha_frames[k]), mode="L").save(tdir / f"{k:06d}.png")

    dur = N_FRAMES / FPS
    chord = "+".join(f"{amp}*sin(2*PI*{f}*t)" for f, amp in
                     ((220.00, 0.06), (277.18, 0.045), (329.63, 0.04), (440.00, 0.03)))
    run_ffmpeg([
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "pipe:0",
        "-f", "lavfi", "-i", f"aevalsrc={chord}:s=48000:c=mono:d={dur}",
        "-map", "0:v", "-map", "1:a",
        "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=bicubic+accurate_rnd+full_chroma_int,format=yuv420p",
        "-c:v", "libx264", "-preset", "slow", "-crf", "18", "-profile:v", "high",
        "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-threads", "2",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
        "-af", f"afade=t=in:d=0.25,afade=t=out:st={dur - 0.25}:d=0.25",
        "-c:a", "aac", "-b:a", "64k", "-ar", "48000", "-ac", "1",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart", str(OUT / "clip.mp4"),
    ], rgb_frames.tobytes())
    run_ffmpeg([
        "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "pipe:0",
        "-c:v", "ffv1", "-level", "3", "-g", "1", "-slicecrc", "1", "-pix_fmt", "gray",
        "-color_range", "pc", "-threads", "1",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        str(OUT / "gt-alpha.mkv"),
    ], alpha_frames.tobytes())

    frac = ((alpha_frames > 0) & (alpha_frames < 255)).mean()
    print(f"wrote {OUT}/clip.mp4, gt-alpha.mkv, trimaps/ ({N_FRAMES} frames {W}x{H} @ {FPS} fps; "
          f"subject scale {s0:.4f}; fractional-alpha pixels {100 * frac:.2f} %)")


if __name__ == "__main__":
    main()
