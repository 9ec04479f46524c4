import keras
import numpy as np
import pytest
from scipy.ndimage import gaussian_filter

from vaekit.diagnostics import heldout_elbo
from vaekit.judge_cache import trained_judge
from vaekit.models import build_vae
from vaekit.sample_quality import (
    MIN_COVERAGE,
    DigitClassifier,
    build_digit_classifier,
    frechet_bar,
    frechet_distance,
    precision_recall,
    sample_quality,
    sample_quality_faults,
)
from vaekit.samplers import PriorSampler

pytestmark = pytest.mark.slow  # most tests train the digit judge

RNG = np.random.default_rng(0)


@pytest.fixture(scope="module")
def judged(mnist_subset):
    """The lessons' judge (lessons 4, 6 and 7 train it on these digits under seed 0 and keep it
    in the judge cache, as this does: whichever runs first trains it, the others load it), and
    the real digits' scores."""
    judge = trained_judge(mnist_subset.x_train, mnist_subset.y_train, seed=0)
    real = sample_quality(judge, mnist_subset.x_train[:1000], mnist_subset.x_test)
    bar = frechet_bar(judge, mnist_subset.x_train[1000:2000], mnist_subset.x_test)
    return judge, real, bar


def test_frechet_distance_known_answers():
    a = RNG.normal(0, 1, (20_000, 3))
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    # N(0, I) vs N(m, 4 I) in 3-D: |m|² + 3 (1 + 4 - 2·2) = |m|² + 3
    b = RNG.normal(0, 2, (20_000, 3)) + np.array([1.0, 2.0, 0.0])
    assert frechet_distance(a, b) == pytest.approx(5.0 + 3.0, rel=0.05)
    singular = np.concatenate([a[:, :2], np.zeros((20_000, 1))], axis=1)  # a dead feature
    assert np.isfinite(frechet_distance(singular, a))


def test_precision_recall_known_answers():
    real = RNG.normal(size=(1000, 4))
    same = precision_recall(real, RNG.normal(size=(1000, 4)))
    assert same["precision"] > 0.8 and same["recall"] > 0.8
    far = precision_recall(real, RNG.normal(size=(1000, 4)) + 10)
    assert far["precision"] == 0.0 and far["recall"] == 0.0
    # a generator of one style: realistic samples, but few real points covered
    narrow = precision_recall(real, RNG.normal(scale=0.1, size=(1000, 4)))
    assert narrow["precision"] > 0.9 and narrow["recall"] < 0.2


def test_classifier_is_an_accurate_judge(judged, mnist_subset):
    judge, real, bar = judged
    assert judge.accuracy(mnist_subset.x_test, mnist_subset.y_test) >= 0.96
    assert real["coverage"] > 0.99 and real["confidence"] > 0.95
    assert real["precision"] > 0.8 and real["recall"] > 0.8
    assert sample_quality_faults(real, frechet_bar=bar) == []


def test_a_constant_mean_digit_fails(judged, mnist_subset):
    judge, real, bar = judged
    mean_digit = np.broadcast_to(mnist_subset.x_train.mean(axis=0), (1000, 28, 28))
    quality = sample_quality(judge, mean_digit, mnist_subset.x_test)
    assert quality["coverage"] < 0.05 and quality["recall"] < 0.01
    assert quality["frechet"] > 50 * real["frechet"]
    assert len(sample_quality_faults(quality, frechet_bar=bar)) == 2


def test_blurred_training_digits_fail(judged, mnist_subset):
    judge, real, bar = judged
    # blurrier than the bar's 2 pixels, and other digits than the bar's own
    blurred = gaussian_filter(mnist_subset.x_train[:1000], (0, 2.5, 2.5))
    quality = sample_quality(judge, blurred, mnist_subset.x_test)
    assert quality["frechet"] > 50 * real["frechet"]
    assert quality["coverage"] > MIN_COVERAGE  # every digit is there: only the Fréchet bar flags it
    faults = sample_quality_faults(quality, frechet_bar=bar)
    assert len(faults) == 1 and "Fréchet" in faults[0]


def test_a_collapsed_vae_fails(judged, mnist_subset):
    judge, _, bar = judged
    vae = build_vae(latent_dim=2, kl_weight=784.0, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    vae.fit(mnist_subset.x_train[:2000], epochs=2, batch_size=64, verbose=0)
    z = PriorSampler().fit(np.zeros((2, 2))).sample(1000)
    samples = vae.decoder.predict(z, verbose=0)
    # Collapsed: the codes carry (almost) nothing, so every sample is nearly the same blur.
    assert heldout_elbo(vae, mnist_subset.x_test[:500])["kl"] < 0.5
    quality = sample_quality(judge, samples, mnist_subset.x_test)
    assert quality["coverage"] < MIN_COVERAGE and quality["recall"] < 0.01
    assert any("coverage" in fault for fault in sample_quality_faults(quality, frechet_bar=bar))


def test_a_one_digit_generator_fails_the_bar_but_wins_precision(judged, mnist_subset):
    """Mode dropping: real 1s only. Precision cannot see it; coverage, and so the bar, can."""
    judge, real, bar = judged
    ones = mnist_subset.x_train[mnist_subset.y_train == 1][:400]
    quality = sample_quality(judge, ones, mnist_subset.x_test)
    assert quality["precision"] > real["precision"] - 0.1  # as "good" as real digits
    assert quality["coverage"] < 0.2 and quality["recall"] < 0.2
    faults = sample_quality_faults(quality, frechet_bar=bar)
    assert any("coverage" in fault for fault in faults)


def test_recall_cannot_tell_blur_from_mode_dropping(judged, mnist_subset):
    """Why the lessons do not rank models by recall: slightly blurred real digits, all ten
    digits present, lose recall like a one-digit generator; coverage tells them apart."""
    judge, real, _ = judged
    x_train, y_train, x_test = mnist_subset.x_train, mnist_subset.y_train, mnist_subset.x_test
    blurred = sample_quality(judge, gaussian_filter(x_train[:1000], (0, 1, 1)), x_test)
    ones = sample_quality(judge, x_train[y_train == 1][:400], x_test)
    assert real["recall"] > 0.8
    assert blurred["recall"] < 0.2 and ones["recall"] < 0.2  # both "drop modes" by recall
    assert blurred["coverage"] > 0.95 > 0.2 > ones["coverage"]  # only one of them does


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: DigitClassifier(epochs=0), "epochs=0"),
        (lambda: DigitClassifier(learning_rate=-1.0), "learning_rate=-1.0"),
        (lambda: DigitClassifier().probabilities(np.zeros((2, 28, 28))), "not fitted"),
        (lambda: DigitClassifier().fit(np.zeros((2, 28, 28)), [0, 11]), "labels"),
        (lambda: DigitClassifier().fit(np.zeros((2, 784)), [0, 1]), "28 × 28"),
        (lambda: frechet_distance(np.zeros((5, 2)), np.zeros((5, 3))), "same dimension"),
        (lambda: precision_recall(np.zeros((3, 2)), np.zeros((10, 2)), k=3), "n > k=3"),
        (lambda: precision_recall(np.zeros((10, 2)), np.zeros((10, 2)), k=0), "k=0"),
        (lambda: frechet_bar(DigitClassifier(), np.zeros((4, 28, 28)), np.zeros((4, 28, 28)),
                             sigma=0), "sigma=0"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_sample_quality_needs_a_classifier():
    with pytest.raises(TypeError, match="judge"):
        sample_quality(object(), np.zeros((4, 28, 28)), np.zeros((4, 28, 28)))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: frechet_distance(np.full((5, 2), np.nan), np.zeros((5, 2))), "finite"),
        (lambda: precision_recall(np.full((10, 2), np.inf), np.zeros((10, 2))), "finite"),
        (lambda: DigitClassifier().fit("abc", [0]), "array of numbers"),
    ],
)
def test_non_finite_or_non_numeric_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


IMAGES = np.random.default_rng(7).uniform(size=(40, 28, 28)).astype("float32")
LABELS = np.arange(40) % 10


@pytest.fixture(scope="module")
def tiny_judge():
    """A barely trained classifier: enough for argument checks."""
    return DigitClassifier(epochs=1, batch_size=20).fit(IMAGES, LABELS)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda j: DigitClassifier(learning_rate=float("inf")), "learning_rate=inf"),
        (lambda j: DigitClassifier(learning_rate=True), "learning_rate=True"),
        (lambda j: DigitClassifier(epochs=1).fit(IMAGES * 255, LABELS), "divide 0–255"),
        (lambda j: j.probabilities(IMAGES * 255), "divide 0–255"),
        (lambda j: j.probabilities(IMAGES + 1j), r"`images` .*complex"),
        (lambda j: j.features(IMAGES * 255), "divide 0–255"),
        (lambda j: j.accuracy(IMAGES, LABELS[:10]), r"`labels` must have shape \(40,\)"),
        (lambda j: j.accuracy(IMAGES, None), r"`labels` must have shape \(40,\)"),
        (lambda j: j.accuracy(IMAGES, 3), r"`labels` must have shape \(40,\)"),
        (lambda j: j.accuracy(IMAGES, LABELS.astype(str)), r"`labels` must be 40 digits"),
        (lambda j: j.accuracy(IMAGES, LABELS[:, None]), r"labels.shape=\(40, 1\)"),
        (lambda j: precision_recall(np.zeros((30, 4)), np.zeros((30, 5))),
         r"`generated_features` must have 4 columns"),
        (lambda j: sample_quality(j, IMAGES * 255, IMAGES), r"`images` .*divide 0–255"),
        (lambda j: sample_quality(j, IMAGES, IMAGES[:, :14]), r"`real_images` .*\(40, 14, 28\)"),
        (lambda j: sample_quality(j, IMAGES, IMAGES[:3]), r"`real_images` must hold more than"),
        (lambda j: sample_quality(j, IMAGES[:3], IMAGES), r"`images` must hold more than `k`=3"),
        (lambda j: frechet_bar(j, IMAGES * 255, IMAGES), r"`images` .*divide 0–255"),
        (lambda j: frechet_bar(j, IMAGES, IMAGES[:, :14]), r"`real_images` .*\(40, 14, 28\)"),
        (lambda j: sample_quality_faults({}, frechet_bar=10.0), r"`quality` must be the dict"),
        (lambda j: sample_quality_faults(None, frechet_bar=10.0), r"quality of type NoneType"),
        (lambda j: sample_quality_faults({"coverage": 1.0, "frechet": 1.0}, frechet_bar="10"),
         "frechet_bar='10'"),
        (lambda j: sample_quality_faults({"coverage": 1.0, "frechet": 1.0}, frechet_bar=None),
         "frechet_bar=None"),
        (lambda j: sample_quality_faults({"coverage": 1.0, "frechet": 1.0},
                                         frechet_bar=float("nan")), "frechet_bar=nan"),
        (lambda j: sample_quality_faults({"coverage": float("nan"), "frechet": 1.0},
                                         frechet_bar=10.0), r"quality\['coverage'\]=nan"),
        (lambda j: sample_quality_faults({"coverage": "high", "frechet": 1.0}, frechet_bar=10.0),
         r"quality\['coverage'\]='high'"),
    ],
)
def test_bad_input_is_named(tiny_judge, call, message):
    with pytest.raises(ValueError, match=message):
        call(tiny_judge)


def test_frechet_bar_needs_a_classifier():
    with pytest.raises(TypeError, match="judge of type NoneType"):
        frechet_bar(None, IMAGES, IMAGES)


def test_numpy_scalars_and_bool_images_are_valid(tiny_judge):
    assert DigitClassifier(learning_rate=np.float32(1e-3)).learning_rate == pytest.approx(1e-3)
    assert tiny_judge.probabilities(IMAGES > 0.5).shape == (40, 10)
    assert 0 <= tiny_judge.accuracy(IMAGES, LABELS) <= 1
    quality = {"coverage": np.float32(1.0), "frechet": np.float64(1.0)}
    assert sample_quality_faults(quality, frechet_bar=np.float32(10.0)) == []


def _bad_weights(kind, folder):
    """A weights file `DigitClassifier.load_weights` must refuse: missing, corrupt or of
    another shape."""
    path = folder / f"{kind}.weights.h5"
    if kind == "corrupt":
        path.write_bytes(b"not an HDF5 file")
    elif kind == "other_shape":
        build_digit_classifier(width=8).save_weights(path)
    return path


@pytest.mark.filterwarnings("ignore:Skipping nested container")
@pytest.mark.parametrize("kind", ["missing", "corrupt", "other_shape"])
def test_a_refused_load_leaves_the_judge_as_it_was(tmp_path, kind):
    judge = DigitClassifier(epochs=1, batch_size=20).fit(IMAGES, LABELS)
    before = judge.probabilities(IMAGES)
    path = _bad_weights(kind, tmp_path)
    with pytest.raises((OSError, ValueError)):
        judge.load_weights(path)
    np.testing.assert_array_equal(judge.probabilities(IMAGES), before)
    unfitted = DigitClassifier()
    with pytest.raises((OSError, ValueError)):
        unfitted.load_weights(path)
    with pytest.raises(ValueError, match="not fitted yet"):
        unfitted.probabilities(IMAGES)


def test_load_weights_restores_a_saved_judge_and_names_a_bad_path(tiny_judge, tmp_path):
    path = tmp_path / "judge.weights.h5"
    tiny_judge.model_.save_weights(path)
    loaded = DigitClassifier().load_weights(str(path))
    np.testing.assert_allclose(loaded.probabilities(IMAGES), tiny_judge.probabilities(IMAGES),
                               atol=1e-6)
    with pytest.raises(FileNotFoundError, match="no such file"):
        loaded.load_weights(tmp_path / "missing" / "judge.weights.h5")
    with pytest.raises(TypeError, match="path=None"):
        loaded.load_weights(None)


@pytest.mark.backend_independent
@pytest.mark.parametrize("coverage", [1.5, -0.1])
def test_coverage_outside_zero_one_is_refused(coverage):
    with pytest.raises(ValueError, match=r"quality\['coverage'\]"):
        sample_quality_faults({"coverage": coverage, "frechet": 1.0}, frechet_bar=10.0)
    assert sample_quality_faults({"coverage": np.float32(1.0), "frechet": 1.0},
                                 frechet_bar=10.0) == []


@pytest.mark.backend_independent
def test_a_huge_number_of_epochs_is_refused():
    with pytest.raises(ValueError, match=r"`epochs` must be a positive integer at most 1,000"):
        DigitClassifier(epochs=10**9)


@pytest.mark.backend_independent
@pytest.mark.parametrize("kwargs, message", [
    ({"width": 10**6}, "at most 512. Received: width=1000000"),
    ({"feature_units": np.int64(0)}, r"feature_units=(np.int64\()?0"),
])
def test_classifier_sizes_are_bounded(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_digit_classifier(**kwargs)


def test_helpers_name_their_arguments(tmp_path):
    from vaekit.sample_quality import as_digit_labels

    with pytest.raises(ValueError, match="num_images=-1"):
        as_digit_labels(LABELS, -1)
    path = tmp_path / "corrupt.weights.h5"
    path.write_bytes(b"not an HDF5 file")
    with pytest.raises(ValueError, match=r"`path` must hold the weights of a DigitClassifier.*"
                                         r"Received: path=.*corrupt\.weights\.h5"):
        DigitClassifier().load_weights(path)
