"""Anomaly scores from a trained VAE, and how well they separate normal from unusual images.

A VAE trained on some digits gives every image three natural scores, each higher for images
the model finds less typical: the −ELBO, the importance-weighted −log p(x), and the
reconstruction error alone. `roc_auc` says how well a score ranks unusual images above normal
ones (1 perfect, 0.5 chance, below 0.5 the score prefers the unusual images).
`unusual_images` makes the standard test inputs: noise, blank, inverted and rotated digits.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from vaekit.checks import as_images, as_real_array, check_seed
from vaekit.diagnostics import log_likelihood_per_image, negative_elbo_per_image
from vaekit.models import VAE, predict_in_batches

UNUSUAL_KINDS = ("noise", "blank", "inverted", "rotated")


def anomaly_scores(vae: VAE, images, *, num_samples: int = 100, seed: int = 0) -> dict:
    """Three per-image anomaly scores in nats or squared grey levels, higher = more unusual.

    Args:
        vae: a trained `VAE`.
        images: `(n, *image_shape)` in [0, 1].
        num_samples: K of the importance-weighted −log p(x).
        seed: seed of the draws of z.

    Returns:
        dict with `negative_elbo` (nats), `negative_log_likelihood` (nats, K samples) and
        `reconstruction_error` (squared error of the reconstruction from `z_mean`), each `(n,)`.
    """
    elbo = negative_elbo_per_image(vae, images, num_samples=5, seed=seed)["negative_elbo"]
    log_px = log_likelihood_per_image(vae, images, num_samples=num_samples, seed=seed)
    images = as_images(images)
    z_mean, _ = predict_in_batches(vae.encoder, images)
    reconstructions = predict_in_batches(vae.decoder, z_mean)
    error = np.square(images - reconstructions).reshape(len(images), -1).sum(axis=1)
    return {"negative_elbo": elbo, "negative_log_likelihood": -log_px,
            "reconstruction_error": error.astype(np.float64)}


def roc_auc(normal_scores, unusual_scores) -> float:
    """Area under the ROC curve of a score that should be higher for the unusual images.

    The probability that a random unusual image scores higher than a random normal one: 1 for
    a perfect detector, 0.5 for chance, below 0.5 when the score prefers the unusual images.

    Args:
        normal_scores: `(n_normal,)` scores of images like the training data.
        unusual_scores: `(n_unusual,)` scores of the images to detect.
    """
    normal = as_real_array(normal_scores, "normal_scores", finite=True)
    unusual = as_real_array(unusual_scores, "unusual_scores", finite=True)
    for name, scores in (("normal_scores", normal), ("unusual_scores", unusual)):
        if scores.ndim != 1 or len(scores) == 0:
            raise ValueError(
                f"`{name}` must be a non-empty 1-D array of scores. "
                f"Received: {name}.shape={scores.shape}"
            )
    labels = np.r_[np.zeros(len(normal)), np.ones(len(unusual))]
    return float(roc_auc_score(labels, np.r_[normal, unusual]))


def unusual_images(images, kind: str, *, seed: int = 0) -> np.ndarray:
    """Test inputs unlike the training digits, the same number and shape as `images`.

    Args:
        images: `(n, height, width)` grey levels in [0, 1].
        kind: `"noise"` (uniform random pixels), `"blank"` (all zero), `"inverted"` (1 − x) or
            `"rotated"` (each image turned by 90°).
        seed: seed of the noise.
    """
    images = as_images(images)
    if kind not in UNUSUAL_KINDS:
        raise ValueError(f"`kind` must be one of {UNUSUAL_KINDS}. Received: kind={kind!r}")
    rng = np.random.default_rng(check_seed("seed", seed))
    if kind == "noise":
        return rng.uniform(size=images.shape).astype(np.float32)
    if kind == "blank":
        return np.zeros_like(images)
    if kind == "inverted":
        return 1.0 - images
    if images.ndim != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(
            f"`rotated` needs square images (n, size, size). Received: images.shape="
            f"{images.shape}"
        )
    return np.rot90(images, axes=(1, 2)).copy()
