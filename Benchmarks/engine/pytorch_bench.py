"""PyTorch side of the engine benchmark: the same weights file, the same sizes.

    /usr/bin/python3 Benchmarks/engine/pytorch_bench.py MODEL.safetensors 320x320 1280x720

Prints one JSON line per size: seconds per frame (median of 3 after a warm-up) for both
stages, channels_last, no_grad, 2 threads, and the peak RSS.
"""
import json
import resource
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from export import read_model  # noqa: E402

torch.set_num_threads(2)


def main() -> None:
    model = read_model(sys.argv[1]).eval().to(memory_format=torch.channels_last)
    for size in sys.argv[2:]:
        width, height = (int(v) for v in size.lower().split("x"))
        hp, wp = (height + 31) // 32 * 32, (width + 31) // 32 * 32
        x = torch.rand(1, 4, hp, wp).contiguous(memory_format=torch.channels_last)
        times = []
        with torch.no_grad():
            model(x)
            for _ in range(3):
                start = time.perf_counter()
                model(x)
                times.append(time.perf_counter() - start)
        print(json.dumps({"case": "whole", "width": width, "height": height,
                          "secondsPerFrame": sorted(times)[1], "threads": torch.get_num_threads(),
                          "peakResidentMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
