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

from vaekit.checks import as_codes, check_positive_int, check_seed
from vaekit.data import round_robin_indices


def _labels_for(codes: np.ndarray, labels, name: str) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.shape != (len(codes),) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"`{name}` must be integer labels of shape ({len(codes)},), one per code. "
            f"Received: {name}.shape={labels.shape}, dtype {labels.dtype}"
        )
    return labels


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
    train_codes = as_codes(train_codes, "train_codes")
    test_codes = as_codes(test_codes, "test_codes", min_rows=1)
    if test_codes.shape[1] != train_codes.shape[1]:
        raise ValueError(
            f"`test_codes` must have {train_codes.shape[1]} columns like `train_codes`. "
            f"Received: test_codes.shape={test_codes.shape}"
        )
    train_labels = _labels_for(train_codes, train_labels, "train_labels")
    test_labels = _labels_for(test_codes, test_labels, "test_labels")
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
    labels = np.asarray(labels)
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
    train_features = as_codes(train_features, "train_features")
    test_features = as_codes(test_features, "test_features", min_rows=1)
    if test_features.shape[1] != train_features.shape[1]:
        raise ValueError(
            f"`test_features` must have {train_features.shape[1]} columns like "
            f"`train_features`. Received: test_features.shape={test_features.shape}"
        )
    train_labels = _labels_for(train_features, train_labels, "train_labels")
    test_labels = _labels_for(test_features, test_labels, "test_labels")
    chosen = balanced_choice(train_labels, num_labels, seed=seed)
    scaler = StandardScaler().fit(train_features)
    classifier = LogisticRegression(max_iter=2_000)
    classifier.fit(scaler.transform(train_features[chosen]), train_labels[chosen])
    return float(classifier.score(scaler.transform(test_features), test_labels))
