"""What a camera does to a photo that a clean composite lacks.

Composites I = alpha F + (1 - alpha) B are noiseless, losslessly stored and
usually have a sharp background; real footage has sensor noise, compression
and, behind a subject in focus, a defocused background.  A network trained on
clean composites alone can key on their cleanness.  Robust-matting work
(e.g. Dai et al., "Boosting Robustness of Image Matting with Context
Assembling and Strong Data Augmentation", CVPR 2022) degrades the composites
this way; the ranges here are moderate ones for 8-bit footage.

All functions take and return H x W x 3 float32 images in 0..1.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from scipy import ndimage

DEFOCUS_SIGMA = (1.0, 5.0)        # Gaussian sigma in pixels at the 320 px training size
READ_NOISE_SIGMA = (0.002, 0.012)  # signal-independent noise, in 0..1 units
SHOT_NOISE_GAIN = (0.0, 0.0004)    # variance per unit of signal (photon noise)
JPEG_QUALITY = (55, 95)
DEFOCUS_RATE = 0.5
NOISE_RATE = 0.7
JPEG_RATE = 0.5


def defocus(background: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Blur as if the background lay behind the focal plane."""
    sigma = rng.uniform(*DEFOCUS_SIGMA)
    out = ndimage.gaussian_filter(background, sigma=(sigma, sigma, 0), mode="reflect")
    return out.astype(np.float32)


def sensor_noise(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Gaussian read noise plus signal-dependent shot noise, per channel."""
    read = rng.uniform(*READ_NOISE_SIGMA)
    gain = rng.uniform(*SHOT_NOISE_GAIN)
    sigma = np.sqrt(gain * image + read * read)
    noisy = image + sigma * rng.standard_normal(image.shape).astype(np.float32)
    return np.clip(noisy, 0.0, 1.0).astype(np.float32)


def jpeg(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round trip through JPEG at a random quality (4:2:0 chroma, as cameras store it)."""
    quality = int(rng.integers(JPEG_QUALITY[0], JPEG_QUALITY[1] + 1))
    buffer = io.BytesIO()
    Image.fromarray(np.round(image * 255).astype(np.uint8)).save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return np.asarray(Image.open(buffer).convert("RGB"), dtype=np.float32) / 255.0


def degrade(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sensor noise and/or JPEG compression of a composite (each at its own rate)."""
    if rng.random() < NOISE_RATE:
        image = sensor_noise(image, rng)
    if rng.random() < JPEG_RATE:
        image = jpeg(image, rng)
    return np.round(image * 255) / 255
