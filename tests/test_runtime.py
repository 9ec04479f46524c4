import pytest

from vaekit.runtime import FAST_MODE_VARIABLE, choose, is_fast_mode, lesson_seed


@pytest.mark.parametrize(
    "value, expected", [("1", True), ("true", True), ("0", False), ("", False)]
)
def test_fast_mode_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(FAST_MODE_VARIABLE, value)
    assert is_fast_mode() is expected
    assert choose(full="full", fast="fast") == ("fast" if expected else "full")


def test_unset_means_full_mode(monkeypatch):
    monkeypatch.delenv(FAST_MODE_VARIABLE, raising=False)
    assert choose(full=30, fast=2) == 30


def test_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv(FAST_MODE_VARIABLE, "maybe")
    with pytest.raises(ValueError, match="VAEKIT_FAST.*maybe"):
        is_fast_mode()


def test_lesson_seed(monkeypatch):
    monkeypatch.delenv("VAEKIT_SEED", raising=False)
    assert lesson_seed() == 0
    monkeypatch.setenv("VAEKIT_SEED", " 2 ")
    assert lesson_seed() == 2
    monkeypatch.setenv("VAEKIT_SEED", "-1")
    with pytest.raises(ValueError, match="VAEKIT_SEED='-1'"):
        lesson_seed()


@pytest.mark.parametrize("value", ["1.5", "²", "１"])
def test_lesson_seed_needs_ascii_digits(monkeypatch, value):
    monkeypatch.setenv("VAEKIT_SEED", value)
    with pytest.raises(ValueError, match=f"VAEKIT_SEED={value!r}"):
        lesson_seed()


@pytest.mark.parametrize("devices, expected", [({}, False), ({"GPU": ["gpu:0"]}, True),
                                               ({"TPU": ["tpu:0"]}, True)])
def test_has_accelerator_asks_the_backend(monkeypatch, devices, expected):
    import keras

    from vaekit.runtime import has_accelerator

    if keras.config.backend() != "tensorflow":
        pytest.skip("the fake devices are TensorFlow's")
    import tensorflow as tf

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: devices.get(kind, []))
    assert has_accelerator() is expected
