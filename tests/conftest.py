"""Shared test set-up: quiet TensorFlow, seeded Keras, offline data only, strict claims."""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Hypothesis' caches (and the thorough profile's example database) go outside the checkout.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "vaekit-hypothesis")
)
# The lessons run by nbval inherit this: a claim that does not hold fails the test run.
os.environ.setdefault("VAEKIT_STRICT_CLAIMS", "1")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, Phase, settings  # noqa: E402

# Property-based tests: "ci" (the default) replays the same few examples on every run, writes
# no example database and skips the slow explanation of a failure (the shrunk example stays);
# HYPOTHESIS_PROFILE=thorough searches many more, fresh each run.
settings.register_profile(
    "ci",
    max_examples=10,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `tensorflow_only` under another Keras backend, saying which."""
    backend = keras.config.backend()
    if backend == "tensorflow":
        return
    skip = pytest.mark.skip(reason=f"needs the TensorFlow backend (KERAS_BACKEND={backend})")
    for item in items:
        if item.get_closest_marker("tensorflow_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _seed():
    keras.utils.set_random_seed(0)


@pytest.fixture(scope="session")
def mnist_subset():
    """The offline 5,000-digit subset (4,000 train / 1,000 test)."""
    from vaekit.data import load_mnist

    return load_mnist("subset")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every Matplotlib figure a test opened."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def decoder():
    """An untrained decoder `(batch, 2) → (batch, 28, 28)`, one hidden layer of 8 units."""
    from vaekit.models import build_decoder

    return build_decoder(latent_dim=2, hidden_units=(8,))


@pytest.fixture
def tiny_images():
    """32 random 28×28 images in [0, 1]."""
    return np.random.default_rng(0).uniform(size=(32, 28, 28)).astype("float32")


class RecordedLine:
    """Stands in for `vaekit.runtime.LiveLine`: records each text, unthrottled."""

    def __init__(self, text):
        self.shown, self.finished = [text], None

    def update(self, text):
        self.shown.append(text)

    def finish(self, text):
        self.shown.append(text)
        self.finished = text


@pytest.fixture
def record_lines(monkeypatch):
    """`record_lines(module)`: the `LiveLine`s that `module` shows from now on, recorded (as
    `RecordedLine`s, in a list) instead of displayed."""
    def record(module) -> list:
        lines = []
        monkeypatch.setattr(module, "LiveLine",
                            lambda text: lines.append(RecordedLine(text)) or lines[-1])
        return lines

    return record
