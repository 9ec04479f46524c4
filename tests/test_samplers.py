import numpy as np
import pytest

from vaekit.samplers import (
    AggregatePosteriorSampler,
    BoxSampler,
    GaussianMixtureSampler,
    GaussianSampler,
    PriorSampler,
)

RNG = np.random.default_rng(0)
ALL_SAMPLERS = (BoxSampler, GaussianSampler, GaussianMixtureSampler, PriorSampler)


def _two_clusters(num_codes=1000, seed=0):
    """Two tight clusters at (-5, 0) and (5, 0): the middle of their box is a gap."""
    rng = np.random.default_rng(seed)
    centres = np.where(rng.random(num_codes) < 0.5, -5.0, 5.0)
    return np.stack([centres, np.zeros(num_codes)], axis=1) + rng.normal(0, 0.3, (num_codes, 2))


@pytest.mark.parametrize("sampler_class", ALL_SAMPLERS)
def test_samplers_are_seeded_and_return_float32(sampler_class):
    sampler = sampler_class().fit(_two_clusters())
    a = sampler.sample(50, seed=3)
    assert a.shape == (50, 2) and a.dtype == np.float32
    np.testing.assert_array_equal(a, sampler.sample(50, seed=3))
    assert not np.array_equal(a, sampler.sample(50, seed=4))
    assert sampler.sample(np.int64(5), seed=np.int64(1)).shape == (5, 2)


def test_box_sampler_stays_in_the_box_and_fills_it():
    codes = _two_clusters()
    points = BoxSampler().fit(codes).sample(20_000)
    assert np.all(points >= codes.min(axis=0) - 1e-6) and np.all(points <= codes.max(axis=0) + 1e-6)
    assert 0.25 < (np.abs(points[:, 0]) < 2).mean() < 0.4  # the gap gets its share of the box


def test_gaussian_sampler_matches_mean_and_covariance():
    covariance = np.array([[4.0, 1.5], [1.5, 1.0]])
    codes = np.random.default_rng(2).multivariate_normal([10.0, -3.0], covariance, size=20_000)
    samples = GaussianSampler().fit(codes).sample(40_000, seed=1)
    np.testing.assert_allclose(samples.mean(axis=0), codes.mean(axis=0), atol=0.05)
    np.testing.assert_allclose(np.cov(samples, rowvar=False), np.cov(codes, rowvar=False),
                               rtol=0.05, atol=0.03)


def test_gaussian_sampler_works_in_one_dimension():
    assert GaussianSampler().fit(RNG.normal(size=(50, 1))).sample(10).shape == (10, 1)


def test_mixture_follows_the_clusters_and_leaves_the_gap_empty():
    codes = _two_clusters()
    mixture = GaussianMixtureSampler(num_components=2).fit(codes)
    points = mixture.sample(10_000)
    assert (np.abs(points[:, 0]) < 2).mean() < 0.001
    assert 0.45 < (points[:, 0] > 0).mean() < 0.55
    single = GaussianSampler().fit(codes).sample(10_000)
    assert (np.abs(single[:, 0]) < 2).mean() > 0.2  # one Gaussian puts many samples in the gap
    assert mixture.log_density([[5.0, 0.0]])[0] > mixture.log_density([[0.0, 0.0]])[0] + 10


def test_prior_sampler_is_standard_normal_whatever_the_codes():
    points = PriorSampler().fit(_two_clusters() * 100).sample(40_000)
    np.testing.assert_allclose(points.mean(axis=0), 0, atol=0.02)
    np.testing.assert_allclose(points.std(axis=0), 1, atol=0.02)


def test_aggregate_posterior_has_the_total_variance():
    z_mean = RNG.normal(0, 2.0, (2000, 3))
    z_log_var = np.full((2000, 3), np.log(0.25))
    points = AggregatePosteriorSampler().fit(z_mean, z_log_var).sample(50_000)
    np.testing.assert_allclose(points.var(axis=0), z_mean.var(axis=0) + 0.25, rtol=0.05)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: BoxSampler().sample(5), "not fitted"),
        (lambda: BoxSampler().fit(np.zeros(5)), "codes"),
        (lambda: GaussianSampler().fit([[np.inf, 0], [0, 0]]), "finite"),
        (lambda: PriorSampler().fit(RNG.normal(size=(4, 2))).sample(0), "num_samples=0"),
        (lambda: PriorSampler().fit(RNG.normal(size=(4, 2))).sample(2.5), "num_samples=2.5"),
        (lambda: GaussianMixtureSampler(num_components=0), "num_components=0"),
        (lambda: GaussianMixtureSampler(num_components=10).fit(RNG.normal(size=(5, 2))),
         "at least num_components=10"),
        (lambda: AggregatePosteriorSampler().fit(np.zeros((4, 2)), np.zeros((4, 3))),
         "same shape"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: BoxSampler().fit("abc"), "`codes` must be an array of numbers"),
        (lambda: PriorSampler().fit(RNG.normal(size=(4, 2))).sample(3, seed="x"), "seed='x'"),
        (lambda: GaussianMixtureSampler(2, seed=-1), "seed=-1"),
        (lambda: GaussianMixtureSampler(2).fit(RNG.normal(size=(20, 2))).log_density(
            np.zeros((1, 3))), "2 columns"),
    ],
)
def test_more_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: GaussianMixtureSampler(3).fit(np.ones((10, 2))),
         r"at least num_components=3 distinct codes\. Received: 1 distinct"),
        (lambda: GaussianMixtureSampler(3).fit(np.repeat(RNG.normal(size=(2, 2)), 10, axis=0)),
         r"Received: 2 distinct"),
        (lambda: AggregatePosteriorSampler().fit(np.zeros((4, 2)), np.full((4, 2), 1e4)),
         r"`z_log_var` must be log-variances within"),
        (lambda: AggregatePosteriorSampler().fit(np.zeros((4, 2)), np.zeros((4, 2)) + 1j),
         r"`z_log_var` .*complex"),
    ],
)
def test_degenerate_codes_get_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.backend_independent
def test_identical_codes_are_refused_by_name_even_for_one_component():
    with pytest.raises(ValueError, match=r"`codes` must hold at least 2 distinct codes\. "
                                         r"Received: 1 distinct.*collapsed encoder"):
        GaussianMixtureSampler(1).fit(np.ones((10, 2)))
    assert GaussianMixtureSampler(np.int64(1)).fit(_two_clusters()).sample(3).shape == (3, 2)


BAD_CODES = [np.full((5, 2), np.nan), np.zeros((1, 2)), np.zeros(5), "codes", None]


@pytest.mark.backend_independent
@pytest.mark.parametrize("sampler_class", ALL_SAMPLERS)
def test_a_refused_fit_leaves_a_fitted_sampler_sampling_as_before(sampler_class):
    sampler = sampler_class().fit(_two_clusters())
    before = sampler.sample(20, seed=1)
    identical = [np.ones((50, 2))] if sampler_class is GaussianMixtureSampler else []
    for codes in BAD_CODES + identical:
        with pytest.raises(ValueError, match="codes"):
            sampler.fit(codes)
    for bad in (0, -1, 2**63, 2.5):
        with pytest.raises(ValueError, match="num_samples"):
            sampler.sample(bad)
    with pytest.raises(ValueError, match=r"seed=4294967296"):
        sampler.sample(3, seed=2**32)
    np.testing.assert_array_equal(sampler.sample(20, seed=1), before)


@pytest.mark.backend_independent
def test_a_refused_fit_leaves_the_aggregate_posterior_sampler_as_it_was():
    z_mean = _two_clusters(100)
    sampler = AggregatePosteriorSampler().fit(z_mean, np.zeros_like(z_mean))
    before = sampler.sample(20, seed=1)
    for z_log_var in (np.full_like(z_mean, 1e4), np.zeros((100, 3)), np.full_like(z_mean, np.nan)):
        with pytest.raises(ValueError, match="z_log_var"):
            sampler.fit(z_mean, z_log_var)
    np.testing.assert_array_equal(sampler.sample(20, seed=1), before)


@pytest.mark.backend_independent
def test_sample_counts_are_bounded():
    with pytest.raises(ValueError, match=r"at most 1,000,000\. Received: num_samples=9223"):
        PriorSampler().fit(_two_clusters()).sample(2**63)


@pytest.mark.backend_independent
def test_a_huge_number_of_components_is_refused():
    with pytest.raises(ValueError, match=r"at most 1,000\. Received: num_components=92233"):
        GaussianMixtureSampler(2**63)
