import numpy as np
import pytest

from vaekit.features import knn_label_accuracy

RNG = np.random.default_rng(0)


def test_separated_codes_carry_the_label_and_noise_does_not():
    labels = np.repeat(np.arange(10), 50)
    centres = RNG.normal(0, 10, (10, 4))
    codes = centres[labels] + RNG.normal(0, 0.1, (500, 4))
    assert knn_label_accuracy(codes[::2], labels[::2], codes[1::2], labels[1::2]) == 1.0
    noise = RNG.normal(size=(500, 4))
    chance = knn_label_accuracy(noise[::2], labels[::2], noise[1::2], labels[1::2])
    assert 0.0 <= chance < 0.25


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((np.zeros((5, 2)), np.zeros(4, int), np.zeros((3, 2)), np.zeros(3, int)), {},
         "train_labels"),
        ((np.zeros((5, 2)), np.zeros(5), np.zeros((3, 2)), np.zeros(3, int)), {},
         "dtype float64"),
        ((np.zeros((5, 2)), np.zeros(5, int), np.zeros((3, 3)), np.zeros(3, int)), {},
         "3 columns|2 columns"),
        ((np.zeros((5, 2)), np.zeros(5, int), np.zeros((3, 2)), np.zeros(3, int)), {"k": 6},
         "k=6"),
        ((np.full((5, 2), np.nan), np.zeros(5, int), np.zeros((3, 2)), np.zeros(3, int)), {},
         "finite"),
    ],
)
def test_bad_arguments_are_named(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        knn_label_accuracy(*args, **kwargs)


def test_numpy_k_is_valid():
    codes, labels = RNG.normal(size=(20, 2)), np.arange(20) % 2
    assert 0 <= knn_label_accuracy(codes, labels, codes, labels, k=np.int64(3)) <= 1


def test_balanced_choice_gives_every_class_its_share():
    from vaekit.features import balanced_choice

    labels = np.repeat(np.arange(10), [50] * 9 + [5])
    chosen = balanced_choice(labels, 30, seed=1)
    assert len(set(chosen)) == 30 and np.all(np.bincount(labels[chosen], minlength=10) == 3)
    assert not np.array_equal(chosen, balanced_choice(labels, 30, seed=2))
    for bad in (9, 456, 2.5):
        with pytest.raises(ValueError, match="num_labels"):
            balanced_choice(labels, bad)


def test_few_labels_suffice_for_separated_features_and_not_for_noise():
    from vaekit.features import few_label_accuracy

    labels = np.repeat(np.arange(10), 60)
    centres = 10 * np.eye(10)  # ten well-separated classes in 10-D
    features = centres[labels] + RNG.normal(0, 0.5, (600, 10))
    train, test = slice(0, None, 2), slice(1, None, 2)
    assert few_label_accuracy(features[train], labels[train], features[test], labels[test],
                              num_labels=10) > 0.95
    noise = RNG.normal(size=(600, 3))
    assert few_label_accuracy(noise[train], labels[train], noise[test], labels[test],
                              num_labels=100) < 0.3
    with pytest.raises(ValueError, match="10 columns"):
        few_label_accuracy(features[train], labels[train], features[test, :2], labels[test],
                           num_labels=10)


@pytest.mark.backend_independent
def test_few_label_accuracy_needs_two_classes():
    from vaekit.features import few_label_accuracy

    features = RNG.normal(size=(20, 3))
    with pytest.raises(ValueError, match=r"`train_labels` must hold at least two classes.*"
                                         r"the one class \[3\]"):
        few_label_accuracy(features, np.full(20, 3), features, np.full(20, 3), num_labels=5)
    labels = np.arange(20) % 2
    assert 0 <= few_label_accuracy(features, labels, features, labels,
                                   num_labels=np.int64(6), seed=np.int64(1)) <= 1
    with pytest.raises(ValueError, match="seed=4294967296"):
        few_label_accuracy(features, labels, features, labels, num_labels=6, seed=2**32)


@pytest.mark.backend_independent
def test_balanced_choice_names_labels_that_are_not_labels():
    from vaekit.features import balanced_choice

    labels = (np.arange(12) % 3).astype(float)
    labels[0] = np.nan
    with pytest.raises(ValueError, match="`labels` must be finite"):
        balanced_choice(labels, 6)
    with pytest.raises(ValueError, match=r"labels.shape=\(12, 1\)"):
        balanced_choice(labels[:, None], 6)
