"""Keras callbacks: a diverging run stops with a message (`VAE.fit` adds it), a training time
budget for comparing models fairly, and the progress a learner sees while a model trains.

`LiveProgress`: pass ``callbacks=[LiveProgress("VAE")]`` to `fit` (with ``verbose=0``). In a
Jupyter kernel one line, e.g. ``VAE: epoch 12/40 · 8 s, about 19 s left · loss 104.3``, is
redrawn in place after every epoch; when training ends it becomes a summary, ``VAE: 40 epochs
in 27 s · loss 163.2 → 101.9``, and that summary is all a saved notebook keeps. Outside Jupyter
nothing is shown. In the Korean edition the line reads in Korean (`vaekit.language`).
"""

from __future__ import annotations

import math
import time

import keras

from vaekit.checks import check_non_negative_int, check_positive_number, check_text
from vaekit.language import translate
from vaekit.runtime import LiveLine, progress_text


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stop training with a clear error at the end of the first epoch whose loss is not finite.

    Keras' own `TerminateOnNaN` stops quietly; a learner then sees only NaN. This raises a
    `FloatingPointError` that says which epoch diverged and what most often causes it. It checks
    once per epoch, so it adds no per-batch synchronisation on an accelerator.
    """

    def on_epoch_end(self, epoch, logs=None):
        try:
            loss = float((logs or {})["loss"])
        except (KeyError, TypeError, ValueError):
            return  # no numeric loss to check
        if not math.isfinite(loss):
            self.model.stop_training = True
            raise FloatingPointError(
                f"The VAE's loss became {loss} in epoch {epoch + 1}, so training "
                "stopped. Most likely causes: images outside [0, 1] (divide 0–255 images by "
                "255), a learning rate too large for this model, or an extreme kl_weight."
            )


class TimeBudget(keras.callbacks.Callback):
    """Stop training once `seconds` of training have passed (checked after each batch) and at
    least `min_epochs` whole epochs are done.

    Gives two models the same wall-clock budget, the fair comparison when one is cheaper per
    step: train the slower one first with `min_epochs`, then give the other its `seconds`.
    The clock starts after the first batch (which also builds and compiles the model), and
    time spent on validation data during `fit` does not count. After `fit`,
    `epochs_done` (a partial last epoch counts as its share) and `seconds` say how far
    training got, and `epoch_seconds` holds the training time at the end of each epoch.

    Args:
        seconds: the budget, a finite number > 0.
        min_epochs: whole epochs to finish even if that takes longer than `seconds` (default 0).
    """

    def __init__(self, seconds: float, min_epochs: int = 0):
        super().__init__()
        self.budget = check_positive_number("seconds", seconds)
        self.min_epochs = check_non_negative_int("min_epochs", min_epochs)
        self.epochs_done = 0.0
        self.seconds = 0.0
        self.epoch_seconds: list[float] = []

    def _elapsed(self) -> float:
        if self._start is None:
            return 0.0
        return time.perf_counter() - self._start - self._validation_seconds

    def on_train_begin(self, logs=None):
        self._start = None
        self._validation_seconds = 0.0
        self._batches = 0
        self.epoch_seconds = []

    def on_test_begin(self, logs=None):
        self._validation_start = time.perf_counter()

    def on_test_end(self, logs=None):
        if getattr(self, "_start", None) is not None:  # validation inside `fit`
            self._validation_seconds += time.perf_counter() - self._validation_start

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self._start is None:
            self._start = time.perf_counter()
            return
        self.seconds = self._elapsed()
        self._stop_if_done(self.seconds)

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_seconds.append(self._elapsed())
        self._stop_if_done(self.epoch_seconds[-1])

    def _stop_if_done(self, seconds: float) -> None:
        if seconds >= self.budget and len(self.epoch_seconds) >= self.min_epochs:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        self.seconds = self._elapsed()
        steps = (self.params or {}).get("steps")
        self.epochs_done = self._batches / steps if steps else float("nan")


class LiveProgress(keras.callbacks.Callback):
    """A Keras callback showing training progress as one line in a notebook (`LiveLine`).

    Args:
        label: what is training, e.g. "VAE", shown first on the line.
        metric: the logged value to show (default "loss", per example as the model reports it).
    """

    def __init__(self, label: str = "training", metric: str = "loss"):
        super().__init__()
        self.label, self.metric = check_text("label", label), check_text("metric", metric)
        self._line = None
        self._start = 0.0
        self._epochs = 0
        self._values: list[float] = []

    def on_train_begin(self, logs=None):
        self._start, self._epochs, self._values = time.perf_counter(), 0, []
        self._line = LiveLine(f"{self.label}: …")

    def on_epoch_end(self, epoch, logs=None):
        self._epochs += 1
        if self.metric in (logs or {}):
            self._values.append(float(logs[self.metric]))
        elapsed = time.perf_counter() - self._start
        epochs = self.params.get("epochs") or epoch + 1
        line = progress_text(epoch + 1, epochs, elapsed, translate("epoch"))
        if self._values:
            line = f"{line} · {self.metric} {self._values[-1]:.4g}"
        if self._line is not None:
            self._line.update(f"{self.label}: {line}")

    def on_train_end(self, logs=None):
        elapsed = time.perf_counter() - self._start
        line = translate("{epochs} epochs in {elapsed} s").format(
            epochs=self._epochs, elapsed=f"{elapsed:.0f}")
        if self._values:
            line = f"{line} · {self.metric} {self._values[0]:.4g} → {self._values[-1]:.4g}"
        if self._line is not None:
            self._line.finish(f"{self.label}: {line}")
        self._line = None
