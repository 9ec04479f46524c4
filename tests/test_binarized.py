import keras
import numpy as np
import pytest

from vaekit.binarized import DynamicBinarization, binarize
from vaekit.models import build_vae

GREY = np.random.default_rng(0).uniform(size=(200, 28, 28)).astype("float32")


def test_binarize_draws_each_pixel_with_its_grey_level():
    binary = binarize(GREY, seed=1)
    assert binary.dtype == np.float32 and set(np.unique(binary)) == {0.0, 1.0}
    np.testing.assert_array_equal(binary, binarize(GREY, seed=1))
    assert not np.array_equal(binary, binarize(GREY, seed=2))
    many = np.mean([binarize(GREY[:10], seed=s) for s in range(400)], axis=0)
    assert np.abs(many - GREY[:10]).max() < 0.12
    np.testing.assert_array_equal(binarize(np.array([[0.0, 1.0]]), seed=0), [[0.0, 1.0]])


def test_dynamic_binarization_covers_every_image_and_redraws_each_epoch():
    images = np.repeat(np.linspace(0.1, 0.9, 10, dtype="float32")[:, None, None], 28, 1)
    images = np.repeat(images, 28, 2)  # image i is uniformly grey at level 0.1 * (i + 1)
    data = DynamicBinarization(images, batch_size=4, seed=0)
    assert len(data) == 3
    first = np.concatenate([data[i][0] for i in range(len(data))])
    assert first.shape == (10, 28, 28) and set(np.unique(first)) == {0.0, 1.0}
    # every image appears once: the sorted mean levels match the grey levels
    np.testing.assert_allclose(np.sort(first.mean(axis=(1, 2))), images[:, 0, 0], atol=0.1)
    again = DynamicBinarization(images, batch_size=4, seed=0)
    np.testing.assert_array_equal(again[0][0], data[0][0])
    data.on_epoch_end()
    second = np.concatenate([data[i][0] for i in range(len(data))])
    assert not np.array_equal(first, second)


def test_a_vae_trains_on_dynamic_binarization():
    vae = build_vae(latent_dim=2, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    history = vae.fit(DynamicBinarization(GREY, batch_size=50), epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert set(history.history) >= {"loss", "reconstruction_loss", "kl_loss"}


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: binarize(GREY * 255), "grey levels in \\[0, 1\\]"),
        (lambda: binarize(np.full((2, 3), np.nan)), "grey levels"),
        (lambda: binarize(np.zeros((0, 28, 28))), "non-empty"),
        (lambda: DynamicBinarization(GREY, batch_size=0), "batch_size=0"),
        (lambda: DynamicBinarization(-GREY), "grey levels"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: binarize("abc"), "array of numbers"),
        (lambda: binarize(GREY, seed="x"), "seed='x'"),
        (lambda: DynamicBinarization(GREY, seed=-2), "seed=-2"),
    ],
)
def test_more_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_labels_travel_with_their_images():
    labels = np.arange(len(GREY))
    batches = DynamicBinarization(GREY, labels=labels, batch_size=7, seed=3)
    seen = []
    for index in range(len(batches)):
        ((images, batch_labels),) = batches[index]
        assert images.shape[0] == batch_labels.shape[0]
        seen.extend(batch_labels)
        # Each binary image is a draw of the grey image its label points to.
        assert np.all(images <= (GREY[batch_labels] > 0))
    assert sorted(seen) == list(labels)


@pytest.mark.parametrize(
    "labels, message",
    [
        (np.zeros(3, int), r"shape \(\d+,\)"),
        (np.full(len(GREY), np.nan), "labels"),
        (np.full(len(GREY), 1.0), "dtype float64"),
    ],
)
def test_bad_labels_are_named(labels, message):
    with pytest.raises(ValueError, match=message):
        DynamicBinarization(GREY, labels=labels)


@pytest.mark.parametrize("index", [-1, 99, "0", 1.0])
def test_a_batch_number_out_of_range_is_an_index_error(index):
    batches = DynamicBinarization(GREY, batch_size=50)
    with pytest.raises(IndexError, match="index="):
        batches[index]


def test_negative_labels_are_refused():
    with pytest.raises(ValueError, match="`labels` must be class indices >= 0.*-1"):
        DynamicBinarization(GREY, labels=np.arange(len(GREY)) - 1)
