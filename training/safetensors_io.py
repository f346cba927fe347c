"""Minimal reader/writer of the safetensors format (no dependencies).

File layout (https://github.com/huggingface/safetensors):
  8 bytes     N, unsigned 64-bit little-endian: size of the JSON header
  N bytes     JSON header (UTF-8, padded with spaces to a multiple of 8):
              {"__metadata__": {str: str, ...},
               "NAME": {"dtype": "F16", "shape": [d0, d1, ...],
                        "data_offsets": [begin, end]}, ...}
  rest        tensor bytes, little-endian, row-major (C order); offsets are
              relative to the start of this section, contiguous, no gaps.

The writer orders tensors by element size (largest first) then name, as the
reference implementation does, so every tensor is aligned to its element size.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

DTYPES = {
    "F64": np.float64, "F32": np.float32, "F16": np.float16,
    "I64": np.int64, "I32": np.int32, "I16": np.int16, "I8": np.int8,
    "U8": np.uint8, "BOOL": np.bool_,
}
_NAMES = {np.dtype(v): k for k, v in DTYPES.items()}


def save_file(tensors: dict[str, np.ndarray], path: str | Path,
              metadata: dict[str, str] | None = None) -> None:
    arrays = {k: np.ascontiguousarray(v) for k, v in tensors.items()}
    order = sorted(arrays, key=lambda k: (-arrays[k].dtype.itemsize, k))
    header: dict = {}
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise TypeError("safetensors metadata must map str to str")
        header["__metadata__"] = dict(metadata)
    offset = 0
    for k in order:
        a = arrays[k]
        if a.dtype not in _NAMES:
            raise TypeError(f"{k}: unsupported dtype {a.dtype}")
        header[k] = {"dtype": _NAMES[a.dtype], "shape": list(a.shape),
                     "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * (-len(blob) % 8)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for k in order:
            f.write(arrays[k].astype(arrays[k].dtype.newbyteorder("<"), copy=False).tobytes())
    tmp.replace(path)


def load_file(path: str | Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Returns (tensors, metadata)."""
    data = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    body = memoryview(data)[8 + n:]
    tensors = {}
    for k, info in header.items():
        b, e = info["data_offsets"]
        dt = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        tensors[k] = np.frombuffer(body[b:e], dtype=dt).reshape(info["shape"]).copy()
    return tensors, metadata
