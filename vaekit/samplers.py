"""Ways to pick latent points to decode: the samplers a fair generator comparison needs.

A plain autoencoder has no distribution over its codes, so to generate with it one must choose
one after training ("ex-post density estimation", Ghosh et al., *From Variational to
Deterministic Autoencoders*, ICLR 2020). A VAE comes with its prior. Each sampler here has the
same scikit-learn-style interface: `fit(codes)` then `sample(num_samples, seed=...)`.

* `BoxSampler` — uniform over the codes' bounding box (the naive choice);
* `GaussianSampler` — one Gaussian with the codes' mean and full covariance;
* `GaussianMixtureSampler` — a Gaussian mixture fitted to the codes (the fair choice for an AE);
* `PriorSampler` — the VAE's prior N(0, I) (`fit` only reads the latent size);
* `AggregatePosteriorSampler` — the VAE's aggregate posterior q(z) = mean over x of q(z|x),
  fitted to `z_mean` and `z_log_var`: where the encoder really puts codes.
"""

from __future__ import annotations

import numpy as np
from sklearn.mixture import GaussianMixture

from vaekit.checks import as_codes, as_points, as_posterior, check_positive_int, check_seed

MAX_SAMPLES = 1_000_000  # latent points per `sample` call
MAX_COMPONENTS = 1_000  # mixture components


class _Sampler:
    """Shared checks: `sample` needs `fit` first and a positive `num_samples`."""

    def _check_fitted(self) -> None:
        if not hasattr(self, "latent_dim_"):
            raise ValueError(
                f"This {type(self).__name__} is not fitted yet. Call `fit` first."
            )

    def sample(self, num_samples: int, *, seed: int = 0) -> np.ndarray:
        """Draw `num_samples` latent points, `(num_samples, latent_dim)` float32."""
        self._check_fitted()
        num_samples = check_positive_int("num_samples", num_samples, maximum=MAX_SAMPLES)
        rng = np.random.default_rng(check_seed("seed", seed))
        return self._draw(rng, num_samples).astype(np.float32)


class BoxSampler(_Sampler):
    """Uniform over the bounding box of the codes: the naive sampler of lesson 2.

    Example:

    >>> BoxSampler().fit(codes).sample(1000, seed=0)  # doctest: +SKIP
    """

    def fit(self, codes) -> BoxSampler:
        """Record the box of `codes` `(num_codes, latent_dim)`."""
        codes = as_codes(codes)
        self.low_, self.high_ = codes.min(axis=0), codes.max(axis=0)
        self.latent_dim_ = codes.shape[1]
        return self

    def _draw(self, rng, num_samples):
        return rng.uniform(self.low_, self.high_, size=(num_samples, self.latent_dim_))


class GaussianSampler(_Sampler):
    """One Gaussian with the codes' mean and full covariance.

    It matches the codes' centre, scale and correlations, but not their shape (clusters and
    the gaps between them).
    """

    def fit(self, codes) -> GaussianSampler:
        """Fit the mean `(latent_dim,)` and covariance `(latent_dim, latent_dim)` of `codes`."""
        codes = as_codes(codes)
        self.mean_ = codes.mean(axis=0)
        self.covariance_ = np.atleast_2d(np.cov(codes, rowvar=False))
        self.latent_dim_ = codes.shape[1]
        return self

    def _draw(self, rng, num_samples):
        return rng.multivariate_normal(self.mean_, self.covariance_, size=num_samples)


class GaussianMixtureSampler(_Sampler):
    """A Gaussian mixture with full covariances fitted to the codes (ex-post density).

    With one component per digit class (the default, 10) it can follow the clusters of an
    autoencoder's codes and leave the gaps between them empty.

    Args:
        num_components: mixture components.
        seed: seed of the mixture's initialisation.
    """

    def __init__(self, num_components: int = 10, *, seed: int = 0):
        self.num_components = check_positive_int("num_components", num_components,
                                                 maximum=MAX_COMPONENTS)
        self.seed = check_seed("seed", seed)

    def fit(self, codes) -> GaussianMixtureSampler:
        """Fit the mixture to `codes` `(num_codes, latent_dim)`; needs as many distinct codes as
        components, and at least two."""
        codes = as_codes(codes)
        distinct = len(np.unique(codes, axis=0))
        if distinct < max(self.num_components, 2):
            needed = f"num_components={self.num_components}" if self.num_components > 1 else "2"
            raise ValueError(
                f"`codes` must hold at least {needed} distinct codes. Received: {distinct} "
                f"distinct codes in codes.shape={codes.shape}. Identical codes come from a "
                "collapsed encoder: retrain it, or fit fewer components."
            )
        self.mixture_ = GaussianMixture(
            self.num_components, covariance_type="full", reg_covar=1e-6 * codes.var(),
            n_init=2, random_state=self.seed,
        ).fit(codes)
        self.latent_dim_ = codes.shape[1]
        return self

    def _draw(self, rng, num_samples):
        components = rng.choice(self.num_components, size=num_samples, p=self.mixture_.weights_)
        points = np.empty((num_samples, self.latent_dim_))
        for index in range(self.num_components):
            chosen = components == index
            points[chosen] = rng.multivariate_normal(
                self.mixture_.means_[index], self.mixture_.covariances_[index], size=chosen.sum()
            )
        return points

    def log_density(self, points) -> np.ndarray:
        """log of the fitted density at `points` `(n, latent_dim)`, `(n,)`."""
        self._check_fitted()
        return self.mixture_.score_samples(as_points(points, self.latent_dim_))


class PriorSampler(_Sampler):
    """The VAE's prior N(0, I). `fit(codes)` reads only the latent size from `codes`."""

    def fit(self, codes) -> PriorSampler:
        """Record `latent_dim` from `codes` `(num_codes, latent_dim)`."""
        self.latent_dim_ = as_codes(codes).shape[1]
        return self

    def _draw(self, rng, num_samples):
        return rng.standard_normal((num_samples, self.latent_dim_))


class AggregatePosteriorSampler(_Sampler):
    """The aggregate posterior q(z) = (1/N) Σ_n q(z | x_n) of a VAE's encoder.

    Pick an image at random, then draw from its Gaussian q(z|x). Where q(z) and the prior
    differ, prior samples land where few codes are ("prior holes").
    """

    def fit(self, z_mean, z_log_var) -> AggregatePosteriorSampler:
        """Fit to the encoder's outputs, each `(num_images, latent_dim)`."""
        z_mean, z_log_var = as_posterior(z_mean, z_log_var)
        self.z_mean_, self.z_std_ = z_mean, np.exp(0.5 * z_log_var)
        self.latent_dim_ = z_mean.shape[1]
        return self

    def _draw(self, rng, num_samples):
        images = rng.integers(len(self.z_mean_), size=num_samples)
        noise = rng.standard_normal((num_samples, self.latent_dim_))
        return self.z_mean_[images] + self.z_std_[images] * noise
