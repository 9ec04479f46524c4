"""How a VAE's encoder uses its latent space: active units, the aggregate posterior, ELBO surgery.

* `active_units` — Burda et al.'s (2016) count: dimension j is active when
  `Cov_x(E_q[z_j | x]) > 0.01`, i.e. its code mean changes with the image;
* `aggregate_posterior_moments` — mean and variance of q(z) = (1/N) Σ_n q(z | x_n); for a
  well-fitted VAE both are close to the prior's (0 and 1 per axis);
* `kl_decomposition` — the average KL term split as
  `E_x KL(q(z|x) ‖ p(z)) = I(x; z) + KL(q(z) ‖ p(z))` (Hoffman & Johnson, *ELBO surgery*, 2016):
  the information the codes carry about the image, plus how far the codes' overall
  distribution is from the prior (large when the prior has "holes").

All take the encoder's outputs `z_mean` and `z_log_var`, each `(num_images, latent_dim)`, as
NumPy arrays (e.g. from `predict_in_batches(vae.encoder, images)`).
"""

from __future__ import annotations

import numpy as np
from keras import ops
from scipy.special import logsumexp

from vaekit.checks import (
    as_codes,
    as_float_array,
    as_points,
    as_posterior,
    check_log_variance,
    check_positive_int,
    check_positive_number,
    check_seed,
)
from vaekit.losses import gaussian_kl
from vaekit.samplers import AggregatePosteriorSampler

ACTIVE_UNIT_THRESHOLD = 0.01
MAX_KL_SAMPLES = 100_000  # draws of q(z) in `kl_decomposition`


def active_units(z_mean, *, threshold: float = ACTIVE_UNIT_THRESHOLD) -> dict:
    """Burda et al.'s active units: dimensions whose code mean varies across images.

    Args:
        z_mean: `(num_images, latent_dim)`, E_q[z | x] of each image.
        threshold: a dimension is active when the variance of its mean exceeds this.

    Returns:
        dict with `count` (int), `active` `(latent_dim,)` bool, and `variance` `(latent_dim,)`.
    """
    z_mean = as_codes(z_mean, "z_mean")
    check_positive_number("threshold", threshold)
    variance = z_mean.var(axis=0)
    active = variance > threshold
    return {"count": int(active.sum()), "active": active, "variance": variance}


def aggregate_posterior_moments(z_mean, z_log_var) -> dict:
    """Mean and per-axis variance of the aggregate posterior q(z), by the law of total variance.

    `Var q(z)_j = Var_x(mu_j(x)) + E_x(sigma_j²(x))`; the prior N(0, I) has 0 and 1.

    Returns:
        dict with `mean`, `variance`, `variance_of_means` and `mean_of_variances`, each
        `(latent_dim,)`.
    """
    z_mean, z_log_var = as_posterior(z_mean, z_log_var)
    between, within = z_mean.var(axis=0), np.exp(z_log_var).mean(axis=0)
    return {"mean": z_mean.mean(axis=0), "variance": between + within,
            "variance_of_means": between, "mean_of_variances": within}


def gaussian_log_density(z, mean, log_var) -> np.ndarray:
    """log N(z; mean, diag exp(log_var)) summed over the last axis (broadcasting)."""
    z, mean = as_float_array(z, "z", finite=True), as_float_array(mean, "mean", finite=True)
    log_var = check_log_variance(as_float_array(log_var, "log_var", finite=True), "log_var")
    try:
        np.broadcast_shapes(z.shape, mean.shape, log_var.shape)
    except ValueError:
        raise ValueError(
            "`z`, `mean` and `log_var` must broadcast together. Received: "
            f"z.shape={z.shape}, mean.shape={mean.shape}, log_var.shape={log_var.shape}"
        ) from None
    return -0.5 * np.sum(np.log(2 * np.pi) + log_var + (z - mean) ** 2 / np.exp(log_var), axis=-1)


def aggregate_log_density(points, z_mean, z_log_var) -> np.ndarray:
    """log q(z) of the aggregate posterior (1/N) Σ_n N(z; mu_n, sigma_n²) at `points`, `(n,)`.

    Args:
        points: `(n, latent_dim)`.
        z_mean: `(N, latent_dim)`, one row per image.
        z_log_var: `(N, latent_dim)`.
    """
    z_mean, z_log_var = as_posterior(z_mean, z_log_var)
    points = as_points(points, z_mean.shape[1])
    chunks = np.array_split(points, max(1, len(points) // 256))
    log_q = [logsumexp(gaussian_log_density(chunk[:, None, :], z_mean[None], z_log_var[None]),
                       axis=1) for chunk in chunks]
    return np.concatenate(log_q) - np.log(len(z_mean))


def kl_decomposition(z_mean, z_log_var, *, num_samples: int = 2_000, seed: int = 0) -> dict:
    """Split the average KL term into I(x; z) and KL(q(z) ‖ p(z)), in nats per image.

    The average KL is exact (closed form). KL(q(z) ‖ p(z)) is a Monte Carlo estimate from
    `num_samples` draws of q(z), the mixture of the N images' Gaussians; the mutual information
    is their difference, and is at most log N for N images.

    Returns:
        dict with `average_kl`, `mutual_information`, `marginal_kl` and `max_information`
        (log N).
    """
    z_mean, z_log_var = as_posterior(z_mean, z_log_var)
    num_samples = check_positive_int("num_samples", num_samples, maximum=MAX_KL_SAMPLES)
    seed = check_seed("seed", seed)
    average_kl = float(np.mean(ops.convert_to_numpy(gaussian_kl(z_mean, z_log_var))))
    z = AggregatePosteriorSampler().fit(z_mean, z_log_var).sample(num_samples, seed=seed)
    log_q = aggregate_log_density(z, z_mean, z_log_var)
    log_p = gaussian_log_density(z, 0.0, np.zeros_like(z))
    marginal_kl = float(max(np.mean(log_q - log_p), 0.0))
    return {"average_kl": average_kl, "marginal_kl": marginal_kl,
            "mutual_information": average_kl - marginal_kl,
            "max_information": float(np.log(len(z_mean)))}
