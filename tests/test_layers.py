import keras
import numpy as np
import pytest
from keras import ops
from keras.src import testing
from scipy import ndimage

from vaekit.layers import RandomShift, Sampling


def test_sample_statistics_match_mean_and_standard_deviation():
    z_mean = np.tile(np.array([[1.5, -2.0, 0.0]], dtype="float32"), (20_000, 1))
    z_log_var = np.tile(np.array([[0.0, np.log(0.25), np.log(4.0)]], dtype="float32"), (20_000, 1))
    z = ops.convert_to_numpy(Sampling(seed=1)([z_mean, z_log_var]))
    np.testing.assert_allclose(z.mean(axis=0), [1.5, -2.0, 0.0], atol=0.05)
    np.testing.assert_allclose(z.std(axis=0), [1.0, 0.5, 2.0], rtol=0.03)


def test_same_seed_same_samples_and_successive_calls_differ():
    inputs = [np.zeros((5, 2), "float32"), np.zeros((5, 2), "float32")]
    first, second = Sampling(seed=7), Sampling(seed=7)
    a, b = ops.convert_to_numpy(first(inputs)), ops.convert_to_numpy(second(inputs))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, ops.convert_to_numpy(first(inputs)))


def gradients_of_sum(function, *arrays):
    """`(function(*arrays), gradients of its sum with respect to each array)`, as NumPy arrays,
    computed by the automatic differentiation of Keras' backend."""
    backend = keras.config.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        variables = [tf.Variable(array) for array in arrays]
        with tf.GradientTape() as tape:
            output = function(*variables)
            total = tf.reduce_sum(output)
        gradients = tape.gradient(total, variables)
    elif backend == "jax":
        import jax

        def total_and_output(*inputs):
            output = function(*inputs)
            return ops.sum(output), output

        gradients, output = jax.grad(total_and_output, argnums=tuple(range(len(arrays))),
                                     has_aux=True)(*arrays)
    elif backend == "torch":
        import torch

        tensors = [torch.tensor(array, requires_grad=True) for array in arrays]
        output = function(*tensors)
        output.sum().backward()
        gradients = [tensor.grad for tensor in tensors]
    else:
        pytest.skip(f"no gradient helper for the {backend} backend")
    return ops.convert_to_numpy(output), [ops.convert_to_numpy(g) for g in gradients]


def test_gradient_flows_through_the_sample():
    zeros = np.zeros((4, 2), "float32")
    sampling = Sampling(seed=0)
    z, (grad_mean, grad_log_var) = gradients_of_sum(
        lambda z_mean, z_log_var: sampling([z_mean, z_log_var]), zeros, zeros)
    np.testing.assert_allclose(grad_mean, 1.0)
    # z = mean + exp(log_var / 2) · epsilon: with mean 0 and log_var 0, z is epsilon itself,
    # and d z / d log_var = epsilon / 2.
    np.testing.assert_allclose(grad_log_var, 0.5 * z, rtol=1e-5)
    assert np.abs(z).max() > 0  # a real sample, so the second check is not 0 == 0


def test_config_round_trip_and_registration():
    layer = Sampling(seed=3, name="sampler")
    config = layer.get_config()
    assert config["seed"] == 3
    clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert isinstance(clone, Sampling) and clone.seed == 3 and clone.name == "sampler"


@pytest.mark.parametrize("seed", ["1", 1.5, True])
def test_bad_seed_is_named(seed):
    with pytest.raises(TypeError, match="seed"):
        Sampling(seed=seed)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match=r"\[z_mean, z_log_var\]"):
        Sampling()(np.zeros((2, 2), "float32"))


class TestSamplingAsAKerasLayer(testing.TestCase):
    """Keras' own layer checks, mixed precision included."""

    def test_run_layer_test(self):
        self.run_layer_test(
            Sampling,
            init_kwargs={"seed": 1},
            input_shape=[(3, 4), (3, 4)],
            expected_output_shape=(3, 4),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=1,
            supports_masking=False,
            run_training_check=False,
            run_mixed_precision_check=True,
        )


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="same shape"):
        Sampling()([np.zeros((4, 2), "float32"), np.zeros((1, 2), "float32")])


def test_numpy_integer_seed_is_valid():
    layer = Sampling(seed=np.int64(3))
    assert layer.get_config()["seed"] == 3 and type(layer.seed) is int
    z = [np.zeros((4, 2), "float32"), np.zeros((4, 2), "float32")]
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(z)),
                                  ops.convert_to_numpy(Sampling(seed=3)(z)))


@pytest.mark.parametrize(
    "inputs, message",
    [
        ([None, None], r"`z_mean` must be an array of numbers\. Received: z_mean=None"),
        ([np.array([["a", "b"]]), np.zeros((1, 2))], r"`z_mean` must be an array of numbers"),
        ([np.full((4, 2), np.nan), np.zeros((4, 2))], r"`z_mean` must be finite"),
        ([np.zeros((4, 2)), np.full((4, 2), np.inf)], r"`z_log_var` must be finite"),
        ([np.zeros((4, 2)) + 1j, np.zeros((4, 2))], r"`z_mean` .*complex"),
    ],
)
def test_bad_numpy_inputs_are_named(inputs, message):
    with pytest.raises(ValueError, match=message):
        Sampling(seed=0)(inputs)



def test_random_shift_moves_each_image_by_its_own_distance_within_the_limit():
    # Each image: random content, and one bright marker pixel far from it whose centre of mass
    # tells the image's shift (bilinear interpolation keeps the centre of mass).
    images = np.zeros((64, 20, 20), "float32")
    images[:, 2:10, 2:10] = np.random.default_rng(0).random((64, 8, 8))
    images[:, 16, 16] = 1.0
    out = ops.convert_to_numpy(RandomShift(2.5, seed=3)(images, training=True))
    assert out.shape == images.shape
    rows, columns = np.mgrid[13:20, 13:20]
    shifts = []
    for image, result in zip(images, out, strict=True):
        marker = result[13:20, 13:20]
        shift = ((marker * rows).sum() - 16, (marker * columns).sum() - 16)
        assert marker.sum() == pytest.approx(1.0, abs=1e-5)
        np.testing.assert_allclose(result, ndimage.shift(image, shift, order=1), atol=1e-4)
        shifts.append(shift)
    shifts = np.array(shifts)
    assert np.abs(shifts).max() <= 2.5 + 1e-5
    assert np.abs(shifts).max(axis=0).min() > 2.0  # both ways, near the limit
    assert len(np.unique(shifts.round(3), axis=0)) == len(shifts)  # one shift per image


def test_random_shift_passes_images_through_at_inference_and_is_seeded():
    images = np.random.default_rng(1).random((8, 28, 28)).astype("float32")
    np.testing.assert_array_equal(ops.convert_to_numpy(RandomShift(2)(images)), images)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(RandomShift(2, seed=5)(images, training=True)),
        ops.convert_to_numpy(RandomShift(2, seed=5)(images, training=True)))
    np.testing.assert_array_equal(
        ops.convert_to_numpy(RandomShift(0)(images, training=True)), images)


def test_random_shift_trains_inside_a_model_and_round_trips():
    inputs = keras.Input((28, 28))
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(RandomShift(np.int64(1))(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    x = np.random.default_rng(2).random((40, 28, 28)).astype("float32")
    history = model.fit(x, np.zeros((40, 1)), batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    layer = RandomShift.from_config(RandomShift(np.float32(2.5), seed=4, name="s").get_config())
    assert (layer.pixels, layer.seed, layer.name) == (2.5, 4, "s")


@pytest.mark.parametrize("pixels", [-1, float("nan"), float("inf"), True, "2"])
def test_random_shift_bad_pixels_are_named(pixels):
    with pytest.raises(ValueError, match=r"`pixels` must be a non-negative number.*pixels="):
        RandomShift(pixels)


def test_random_shift_refuses_images_with_channels():
    with pytest.raises(ValueError,
                       match=r"\(batch, height, width\).*inputs\.shape=\(2, 28, 28, 1\)"):
        RandomShift(2)(np.zeros((2, 28, 28, 1), "float32"), training=True)


def test_integer_codes_are_valid():
    z = Sampling(seed=0)([np.ones((4, 2), int), np.zeros((4, 2), np.int64)])
    np.testing.assert_array_equal(
        ops.convert_to_numpy(z),
        ops.convert_to_numpy(Sampling(seed=0)([np.ones((4, 2)), np.zeros((4, 2))])))


@pytest.mark.parametrize(
    "inputs, message",
    [
        ([np.zeros((4, 2)), np.full((4, 2), 200.0)], r"`z_log_var` must be log-variances.*200"),
        ([np.zeros((4, 2)), np.full((4, 2), -1000.0)], r"`z_log_var` .*-1000"),
        ([np.full((4, 2), 1e300), np.zeros((4, 2))], "`z_mean` must be finite"),
    ],
)
def test_codes_whose_samples_would_overflow_are_refused(inputs, message):
    with pytest.raises(ValueError, match=message):
        Sampling(seed=0)(inputs)


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((5, 5), "float32"), r"`inputs` must be images.*inputs\.shape=\(5, 5\)"),
        (np.full((3, 5, 5), "a"), "`inputs` must be an array of numbers"),
        (np.zeros((3, 5, 5), np.complex64), "`inputs` .*complex"),
        (np.full((3, 5, 5), np.nan), "`inputs` must be finite"),
    ],
)
def test_random_shift_names_bad_images_even_once_built(images, message):
    layer = RandomShift(1, seed=0)
    layer(np.zeros((3, 5, 5), "float32"), training=True)
    state = ops.convert_to_numpy(layer.seed_generator.state)
    for training in (False, True):
        with pytest.raises(ValueError, match=message):
            layer(images, training=training)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.seed_generator.state), state)


@pytest.mark.parametrize("inputs", [np.zeros((4, 2)), [np.zeros((4, 2))], None, "z"])
def test_sampling_names_inputs_that_are_not_a_pair(inputs):
    with pytest.raises(ValueError, match=r"`inputs` must be a list \[z_mean, z_log_var\]"):
        Sampling(seed=0)(inputs)


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_seeds_out_of_range_are_named(seed):
    with pytest.raises(ValueError, match=f"seed={seed}"):
        Sampling(seed=seed)
    with pytest.raises(ValueError, match=f"seed={seed}"):
        RandomShift(1, seed=seed)
