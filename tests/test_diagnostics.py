import keras
import numpy as np
import pytest

from vaekit.diagnostics import (
    DigitTypicality,
    box_grid,
    centre_offset,
    class_area_shares,
    digit_likeness,
    gap_fraction,
    heldout_elbo,
    importance_weighted_log_likelihood,
    interpolation_smoothness,
    kl_per_dimension,
    log_likelihood_per_image,
    reconstruction_error,
)
from vaekit.models import build_autoencoder, build_vae, predict_in_batches
from vaekit.samplers import BoxSampler

RNG = np.random.default_rng(0)


def test_centre_offset_known_answers():
    centred = RNG.standard_normal((5000, 2))
    assert centre_offset(centred) < 0.05
    shifted = centred * 2.0 + np.array([6.0, 8.0])  # |mean| = 10, spread = 2
    assert centre_offset(shifted) == pytest.approx(5.0, rel=0.03)


def test_class_area_shares_known_answers():
    # Two classes side by side: class 0 owns x in [0, 3], class 1 owns x in (3, 4].
    codes = np.array([[x, y] for x in np.linspace(0, 4, 41) for y in np.linspace(0, 1, 11)])
    labels = (codes[:, 0] > 3.0).astype(int)
    result = class_area_shares(codes, labels, num_points=20_000)
    np.testing.assert_allclose(result["shares"], [0.76, 0.24], atol=0.02)
    assert result["max_min_ratio"] == pytest.approx(0.76 / 0.24, rel=0.1)
    even = class_area_shares(codes, (codes[:, 0] > 2.0).astype(int), num_points=20_000)
    assert even["max_min_ratio"] < 1.1


def test_class_area_shares_with_given_points():
    codes = np.array([[0.0, 0.0], [1.0, 0.0]])
    points = np.array([[0.1, 0.0], [0.2, 0.0], [0.9, 0.0], [0.3, 0.0]])
    result = class_area_shares(codes, np.array([0, 1]), points=points)
    np.testing.assert_allclose(result["shares"], [0.75, 0.25])


def test_gap_fraction_known_answers():
    dense = RNG.uniform(0, 1, (2000, 2))
    assert gap_fraction(dense)["fraction"] < 0.01
    # Two tight clusters in opposite corners: most of the box is empty.
    clusters = np.concatenate([RNG.normal(0, 0.02, (500, 2)), RNG.normal(1, 0.02, (500, 2))])
    result = gap_fraction(clusters)
    assert result["fraction"] > 0.9
    assert result["far"].shape == (50 * 50,)


def test_repeated_codes_do_not_close_the_gap_radius():
    dense = RNG.uniform(0, 1, (2000, 2))
    repeated = np.concatenate([dense, np.repeat(dense[:1], 2000, axis=0)])
    assert gap_fraction(repeated)["fraction"] < 0.01
    with pytest.raises(ValueError, match="identical"):
        gap_fraction(np.ones((10, 2)))
    with pytest.raises(ValueError, match="too close"):
        gap_fraction(np.array([[5e-324, 0.0], [0.0, 0.0], [0.0, 5e-324]]))


def test_gap_fraction_is_scale_free():
    codes = RNG.standard_normal((500, 2))
    points = BoxSampler().fit(codes).sample(2000, seed=1)
    a = gap_fraction(codes, points=points)["fraction"]
    b = gap_fraction(codes * 100, points=points * 100)["fraction"]
    assert a == pytest.approx(b)


def test_box_samples_and_grid_stay_in_the_box():
    codes = np.array([[-1.0, 2.0], [3.0, 5.0], [0.0, 4.0]])
    samples = BoxSampler().fit(codes).sample(1000)
    assert samples.shape == (1000, 2)
    assert samples.min(0) == pytest.approx([-1, 2], abs=0.1) and np.all(samples.max(0) <= [3, 5])
    grid = box_grid(codes, 4)
    assert grid.shape == (16, 2) and grid.min(0).tolist() == [-1, 2]


def test_digit_typicality_separates_digits_from_noise(mnist_subset):
    m = mnist_subset
    scorer = DigitTypicality().fit(m.x_train, m.y_train)
    real = digit_likeness(scorer, m.x_test)
    noise = digit_likeness(scorer, RNG.uniform(0, 1, (200, 28, 28)))
    assert real["median_distance"] < 0.8 * noise["median_distance"]
    assert (scorer.predict(m.x_test) == m.y_test).mean() > 0.85
    np.testing.assert_allclose(real["class_shares"], 0.1, atol=0.03)
    ones = digit_likeness(scorer, m.x_test[m.y_test == 1])
    assert ones["class_shares"][1] > 0.75


def test_reconstruction_error_is_summed_over_pixels():
    images = np.zeros((3, 28, 28), "float32")
    assert reconstruction_error(images, images + 0.5) == pytest.approx(784 * 0.25)


@pytest.fixture(scope="module")
def trained_vae():
    keras.utils.set_random_seed(0)
    images = np.random.default_rng(1).uniform(size=(64, 28, 28)).astype("float32") ** 4
    vae = build_vae(latent_dim=2, hidden_units=(16,), seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    vae.fit(images, epochs=3, batch_size=16, verbose=0)
    return vae, images


def test_heldout_elbo_matches_evaluate(trained_vae):
    vae, images = trained_vae
    ours = heldout_elbo(vae, images, num_samples=20)
    keras_result = vae.evaluate(images, batch_size=64, verbose=0, return_dict=True)
    assert ours["kl"] == pytest.approx(keras_result["kl_loss"], rel=1e-4)
    assert ours["reconstruction"] == pytest.approx(keras_result["reconstruction_loss"], rel=0.02)
    assert ours["negative_elbo"] == pytest.approx(ours["reconstruction"] + ours["kl"])


def test_importance_weighting_tightens_the_bound(trained_vae):
    vae, images = trained_vae
    elbo = -heldout_elbo(vae, images, num_samples=50)["negative_elbo"]
    one = importance_weighted_log_likelihood(vae, images, num_samples=1, seed=3)
    many = importance_weighted_log_likelihood(vae, images, num_samples=200, seed=3)
    assert one == pytest.approx(elbo, abs=2.0)
    assert many >= elbo - 0.5


def test_a_long_estimate_shows_its_progress_and_gives_the_same_numbers(trained_vae, record_lines):
    from vaekit import diagnostics

    vae, images = trained_vae
    plain = log_likelihood_per_image(vae, images, num_samples=20, seed=3, batch_size=16)
    lines = record_lines(diagnostics)
    shown = log_likelihood_per_image(vae, images, num_samples=20, seed=3, batch_size=16,
                                     progress="−log p(x)")
    np.testing.assert_array_equal(shown, plain)
    [line] = lines
    assert line.shown[0] == "−log p(x): …"
    assert [text.split(" · ")[0] for text in line.shown[1:5]] == [
        f"−log p(x): images {done}/64" for done in (16, 32, 48, 64)]
    assert line.finished.startswith("−log p(x): 64 images × K = 20 in ")
    with pytest.raises(ValueError, match=r"`progress` must be None or a label. "
                                         r"Received: progress=''"):
        log_likelihood_per_image(vae, images, progress="")


def test_kl_per_dimension_sums_to_kl(trained_vae):
    vae, images = trained_vae
    per_dim = kl_per_dimension(vae, images)
    assert per_dim.shape == (2,)
    assert per_dim.sum() == pytest.approx(heldout_elbo(vae, images)["kl"], rel=1e-5)


def test_codes_of_a_real_model_can_be_scored(trained_vae):
    vae, images = trained_vae
    z_mean, _ = predict_in_batches(vae.encoder, images)
    assert np.isfinite(centre_offset(z_mean))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: centre_offset(np.zeros(5)), "codes"),
        (lambda: centre_offset(np.ones((4, 2))), "spread is 0"),
        (lambda: centre_offset([[np.nan, 0.0], [1.0, 1.0]]), "finite"),
        (lambda: class_area_shares(np.zeros((4, 2)), [0, 1]), "labels"),
        (lambda: class_area_shares(RNG.normal(size=(4, 2)), [0, 1, 0, 1],
                                   points=np.zeros((3, 3))), "points"),
        (lambda: gap_fraction(RNG.normal(size=(4, 2)), radius_factor=0), "radius_factor=0"),
        (lambda: box_grid(RNG.normal(size=(4, 3))), "`codes` must have 2 columns"),
        (lambda: interpolation_smoothness(None, RNG.normal(size=(4, 2)), steps=2), "steps=2"),
        (lambda: interpolation_smoothness(None, RNG.normal(size=(4, 2)), num_pairs=0),
         "num_pairs=0"),
        (lambda: DigitTypicality(num_components=0), "num_components=0"),
        (lambda: DigitTypicality().distance(np.zeros((2, 784))), "not fitted"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_model_functions_need_a_vae():
    with pytest.raises(TypeError, match="vae"):
        heldout_elbo(build_autoencoder(latent_dim=2), np.zeros((2, 28, 28)))


def _linear_decoder(weights):
    inputs = keras.Input((2,))
    outputs = keras.layers.Dense(weights.shape[1], use_bias=False, trainable=False)
    model = keras.Model(inputs, outputs(inputs))
    outputs.set_weights([weights])
    return model


def test_interpolation_smoothness_known_answers():
    codes = RNG.normal(size=(100, 2))
    linear = interpolation_smoothness(_linear_decoder(RNG.normal(size=(2, 20))), codes, steps=11)
    assert linear["largest_step_share"] == pytest.approx(0.1, abs=1e-4)  # an even morph
    assert linear["path_ratio"] == pytest.approx(1.0, abs=1e-4)

    def step_decoder(z):  # an image that flips at z[0] = 0: a jump between two digits
        return keras.ops.cast(z[:, :1] > 0, "float32") * keras.ops.ones((1, 20))

    inputs = keras.Input((2,))
    jumpy = keras.Model(inputs, keras.layers.Lambda(step_decoder)(inputs))
    jump = interpolation_smoothness(jumpy, codes, steps=11)
    assert jump["largest_step_share"] == pytest.approx(1.0)


def test_interpolation_smoothness_of_a_constant_decoder_is_undefined():
    inputs = keras.Input((2,))
    constant = keras.Model(inputs, keras.layers.Dense(20, kernel_initializer="zeros")(inputs))
    result = interpolation_smoothness(constant, RNG.normal(size=(50, 2)))
    assert np.isnan(result["largest_step_share"])  # so no claim "smoother than" can pass


GREY = np.random.default_rng(7).uniform(size=(8, 28, 28)).astype("float32")
NAN_GREY = np.where(np.arange(28) == 0, np.nan, GREY).astype("float32")
CODES = np.random.default_rng(8).normal(size=(40, 2))


@pytest.fixture(scope="module")
def untrained_vae():
    return build_vae(latent_dim=2, hidden_units=(8,), seed=0)


@pytest.fixture(scope="module")
def small_scorer():
    images = np.random.default_rng(9).uniform(size=(60, 28, 28)) ** 3
    return DigitTypicality(num_components=5).fit(images, np.arange(60) % 3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda v, s: centre_offset(CODES + 1j), r"`codes` .*complex"),
        (lambda v, s: class_area_shares(CODES, np.arange(40) % 4, num_points=0), "num_points=0"),
        (lambda v, s: class_area_shares(CODES, np.full(40, np.nan), num_points=10),
         r"`labels` must be finite"),
        (lambda v, s: gap_fraction(CODES, points=np.zeros((5, 3))), "`points` must have 2 col"),
        (lambda v, s: interpolation_smoothness(v.decoder, np.zeros((5, 3)) + np.arange(5)[:, None],
                                               num_pairs=3), r"`codes` must have 2 columns"),
        (lambda v, s: interpolation_smoothness(v.decoder, CODES[:2], num_pairs=1, seed=0),
         r"`num_pairs` drew only pairs of a code with itself"),
        (lambda v, s: DigitTypicality(num_components=100).fit(GREY, np.arange(8) % 2),
         r"`num_components` must be at most 8"),
        (lambda v, s: DigitTypicality(num_components=2).fit(NAN_GREY, np.arange(8) % 2),
         r"`images` must hold grey levels"),
        (lambda v, s: DigitTypicality(num_components=2).fit(np.array([["a"] * 784] * 20),
                                                            np.zeros(20)), r"`images` .*numbers"),
        (lambda v, s: DigitTypicality(num_components=2).fit(GREY, np.r_[np.zeros(7), 1]),
         r"`labels` must give every class at least 2 images.*class 1"),
        (lambda v, s: DigitTypicality(num_components=2).fit(np.zeros((8, 28, 28)),
                                                            np.arange(8) % 2), "identical"),
        (lambda v, s: s.distance(np.zeros((4, 14, 14))),
         r"`images` must have 784 pixels each.*\(4, 14, 14\)"),
        (lambda v, s: s.distance(GREY * 255), "divide 0–255"),
        (lambda v, s: s.distance(GREY + 1j), r"`images` .*complex"),
        (lambda v, s: s.predict(NAN_GREY), r"`images` must hold grey levels"),
        (lambda v, s: digit_likeness(s, GREY * 255), "divide 0–255"),
        (lambda v, s: reconstruction_error(GREY, GREY[:4]),
         r"`images` and `reconstructions` must have the same shape"),
        (lambda v, s: reconstruction_error(GREY, NAN_GREY), r"`reconstructions` must be finite"),
        (lambda v, s: reconstruction_error(GREY[:0], GREY[:0]), r"`images` must be a non-empty"),
        (lambda v, s: reconstruction_error(["a"], ["b"]), r"`images` must be an array of numbers"),
        (lambda v, s: heldout_elbo(v, GREY * 255), r"`images` .*divide 0–255"),
        (lambda v, s: heldout_elbo(v, NAN_GREY), r"`images` must hold grey levels"),
        (lambda v, s: heldout_elbo(v, GREY[:0]), r"`images` must be a non-empty"),
        (lambda v, s: heldout_elbo(v, GREY[:, :14, :14]),
         r"`images` must be a non-empty batch of 28 × 28 images.*\(8, 14, 14\)"),
        (lambda v, s: heldout_elbo(v, GREY, seed=-1), "seed=-1"),
        (lambda v, s: heldout_elbo(v, GREY, seed="0"), "seed='0'"),
        (lambda v, s: kl_per_dimension(v, NAN_GREY), r"`images` must hold grey levels"),
        (lambda v, s: kl_per_dimension(v, GREY * 255), "divide 0–255"),
        (lambda v, s: importance_weighted_log_likelihood(v, GREY[:0], num_samples=3),
         r"`images` must be a non-empty"),
        (lambda v, s: importance_weighted_log_likelihood(v, [["a"]], num_samples=3),
         r"`images` must be an array of numbers"),
        (lambda v, s: importance_weighted_log_likelihood(v, GREY, num_samples=3, seed=-1),
         "seed=-1"),
    ],
)
def test_bad_input_is_named(untrained_vae, small_scorer, call, message):
    with pytest.raises(ValueError, match=message):
        call(untrained_vae, small_scorer)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: interpolation_smoothness(None, CODES, num_pairs=3), "decoder of type NoneType"),
        (lambda: digit_likeness(None, GREY), "scorer of type NoneType"),
    ],
)
def test_a_wrong_kind_of_object_is_a_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_bool_and_list_images_are_valid_for_a_vae(untrained_vae):
    binary = heldout_elbo(untrained_vae, GREY > 0.5)
    assert binary == heldout_elbo(untrained_vae, (GREY > 0.5).astype("float32"))
    assert heldout_elbo(untrained_vae, GREY.tolist()) == heldout_elbo(untrained_vae, GREY)
    assert np.isfinite(importance_weighted_log_likelihood(untrained_vae, GREY > 0.5,
                                                          num_samples=2))


@pytest.mark.parametrize("call", [
    lambda cvae: heldout_elbo(cvae, GREY),
    lambda cvae: kl_per_dimension(cvae, GREY),
    lambda cvae: importance_weighted_log_likelihood(cvae, GREY, num_samples=2),
])
def test_a_conditional_vae_is_refused_by_name(call):
    from vaekit.conditional import build_conditional_vae

    cvae = build_conditional_vae(latent_dim=2, hidden_units=(8,))
    with pytest.raises(TypeError, match=r"`vae` must be a vaekit VAE without labels.*"
                                        r"Received: vae of type ConditionalVAE"):
        call(cvae)
    with pytest.raises(TypeError, match=r"`decoder` .*2 inputs.*cvae.generate"):
        interpolation_smoothness(cvae.decoder, CODES, num_pairs=3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda v: heldout_elbo(v, GREY, num_samples=2**63), "at most 10,000. Received: num_s"),
        (lambda v: importance_weighted_log_likelihood(v, GREY, num_samples=10**6),
         "at most 10,000. Received: num_samples"),
        (lambda v: heldout_elbo(v, GREY, seed=2**32), r"\[0, 2\*\*32 - 1\]. Received: seed=4"),
        (lambda v: class_area_shares(CODES, np.arange(40) % 4, num_points=2**40),
         "at most 1,000,000. Received: num_points"),
        (lambda v: gap_fraction(CODES, grid_size=10**5), "at most 1,000. Received: grid_size"),
        (lambda v: box_grid(CODES, grid_size=-1), "grid_size=-1"),
        (lambda v: interpolation_smoothness(v.decoder, CODES, num_pairs=10**5, steps=10),
         r"`num_pairs` × `steps` must be at most 100,000 decoded images"),
    ],
)
def test_huge_counts_are_refused_with_the_bound(untrained_vae, call, message):
    with pytest.raises(ValueError, match=message):
        call(untrained_vae)


def test_numpy_scalar_counts_are_valid(untrained_vae):
    elbo = heldout_elbo(untrained_vae, GREY, num_samples=np.int64(2), seed=np.uint32(2**32 - 1))
    assert np.isfinite(elbo["negative_elbo"])


@pytest.mark.backend_independent
def test_a_refused_fit_leaves_a_fitted_typicality_scorer_as_it_was(small_scorer):
    scorer = DigitTypicality(num_components=5).fit(GREY.repeat(3, axis=0), np.arange(24) % 3)
    before = scorer.distance(GREY), scorer.predict(GREY)
    for images, labels in [(np.zeros((8, 28, 28)), np.arange(8) % 2), (GREY, np.r_[np.zeros(7), 1]),
                           (GREY * 255, np.arange(8) % 2), (GREY[:3], np.arange(3))]:
        with pytest.raises(ValueError):
            scorer.fit(images, labels)
    np.testing.assert_array_equal(scorer.distance(GREY), before[0])
    np.testing.assert_array_equal(scorer.predict(GREY), before[1])


@pytest.mark.backend_independent
@pytest.mark.parametrize("call, message", [
    (lambda: class_area_shares(CODES, np.arange(40) % 4, points=CODES, num_points=0),
     "num_points=0"),
    (lambda: class_area_shares(CODES, np.arange(40) % 4, points=CODES, seed=-1), "seed=-1"),
    (lambda: gap_fraction(CODES, points=CODES, grid_size=0), "grid_size=0"),
    (lambda: centre_offset(np.ones((3, 2))), r"Received: 3 copies of \[1.0, 1.0\]"),
    (lambda: gap_fraction(np.ones((3, 2))), r"Received: 3 copies of \[1.0, 1.0\]"),
    (lambda: box_grid(np.zeros((4, 3))), r"`codes` must have 2 columns.*\(4, 3\)"),
    (lambda: DigitTypicality(num_components=2**63), r"at most 10,000\. Received: num_comp"),
    (lambda: digit_likeness(DigitTypicality(), GREY), r"`scorer` must be a fitted .*unfitted"),
])
def test_every_argument_is_named_even_when_unused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
