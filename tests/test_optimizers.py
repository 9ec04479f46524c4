"""`FusedAdam` trains as Keras' Adam does, with TensorFlow's fused kernel on TensorFlow."""

import keras
import numpy as np
import pytest

from vaekit.optimizers import FusedAdam

BACKEND = keras.config.backend()


def _trained_weights(optimizer, epochs: int = 4) -> list[np.ndarray]:
    """The weights of a small regression model after `epochs` epochs of 4 batches."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, activation="relu"),
                              keras.layers.Dense(3)])
    model.compile(optimizer=optimizer, loss="mse")
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 6)).astype("float32"), rng.normal(size=(32, 3)).astype("float32")
    model.fit(x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0)
    return model.get_weights()


OPTIONS = [
    {"learning_rate": 0.05},
    {"learning_rate": 0.05, "beta_1": 0.0, "beta_2": 0.9, "epsilon": 1e-3},
    {"learning_rate": 0.05, "weight_decay": 0.1, "clipnorm": 0.5},
    {"learning_rate": 0.05, "amsgrad": True},
]


@pytest.mark.parametrize("options", OPTIONS, ids=["default", "betas", "decay-clip", "amsgrad"])
def test_the_weights_follow_keras_adam(options):
    initial = _trained_weights(keras.optimizers.SGD(0.0))
    expected = _trained_weights(keras.optimizers.Adam(**options))
    fused = _trained_weights(FusedAdam(**options))
    for before, want, got in zip(initial, expected, fused, strict=True):
        assert np.max(np.abs(want - before)) > 1e-2  # the weights did move
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5)


def test_a_learning_rate_schedule_works_as_in_keras_adam():
    def schedule():
        return keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=3, decay_rate=0.5)

    expected = _trained_weights(keras.optimizers.Adam(schedule()))
    for want, got in zip(expected, _trained_weights(FusedAdam(schedule())), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5)


def _update_kernels(optimizer) -> set[str]:
    """The types of the operations of one traced `optimizer.apply` on TensorFlow."""
    import tensorflow as tf

    weight = keras.Variable(np.ones((3, 2), "float32"))
    optimizer.build([weight])
    step = tf.function(lambda gradient: optimizer.apply([gradient], [weight]))
    graph = step.get_concrete_function(tf.TensorSpec((3, 2), tf.float32)).graph
    return {operation.type for operation in graph.get_operations()}


@pytest.mark.skipif(BACKEND != "tensorflow", reason="the fused kernel is TensorFlow's")
def test_tensorflow_updates_with_the_fused_kernel_and_amsgrad_with_keras():
    assert "ResourceApplyAdam" in _update_kernels(FusedAdam(0.01))
    assert "ResourceApplyAdam" not in _update_kernels(FusedAdam(0.01, amsgrad=True))
    assert "ResourceApplyAdam" not in _update_kernels(keras.optimizers.Adam(0.01))


def test_the_optimizer_survives_serialisation():
    optimizer = FusedAdam(2e-3, beta_1=0.8, clipnorm=1.0)
    restored = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert type(restored) is FusedAdam
    config = restored.get_config()
    assert (config["learning_rate"], config["beta_1"], config["clipnorm"]) == pytest.approx(
        (2e-3, 0.8, 1.0))


@pytest.mark.parametrize("argument, value", [("learning_rate", 0), ("learning_rate", "1e-3"),
                                             ("beta_1", 1.0), ("beta_2", -0.1),
                                             ("epsilon", np.nan)])
def test_bad_values_are_named(argument, value):
    with pytest.raises(ValueError, match=f"`{argument}`.*Received: {argument}="):
        FusedAdam(**{argument: value})


@pytest.mark.skipif(BACKEND != "tensorflow", reason="tf.distribute is TensorFlow's")
def test_under_a_distribution_strategy_it_is_keras_adam():
    import tensorflow as tf

    expected = _trained_weights(keras.optimizers.Adam(0.05))
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        fused = _trained_weights(FusedAdam(0.05))
    for want, got in zip(expected, fused, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5)
