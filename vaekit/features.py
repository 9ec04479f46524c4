"""Codes as features: how much of the label a code carries.

A classifier fitted on one set of codes and scored on held-out codes measures how readable
the labels are from them: near chance (0.1 for ten digits) when the codes carry no identity —
what a conditional VAE's codes should do — and high when they separate the classes.
"""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

from vaekit.checks import as_codes, check_positive_int


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
