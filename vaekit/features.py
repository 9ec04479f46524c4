"""Codes as features: how much of the label a code carries, and how few labels it needs.

A classifier fitted on one set of codes and scored on held-out codes measures how readable
the labels are from them: near chance (0.1 for ten digits) when the codes carry no identity —
what a conditional VAE's codes should do — and high when they separate the classes.
`few_label_accuracy` asks the practical question: with only a few labelled images, which
features (codes, PCA components, raw pixels) give the best classifier?
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from vaekit.checks import as_codes, as_labels, check_positive_int, check_seed
from vaekit.data import round_robin_indices


def _checked_split(train, train_labels, test, test_labels, names: tuple[str, str]):
    """Check a train/test split of features `(n, d)` with integer labels `(n,)`; `names` are
    the two feature arguments' names. Returns the four as arrays."""
    train_name, test_name = names
    train = as_codes(train, train_name)
    test = as_codes(test, test_name, min_rows=1)
    if test.shape[1] != train.shape[1]:
        raise ValueError(
            f"`{test_name}` must have {train.shape[1]} columns like `{train_name}`. "
            f"Received: {test_name}.shape={test.shape}"
        )
    train_labels = as_labels(train_labels, len(train), "train_labels", integer=True)
    test_labels = as_labels(test_labels, len(test), "test_labels", integer=True)
    return train, train_labels, test, test_labels


def knn_label_accuracy(train_codes, train_labels, test_codes, test_labels, *, k: int = 10):
    """Held-out accuracy of a k-nearest-neighbour classifier that reads labels from codes.

    Args:
        train_codes: `(n_train, latent_dim)` codes with known labels.
        train_labels: `(n_train,)` integer labels.
        test_codes: `(n_test, latent_dim)` held-out codes.
        test_labels: `(n_test,)` their labels.
        k: neighbours per vote, at most `n_train`.

    Returns:
        The share of test codes whose label the classifier gets right, in [0, 1].
    """
    train_codes, train_labels, test_codes, test_labels = _checked_split(
        train_codes, train_labels, test_codes, test_labels, ("train_codes", "test_codes")
    )
    k = check_positive_int("k", k)
    if k > len(train_codes):
        raise ValueError(
            f"`k` must be at most the number of training codes ({len(train_codes)}). "
            f"Received: k={k}"
        )
    classifier = KNeighborsClassifier(n_neighbors=k).fit(train_codes, train_labels)
    return float(classifier.score(test_codes, test_labels))


def balanced_choice(labels, num_labels: int, *, seed: int = 0) -> np.ndarray:
    """Indices of `num_labels` items drawn round-robin over the classes (seeded), so every
    class gets `num_labels // num_classes` or one more; sorted, `(num_labels,)`."""
    labels = as_labels(labels, np.size(labels))
    num_labels = check_positive_int("num_labels", num_labels)
    classes = np.unique(labels)
    if not len(classes) <= num_labels <= len(labels):
        raise ValueError(
            f"`num_labels` must be between the number of classes ({len(classes)}) and the "
            f"number of items ({len(labels)}). Received: num_labels={num_labels}"
        )
    return round_robin_indices(labels, num_labels, np.random.default_rng(check_seed("seed", seed)))


def few_label_accuracy(train_features, train_labels, test_features, test_labels, *,
                       num_labels: int, seed: int = 0) -> float:
    """Test accuracy of a logistic regression fitted on `num_labels` labelled training items.

    The labelled items are a seeded, class-balanced draw (`balanced_choice`); the features are
    standardised with the mean and spread of *all* training features, which needs no labels.

    Args:
        train_features: `(n_train, d)`, e.g. a frozen encoder's `z_mean`, PCA components or
            raw pixels.
        train_labels: `(n_train,)` integer labels (only `num_labels` of them are used).
        test_features: `(n_test, d)`.
        test_labels: `(n_test,)`.
        num_labels: how many labelled items the classifier may see.
        seed: seed of the draw.

    Returns:
        The share of test items classified correctly.
    """
    train_features, train_labels, test_features, test_labels = _checked_split(
        train_features, train_labels, test_features, test_labels,
        ("train_features", "test_features"),
    )
    classes = np.unique(train_labels)
    if len(classes) < 2:
        raise ValueError(
            "`train_labels` must hold at least two classes for a classifier to tell apart. "
            f"Received: train_labels with the one class {classes.tolist()}"
        )
    chosen = balanced_choice(train_labels, num_labels, seed=seed)
    scaler = StandardScaler().fit(train_features)
    classifier = LogisticRegression(max_iter=2_000)
    classifier.fit(scaler.transform(train_features[chosen]), train_labels[chosen])
    return float(classifier.score(scaler.transform(test_features), test_labels))
