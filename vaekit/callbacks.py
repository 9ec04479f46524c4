"""Keras callbacks that `VAE.fit` adds: a diverging run stops with a message, not NaN epochs."""

from __future__ import annotations

import math

import keras


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stop training with a clear error at the end of the first epoch whose loss is not finite.

    Keras' own `TerminateOnNaN` stops quietly; a learner then sees only NaN. This raises a
    `FloatingPointError` that says which epoch diverged and what most often causes it. It checks
    once per epoch, so it adds no per-batch synchronisation on an accelerator.
    """

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self.model.stop_training = True
            raise FloatingPointError(
                f"The VAE's loss became {float(loss)} in epoch {epoch + 1}, so training "
                "stopped. Most likely causes: images outside [0, 1] (divide 0–255 images by "
                "255), a learning rate too large for this model, or an extreme kl_weight."
            )
