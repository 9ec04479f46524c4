"""Shared pieces of the benchmarks: data, machine description, timing and FLOP counting.

FLOPs are counted analytically from layer shapes, per training example:

* `Dense(n_in → n_out)`: `2 · n_in · n_out` (one multiply and one add per weight);
* `Conv2D`: `2 · k_h · k_w · C_in · C_out · H_out · W_out`;
* `Conv2DTranspose`: `2 · k_h · k_w · C_in · C_out · H_in · W_in` (every input pixel is
  spread over a `k_h × k_w` window of every output channel).

A training step costs about **3× the forward pass**: the backward pass computes the gradient
with respect to each layer's input and with respect to its weights, each about as costly as the
forward product. Biases, activations, the loss, the sampling step and the optimizer update
(O(parameters) per *batch*, about 1 % here) are left out, so the count is a slight underestimate.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from vaekit.data import MNIST, load_mnist  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# The offline subset's size (4,000 / 1,000 images, used whole); the same caps keep full MNIST
# (when it is cached) within the time budget, as lessons 3 and 4 do.
MAX_TRAIN, MAX_TEST = 4_000, 1_000
BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
TINY_TRAIN, TINY_TEST = 256, 64


def load_data(tiny: bool = False) -> MNIST:
    """MNIST as the lessons load it (full when cached, else the offline subset), capped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the "using the offline subset" notice
        return load_mnist(
            max_train_examples=TINY_TRAIN if tiny else MAX_TRAIN,
            max_test_examples=TINY_TEST if tiny else MAX_TEST,
        )


def machine_info() -> dict:
    """Cores, CPU model, load average and library versions, for the results header."""
    import tensorflow as tf

    cpu_model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu_model,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "numpy": np.__version__,
    }


class EpochTimer(keras.callbacks.Callback):
    """Records the wall time of every epoch (`seconds`, a list, appended to across fits)."""

    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def samples_per_second(
    model: keras.Model, x: np.ndarray, *, batch_size: int, epochs: int, timer=None
) -> float:
    """Train `model` (compiled) on `x` for `epochs`; return examples/s of the median epoch.

    The caller warms the model up first (one epoch traces the graph), so every timed epoch is
    steady state. `timer` lets callers collect epoch times across calls.
    """
    timer = timer or EpochTimer()
    start = len(timer.seconds)
    model.fit(x, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[timer])
    return len(x) / statistics.median(timer.seconds[start:])


def warm_up(model: keras.Model, x: np.ndarray, batch_size: int) -> float:
    """One training epoch (graph tracing happens here); returns its wall time in seconds."""
    start = time.perf_counter()
    model.fit(x, epochs=1, batch_size=batch_size, verbose=0)
    return time.perf_counter() - start


def _layer_flops(layer) -> int:
    """Forward FLOPs per example of one Dense/Conv2D/Conv2DTranspose layer (0 for others)."""
    if isinstance(layer, keras.layers.Dense):
        return 2 * math.prod(layer.kernel.shape)
    if isinstance(layer, keras.layers.Conv2DTranspose):
        _, height, width, _ = layer.input.shape
        return 2 * math.prod(layer.kernel.shape) * height * width
    if isinstance(layer, keras.layers.Conv2D):
        _, height, width, _ = layer.output.shape
        return 2 * math.prod(layer.kernel.shape) * height * width
    return 0


def forward_flops(model: keras.Model) -> int:
    """Forward-pass FLOPs per example of `model`, summed over its (nested) layers."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += forward_flops(layer)
        else:
            total += _layer_flops(layer)
    return total


def train_step_flops(model: keras.Model) -> int:
    """FLOPs per training example: 3 × the forward pass (see the module docstring)."""
    return 3 * forward_flops(model)


def matmul_flops_per_second(m: int = 2048, k: int | None = None, n: int | None = None,
                            repeats: int = 5) -> float:
    """FLOP/s of an `(m, k) @ (k, n)` float32 matrix product on the Keras backend (median run).

    `k` and `n` default to `m` (a square product).
    """
    k, n = k or m, n or m
    rng = np.random.default_rng(0)
    a = keras.ops.convert_to_tensor(rng.standard_normal((m, k), dtype=np.float32))
    b = keras.ops.convert_to_tensor(rng.standard_normal((k, n), dtype=np.float32))
    keras.ops.convert_to_numpy(keras.ops.matmul(a, b))  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        keras.ops.convert_to_numpy(keras.ops.matmul(a, b))
        seconds.append(time.perf_counter() - start)
    return 2 * m * k * n / statistics.median(seconds)


def markdown_table(header: list[str], rows: list[list]) -> str:
    """A GitHub markdown table; floats keep the formatting the caller gave them."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def part_main(run: Callable[..., dict], report: Callable[[dict], str], description: str):
    """Command-line entry of one part: `--tiny` for a smoke run; prints the markdown report."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (a smoke run)")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    data = load_data(tiny=args.tiny)
    print(report(run(data, tiny=args.tiny)))
