"""One trained judge for every lesson: a `DigitClassifier` trained once and kept on disk.

Lessons 3, 4 and 5 judge generated digits with a classifier trained on the same training
digits. `trained_judge` trains it under a fixed seed and saves its weights in
``default_data_dir()/judges``; a later call with the same digits, settings, seed, Keras backend,
Keras version and classifier code loads them instead (under a second, against 10–35 s of
training on 2 CPU cores). So the three lessons judge with the same classifier, and their
numbers can be compared. Delete the folder to train afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import warnings
from pathlib import Path

import keras
import numpy as np

from vaekit.checks import as_path, check_seed
from vaekit.data import CorruptDataError, default_data_dir
from vaekit.sample_quality import (
    DigitClassifier,
    as_digit_images,
    as_digit_labels,
    build_digit_classifier,
    check_judge,
)

JUDGES_FOLDER = "judges"


def trained_judge(images, labels, *, seed: int, cache_dir=None, **settings) -> DigitClassifier:
    """`DigitClassifier(**settings)` fitted to `images` `(n, 28, 28)` and `labels` `(n,)`.

    Loaded from `cache_dir` (default ``default_data_dir()/judges``) when an earlier call saved
    it, else trained after `keras.utils.set_random_seed(seed)`, and saved there. Either way the
    call ends with `keras.utils.set_random_seed(seed)`, so models built next start from the same
    weights whether the judge was trained or loaded. The returned judge's `from_cache_` says
    which happened.

    Raises:
        CorruptDataError: the saved weights cannot be read (the file is left as it is).
    """
    seed = check_seed("seed", seed)
    images = as_digit_images(images)
    labels = as_digit_labels(labels, len(images))
    judge = DigitClassifier(**settings)
    folder = as_path("cache_dir", cache_dir) if cache_dir is not None else (
        default_data_dir() / JUDGES_FOLDER)
    path = folder / f"digit-classifier-{judge_key(judge, images, labels, seed)}.weights.h5"
    keras.utils.set_random_seed(seed)
    judge.from_cache_ = path.is_file()
    if judge.from_cache_:
        _load(judge, path)
    else:
        judge.fit(images, labels)
        _save(judge, path)
    keras.utils.set_random_seed(seed)
    return judge


def judge_key(judge: DigitClassifier, images: np.ndarray, labels: np.ndarray, seed: int) -> str:
    """A short SHA-256 of everything that decides the trained weights."""
    check_judge(judge)
    images = as_digit_images(images)
    labels = as_digit_labels(labels, len(images))
    seed = check_seed("seed", seed)
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(images).tobytes())
    digest.update(np.ascontiguousarray(labels, dtype="int64").tobytes())
    digest.update(json.dumps({
        "epochs": judge.epochs, "batch_size": judge.batch_size,
        "learning_rate": judge.learning_rate, "seed": seed, "images": list(images.shape),
        "backend": keras.config.backend(), "keras": keras.__version__,
    }, sort_keys=True).encode())
    for code in (build_digit_classifier, DigitClassifier):
        digest.update(inspect.getsource(code).encode())
    return digest.hexdigest()[:20]


def _load(judge: DigitClassifier, path: Path) -> None:
    try:
        judge.load_weights(path)
    except Exception as error:
        raise CorruptDataError(
            f"The saved judge {path} cannot be read ({type(error).__name__}: {error}). "
            "Delete it to train the judge again."
        ) from error


def _save(judge: DigitClassifier, path: Path) -> None:
    """Save atomically (other lessons may be reading the folder); warn if it cannot be written."""
    partial = path.with_name(f".{os.getpid()}-{path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        judge.model_.save_weights(partial)
        os.replace(partial, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        warnings.warn(f"The trained judge could not be saved in {path.parent} ({error}); "
                      "the next lesson trains it again.", stacklevel=3)
