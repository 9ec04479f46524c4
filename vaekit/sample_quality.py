"""Sample quality and diversity judged by a digit classifier, in ways a degenerate model loses.

A small convolutional `DigitClassifier` is trained on the training digits. Generated images are
then judged in its eyes, always against held-out real digits:

* **confidence** — mean top-class probability (low for blends and noise);
* **coverage** — the share of samples given each digit, and its entropy (1 = all ten digits
  equally often; 0 = one digit only, e.g. a collapsed model's single average digit);
* **Fréchet distance** — between Gaussians fitted to the classifier's features of the samples
  and of real digits (the FID recipe, with this classifier instead of Inception);
* **precision / recall** (Kynkäänniemi et al., *Improved Precision and Recall Metric for
  Assessing Generative Models*, NeurIPS 2019) — the share of samples that fall inside the k-NN
  manifold of real digits, and the share of real digits that fall inside the samples' manifold.

None of these looks at whether a model can reconstruct its input: report them beside a
fidelity measure (reconstruction error or likelihood), as the lessons do. Nor do they see
memorisation: copies of training digits score like real digits (`vaekit.memorisation` checks
that). `sample_quality_faults` judges coverage and the Fréchet distance only, against blurred
real digits measured by the same classifier, because precision and recall fail the rule that a
degenerate model must not pass:

* precision is won by a model that drops modes — samples of a single digit, or a collapsed
  model's one blurry average, can all lie inside the real digits' manifold (precision ≈ 1);
* recall cannot tell blur from mode dropping in this classifier's features — real digits
  blurred by 1 pixel, with all ten digits present, score recall ≈ 0, like a generator of 1s
  only, and so do a VAE's reconstructions of the reference digits themselves. A larger k, the
  class probabilities as features, or blurring both sets first did not separate the two.

They stay in the result of `sample_quality` for comparison with the literature; the lessons do
not use them to rank models.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers
from scipy.ndimage import gaussian_filter
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors

from vaekit.checks import (
    as_codes,
    as_images,
    as_labels,
    as_path,
    check_non_negative_int,
    check_positive_int,
    check_positive_number,
)
from vaekit.layers import RandomShift
from vaekit.models import predict_in_batches

FEATURE_LAYER = "features"
# The bar a digit generator must clear (see `sample_quality_faults`): coverage of at least
# MIN_COVERAGE (real digits score about 1.0, a collapsed model about 0), and samples closer to
# real digits than real digits blurred by a Gaussian of BAR_BLUR_SIGMA pixels (`frechet_bar`).
MIN_COVERAGE = 0.8
BAR_BLUR_SIGMA = 2.0
IMAGE_SHAPE = (28, 28)
MAX_EPOCHS = 1_000
MAX_WIDTH = 512  # convolution channels (a bigger network only costs time)
MAX_FEATURE_UNITS = 4_096


def as_digit_images(images, name: str = "images") -> np.ndarray:
    """`images` as float32 `(n, 28, 28)`, or an error naming `name`."""
    return as_images(images, name, shape=IMAGE_SHAPE)


def as_digit_labels(labels, num_images: int) -> np.ndarray:
    """`labels` as `(num_images,)` integers in 0..9, or an error naming them."""
    labels = as_labels(labels, check_non_negative_int("num_images", num_images))
    if not np.isin(labels, np.arange(10)).all():
        raise ValueError(
            f"`labels` must be {num_images} digits in 0..9, one per image. "
            f"Received: labels with values {np.unique(labels)[:10]}"
        )
    return labels


def check_judge(judge) -> None:
    """Refuse a `judge` that is not a `DigitClassifier`."""
    if not isinstance(judge, DigitClassifier):
        raise TypeError(
            f"`judge` must be a DigitClassifier. Received: judge of type {type(judge).__name__}"
        )


def build_digit_classifier(width: int = 16, feature_units: int = 128) -> keras.Model:
    """A small convolutional digit classifier `(batch, 28, 28) → (batch, 10)` probabilities.

    Random shifts of up to 2.24 pixels (training only) → two 3×3 conv + max-pool blocks with
    `width` and `2 * width` channels → dropout → a Dense layer named `"features"` with
    `feature_units` units → softmax over the ten digits.
    """
    width = check_positive_int("width", width, maximum=MAX_WIDTH)
    feature_units = check_positive_int("feature_units", feature_units, maximum=MAX_FEATURE_UNITS)
    inputs = keras.Input(shape=(28, 28), name="images")
    h = RandomShift(2.24)(inputs)  # up to 8 % of the image, either way
    h = layers.Reshape((28, 28, 1))(h)
    for channels in (width, 2 * width):
        h = layers.Conv2D(channels, 3, padding="same", activation="relu")(h)
        h = layers.MaxPooling2D()(h)
    h = layers.Dropout(0.4)(layers.Flatten()(h))
    h = layers.Dense(feature_units, activation="relu", name=FEATURE_LAYER)(h)
    outputs = layers.Dense(10, activation="softmax", name="probabilities")(h)
    return keras.Model(inputs, outputs, name="digit_classifier")


class DigitClassifier:
    """A trained digit classifier and its feature space, the judge of generated digits.

    Args:
        epochs: training epochs (about 1 s each for 4,000 digits on 2 CPU cores).
        batch_size: training batch size.
        learning_rate: Adam's learning rate.

    Example:

    >>> judge = DigitClassifier().fit(x_train, y_train)  # doctest: +SKIP
    >>> judge.accuracy(x_test, y_test)  # doctest: +SKIP
    """

    def __init__(self, epochs: int = 15, batch_size: int = 128, learning_rate: float = 3e-3):
        self.epochs = check_positive_int("epochs", epochs, maximum=MAX_EPOCHS)
        self.batch_size = check_positive_int("batch_size", batch_size)
        self.learning_rate = check_positive_number("learning_rate", learning_rate)

    def fit(self, images, labels) -> DigitClassifier:
        """Train on images `(n, 28, 28)` in [0, 1] and digit labels `(n,)` in 0..9."""
        images = as_digit_images(images)
        labels = as_digit_labels(labels, len(images))
        model = build_digit_classifier()
        model.compile(optimizer=keras.optimizers.Adam(self.learning_rate),
                      loss="sparse_categorical_crossentropy")
        model.fit(images, labels, epochs=self.epochs, batch_size=self.batch_size, verbose=0)
        return self._use(model)

    def load_weights(self, path) -> DigitClassifier:
        """Use the weights a fitted classifier saved with `model_.save_weights(path)`. They are
        loaded into a new network, so a file that cannot be loaded leaves this judge as it was."""
        path = as_path("path", path)
        if not path.is_file():
            raise FileNotFoundError(
                "`path` must be a weights file saved by `model_.save_weights`. "
                f"Received: path={str(path)!r} (no such file)"
            )
        model = build_digit_classifier()
        try:
            model.load_weights(path)
        except (OSError, ValueError) as error:
            reason = str(error).partition("\n")[0]
            raise ValueError(
                "`path` must hold the weights of a DigitClassifier saved by "
                f"`model_.save_weights`. Received: path={str(path)!r}, which cannot be loaded "
                f"({type(error).__name__}: {reason})"
            ) from error
        return self._use(model)

    def _use(self, model: keras.Model) -> DigitClassifier:
        self.model_ = model
        self.features_model_ = keras.Model(model.input, model.get_layer(FEATURE_LAYER).output)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise ValueError("This DigitClassifier is not fitted yet. Call `fit` first.")

    def probabilities(self, images) -> np.ndarray:
        """Class probabilities `(n, 10)`."""
        self._check_fitted()
        return predict_in_batches(self.model_, as_digit_images(images))

    def features(self, images) -> np.ndarray:
        """The classifier's penultimate features `(n, feature_units)`."""
        self._check_fitted()
        return predict_in_batches(self.features_model_, as_digit_images(images))

    def accuracy(self, images, labels) -> float:
        """Share of `images` whose most probable digit is `labels` `(n,)`."""
        probabilities = self.probabilities(images)
        labels = as_digit_labels(labels, len(probabilities))
        return float((probabilities.argmax(axis=1) == labels).mean())


def frechet_distance(features_a, features_b) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets `(n_a, d)`, `(n_b, d)`.

    `||mu_a - mu_b||² + tr(C_a + C_b - 2 (C_a C_b)^½)`: 0 for identical statistics. Compare
    values only at equal set sizes — the estimate is biased upward for small sets.
    """
    a, b = as_codes(features_a, "features_a"), as_codes(features_b, "features_b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            "`features_a` and `features_b` must have the same dimension. "
            f"Received: {a.shape[1]} and {b.shape[1]}"
        )
    cov_a = np.atleast_2d(np.cov(a, rowvar=False))
    cov_b = np.atleast_2d(np.cov(b, rowvar=False))
    # tr((C_a C_b)^½) = tr((S C_b S)^½) with S = C_a^½: symmetric, so stable when C is singular.
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ cov_b @ root_a), 0, None)).sum()
    difference = a.mean(axis=0) - b.mean(axis=0)
    distance = difference @ difference + np.trace(cov_a) + np.trace(cov_b) - 2 * cross
    return float(max(distance, 0.0))


def _inside_manifold(manifold, points, k: int, chunk: int = 1024) -> np.ndarray:
    """Whether each point lies within the k-NN radius of some point of `manifold`, `(n,)`."""
    radii = NearestNeighbors(n_neighbors=k + 1).fit(manifold).kneighbors(manifold)[0][:, -1]
    inside = [
        np.any(pairwise_distances(points[start : start + chunk], manifold) <= radii, axis=1)
        for start in range(0, len(points), chunk)
    ]
    return np.concatenate(inside)


def precision_recall(real_features, generated_features, *, k: int = 3) -> dict:
    """k-NN precision and recall of generated samples against real ones (Kynkäänniemi 2019).

    Args:
        real_features: `(n_real, d)`.
        generated_features: `(n_generated, d)`.
        k: neighbourhood size of each manifold (their paper uses 3).

    Returns:
        dict with `precision` (share of generated points inside the real manifold) and
        `recall` (share of real points inside the generated manifold), each in [0, 1].
    """
    k = check_positive_int("k", k)
    real = as_codes(real_features, "real_features", min_rows=1)
    generated = as_codes(generated_features, "generated_features", min_rows=1)
    for name, values in (("real_features", real), ("generated_features", generated)):
        if len(values) <= k:
            raise ValueError(
                f"`{name}` must have shape (n > k={k}, dim). Received: {name}.shape={values.shape}"
            )
    if generated.shape[1] != real.shape[1]:
        raise ValueError(
            f"`generated_features` must have {real.shape[1]} columns like `real_features`. "
            f"Received: generated_features.shape={generated.shape}"
        )
    return {
        "precision": float(_inside_manifold(real, generated, k).mean()),
        "recall": float(_inside_manifold(generated, real, k).mean()),
    }


def sample_quality(judge: DigitClassifier, images, real_images, *, k: int = 3) -> dict:
    """Every classifier-based measure of `images` `(n, 28, 28)` against `real_images`.

    Returns:
        dict with `confidence` (mean top-class probability), `class_shares` `(10,)`,
        `coverage` (entropy of the shares ÷ log 10, in [0, 1]), `frechet` (Fréchet distance to
        the real digits' features), `precision` and `recall` (see the module docstring: a
        degenerate model can win either, so neither is part of `sample_quality_faults`).
    """
    check_judge(judge)
    k = check_positive_int("k", k)
    images, real_images = as_digit_images(images), as_digit_images(real_images, "real_images")
    for name, batch in (("images", images), ("real_images", real_images)):
        if len(batch) <= k:
            raise ValueError(
                f"`{name}` must hold more than `k`={k} images (or pass a smaller `k`). "
                f"Received: {name}.shape={batch.shape}"
            )
    probabilities = judge.probabilities(images)
    shares = np.bincount(probabilities.argmax(axis=1), minlength=10) / len(probabilities)
    nonzero = shares[shares > 0]
    features, real = judge.features(images), judge.features(real_images)
    return {
        "confidence": float(probabilities.max(axis=1).mean()),
        "class_shares": shares,
        "coverage": abs(float(-(nonzero * np.log(nonzero)).sum() / np.log(10))),  # not -0.0
        "frechet": frechet_distance(features, real),
        **precision_recall(real, features, k=k),
    }


def frechet_bar(judge: DigitClassifier, images, real_images, *,
                sigma: float = BAR_BLUR_SIGMA) -> float:
    """The Fréchet distance of real `images` blurred by a `sigma`-pixel Gaussian.

    A generator whose samples are no closer to the real digits `real_images` than this is no
    better than blurred copies of real digits. Measured with the same judge and the same
    reference digits as the samples, so it does not depend on the judge's feature scale.
    """
    check_judge(judge)
    check_positive_number("sigma", sigma)
    images, real_images = as_digit_images(images), as_digit_images(real_images, "real_images")
    blurred = gaussian_filter(images, (0, sigma, sigma))
    return frechet_distance(judge.features(blurred), judge.features(real_images))


def sample_quality_faults(quality: dict, *, frechet_bar: float) -> list[str]:
    """What stops `quality` (from `sample_quality`) clearing the bar of a digit generator.

    Args:
        quality: the dict returned by `sample_quality`.
        frechet_bar: the largest Fréchet distance that passes, from `frechet_bar(...)`.

    Returns:
        A list of readable faults, empty when coverage ≥ `MIN_COVERAGE` and the Fréchet
        distance is below `frechet_bar`.
    """
    if not isinstance(quality, dict) or not {"coverage", "frechet"} <= set(quality):
        raise ValueError(
            "`quality` must be the dict returned by `sample_quality`, with 'coverage' and "
            f"'frechet'. Received: quality of type {type(quality).__name__}"
            + (f" with keys {sorted(quality)}" if isinstance(quality, dict) else "")
        )
    coverage = check_positive_number("quality['coverage']", quality["coverage"], allow_zero=True)
    if coverage > 1:
        raise ValueError(
            "`quality['coverage']` must be in [0, 1], as `sample_quality` returns it. "
            f"Received: quality['coverage']={quality['coverage']!r}"
        )
    frechet = check_positive_number("quality['frechet']", quality["frechet"], allow_zero=True)
    frechet_bar = check_positive_number("frechet_bar", frechet_bar)
    faults = []
    if coverage < MIN_COVERAGE:
        faults.append(f"coverage {coverage:.2f} < {MIN_COVERAGE}: the samples show "
                      "few of the ten digits (a collapsed or mode-dropping model)")
    if not frechet < frechet_bar:
        faults.append(f"Fréchet {frechet:.1f} ≥ {frechet_bar:.1f}: no closer to real "
                      f"digits than real digits blurred by {BAR_BLUR_SIGMA:g} pixels")
    return faults
