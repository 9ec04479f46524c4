"""Does a generator copy its training digits? Nearest-training-digit distances.

A classifier-based judge (`vaekit.sample_quality`) cannot see memorisation: copies of training
digits are real digits, so they get perfect scores. The check practitioners use compares the
distance from each sample to its nearest training image with the same distance for held-out
real images, which the model never saw: a generator that copies puts its samples at distance
≈ 0, far below the held-out images' distances; one that makes new images does not.

Distances are Euclidean, between images flattened to 784 grey levels in [0, 1].
"""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from vaekit.checks import as_images, check_fraction

COPY_QUANTILE = 0.05  # a sample is "a near-copy" when closer than 95 % of held-out images are


def nearest_training_distances(images, training_images) -> np.ndarray:
    """Euclidean distance from each image to its nearest training image, in pixel space.

    Args:
        images: `(n, height, width)` grey levels in [0, 1].
        training_images: `(num_training, height, width)`, the same image size.

    Returns:
        `(n,)` distances ≥ 0; 0 for an exact copy of a training image.
    """
    return _nearest_distances(images, training_images, "images")


def _nearest_distances(images, training_images, name: str) -> np.ndarray:
    """`nearest_training_distances`, with `name` for `images` in its errors."""
    images = as_images(images, name)
    training_images = as_images(training_images, "training_images")
    if images.shape[1:] != training_images.shape[1:]:
        raise ValueError(
            f"`{name}` and `training_images` must have the same image size. "
            f"Received: {name}.shape={images.shape}, training_images.shape="
            f"{training_images.shape}"
        )
    flat_training = training_images.reshape(len(training_images), -1)
    search = NearestNeighbors(n_neighbors=1).fit(flat_training)
    distances, _ = search.kneighbors(images.reshape(len(images), -1))
    return distances[:, 0]


def memorisation_check(samples, training_images, heldout_images, *,
                       quantile: float = COPY_QUANTILE) -> dict:
    """Compare samples' nearest-training-image distances with those of held-out images.

    Args:
        samples: `(n, height, width)` generated images.
        training_images: `(num_training, height, width)`, the generator's training data.
        heldout_images: `(num_heldout, height, width)` real images not in `training_images`.
        quantile: in (0, 1); samples closer than this quantile of the held-out images'
            distances count as near-copies.

    Returns:
        dict with `sample_distances` `(n,)`, `heldout_distances` `(num_heldout,)`,
        `threshold` (the held-out `quantile`), `copy_share` (share of samples below it:
        about `quantile` for a generator of new images, 1 for copies) and `median_ratio`
        (median sample distance ÷ median held-out distance: about 1 for new images, 0 for
        copies).
    """
    quantile = check_fraction("quantile", quantile)
    sample_distances = _nearest_distances(samples, training_images, "samples")
    heldout_distances = _nearest_distances(heldout_images, training_images, "heldout_images")
    heldout_median = float(np.median(heldout_distances))
    if heldout_median == 0:
        raise ValueError(
            "`heldout_images` must not be copies of `training_images` (their median distance "
            "to the training images is 0): use real images the model never saw."
        )
    threshold = float(np.quantile(heldout_distances, quantile))
    return {
        "sample_distances": sample_distances,
        "heldout_distances": heldout_distances,
        "threshold": threshold,
        "copy_share": float(np.mean(sample_distances < threshold)),
        "median_ratio": float(np.median(sample_distances)) / heldout_median,
    }
