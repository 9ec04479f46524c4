import numpy as np
import pytest

from vaekit.posterior import (
    active_units,
    aggregate_log_density,
    aggregate_posterior_moments,
    gaussian_log_density,
    kl_decomposition,
)

RNG = np.random.default_rng(0)


def test_active_units_count_dimensions_whose_mean_varies():
    z_mean = np.stack([RNG.normal(0, 1, 500), RNG.normal(0, 0.05, 500), np.zeros(500)], axis=1)
    result = active_units(z_mean)
    assert result["count"] == 1
    np.testing.assert_array_equal(result["active"], [True, False, False])
    assert active_units(z_mean, threshold=0.001)["count"] == 2


def test_aggregate_moments_add_the_two_variances():
    z_mean = RNG.normal(1.0, 2.0, (5000, 2))
    z_log_var = np.full((5000, 2), np.log(0.5))
    moments = aggregate_posterior_moments(z_mean, z_log_var)
    np.testing.assert_allclose(moments["mean"], 1.0, atol=0.1)
    np.testing.assert_allclose(moments["variance"], z_mean.var(axis=0) + 0.5, rtol=1e-9)


def test_posteriors_equal_to_the_prior_carry_no_information():
    result = kl_decomposition(np.zeros((300, 2)), np.zeros((300, 2)))
    assert result["average_kl"] == pytest.approx(0.0, abs=1e-12)
    assert result["marginal_kl"] < 0.01 and abs(result["mutual_information"]) < 0.01


def test_sharp_distinct_posteriors_carry_log_n_nats():
    # 200 tiny Gaussians far apart: z identifies the image, so I(x; z) = log 200.
    z_mean = np.stack([np.linspace(-3, 3, 200), np.zeros(200)], axis=1)
    z_log_var = np.full((200, 2), np.log(1e-6))
    result = kl_decomposition(z_mean, z_log_var)
    assert result["mutual_information"] == pytest.approx(np.log(200), abs=0.05)
    assert result["max_information"] == pytest.approx(np.log(200))
    assert result["average_kl"] == pytest.approx(
        result["mutual_information"] + result["marginal_kl"])


def test_a_prior_hole_shows_as_marginal_kl():
    # Sharp codes spread twice as wide as the prior leave much of it empty.
    wide = kl_decomposition(RNG.normal(0, 2, (1000, 2)), np.full((1000, 2), np.log(0.01)))
    snug = kl_decomposition(RNG.normal(0, 1, (1000, 2)) * 0.99, np.full((1000, 2), np.log(0.01)))
    assert wide["marginal_kl"] > snug["marginal_kl"] + 0.3


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: active_units(np.zeros(5)), "z_mean"),
        (lambda: active_units(np.zeros((5, 2)), threshold=0), "threshold=0"),
        (lambda: aggregate_posterior_moments(np.zeros((4, 2)), np.zeros((4, 3))), "same shape"),
        (lambda: kl_decomposition(np.zeros((4, 2)), np.zeros((4, 2)), num_samples=0),
         "num_samples=0"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_aggregate_log_density_of_one_gaussian_is_that_gaussian():
    density = aggregate_log_density([[0.0, 0.0], [1.0, 1.0]], np.zeros((3, 2)), np.zeros((3, 2)))
    np.testing.assert_allclose(density, [-np.log(2 * np.pi), -np.log(2 * np.pi) - 1.0])
    with pytest.raises(ValueError, match="2 columns"):
        aggregate_log_density(np.zeros((1, 3)), np.zeros((3, 2)), np.zeros((3, 2)))


def test_bad_seed_is_named():
    with pytest.raises(ValueError, match="seed='x'"):
        kl_decomposition(np.zeros((4, 2)), np.zeros((4, 2)), seed="x")


CODES = np.random.default_rng(7).normal(size=(40, 2))
NAN_CODES = np.where(np.arange(2) == 0, np.nan, CODES)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: aggregate_posterior_moments(CODES, np.full((40, 2), 1e3)),
         r"`z_log_var` must be log-variances within ±88\.7.*\[1000, 1000\]"),
        (lambda: kl_decomposition(CODES, np.full((40, 2), -200.0)), r"`z_log_var` .*-200"),
        (lambda: gaussian_log_density(["a"], 0.0, 0.0), r"`z` must be an array of numbers"),
        (lambda: gaussian_log_density(None, 0.0, 0.0), r"`z` .*z=None"),
        (lambda: gaussian_log_density(np.zeros((4, 2)), np.zeros((4, 3)), np.zeros((4, 3))),
         r"must broadcast together.*mean.shape=\(4, 3\)"),
        (lambda: gaussian_log_density(NAN_CODES, 0.0, np.zeros_like(CODES)), r"`z` must be finite"),
        (lambda: gaussian_log_density(CODES, 0.0, float("nan")), r"`log_var` must be finite"),
    ],
)
def test_non_finite_or_overflowing_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_gaussian_log_density_of_the_standard_normal():
    np.testing.assert_allclose(gaussian_log_density([[0.0, 0.0]], 0.0, np.zeros(2)),
                               [-np.log(2 * np.pi)])


def test_kl_decomposition_bounds_its_sample_count():
    z_mean = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match=r"at most 100,000\. Received: num_samples=1099511627776"):
        kl_decomposition(z_mean, np.zeros_like(z_mean), num_samples=2**40)
    result = kl_decomposition(z_mean, np.zeros_like(z_mean), num_samples=np.int64(50),
                              seed=np.int64(1))
    assert result["max_information"] == pytest.approx(np.log(10))
