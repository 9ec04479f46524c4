"""Binarised MNIST: the data on which a Bernoulli decoder's likelihood is a real likelihood.

The Bernoulli loss on grey levels in [0, 1] is not the log of a normalised density (its
minimum is the pixels' entropy, not 0), so its "nats" cannot be compared with published
figures. Published MNIST likelihoods (e.g. Burda et al., 2016) use binary pixels, each 1 with
probability equal to its grey level:

* training: **dynamic binarisation** — a fresh draw for every batch of every epoch
  (`DynamicBinarization`), which acts as data augmentation;
* evaluation: **one fixed, seeded draw** of the test images (`binarize(x_test, seed=0)`), so
  every model is scored on the same binary digits.
"""

from __future__ import annotations

import math
import numbers

import keras
import numpy as np

from vaekit.checks import as_images, as_labels, check_positive_int, check_seed


def binarize(images, *, seed: int = 0) -> np.ndarray:
    """Binary images: each pixel is 1 with probability equal to its grey level.

    Args:
        images: grey levels in [0, 1], `(n, ...)`.
        seed: seed of the draw; the same seed gives the same binary images.

    Returns:
        float32 array of 0s and 1s, same shape as `images`.
    """
    images = as_images(images)
    rng = np.random.default_rng(check_seed("seed", seed))
    return (rng.random(images.shape) < images).astype(np.float32)


class DynamicBinarization(keras.utils.PyDataset):
    """Batches of freshly binarised images for `VAE.fit`: a new draw every batch and epoch.

    Each epoch shuffles the images; each batch is binarised with a seed made of `seed`, the
    epoch and the batch index, so a run is reproducible and works on every Keras backend.

    Args:
        images: grey levels in [0, 1], `(n, ...)`.
        labels: None, or labels `(n,)` to yield `(binary_images, labels)` batches (for a
            `ConditionalVAE`).
        batch_size: images per batch (the last batch may be smaller).
        seed: seed of the shuffling and binarisation.

    Example:

    >>> vae.fit(DynamicBinarization(x_train, batch_size=128), epochs=10)  # doctest: +SKIP
    >>> cvae.fit(DynamicBinarization(x_train, labels=y_train), epochs=10)  # doctest: +SKIP
    """

    def __init__(self, images, *, labels=None, batch_size: int = 128, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.images = as_images(images)
        self.labels = (
            None if labels is None else as_labels(labels, len(self.images), integer=True)
        )
        if self.labels is not None and self.labels.min() < 0:
            raise ValueError(
                "`labels` must be class indices >= 0. Received: labels with smallest "
                f"{self.labels.min()}"
            )
        self.batch_size = check_positive_int("batch_size", batch_size)
        self.seed = check_seed("seed", seed)
        self.epoch = 0
        self._order = self._shuffled_order()

    def _shuffled_order(self) -> np.ndarray:
        return np.random.default_rng([self.seed, self.epoch]).permutation(len(self.images))

    def __len__(self) -> int:
        return math.ceil(len(self.images) / self.batch_size)

    def __getitem__(self, index: int):
        if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not (
            0 <= index < len(self)
        ):
            raise IndexError(
                f"`index` must be a batch number in [0, {len(self)}). Received: index={index!r}"
            )
        rows = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        rng = np.random.default_rng([self.seed, self.epoch, index])
        batch = self.images[rows]
        binary = (rng.random(batch.shape) < batch).astype(np.float32)
        return ((binary, self.labels[rows]),) if self.labels is not None else (binary,)

    def on_epoch_end(self) -> None:
        self.epoch += 1
        self._order = self._shuffled_order()
