import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

from vaekit.data import CorruptDataError
from vaekit.judge_cache import judge_key, trained_judge
from vaekit.sample_quality import DigitClassifier

pytestmark = pytest.mark.slow  # each test trains or loads a digit judge
# The cache's bookkeeping (keys, files, refusals) is the same on every backend: those tests run
# once; what a backend does (save, load, the draws that follow) is tested on each.
bookkeeping = pytest.mark.backend_independent

# One short epoch on a few hundred digits: what is tested is the bookkeeping, not the judge.
QUICK = {"epochs": 1, "batch_size": 64}


@pytest.fixture(scope="module")
def digits(mnist_subset):
    return mnist_subset.x_train[:300], mnist_subset.y_train[:300], mnist_subset.x_test[:50]


@pytest.fixture(scope="module")
def saved_folder(digits, tmp_path_factory):
    """A folder holding the one judge `trained_judge(images, labels, seed=0, **QUICK)` saves."""
    images, labels, _ = digits
    folder = tmp_path_factory.mktemp("judges")
    trained_judge(images, labels, seed=0, cache_dir=folder, **QUICK)
    return folder


@pytest.fixture
def saved_judge(saved_folder, tmp_path):
    """`tmp_path` with a copy of that saved judge in it; its path."""
    (saved,) = saved_folder.iterdir()
    return Path(shutil.copy(saved, tmp_path))


def fresh_draws():
    """What a lesson draws next: a new layer's initial weights and NumPy's global generator."""
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    global_numpy_draw = np.random.uniform(size=4)  # noqa: NPY002 (the global one is tested)
    return keras.ops.convert_to_numpy(layer.kernel), global_numpy_draw


def test_the_second_call_loads_the_same_judge_and_what_follows_draws_the_same(digits,
                                                                              tmp_path):
    images, labels, test_images = digits
    trained = trained_judge(images, labels, seed=3, cache_dir=tmp_path, **QUICK)
    after_training = fresh_draws()
    saved = list(tmp_path.iterdir())
    assert not trained.from_cache_ and len(saved) == 1 and saved[0].name.endswith(".weights.h5")
    loaded = trained_judge(images, labels, seed=np.int64(3), cache_dir=tmp_path, **QUICK)
    after_loading = fresh_draws()
    assert loaded.from_cache_ and list(tmp_path.iterdir()) == saved
    np.testing.assert_array_equal(loaded.probabilities(test_images),
                                  trained.probabilities(test_images))
    for drawn_after_loading, drawn_after_training in zip(after_loading, after_training,
                                                         strict=True):
        np.testing.assert_array_equal(drawn_after_loading, drawn_after_training)


@bookkeeping
@pytest.mark.parametrize("change", ["digits", "labels", "seed", "epochs"])
def test_other_digits_settings_or_seed_train_another_judge(digits, tmp_path, saved_judge,
                                                            change):
    images, labels, _ = digits
    changed = {"digits": (images[::-1], labels[::-1], 0, QUICK),
               "labels": (images, (labels + 1) % 10, 0, QUICK),
               "seed": (images, labels, 1, QUICK),
               "epochs": (images, labels, 0, {**QUICK, "epochs": 2})}[change]
    other = trained_judge(*changed[:2], seed=changed[2], cache_dir=tmp_path, **changed[3])
    assert not other.from_cache_ and len(list(tmp_path.iterdir())) == 2


@bookkeeping
def test_a_corrupt_saved_judge_is_named_and_left_alone(digits, tmp_path, saved_judge):
    images, labels, _ = digits
    saved = saved_judge
    saved.write_bytes(b"not an HDF5 file")
    with pytest.raises(CorruptDataError, match=f"{saved}.*Delete it"):
        trained_judge(images, labels, seed=0, cache_dir=tmp_path, **QUICK)
    assert saved.read_bytes() == b"not an HDF5 file"


@bookkeeping
def test_an_unwritable_cache_warns_and_the_judge_still_works(digits, tmp_path):
    images, labels, test_images = digits
    not_a_folder = tmp_path / "judges"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.warns(UserWarning, match="could not be saved.*trains it again"):
        judge = trained_judge(images, labels, seed=0, cache_dir=not_a_folder, **QUICK)
    assert judge.probabilities(test_images).shape == (50, 10)
    assert not_a_folder.read_text() == "a file where the folder should be"


@bookkeeping
@pytest.mark.parametrize("arguments, named", [
    ({"seed": -1}, "seed"),
    ({"seed": 0.5}, "seed"),
    ({"seed": 0, "epochs": 0}, "epochs"),
])
def test_bad_arguments_are_named(digits, tmp_path, arguments, named):
    images, labels, _ = digits
    with pytest.raises((TypeError, ValueError), match=named):
        trained_judge(images, labels, cache_dir=tmp_path, **arguments)
    assert not list(tmp_path.iterdir())


@bookkeeping
def test_bad_digits_are_named(digits, tmp_path):
    images, labels, _ = digits
    with pytest.raises(ValueError, match="labels"):
        trained_judge(images, labels[:-1], seed=0, cache_dir=tmp_path)
    with pytest.raises(ValueError, match="images"):
        trained_judge(images[:, :27], labels, seed=0, cache_dir=tmp_path)


@bookkeeping
def test_a_cache_dir_that_is_not_a_path_is_named(digits):
    images, labels, _ = digits
    with pytest.raises(TypeError, match="cache_dir=3"):
        trained_judge(images, labels, seed=0, cache_dir=3)


@bookkeeping
def test_judge_key_takes_numpy_scalar_seeds_and_refuses_bad_ones(digits):
    images, labels, _ = digits
    judge = DigitClassifier(**QUICK)
    assert judge_key(judge, images, labels, np.int64(3)) == judge_key(judge, images, labels, 3)
    with pytest.raises(ValueError, match=r"seed=4294967296"):
        judge_key(judge, images, labels, 2**32)
    with pytest.raises(TypeError, match="judge of type str"):
        judge_key("judge", images, labels, 0)

