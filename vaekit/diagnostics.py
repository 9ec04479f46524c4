"""Numbers for the lessons' claims: latent-space problems, sample quality, held-out ELBO.

The three problems of a vanilla autoencoder's latent space, each measured on a set of codes:

1. **off-centre** — `centre_offset`: distance of the codes' mean from the origin, in units of
   the codes' spread;
2. **uneven areas** — `class_area_shares`: the share of latent area each class owns (the class of
   the nearest code at random points), and the max/min ratio;
3. **gaps** — `gap_fraction`: the share of random points that are far from every code; and
   `DigitTypicality` / `digit_likeness`: how digit-like decoded points are (it rewards blur, so
   compare a model's samples with its own reconstructions; `vaekit.sample_quality` has the
   classifier-based measures that a blurry or collapsed model cannot win).

Also here: `interpolation_smoothness` (do nearby codes decode to similar images?) and the
held-out −ELBO and importance-weighted log-likelihood of a VAE. Samplers live in
`vaekit.samplers`, the encoder's use of its latent space in `vaekit.posterior`.
"""

from __future__ import annotations

import time

import numpy as np
from keras import ops
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

from vaekit.checks import (
    as_codes,
    as_images,
    as_labels,
    as_points,
    check_decoder,
    check_positive_int,
    check_positive_number,
    check_seed,
)
from vaekit.conditional import ConditionalVAE
from vaekit.language import translate
from vaekit.losses import (
    RECONSTRUCTION_LOSSES,
    gaussian_kl,
    gaussian_kl_per_dimension,
    squared_error,
)
from vaekit.models import VAE, predict_in_batches
from vaekit.posterior import gaussian_log_density
from vaekit.runtime import LiveLine, progress_text
from vaekit.samplers import MAX_SAMPLES, BoxSampler

MAX_GRID_SIZE = 1_000  # points per side of a `box_grid`
MAX_MONTE_CARLO_SAMPLES = 10_000  # draws of z per image (Burda et al. use 5,000)
MAX_DECODED = 100_000  # images decoded by `interpolation_smoothness`
MAX_COMPONENTS = 10_000  # principal components of `DigitTypicality`


def centre_offset(codes) -> float:
    """Distance of the codes' mean from the origin divided by their RMS spread.

    `||mean(codes)|| / sqrt(mean_j var(codes[:, j]))`: 0 for a cloud centred on the origin;
    above 1 the origin lies outside the bulk of the codes.

    Args:
        codes: `(num_codes, latent_dim)`.
    """
    codes = as_codes(codes)
    spread = np.sqrt(codes.var(axis=0).mean())
    if spread == 0:
        raise ValueError(
            "`codes` must not all be identical (their spread is 0). "
            f"Received: {len(codes)} copies of {codes[0].tolist()}"
        )
    return float(np.linalg.norm(codes.mean(axis=0)) / spread)


def box_grid(codes, grid_size: int = 50) -> np.ndarray:
    """A regular `grid_size × grid_size` grid over the bounding box of 2-D codes, `(n², 2)`."""
    codes = as_codes(codes)
    check_positive_int("grid_size", grid_size, maximum=MAX_GRID_SIZE)
    if codes.shape[1] != 2:
        raise ValueError(
            f"`codes` must have 2 columns for a 2-D grid. Received: codes.shape={codes.shape}"
        )
    low, high = codes.min(axis=0), codes.max(axis=0)
    axes = [np.linspace(low[j], high[j], grid_size) for j in range(2)]
    return np.stack(np.meshgrid(*axes), axis=-1).reshape(-1, 2)


def _neighbours(codes, k: int) -> NearestNeighbors:
    """A k-nearest-neighbour index over `codes` that computes exact distances (a k-d tree;
    sklearn's brute-force default loses small distances between large codes to rounding)."""
    return NearestNeighbors(n_neighbors=k, algorithm="kd_tree").fit(codes)


def _nearest(points, codes):
    """Distance to, and index of, each point's nearest code."""
    distances, indices = _neighbours(codes, 1).kneighbors(points)
    return distances[:, 0], indices[:, 0]


def class_area_shares(codes, labels, *, points=None, num_points: int = 20_000, seed: int = 0):
    """The share of latent area each class owns, and how uneven the shares are.

    Each point is given the label of its nearest code; a class's share is the fraction of
    points it gets. With the default points (uniform in the codes' bounding box) this is what a
    generator that samples the box would produce. Pass `points` (e.g. prior samples) to measure
    another sampler.

    Args:
        codes: `(num_codes, latent_dim)`.
        labels: `(num_codes,)` class of each code.
        points: `(num_points, latent_dim)` or None for uniform points in the codes' box.
        num_points: number of uniform points when `points` is None.
        seed: seed for the uniform points.

    Returns:
        dict with `classes` `(num_classes,)`, `shares` `(num_classes,)` summing to 1, and
        `max_min_ratio` (inf when a class gets no point at all).
    """
    codes = as_codes(codes)
    labels = as_labels(labels, len(codes))
    num_points = check_positive_int("num_points", num_points, maximum=MAX_SAMPLES)
    seed = check_seed("seed", seed)
    points = (
        BoxSampler().fit(codes).sample(num_points, seed=seed)
        if points is None
        else as_points(points, codes.shape[1])
    )
    _, nearest = _nearest(points, codes)
    classes = np.unique(labels)
    shares = np.array([(labels[nearest] == c).mean() for c in classes])
    ratio = np.inf if shares.min() == 0 else float(shares.max() / shares.min())
    return {"classes": classes, "shares": shares, "max_min_ratio": ratio}


def gap_fraction(codes, *, points=None, radius_factor: float = 3.0, grid_size: int = 50):
    """The share of points that are far from every code: the gaps in the latent space.

    "Far" means farther than `radius_factor` times the codes' typical spacing (the median
    distance from a distinct code to its nearest other one), so the measure does not depend on the
    scale of the latent space.

    Args:
        codes: `(num_codes, latent_dim)`.
        points: `(num_points, latent_dim)`, or None for a `box_grid` over 2-D codes.
        radius_factor: > 0, the gap radius in units of the typical spacing.
        grid_size: grid resolution when `points` is None.

    Returns:
        dict with `fraction` (in [0, 1]), `radius` and `far` — a boolean mask `(num_points,)`.
    """
    codes = as_codes(codes)
    check_positive_number("radius_factor", radius_factor)
    check_positive_int("grid_size", grid_size, maximum=MAX_GRID_SIZE)
    if points is None:
        points = box_grid(codes, grid_size)
    else:
        points = as_points(points, codes.shape[1])
    # Spacing between distinct codes: repeated codes must not shrink the radius to 0.
    distinct = np.unique(codes, axis=0)
    if len(distinct) < 2:
        raise ValueError(
            "`codes` must not all be identical (their spacing is 0). "
            f"Received: {len(codes)} copies of {codes[0].tolist()}"
        )
    spacing, _ = _neighbours(distinct, 2).kneighbors(distinct)
    radius = radius_factor * float(np.median(spacing[:, 1]))
    if not radius > 0:
        raise ValueError("`codes` are too close together to measure their spacing.")
    distances, _ = _nearest(points, codes)
    far = distances > radius
    return {"fraction": float(far.mean()), "radius": radius, "far": far}


def interpolation_smoothness(decoder, codes, *, num_pairs: int = 200, steps: int = 16,
                             seed: int = 0, batch_size: int = 1024) -> dict:
    """How evenly decoded images change along straight lines between codes.

    For random pairs of codes, decode `steps` evenly spaced points on the line between them
    and measure the pixel distance between consecutive images. A pair's *largest step share*
    is its largest step divided by the whole path length: `1 / (steps - 1)` when the image
    morphs evenly, near 1 when it jumps. It does not depend on the latent space's scale.

    Args:
        decoder: a model `(batch, latent_dim) → (batch, *image_shape)`.
        codes: `(num_codes, latent_dim)`, e.g. the test images' codes.
        num_pairs: number of random pairs (pairs of a code with itself are skipped).
        steps: points per line, ≥ 3.

    Returns:
        dict with `largest_step_share` (mean over pairs; NaN when no decoded image moves,
        e.g. a constant decoder, which is not smooth but dead), `even_share` (`1/(steps-1)`),
        and `path_ratio` (median over pairs of path length ÷ distance between the endpoint
        images; 1 for a straight morph).
    """
    codes = as_codes(codes)
    num_pairs = check_positive_int("num_pairs", num_pairs)
    steps = check_positive_int("steps", steps)
    if steps < 3:
        raise ValueError(f"`steps` must be at least 3. Received: steps={steps}")
    if num_pairs * steps > MAX_DECODED:
        raise ValueError(
            f"`num_pairs` × `steps` must be at most {MAX_DECODED:,} decoded images. "
            f"Received: num_pairs={num_pairs}, steps={steps}"
        )
    pairs = np.random.default_rng(check_seed("seed", seed)).integers(len(codes),
                                                                     size=(num_pairs, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if len(pairs) == 0:
        raise ValueError(
            f"`num_pairs` drew only pairs of a code with itself; draw more pairs or pass more "
            f"codes. Received: num_pairs={num_pairs} for {len(codes)} codes"
        )
    latent_dim = check_decoder("decoder", decoder)
    if codes.shape[1] != latent_dim:
        raise ValueError(
            f"`codes` must have {latent_dim} columns, the decoder's latent size. "
            f"Received: codes.shape={codes.shape}"
        )
    weights = np.linspace(0.0, 1.0, steps)[None, :, None]
    lines = codes[pairs[:, 0], None] * (1 - weights) + codes[pairs[:, 1], None] * weights
    images = predict_in_batches(decoder, lines.reshape(-1, codes.shape[1]).astype(np.float32),
                                batch_size).reshape(len(pairs), steps, -1).astype(np.float64)
    step_lengths = np.linalg.norm(np.diff(images, axis=1), axis=2)
    path = step_lengths.sum(axis=1)
    moving = path > 1e-6
    direct = np.linalg.norm(images[:, -1] - images[:, 0], axis=1)
    if not moving.any():
        share = ratio = float("nan")
    else:
        share = float(np.mean(step_lengths[moving].max(axis=1) / path[moving]))
        ratio = float(np.median(path[moving] / np.maximum(direct[moving], 1e-12)))
    return {"largest_step_share": share, "even_share": 1 / (steps - 1), "path_ratio": ratio}


class DigitTypicality:
    """How digit-like images are: distance to the nearest digit class in a PCA feature space.

    Fitted on real digits: project to the top `num_components` principal components, then fit
    one Gaussian per class. An image's `distance` is its Mahalanobis distance to the nearest
    class Gaussian — about 6 for real test digits with 40 components, larger for blends,
    smudges and noise. Blurry images score low (they sit near class means), so compare a
    model's samples with that **same model's reconstructions**, as the lessons do.

    Args:
        num_components: principal components kept.
        ridge: added to each class covariance's diagonal for a stable inverse.

    Example:

    >>> scorer = DigitTypicality().fit(x_train, y_train)  # doctest: +SKIP
    >>> scorer.distance(generated_images)  # doctest: +SKIP
    """

    def __init__(self, num_components: int = 40, ridge: float = 1e-3):
        self.num_components = check_positive_int("num_components", num_components,
                                                 maximum=MAX_COMPONENTS)
        self.ridge = check_positive_number("ridge", ridge)

    def fit(self, images, labels) -> DigitTypicality:
        """Fit on real images `(n, 28, 28)` or `(n, 784)` and their labels `(n,)`."""
        flat = _flatten(images)
        labels = as_labels(labels, len(flat))
        if self.num_components > min(flat.shape):
            raise ValueError(
                f"`num_components` must be at most {min(flat.shape)}, the smaller of the number "
                f"of images and of pixels per image. Received: num_components={self.num_components}"
            )
        if not np.any(flat != flat[0]):
            raise ValueError("`images` must not all be identical. Received: identical images")
        classes, counts = np.unique(labels, return_counts=True)
        if counts.min() < 2:
            raise ValueError(
                "`labels` must give every class at least 2 images. "
                f"Received: labels with 1 image of class {classes[counts.argmin()].item()!r}"
            )
        pca = PCA(self.num_components, random_state=0).fit(flat)
        features = pca.transform(flat)
        ridge = self.ridge * np.eye(self.num_components)
        means = np.stack([features[labels == c].mean(axis=0) for c in classes])
        precisions = np.stack(
            [np.linalg.inv(np.cov(features[labels == c].T) + ridge) for c in classes]
        )
        # Set together, so a fit that fails leaves a fitted scorer as it was.
        self.pca_, self.classes_, self.means_, self.precisions_ = pca, classes, means, precisions
        return self

    def _class_distances(self, images) -> np.ndarray:
        if not hasattr(self, "pca_"):
            raise ValueError("This DigitTypicality is not fitted yet. Call `fit` first.")
        features = self.pca_.transform(_flatten(images, self.pca_.n_features_in_))
        offsets = features[:, None, :] - self.means_[None]
        squared = np.einsum("ncj,cjk,nck->nc", offsets, self.precisions_, offsets)
        return np.sqrt(squared)

    def distance(self, images) -> np.ndarray:
        """Mahalanobis distance to the nearest class, `(n,)`; lower is more digit-like."""
        return self._class_distances(images).min(axis=1)

    def predict(self, images) -> np.ndarray:
        """The nearest class of each image, `(n,)`."""
        return self.classes_[self._class_distances(images).argmin(axis=1)]


def digit_likeness(scorer: DigitTypicality, images):
    """Summarise how digit-like a batch of images is, and which digits it contains.

    Args:
        scorer: a fitted `DigitTypicality`.
        images: `(n, 28, 28)` or `(n, 784)`.

    Returns:
        dict with `median_distance` (lower is more digit-like), `distances` `(n,)`, and
        `class_shares` `(num_classes,)` — the share of images nearest each digit class (0.1
        each for a perfectly diverse generator of MNIST).
    """
    if not isinstance(scorer, DigitTypicality):
        raise TypeError(
            "`scorer` must be a fitted DigitTypicality. "
            f"Received: scorer of type {type(scorer).__name__}"
        )
    if not hasattr(scorer, "pca_"):
        raise ValueError(
            "`scorer` must be a fitted DigitTypicality: call `scorer.fit(images, labels)` first. "
            "Received: an unfitted scorer"
        )
    distances = scorer._class_distances(images)
    nearest = scorer.classes_[distances.argmin(axis=1)]
    shares = np.array([(nearest == c).mean() for c in scorer.classes_])
    closest = distances.min(axis=1)
    return {"median_distance": float(np.median(closest)), "distances": closest,
            "class_shares": shares}


def _flatten(images, pixels: int | None = None) -> np.ndarray:
    """Check `images` (grey levels in [0, 1]) and flatten them to `(n, pixels)`."""
    images = as_images(images)
    flat = images.reshape(len(images), -1)
    if pixels is not None and flat.shape[1] != pixels:
        raise ValueError(
            f"`images` must have {pixels} pixels each, like the images `fit` saw. "
            f"Received: images.shape={images.shape}"
        )
    return flat


def reconstruction_error(images, reconstructions) -> float:
    """Mean over images of the squared error summed over pixels (PCA's objective)."""
    images = as_images(images, grey_levels=False)
    reconstructions = as_images(reconstructions, "reconstructions", grey_levels=False)
    if images.shape != reconstructions.shape:
        raise ValueError(
            "`images` and `reconstructions` must have the same shape. Received: "
            f"images.shape={images.shape}, reconstructions.shape={reconstructions.shape}"
        )
    return float(np.mean(ops.convert_to_numpy(squared_error(images, reconstructions))))


def _vae_images(vae, images) -> np.ndarray:
    """Check `vae` and return `images` as float32 of its encoder's input shape (grey levels in
    [0, 1] for the Bernoulli loss)."""
    if not isinstance(vae, VAE) or isinstance(vae, ConditionalVAE):
        raise TypeError(
            "`vae` must be a vaekit VAE without labels (a ConditionalVAE's encoder and decoder "
            f"also need the labels, which this function does not take). Received: vae of type "
            f"{type(vae).__name__}"
        )
    shape = tuple(vae.encoder.inputs[0].shape[1:])
    return as_images(images, shape=shape, grey_levels=vae.reconstruction == "bernoulli")


def negative_elbo_per_image(
    vae: VAE, images, *, num_samples: int = 1, seed: int = 0, batch_size: int = 500
) -> dict:
    """The −ELBO of each image in nats, split into reconstruction and KL (β = 1).

    The reconstruction term is averaged over `num_samples` draws of z per image; the KL term is
    in closed form.

    Args:
        vae: a trained `VAE`.
        images: `(n, *image_shape)`.

    Returns:
        dict with `negative_elbo`, `reconstruction` and `kl`, each `(n,)`.
    """
    images = _vae_images(vae, images)
    num_samples = check_positive_int("num_samples", num_samples, maximum=MAX_MONTE_CARLO_SAMPLES)
    z_mean, z_log_var = predict_in_batches(vae.encoder, images, batch_size)
    rng = np.random.default_rng(check_seed("seed", seed))
    reconstruction_loss = RECONSTRUCTION_LOSSES[vae.reconstruction]
    total = np.zeros(len(images))
    for _ in range(num_samples):
        z = z_mean + np.exp(0.5 * z_log_var) * rng.standard_normal(z_mean.shape)
        decoded = predict_in_batches(vae.decoder, z.astype(np.float32), batch_size)
        total += ops.convert_to_numpy(reconstruction_loss(images, decoded))
    reconstruction = total / num_samples
    kl = ops.convert_to_numpy(gaussian_kl(z_mean, z_log_var)).astype(np.float64)
    return {"negative_elbo": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}


def heldout_elbo(vae: VAE, images, *, num_samples: int = 1, seed: int = 0, batch_size: int = 500):
    """Held-out −ELBO in nats per image, split into reconstruction and KL (β = 1): the means
    over images of `negative_elbo_per_image`.

    Returns:
        dict with `negative_elbo`, `reconstruction` and `kl`, each a mean over images.
    """
    per_image = negative_elbo_per_image(
        vae, images, num_samples=num_samples, seed=seed, batch_size=batch_size
    )
    return {key: float(values.mean()) for key, values in per_image.items()}


def kl_per_dimension(vae: VAE, images, *, batch_size: int = 500) -> np.ndarray:
    """Mean KL(q(z_j|x) || N(0, 1)) of each latent dimension over `images`, `(latent_dim,)`.

    A dimension whose KL is ~0 carries no information about x (posterior collapse).
    """
    images = _vae_images(vae, images)
    z_mean, z_log_var = predict_in_batches(vae.encoder, images, batch_size)
    return ops.convert_to_numpy(gaussian_kl_per_dimension(z_mean, z_log_var)).mean(axis=0)


DECODES_PER_BATCH = 8_192


def importance_weighted_log_likelihood(
    vae: VAE, images, *, num_samples: int = 100, seed: int = 0, batch_size: int | None = None,
    progress: str | None = None,
) -> float:
    """The mean over images of `log_likelihood_per_image`, in nats (negative; −log p(x) is
    its negation)."""
    return float(
        log_likelihood_per_image(
            vae, images, num_samples=num_samples, seed=seed, batch_size=batch_size,
            progress=progress,
        ).mean()
    )


def log_likelihood_per_image(
    vae: VAE, images, *, num_samples: int = 100, seed: int = 0, batch_size: int | None = None,
    progress: str | None = None,
) -> np.ndarray:
    """Importance-weighted estimate of each image's log p(x) in nats (Burda et al., 2016).

    `log p(x) ≈ logsumexp_k [log p(x|z_k) + log p(z_k) − log q(z_k|x)] − log K` with
    `z_k ~ q(z|x)`, k = 1..K. A lower bound that tightens as K grows; K = 1 gives the ELBO.

    Args:
        vae: a trained `VAE`.
        images: `(n, *image_shape)`.
        num_samples: K, importance samples per image.
        seed: seed of the draws of z.
        batch_size: images per batch; None picks enough for about `DECODES_PER_BATCH` decoded
            images at a time, so memory stays bounded for any K.
        progress: a label, e.g. "−log p(x)": in a notebook, a line with that label shows how
            many images are done while it runs, then how long it took (`runtime.LiveLine`).

    Returns:
        The log-likelihood estimate of each image, `(n,)`.
    """
    images = _vae_images(vae, images)
    num_samples = check_positive_int("num_samples", num_samples, maximum=MAX_MONTE_CARLO_SAMPLES)
    if batch_size is None:
        batch_size = max(1, DECODES_PER_BATCH // num_samples)
    batch_size = check_positive_int("batch_size", batch_size)
    rng = np.random.default_rng(check_seed("seed", seed))
    if progress is not None and (not isinstance(progress, str) or not progress.strip()):
        raise ValueError(f"`progress` must be None or a label. Received: progress={progress!r}")
    line = None if progress is None else LiveLine(f"{progress}: …")
    began = time.perf_counter()
    reconstruction_loss = RECONSTRUCTION_LOSSES[vae.reconstruction]
    estimates = []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        z_mean, z_log_var = predict_in_batches(vae.encoder, batch)
        shape = (num_samples, *z_mean.shape)
        z = z_mean + np.exp(0.5 * z_log_var) * rng.standard_normal(shape)
        decoded = predict_in_batches(vae.decoder, z.reshape(-1, z.shape[-1]).astype(np.float32))
        repeated = np.broadcast_to(batch, (num_samples, *batch.shape)).reshape(decoded.shape)
        log_px_z = -ops.convert_to_numpy(reconstruction_loss(repeated, decoded))
        log_px_z = log_px_z.reshape(num_samples, len(batch))
        log_pz = gaussian_log_density(z, 0.0, np.zeros_like(z))
        log_qz = gaussian_log_density(z, z_mean, z_log_var)
        log_weights = log_px_z + log_pz - log_qz
        peak = log_weights.max(axis=0)
        estimates.append(
            peak + np.log(np.exp(log_weights - peak).mean(axis=0))
        )
        if line is not None:
            done = min(start + batch_size, len(images))
            line.update(f"{progress}: " + progress_text(
                done, len(images), time.perf_counter() - began, translate("images")))
    if line is not None:
        line.finish(f"{progress}: " + translate(
            "{images} images × K = {samples} in {elapsed} s").format(
            images=len(images), samples=num_samples, elapsed=f"{time.perf_counter() - began:.0f}"))
    return np.concatenate(estimates)
