#!/usr/bin/env python3
"""Generate vmatte's bundled sample clip with exact ground truth (Samples/).

Usage (from anywhere):  /usr/bin/python3 scripts/make_sample.py [options]

With no options it regenerates the bundled Samples/ exactly. The options below
make the same script produce OTHER synthetic ground-truth clips (other subject,
background, motion) into another folder, e.g. for benchmarks.

A real-alpha subject from the alphamatting.com training set (by default GT09,
a doll with a woolly hat and loose hair; one of the project's VALIDATION
images, never trained on) is moved over a panning crop of a natural background
photo and composited in float as I = alpha*F + (1-alpha)*B, where F is the
foreground colour estimated from the photo and its ground-truth alpha
(pymatting's estimate_foreground_ml), so soft edges carry no colour of the
photo's original background.

Outputs (all deterministic; re-running regenerates identical content):
  OUT/clip.mp4            480x270, 25 fps, 100 frames (4 s), H.264 yuv420p
                          BT.709 (tagged and converted), CRF 18, faststart,
                          plus an AAC mono 48 kHz 64 kbit/s quiet A-major chord
                          (left out with --no-audio)
  OUT/gt-alpha.mkv        the exact alpha of every frame, FFV1 gray (8-bit)
  OUT/trimaps/NNNNNN.png  keyframe trimaps (0/128/255) for the first, middle and
                          last frame (0, 50, 99 for 100 frames)
OUT is Samples/ in the repository unless --out is given.

Options (defaults = the bundled sample):
  --out DIR            output folder (default: Samples/ of the repository);
                       created if missing; its trimaps/*.png are replaced
  --subject GTxx       alphamatting image (default GT09). Only the validation
                       split (GT02, GT09, GT17, GT25) is accepted unless
                       --allow-train is given: other images are trained on.
  --allow-train        accept a training-split subject
  --background NAME    file in ../shared/data/backgrounds (default
                       plasma_Path.jpg; the .jpg may be left out)
  --seed N             seed of the motion phases (default 20090609)
  --frames N           clip length in frames (default 100, at 25 fps)
  --drift PX           horizontal sinusoidal drift amplitude in output px
                       (default 55)
  --drift-periods P    drift periods per clip (default 1; 2 = twice as fast)
  --bob PX             vertical bob amplitude in output px (default 3; two
                       periods per clip)
  --zoom FRAC          slow zoom amplitude (default 0.05 = +-5 %, one period)
  --height FRAC        subject height as a fraction of the frame height
                       (default 0.66; reduced automatically, by at most 30 %,
                       if the subject would not fit horizontally with its drift)
  --pan X,Y            total background pan over the clip in OUTPUT px
                       (eased; default 36,6; 0,0 = static camera; write
                       negative values as --pan=-30,0)
  --bg-start X,Y       top-left of the background crop at frame 0 in photo px
                       (default: hand-picked 260,120 for plasma_Path.jpg,
                       otherwise the pan path is centred in the photo)
  --no-audio           write clip.mp4 without the audio track

Photo edges: every alphamatting subject is cut off by the bottom of its photo;
that edge always lies below the bottom of the frame. Where the subject also
touches the left, right or top photo edge (alpha > 0 within 3 px of it), the
contact is handled so that no straight cut edge ever shows inside the frame:
faint contact (alpha <= 64/255 near the edge, e.g. GT09's fuzz at the right)
is faded out over the last 12 px; solid contact with the left/right edge is
hidden by placing its topmost contact row below the frame bottom too (e.g.
GT17's neck at the left edge); solid top contact (or a side contact that would
hide more than half the subject) is refused. Both, and that the subject stays
inside the frame, are asserted for every frame.

Examples (benchmark clips, git-ignored folder):
  /usr/bin/python3 scripts/make_sample.py --out .build-bench/clips/gt17-pan \\
      --subject GT17 --background mate_Garden.jpg --pan 90,15 --drift 40

Needs: numpy, scipy, Pillow, pymatting and the ffmpeg CLI (libx264, aac, ffv1),
and the read-only data folder ../shared/data next to the repository.
"""

import argparse
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
VALIDATION = ("GT02", "GT09", "GT17", "GT25")   # never trained on
BACKGROUND = "plasma_Path.jpg"  # GPL-2+, plasma-workspace-wallpapers

W, H = 480, 270                 # output frame size (16:9, even)
FPS = 25
N_FRAMES = 100                  # 4 s
TRIMAP_RADIUS = 8               # px, disk used to grow the unknown band
# Trimaps are written for the first, middle and last frame (0, 50, 99 for 100).

# Subject placement: bottom edge of the photo (the doll's cut-off chest) sits
# just below the bottom of the frame, so the cut never shows.
SUBJECT_HEIGHT_FRAC = 0.66      # visible photo height (GT09: 800 px) -> ~66 % of frame height
SCALE_AMPL = 0.05               # +-5 % slow zoom
DRIFT_AMPL = 55.0               # px, horizontal sinusoidal drift (one period / clip)
DRIFT_PERIODS = 1               # drift periods per clip
BOB_AMPL = 3.0                  # px, small vertical bob
OVERHANG = 7.0                  # px of the photo's bottom that lie below the frame
EDGE_FADE = 12                  # px: fade faint fuzz touching a photo side/top edge
EDGE_BAND = 3                   # px next to a photo edge that count as touching it
FADE_MAX = 64                   # contact with alpha <= 64/255 is faded, above is hidden
TOP_MARGIN = 16                 # photo px kept above the subject's top when scaling
FIT_MARGIN = 8                  # px the subject keeps from the frame's left/right/top

# Background: a 1600x900 crop (scaled to 480x270) panning 120 px to the right.
BG_CROP_FRAC = 0.625            # crop width / photo width (2560 -> 1600)
BG_START = {"plasma_Path.jpg": (260.0, 120.0)}  # hand-picked top-left at frame 0 (photo px)
BG_PAN = (36.0, 6.0)            # total pan over the clip (output px; = 120, 20 photo px)

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


def pair(text):
    try:
        x, y = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected X,Y (two numbers), got {text!r}")
    return (x, y)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        prog="make_sample.py",
        description="Generate a synthetic clip with exact ground-truth alpha and keyframe trimaps. "
                    "With no options: regenerates the bundled Samples/ exactly.",
        epilog="Outputs: OUT/clip.mp4, OUT/gt-alpha.mkv, OUT/trimaps/NNNNNN.png (first, middle, last frame). "
               "See the module docstring for how photo edges are kept out of the frame.")
    ap.add_argument("--out", type=Path, default=OUT, metavar="DIR", help="output folder (default: %(default)s)")
    ap.add_argument("--subject", default=SUBJECT, metavar="GTxx",
                    help="alphamatting image GTxx (default: %(default)s; validation split: "
                         + ", ".join(VALIDATION) + ")")
    ap.add_argument("--allow-train", action="store_true",
                    help="accept a subject outside the validation split (it is trained on)")
    ap.add_argument("--background", default=BACKGROUND, metavar="NAME",
                    help="file in ../shared/data/backgrounds (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=SEED, metavar="N", help="seed of the motion phases (default: %(default)s)")
    ap.add_argument("--frames", type=int, default=N_FRAMES, metavar="N", help=f"number of frames at {FPS} fps (default: %(default)s)")
    ap.add_argument("--drift", type=float, default=DRIFT_AMPL, metavar="PX",
                    help="horizontal drift amplitude, output px (default: %(default)s)")
    ap.add_argument("--drift-periods", type=float, default=DRIFT_PERIODS, metavar="P",
                    help="drift periods per clip (default: %(default)s)")
    ap.add_argument("--bob", type=float, default=BOB_AMPL, metavar="PX",
                    help="vertical bob amplitude, output px (default: %(default)s)")
    ap.add_argument("--zoom", type=float, default=SCALE_AMPL, metavar="FRAC",
                    help="zoom amplitude as a fraction (default: %(default)s)")
    ap.add_argument("--height", type=float, default=SUBJECT_HEIGHT_FRAC, metavar="FRAC",
                    help="subject height / frame height (default: %(default)s)")
    ap.add_argument("--pan", type=pair, default=BG_PAN, metavar="X,Y",
                    help="background pan over the clip, output px (default: 36,6; 0,0 = static camera; "
                         "write negative values as --pan=-30,0)")
    ap.add_argument("--bg-start", type=pair, default=None, metavar="X,Y",
                    help="background crop top-left at frame 0, photo px X,Y "
                         "(default: 260,120 for plasma_Path.jpg, else centred)")
    ap.add_argument("--no-audio", action="store_true", help="no audio track in clip.mp4")
    args = ap.parse_args(argv)

    subj = args.subject.upper().removesuffix(".PNG")
    if subj.isdigit():
        subj = f"GT{int(subj):02d}"
    args.subject = subj
    if subj not in VALIDATION and not args.allow_train:
        ap.error(f"{subj} is not in the validation split ({', '.join(VALIDATION)}); "
                 "scores on it would be on trained data (pass --allow-train to use it anyway)")
    bg = args.background
    if not (DATA / "backgrounds" / bg).is_file() and (DATA / "backgrounds" / (bg + ".jpg")).is_file():
        args.background = bg + ".jpg"
    if args.frames < 2:
        ap.error("--frames must be at least 2")
    if not 0.05 <= args.height <= 0.95:
        ap.error("--height must be in [0.05, 0.95]")
    if not 0.0 <= args.zoom < 0.5:
        ap.error("--zoom must be in [0, 0.5)")
    if args.drift < 0 or args.bob < 0 or args.drift_periods < 0:
        ap.error("--drift, --bob and --drift-periods must be >= 0")
    return args


def check_inputs(cfg):
    if not DATA.is_dir():
        die(f"data folder {DATA} not found (expected ../shared/data next to the repo); "
            "the sample cannot be regenerated without it")
    img_path = DATA / "alphamatting" / "image" / f"{cfg.subject}.png"
    alpha_path = DATA / "alphamatting" / "alpha" / f"{cfg.subject}.png"
    bg_path = DATA / "backgrounds" / cfg.background
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


def smooth_ramp(n):
    """n values falling smoothly from ~1 to ~0 (smoothstep), for the last n px before an edge."""
    t = (np.arange(n) + 0.5) / n
    return 1.0 - t * t * (3.0 - 2.0 * t)


def handle_photo_edges(alpha, subject):
    """Fade faint contact with the photo's left/right/top edges; find solid side contact.

    Returns (alpha, cut_row): rows >= cut_row must lie below the frame (the photo's
    bottom edge and any solid left/right contact are there)."""
    sh, sw = alpha.shape
    ramp = smooth_ramp(EDGE_FADE)
    cut_row = sh
    notes = []
    for side in ("left", "right", "top"):
        band = {"left": alpha[:, :EDGE_BAND], "right": alpha[:, sw - EDGE_BAND:],
                "top": alpha[:EDGE_BAND, :]}[side]
        if not (band > 0).any():
            continue
        if band.max() <= FADE_MAX / 255.0:
            # Faint fuzz touches this edge (e.g. GT09's right edge, alpha <= 47/255):
            # fade it out so the subject has no straight cut edge when it moves.
            if side == "left":
                alpha = alpha * np.concatenate([ramp[::-1], np.ones(sw - EDGE_FADE)])[None, :]
            elif side == "right":
                r = np.ones(sw)
                r[sw - EDGE_FADE:] = ramp
                alpha = alpha * r[None, :]
            else:
                alpha = alpha * np.concatenate([ramp[::-1], np.ones(sh - EDGE_FADE)])[:, None]
            notes.append(f"faded faint contact with the photo's {side} edge")
        elif side == "top":
            die(f"{subject} touches the photo's top edge with alpha up to {round(band.max() * 255)}/255; "
                "it cannot be shown without a cut edge")
        else:
            top = int(np.nonzero((band > 0).any(axis=1))[0].min())
            cut_row = min(cut_row, top)
            notes.append(f"solid contact with the photo's {side} edge from row {top}: kept below the frame")
    return alpha, cut_row, notes


def render(cfg):
    """Return (rgb_frames uint8 [N,H,W,3], alpha_frames uint8 [N,H,W], base scale, notes)."""
    img_path, alpha_path, bg_path = check_inputs(cfg)
    from pymatting import estimate_foreground_ml
    n_frames = cfg.frames
    rng = np.random.default_rng(cfg.seed)
    ph_x, ph_s, ph_y = rng.uniform(0.0, 2.0 * math.pi, size=3)

    # 1. Foreground colour of the subject.
    image = load_rgb(img_path)
    alpha = np.asarray(Image.open(alpha_path).convert("RGB"), dtype=np.float64)[..., 0] / 255.0
    fg = estimate_foreground_ml(image, alpha).astype(np.float64)
    fg = np.clip(fg, 0.0, 1.0)
    sh, sw = alpha.shape
    alpha, cut_row, notes = handle_photo_edges(alpha, cfg.subject)
    vis = alpha[:cut_row] > 0                      # the part of the subject that can show
    ys, xs = np.nonzero(vis)
    sub_top, sub_bot = ys.min(), sh                 # subject rows (bottom: runs off the photo)
    if cut_row - sub_top < 0.5 * (sub_bot - sub_top):
        die(f"{cfg.subject}: hiding its side contact would hide more than half of the subject")
    src_cx = 0.5 * (xs.min() + xs.max() + 1)
    vis_w = xs.max() + 1 - xs.min()

    # 2. Per-frame placement: output u = x0 + s*x, v = y0 + s*y (pixel-edge coords).
    # Height: the photo rows from TOP_MARGIN above the subject down to cut_row span
    # --height of the frame; smaller if the subject would not fit with its drift.
    crop_top = max(0, sub_top - TOP_MARGIN)
    s0 = cfg.height * H / (cut_row - crop_top)
    s_fit = (W - 2 * FIT_MARGIN - 2 * cfg.drift) / (vis_w * (1.0 + cfg.zoom))
    if s_fit <= 0:
        die(f"--drift {cfg.drift} leaves no room for the subject")
    if s_fit < 0.7 * s0:
        die(f"{cfg.subject} is too wide for --drift {cfg.drift} at --height {cfg.height} "
            f"(scale would drop from {s0:.4f} to {s_fit:.4f}); reduce --drift or --height")
    if s_fit < s0:
        notes.append(f"scale reduced from {s0:.4f} to {s_fit:.4f} so the subject fits the frame width")
        s0 = s_fit
    frames = []
    for i in range(n_frames):
        ph = 2.0 * math.pi * i / n_frames
        s = s0 * (1.0 + cfg.zoom * math.sin(ph + ph_s))
        cx = W / 2 + cfg.drift * math.sin(cfg.drift_periods * ph + ph_x)
        x0 = cx - s * src_cx
        y0 = H + OVERHANG + cfg.bob * math.sin(2.0 * ph + ph_y) - s * cut_row
        frames.append((s, x0, y0))

    # No photo edge with visible alpha inside the frame, and the subject fits.
    assert all(y0 + s * sh >= H + 2.0 for s, x0, y0 in frames), "photo bottom would show"
    assert all(y0 + s * cut_row >= H + 2.0 for s, x0, y0 in frames), "side contact would show"
    lim = max(math.ceil((H + 2.0 - y0) / s) for s, x0, y0 in frames)  # rows that may show
    lim = min(sh, max(0, lim))
    eps = 0.5 / 255.0                              # rounds to alpha 0 in the output
    for side, line in (("left", alpha[:lim, 0]), ("right", alpha[:lim, sw - 1])):
        assert line.max(initial=0.0) < eps, f"photo's {side} edge would show"
    assert alpha[0].max() < eps or all(y0 <= -2.0 for s, x0, y0 in frames), "photo's top edge would show"
    for s, x0, y0 in frames:
        if not (x0 + s * xs.min() >= FIT_MARGIN - 1e-9 and x0 + s * (xs.max() + 1) <= W - FIT_MARGIN + 1e-9
                and y0 + s * sub_top >= 0.0):
            die("the subject would leave the frame; reduce --drift or --height")

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

    # 3. Background: a 16:9 crop of the photo, panned (eased) over the clip.
    bg_img = np.asarray(Image.open(bg_path).convert("RGB"), dtype=np.float32) / 255.0
    bg_planes = [Image.fromarray(np.ascontiguousarray(bg_img[..., c]), mode="F") for c in range(3)]
    img_h, img_w = bg_img.shape[:2]
    px, py = cfg.pan
    bw = BG_CROP_FRAC * img_w
    bw = min(bw, img_w * W / (W + abs(px)), img_h * W / (H + abs(py)))
    bh = bw * H / W
    pan = (px * bw / W, py * bh / H)               # photo px
    if bw < W:
        notes.append(f"background crop {bw:.0f}x{bh:.0f} is upscaled")
    if cfg.bg_start is not None:
        start = cfg.bg_start
    elif cfg.background in BG_START:
        start = BG_START[cfg.background]
    else:
        start = ((img_w - bw - abs(pan[0])) / 2 - min(0.0, pan[0]),
                 (img_h - bh - abs(pan[1])) / 2 - min(0.0, pan[1]))
    if not (start[0] + min(0.0, pan[0]) >= 0 and start[1] + min(0.0, pan[1]) >= 0
            and start[0] + max(0.0, pan[0]) + bw <= img_w and start[1] + max(0.0, pan[1]) + bh <= img_h):
        die(f"background crop {bw:.0f}x{bh:.0f} from {start} panning {pan} leaves the {img_w}x{img_h} photo")

    rgb_frames = np.empty((n_frames, H, W, 3), np.uint8)
    alpha_frames = np.empty((n_frames, H, W), np.uint8)
    for i, (s, x0, y0) in enumerate(frames):
        box = (pl - x0 / s, pt - y0 / s, pl + (W - x0) / s, pt + (H - y0) / s)
        pr_, pg_, pb_, a = resize_channels(padded, box)
        a = np.clip(a, 0.0, 1.0)
        a8 = np.rint(a * 255.0).astype(np.uint8)
        with np.errstate(divide="ignore", invalid="ignore"):
            F = np.stack([pr_, pg_, pb_], axis=-1) / a[..., None]
        F = np.where(a[..., None] > 0, np.clip(F, 0.0, 1.0), 0.0)

        u = i / (n_frames - 1)
        e = 0.5 - 0.5 * math.cos(math.pi * u)  # eased pan
        bx, by = start[0] + e * pan[0], start[1] + e * pan[1]
        B = np.stack(resize_channels(bg_planes, (bx, by, bx + bw, by + bh)), axis=-1)

        aq = (a8.astype(np.float64) / 255.0)[..., None]  # composite with the stored GT alpha
        I = aq * F + (1.0 - aq) * B
        rgb_frames[i] = np.rint(np.clip(I, 0.0, 1.0) * 255.0).astype(np.uint8)
        alpha_frames[i] = a8
    return rgb_frames, alpha_frames, s0, notes


def main(argv=None):
    cfg = parse_args(argv)
    out = cfg.out
    n_frames = cfg.frames
    rgb_frames, alpha_frames, s0, notes = render(cfg)

    # 4.-5. Write outputs.
    out.mkdir(parents=True, exist_ok=True)
    tdir = out / "trimaps"
    tdir.mkdir(exist_ok=True)
    for old in tdir.glob("*.png"):
        old.unlink()
    keyframes = (0, n_frames // 2, n_frames - 1)
    for k in keyframes:
        Image.fromarray(make_trimap(alpha_frames[k]), mode="L").save(tdir / f"{k:06d}.png")

    dur = n_frames / FPS
    chord = "+".join(f"{amp}*sin(2*PI*{f}*t)" for f, amp in
                     ((220.00, 0.06), (277.18, 0.045), (329.63, 0.04), (440.00, 0.03)))
    if cfg.no_audio:
        audio_in, audio_out = [], ["-map", "0:v"]
    else:
        audio_in = ["-f", "lavfi", "-i", f"aevalsrc={chord}:s=48000:c=mono:d={dur}"]
        audio_out = ["-map", "0:v", "-map", "1:a"]
    audio_enc = [] if cfg.no_audio else [
        "-af", f"afade=t=in:d=0.25,afade=t=out:st={dur - 0.25}:d=0.25",
        "-c:a", "aac", "-b:a", "64k", "-ar", "48000", "-ac", "1"]
    run_ffmpeg([
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "pipe:0",
        *audio_in, *audio_out,
        "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=bicubic+accurate_rnd+full_chroma_int,format=yuv420p",
        "-c:v", "libx264", "-preset", "slow", "-crf", "18", "-profile:v", "high",
        "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-threads", "2",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
        *audio_enc,
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        *([] if cfg.no_audio else ["-flags:a", "+bitexact"]),
        "-movflags", "+faststart", str(out / "clip.mp4"),
    ], rgb_frames.tobytes())
    run_ffmpeg([
        "-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{W}x{H}", "-r", str(FPS), "-i", "pipe:0",
        "-c:v", "ffv1", "-level", "3", "-g", "1", "-slicecrc", "1", "-pix_fmt", "gray",
        "-color_range", "pc", "-threads", "1",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        str(out / "gt-alpha.mkv"),
    ], alpha_frames.tobytes())

    frac = ((alpha_frames > 0) & (alpha_frames < 255)).mean()
    for note in notes:
        print(f"note: {cfg.subject}: {note}")
    print(f"wrote {out}/clip.mp4, gt-alpha.mkv, trimaps/ ({n_frames} frames {W}x{H} @ {FPS} fps; "
          f"subject {cfg.subject} scale {s0:.4f}; background {cfg.background}; "
          f"fractional-alpha pixels {100 * frac:.2f} %)")


if __name__ == "__main__":
    main()
