"""Property-based tests: the losses and diagnostics over shapes, dtypes and extreme values."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from keras import ops
from scipy import stats

from vaekit import diagnostics, losses, posterior, sample_quality

FLOAT_DTYPES = st.sampled_from([np.float16, np.float32, np.float64])


def batches(elements, *, max_batch=6, max_dims=3, max_side=5):
    """Arrays of shape (batch >= 1, ...) with 1 to `max_dims` axes after the batch."""
    shapes = hnp.array_shapes(min_dims=2, max_dims=max_dims + 1, min_side=1, max_side=max_side)
    shapes = shapes.filter(lambda shape: shape[0] <= max_batch)
    return shapes.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=elements))


unit = st.floats(0.0, 1.0)
# Probabilities including the extremes 0 and 1, where an unclipped log would give inf.
probabilities = st.one_of(st.sampled_from([0.0, 1.0, 1e-30, 1 - 1e-12]), unit)


def numpy(values):
    return np.asarray(ops.convert_to_numpy(values), dtype=np.float64)


@given(batches(unit), st.data())
def test_bernoulli_loss_is_finite_and_smallest_at_the_target(x, data):
    p = data.draw(hnp.arrays(np.float64, x.shape, elements=probabilities))
    loss = numpy(losses.bernoulli_reconstruction_loss(x, p))
    best = numpy(losses.bernoulli_reconstruction_loss(x, x))
    assert loss.shape == (x.shape[0],)
    assert np.all(np.isfinite(loss)) and np.all(loss >= 0)
    # Its minimum over p is at p = x (the pixels' entropy), up to float32 rounding.
    assert np.all(best <= loss + 1e-3 * (1 + np.abs(loss)))


@given(batches(st.floats(-1e3, 1e3)), st.data(), st.floats(1e-2, 1e2))
def test_gaussian_loss_is_the_normal_log_density(x, data, sigma):
    mean = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-1e3, 1e3)))
    expected = -stats.norm.logpdf(x, mean, sigma).reshape(len(x), -1).sum(axis=1)
    loss = numpy(losses.gaussian_reconstruction_loss(x, mean, sigma=sigma))
    np.testing.assert_allclose(loss, expected, rtol=1e-4, atol=1e-2)


@given(
    hnp.array_shapes(min_dims=2, max_dims=2, max_side=8).flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float64, shape, elements=st.floats(-30, 30)),
            hnp.arrays(np.float64, shape, elements=st.floats(-15, 15)),
        )
    ),
    FLOAT_DTYPES,
    FLOAT_DTYPES,
)
def test_kl_is_non_negative_and_exact_in_any_dtype(moments, mean_dtype, log_var_dtype):
    z_mean, z_log_var = moments[0].astype(mean_dtype), moments[1].astype(log_var_dtype)
    kl = numpy(losses.gaussian_kl(z_mean, z_log_var))
    mu, log_var = z_mean.astype(np.float64), z_log_var.astype(np.float64)
    expected = 0.5 * (mu**2 + np.exp(log_var) - log_var - 1).sum(axis=1)
    assert kl.shape == (len(z_mean),)
    assert np.all(np.isfinite(kl)) and np.all(kl >= -1e-6)
    np.testing.assert_allclose(kl, expected, rtol=1e-5, atol=1e-5)


codes_2d = hnp.arrays(
    np.float64,
    st.tuples(st.integers(3, 40), st.just(2)),
    # Subnormal spacings underflow to a zero distance; those are refused, tested elsewhere.
    elements=st.floats(-1e6, 1e6).filter(lambda value: value == 0 or abs(value) > 1e-100),
).filter(lambda codes: len(np.unique(codes, axis=0)) >= 2)


@given(codes_2d, st.floats(0.5, 10))
def test_gap_fraction_is_a_share_and_scale_free(codes, radius_factor):
    result = diagnostics.gap_fraction(codes, radius_factor=radius_factor, grid_size=8)
    assert 0.0 <= result["fraction"] <= 1.0
    assert np.isfinite(result["radius"]) and result["radius"] > 0
    scaled = diagnostics.gap_fraction(codes * 4.0, radius_factor=radius_factor, grid_size=8)
    assert scaled["fraction"] == pytest.approx(result["fraction"])


@given(
    hnp.arrays(np.float64, st.tuples(st.integers(2, 30), st.integers(1, 6)),
               elements=st.floats(-1e4, 1e4))
)
def test_active_units_count_is_bounded(z_mean):
    result = posterior.active_units(z_mean)
    assert 0 <= result["count"] <= z_mean.shape[1]
    assert result["count"] == int(result["active"].sum())


@given(
    hnp.arrays(np.float64, st.tuples(st.integers(3, 30), st.integers(1, 5)),
               elements=st.floats(-1e3, 1e3)),
    st.floats(-1e3, 1e3),
)
def test_frechet_distance_is_a_squared_distance(features, shift):
    same = sample_quality.frechet_distance(features, features)
    assert abs(same) <= 1e-6 * (1 + np.abs(features).max() ** 2)
    moved = sample_quality.frechet_distance(features, features + shift)
    # Shifting one set by `shift` on every axis adds exactly dim * shift^2.
    expected = features.shape[1] * shift**2
    assert moved == pytest.approx(expected, rel=1e-6, abs=1e-6 * (1 + np.abs(features).max() ** 2))


@given(
    hnp.arrays(np.float64, st.tuples(st.integers(5, 30), st.integers(1, 4)),
               elements=st.floats(-1e3, 1e3)),
    hnp.arrays(np.float64, st.tuples(st.integers(5, 30), st.integers(1, 4)),
               elements=st.floats(-1e3, 1e3)),
)
def test_precision_and_recall_are_shares(real, generated):
    if real.shape[1] != generated.shape[1]:
        generated = np.resize(generated, (len(generated), real.shape[1]))
    result = sample_quality.precision_recall(real, generated, k=3)
    assert 0.0 <= result["precision"] <= 1.0 and 0.0 <= result["recall"] <= 1.0


@given(
    st.floats(-1e6, 1e6, allow_nan=False).filter(np.isfinite),
    st.sampled_from([np.nan, np.inf, -np.inf]),
)
def test_non_finite_values_are_refused_not_passed_through(value, bad):
    codes = np.array([[value, 0.0], [0.0, 1.0], [1.0, bad]])
    for measure in (diagnostics.centre_offset, diagnostics.gap_fraction,
                    posterior.active_units):
        with pytest.raises(ValueError, match="finite"):
            measure(codes)
