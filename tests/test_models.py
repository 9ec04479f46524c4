import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from vaekit.losses import bernoulli_reconstruction_loss, squared_error
from vaekit.models import (
    VAE,
    Autoencoder,
    build_autoencoder,
    build_decoder,
    build_encoder,
    build_vae,
    predict_in_batches,
)
from vaekit.optimizers import FusedAdam


@pytest.mark.parametrize("kind", ["dense", "conv"])
def test_encoder_and_decoder_shapes(kind):
    encoder = build_encoder(latent_dim=3, kind=kind)
    decoder = build_decoder(latent_dim=3, kind=kind)
    images = np.zeros((5, 28, 28), "float32")
    codes = encoder(images)
    assert tuple(codes.shape) == (5, 3)
    assert tuple(decoder(codes).shape) == (5, 28, 28)
    z_mean, z_log_var = build_encoder(latent_dim=3, kind=kind, variational=True)(images)
    assert tuple(z_mean.shape) == tuple(z_log_var.shape) == (5, 3)


def test_decoder_mirrors_encoder():
    encoder = build_encoder(hidden_units=(128, 64), latent_dim=2)
    decoder = build_decoder(hidden_units=(128, 64), latent_dim=2)
    dense_in = [layer.units for layer in encoder.layers if isinstance(layer, keras.layers.Dense)]
    dense_out = [layer.units for layer in decoder.layers if isinstance(layer, keras.layers.Dense)]
    assert dense_in == [128, 64, 2]
    assert dense_out == [64, 128, 784]


def test_linear_autoencoder_has_no_nonlinearity():
    model = build_autoencoder(latent_dim=4, linear=True)
    x = np.random.default_rng(0).normal(size=(6, 28, 28)).astype("float32")
    # A linear map: f(a + b) - f(0) == (f(a) - f(0)) + (f(b) - f(0)).
    f = lambda v: predict_in_batches(model, v)  # noqa: E731
    zero = np.zeros_like(x[:3])
    np.testing.assert_allclose(
        f(x[:3] + x[3:]) - f(zero), (f(x[:3]) - f(zero)) + (f(x[3:]) - f(zero)), atol=1e-4
    )


def test_autoencoder_fit_lowers_loss(tiny_images):
    model = build_autoencoder(latent_dim=4, hidden_units=(32,))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=squared_error)
    history = model.fit(tiny_images, tiny_images, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_vae_fit_lowers_loss_and_reports_its_parts(tiny_images):
    vae = build_vae(latent_dim=2, hidden_units=(32,), seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = vae.fit(tiny_images, epochs=5, batch_size=8, verbose=0).history
    assert {"loss", "reconstruction_loss", "kl_loss"} <= set(history)
    assert history["loss"][-1] < history["loss"][0]
    np.testing.assert_allclose(
        history["loss"][-1], history["reconstruction_loss"][-1] + history["kl_loss"][-1], rtol=1e-4
    )


def test_evaluate_includes_the_kl(tiny_images):
    vae = build_vae(latent_dim=2, hidden_units=(32,), seed=0)
    vae.compile(optimizer="adam")
    result = vae.evaluate(tiny_images, batch_size=32, verbose=0, return_dict=True)
    assert result["kl_loss"] > 0
    assert result["loss"] == pytest.approx(result["reconstruction_loss"] + result["kl_loss"], 1e-4)
    z_mean, z_log_var = predict_in_batches(vae.encoder, tiny_images)
    expected_kl = np.mean(0.5 * np.sum(z_mean**2 + np.exp(z_log_var) - z_log_var - 1, axis=1))
    assert result["kl_loss"] == pytest.approx(expected_kl, rel=1e-4)


def test_kl_weight_scales_the_kl_term(tiny_images):
    vae = build_vae(latent_dim=2, hidden_units=(16,), kl_weight=3.0, seed=0)
    vae.compile(optimizer="adam")
    result = vae.evaluate(tiny_images, batch_size=32, verbose=0, return_dict=True)
    expected = result["reconstruction_loss"] + 3.0 * result["kl_loss"]
    assert result["loss"] == pytest.approx(expected, rel=1e-4)


def test_kl_warmup_ramps_the_kl_weight_over_training_batches(tiny_images):
    warmup = 4
    vae = build_vae(latent_dim=2, hidden_units=(16,), kl_weight=2.0, kl_warmup_steps=warmup,
                    seed=0)
    vae.compile(optimizer="adam")
    images = tiny_images[:16]
    history = vae.fit(images, epochs=6, batch_size=16, verbose=0).history  # one batch each
    for batch in range(6):
        weight = 2.0 * min(1.0, batch / warmup)
        expected = history["reconstruction_loss"][batch] + weight * history["kl_loss"][batch]
        assert history["loss"][batch] == pytest.approx(expected, rel=1e-5)
    assert float(keras.ops.convert_to_numpy(vae.training_batches.value)) == 6
    result = vae.evaluate(images, batch_size=16, verbose=0, return_dict=True)
    assert result["loss"] == pytest.approx(
        result["reconstruction_loss"] + 2.0 * result["kl_loss"], rel=1e-5)
    assert float(keras.ops.convert_to_numpy(vae.training_batches.value)) == 6


def test_kl_warmup_survives_a_config_round_trip_and_adds_no_weight_without_it():
    vae = build_vae(latent_dim=2, hidden_units=(16,), kl_warmup_steps=np.int64(7), seed=0)
    assert VAE.from_config(vae.get_config()).kl_warmup_steps == 7
    plain = build_vae(latent_dim=2, hidden_units=(16,), seed=0)
    assert plain.training_batches is None
    assert len(vae.non_trainable_weights) == len(plain.non_trainable_weights) + 1


@pytest.mark.parametrize("steps", [-1, 2.5, "3", True, None])
def test_bad_kl_warmup_steps_is_named(steps):
    with pytest.raises(ValueError, match="kl_warmup_steps"):
        build_vae(latent_dim=2, kl_warmup_steps=steps)


def test_reconstruction_loss_is_summed_over_pixels(tiny_images):
    vae = build_vae(latent_dim=2, hidden_units=(16,), seed=0)
    vae.compile(optimizer="adam")
    result = vae.evaluate(tiny_images, batch_size=32, verbose=0, return_dict=True)
    outputs = vae(tiny_images)
    per_image = bernoulli_reconstruction_loss(tiny_images, outputs["reconstruction"])
    assert result["reconstruction_loss"] > 400  # ~ 784 pixels × ~0.7 nats, not ~0.7
    assert float(np.mean(keras.ops.convert_to_numpy(per_image))) > 400


@pytest.mark.parametrize("frozen", ["encoder", "decoder"])
def test_one_half_can_be_frozen(tiny_images, frozen):
    vae = build_vae(latent_dim=2, hidden_units=(16,), seed=0)
    getattr(vae, frozen).trainable = False
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    other = "decoder" if frozen == "encoder" else "encoder"
    frozen_before = [w.copy() for w in getattr(vae, frozen).get_weights()]
    other_before = [w.copy() for w in getattr(vae, other).get_weights()]
    vae.fit(tiny_images, epochs=2, batch_size=8, verbose=0)
    for before, after in zip(frozen_before, getattr(vae, frozen).get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    changed = [
        not np.array_equal(b, a)
        for b, a in zip(other_before, getattr(vae, other).get_weights(), strict=True)
    ]
    assert any(changed)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["dense", "conv"])
def test_vae_keras_round_trip_is_identical(tmp_path, tiny_images, kind):
    vae = build_vae(latent_dim=2, kind=kind, hidden_units=(16,), filters=(4, 8), seed=5)
    vae.compile(optimizer="adam")
    vae.fit(tiny_images, epochs=1, batch_size=16, verbose=0)
    path = tmp_path / "vae.keras"
    vae.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert isinstance(loaded, VAE) and loaded.kl_weight == vae.kl_weight
    for a, b in zip(predict_in_batches(vae.encoder, tiny_images),
                    predict_in_batches(loaded.encoder, tiny_images), strict=True):
        np.testing.assert_array_equal(a, b)
    z = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    np.testing.assert_array_equal(
        predict_in_batches(vae.decoder, z), predict_in_batches(loaded.decoder, z)
    )
    result = loaded.evaluate(tiny_images, verbose=0, return_dict=True)
    assert {"reconstruction_loss", "kl_loss"} <= set(result)


@pytest.mark.parametrize("linear", [False, True])
def test_autoencoder_keras_round_trip_is_identical(tmp_path, tiny_images, linear):
    model = build_autoencoder(latent_dim=3, hidden_units=(16,), linear=linear)
    model.compile(optimizer="adam", loss=squared_error)
    model.fit(tiny_images, tiny_images, epochs=1, verbose=0)
    model.save(tmp_path / "ae.keras")
    loaded = keras.saving.load_model(tmp_path / "ae.keras", safe_mode=True)
    assert isinstance(loaded, Autoencoder)
    np.testing.assert_array_equal(
        predict_in_batches(model, tiny_images), predict_in_batches(loaded, tiny_images)
    )


def test_vae_call_returns_its_parts(tiny_images):
    outputs = build_vae(latent_dim=3, hidden_units=(8,))(tiny_images[:4])
    assert set(outputs) == {"reconstruction", "z_mean", "z_log_var", "z"}
    assert tuple(outputs["reconstruction"].shape) == (4, 28, 28)


def test_predict_in_batches_keeps_structure_and_order(tiny_images):
    encoder = build_encoder(latent_dim=2, hidden_units=(8,), variational=True)
    whole = [keras.ops.convert_to_numpy(t) for t in encoder(tiny_images)]
    batched = predict_in_batches(encoder, tiny_images, batch_size=5)
    for a, b in zip(whole, batched, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: build_encoder(latent_dim=0), "latent_dim=0"),
        (lambda: build_encoder(latent_dim=2.5), "latent_dim=2.5"),
        (lambda: build_encoder(hidden_units=256), "hidden_units=256"),
        (lambda: build_encoder(kind="rnn"), "kind='rnn'"),
        (lambda: build_encoder(input_shape=(30, 30), kind="conv"), "divisible by 4"),
        (lambda: build_decoder(output_shape="28x28"), "output_shape='28x28'"),
        (lambda: build_autoencoder(linear=True, kind="conv"), "kind='conv'"),
        (lambda: build_vae(kl_weight=-1.0), "kl_weight=-1.0"),
        (lambda: VAE(build_encoder(variational=True), build_decoder(), reconstruction="l1"),
         "reconstruction='l1'"),
        (lambda: predict_in_batches(build_encoder(), np.zeros((2, 28, 28)), batch_size=0),
         "batch_size=0"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_non_model_halves_are_rejected():
    with pytest.raises(TypeError, match="encoder"):
        Autoencoder("encoder", build_decoder())


def _small_vae(kl_weight=1.0):
    vae = build_vae(latent_dim=2, hidden_units=(16,), kl_weight=kl_weight, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    return vae


@pytest.mark.slow
@pytest.mark.parametrize("num_images, batch_size, kl_weight",
                         [(33, 32, 1.0), (100, 99, 2.5), (10, 3, 2.5)])
def test_metrics_add_up_for_any_batch_split(num_images, batch_size, kl_weight):
    images = np.random.default_rng(1).uniform(size=(num_images, 28, 28)).astype("float32")
    vae = _small_vae(kl_weight)
    result = vae.evaluate(images, batch_size=batch_size, verbose=0, return_dict=True)
    assert result["loss"] == pytest.approx(
        result["reconstruction_loss"] + kl_weight * result["kl_loss"], abs=1e-4)
    whole = vae.evaluate(images, batch_size=num_images, verbose=0, return_dict=True)
    # z is random, so the two runs differ by sampling noise only, not by a batch-weighting bias
    assert result["kl_loss"] == pytest.approx(whole["kl_loss"], rel=1e-4)
    history = vae.fit(images, batch_size=batch_size, epochs=1, verbose=0).history
    assert history["loss"][0] == pytest.approx(
        history["reconstruction_loss"][0] + kl_weight * history["kl_loss"][0], abs=1e-3)


def test_sample_weight_is_honoured():
    images = np.random.default_rng(2).uniform(size=(33, 28, 28)).astype("float32")
    vae = _small_vae()
    zero = vae.evaluate(images, sample_weight=np.zeros(33), verbose=0, return_dict=True)
    assert zero["loss"] == pytest.approx(0.0, abs=1e-6)
    assert zero["reconstruction_loss"] == pytest.approx(0.0, abs=1e-6)
    plain = vae.evaluate(images, batch_size=33, verbose=0, return_dict=True)
    ones = vae.evaluate(images, sample_weight=np.ones(33), batch_size=33, verbose=0,
                        return_dict=True)
    assert ones["kl_loss"] == pytest.approx(plain["kl_loss"], rel=1e-5)
    history = vae.fit(images, sample_weight=np.ones(33), epochs=1, verbose=0).history
    assert np.isfinite(history["loss"][0])


def test_a_compiled_loss_is_refused_not_ignored():
    vae = build_vae(latent_dim=2, hidden_units=(16,))
    vae.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="loss='mse'"):
        vae.fit(np.zeros((4, 28, 28), "float32"), epochs=1, verbose=0)


@pytest.mark.parametrize("kl_weight", [float("nan"), float("inf"), -1.0, "1"])
def test_bad_kl_weight_is_named(kl_weight):
    with pytest.raises(ValueError, match="kl_weight"):
        build_vae(latent_dim=2, kl_weight=kl_weight)


def test_numpy_kl_weight_is_a_valid_number():
    assert build_vae(latent_dim=2, kl_weight=np.float32(2.0)).kl_weight == 2.0


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_a_vae_trains_under_mixed_precision(policy):
    keras.mixed_precision.set_global_policy(policy)
    try:
        vae = _small_vae()
        images = np.random.default_rng(3).uniform(size=(64, 28, 28)).astype("float32")
        history = vae.fit(images, batch_size=32, epochs=2, verbose=0).history
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert np.all(np.isfinite(history["loss"]))


@pytest.mark.slow
def test_import_vaekit_is_enough_to_load_a_saved_vae(tmp_path):
    path = tmp_path / "vae.keras"
    vae = _small_vae()
    vae.compile(optimizer=FusedAdam(1e-3))  # the lessons' optimizer is saved with the model
    vae.fit(np.zeros((4, 28, 28), "float32"), epochs=1, verbose=0)
    vae.save(path)
    code = (f"import keras, vaekit; m = keras.models.load_model({str(path)!r}, safe_mode=True); "
            "print(type(m).__name__, type(m.optimizer).__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "VAE FusedAdam"


def test_uint8_images_get_a_clear_error():
    raw = np.random.default_rng(4).integers(0, 256, size=(8, 28, 28)).astype("uint8")
    vae = _small_vae()
    with pytest.raises(ValueError, match=r"divide 0–255 images by 255.*\[0, 255\]"):
        vae.fit(raw, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="x"):
        vae.evaluate(np.full((2, 28, 28), np.nan, "float32"), verbose=0)


def test_a_diverging_run_stops_with_a_message():
    vae = build_vae(latent_dim=2, hidden_units=(16,), seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e30))  # diverges at once
    images = np.random.default_rng(5).uniform(size=(64, 28, 28)).astype("float32")
    with pytest.raises(FloatingPointError, match="learning rate"):
        vae.fit(images, batch_size=8, epochs=5, verbose=0)


def test_numpy_integers_are_valid_sizes():
    vae = build_vae(image_shape=(np.int64(28), 28), latent_dim=np.int64(3),
                    hidden_units=(np.int32(16),))
    outputs = predict_in_batches(vae, np.zeros((2, 28, 28), "float32"), batch_size=np.int64(1))
    assert outputs["z"].shape == (2, 3)
    assert build_autoencoder(latent_dim=np.int16(2)).encoder.output.shape[-1] == 2


IMAGES = np.random.default_rng(5).uniform(size=(8, 28, 28)).astype("float32")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: build_encoder(activation="bogus"), "activation='bogus'"),
        (lambda: build_decoder(activation=123), "activation=123"),
        (lambda: build_decoder(output_activation="bogus"), "output_activation='bogus'"),
        (lambda: build_encoder(variational="no"), "variational='no'"),
        (lambda: build_autoencoder(linear="no"), "linear='no'"),
        (lambda: Autoencoder(build_encoder(latent_dim=2), build_decoder(latent_dim=3)),
         "2-D codes.*size 3"),
        (lambda: VAE(build_encoder(latent_dim=2), build_decoder(latent_dim=2)),
         r"\[z_mean, z_log_var\].*1 output"),
        (lambda: Autoencoder(build_encoder(variational=True), build_decoder()), "1 output|codes"),
        (lambda: VAE.from_config({}), "encoder and decoder"),
    ],
)
def test_halves_that_cannot_work_together_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "fit_kwargs, message",
    [
        ({"x": np.zeros((8, 14, 14), "float32")}, r"28 × 28 images.*\(8, 14, 14\)"),
        ({"x": np.zeros((0, 28, 28), "float32")}, "non-empty"),
        ({"x": IMAGES + 0j}, "complex"),
        ({"x": np.where(IMAGES > 0.5, np.nan, IMAGES)}, "NaN"),
        ({"x": IMAGES, "sample_weight": -np.ones(8)}, "weights >= 0"),
        ({"x": IMAGES, "sample_weight": np.full(8, np.nan)}, "sample_weight"),
        ({"x": IMAGES, "sample_weight": np.ones(3)}, r"8 finite weights.*\(3,\)"),
    ],
)
def test_bad_training_data_is_named(fit_kwargs, message):
    with pytest.raises(ValueError, match=message):
        _small_vae().fit(**fit_kwargs, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=message):
        _small_vae().evaluate(**fit_kwargs, verbose=0)


def test_lists_and_bool_images_are_valid_training_data():
    history = _small_vae().fit(IMAGES.tolist(), epochs=1, verbose=0).history
    assert np.isfinite(history["loss"][0])
    history = _small_vae().fit(IMAGES > 0.5, epochs=1, verbose=0).history
    assert np.isfinite(history["loss"][0])


def test_an_autoencoder_with_the_bernoulli_loss_refuses_0_255_images():
    ae = build_autoencoder(latent_dim=2, hidden_units=(8,))
    ae.compile(optimizer="adam", loss=bernoulli_reconstruction_loss)
    with pytest.raises(ValueError, match="divide 0–255 images by 255"):
        ae.fit(IMAGES * 255, IMAGES * 255, epochs=1, verbose=0)
    squared = build_autoencoder(latent_dim=2, hidden_units=(8,), output_activation=None)
    squared.compile(optimizer="adam", loss=squared_error)  # any finite values are valid here
    assert np.isfinite(squared.fit(IMAGES * 2 - 1, IMAGES * 2 - 1, epochs=1, verbose=0)
                       .history["loss"][0])
    with pytest.raises(ValueError, match="NaN"):
        squared.fit(np.full_like(IMAGES, np.nan), IMAGES, epochs=1, verbose=0)


@pytest.mark.parametrize(
    "model, inputs, message",
    [
        (None, IMAGES, "`model` must be a Keras model"),
        (build_decoder(latent_dim=2), np.zeros((5, 3)), r"\[\(2,\)\].*\(5, 3\)"),
        (build_decoder(latent_dim=2), np.full((5, 2), np.nan), "finite"),
        (build_decoder(latent_dim=2), None, "inputs=None"),
        (build_decoder(latent_dim=2), np.float32(1.0), "array of examples"),
        (build_decoder(latent_dim=2), np.array([["a", "b"]]), "array of numbers"),
    ],
)
def test_predict_in_batches_names_bad_inputs(model, inputs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        predict_in_batches(model, inputs)


def test_predict_in_batches_slices_a_list_of_inputs_together():
    from vaekit.conditional import build_conditional_vae

    encoder = build_conditional_vae(latent_dim=2, hidden_units=(8,)).encoder
    images = np.random.default_rng(6).uniform(size=(50, 28, 28)).astype("float32")
    one_hot = np.eye(10, dtype="float32")[np.arange(50) % 10]
    batched = predict_in_batches(encoder, [images, one_hot], batch_size=7)
    whole = [keras.ops.convert_to_numpy(part) for part in encoder([images, one_hot])]
    for mine, theirs in zip(batched, whole, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)



def _twin_vaes():
    """Two compiled VAEs with the same weights and seed: what one gives, the other gave."""
    twins = [build_vae(latent_dim=2, hidden_units=(8,), seed=0) for _ in range(2)]
    for vae in twins:
        vae.compile(optimizer="adam")
        vae(IMAGES)  # build
    twins[1].set_weights(twins[0].get_weights())
    return twins


BAD_IMAGES = [
    (np.round(IMAGES * 255).astype("uint8"), r"divide 0–255 images by 255.*\[0, 255\]"),
    (IMAGES * 255, "divide 0–255 images by 255"),
    (IMAGES - 1, r"grey levels in \[0, 1\]"),
    (np.where(IMAGES > 0.5, np.inf, IMAGES), "NaN or inf"),
    (np.where(IMAGES > 0.5, np.nan, IMAGES), "NaN or inf"),
    (IMAGES + 0j, "complex"),
    (IMAGES[..., None],
     r"`NAME` must be a non-empty batch of 28 × 28 images.*NAME\.shape=\(8, 28, 28, 1\)"),
    (None, "`NAME` .*NAME=None"),
]


@pytest.mark.parametrize("images, message", BAD_IMAGES)
def test_predict_and_call_refuse_what_fit_refuses_and_leave_the_model_unchanged(images, message):
    vae, twin = _twin_vaes()
    with pytest.raises(ValueError, match=message.replace("NAME", "x")):
        vae.predict(images, verbose=0)
    with pytest.raises(ValueError, match=message.replace("NAME", "inputs")):
        vae(images)
    with pytest.raises(ValueError, match=message.replace("NAME", "x")):
        vae.fit(images, epochs=1, verbose=0)
    for mine, theirs in zip(keras.tree.flatten(vae.predict(IMAGES, verbose=0)),
                            keras.tree.flatten(twin.predict(IMAGES, verbose=0)), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_y_is_checked_and_named():
    with pytest.raises(ValueError, match=r"`y` must hold grey levels.*divide 0–255"):
        _small_vae().fit(IMAGES, IMAGES * 255, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`y` must hold grey levels.*NaN"):
        _small_vae().evaluate(IMAGES, np.full_like(IMAGES, np.nan), verbose=0)


def test_missing_or_meaningless_fit_arguments_are_named():
    vae, twin = _twin_vaes()
    for call in (vae.fit, vae.evaluate, vae.predict):
        with pytest.raises(ValueError, match="x=None"):
            call(None, verbose=0)
    with pytest.raises(ValueError, match="class_weight.*sample_weight"):
        vae.fit(IMAGES, class_weight={0: 1.0}, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"`validation_data\[0\]` must hold grey levels"):
        vae.fit(IMAGES, validation_data=(IMAGES * 255,), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`validation_data` must be.*4 items"):
        vae.fit(IMAGES, validation_data=(IMAGES,) * 4, epochs=1, verbose=0)
    np.testing.assert_array_equal(vae.predict(IMAGES, verbose=0)["reconstruction"],
                                  twin.predict(IMAGES, verbose=0)["reconstruction"])
    ae = build_autoencoder(latent_dim=2, hidden_units=(8,))
    ae.compile(optimizer="adam", loss=squared_error)
    with pytest.raises(ValueError, match=r"`y` must be the target images.*fit\(x, x\)"):
        ae.fit(IMAGES, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"`validation_data\[1\]` must be the target images"):
        ae.fit(IMAGES, IMAGES, validation_data=(IMAGES,), epochs=1, verbose=0)


def test_sample_weight_as_a_list_and_checked_validation_data_train():
    vae = _small_vae()
    weights = [1.0] * len(IMAGES)
    history = vae.fit(IMAGES, sample_weight=weights, validation_data=(IMAGES.tolist(),),
                      epochs=1, verbose=0).history
    assert np.isfinite(history["loss"][0]) and np.isfinite(history["val_loss"][0])
    zero = vae.evaluate(IMAGES, sample_weight=[0] * len(IMAGES), verbose=0, return_dict=True)
    assert zero["loss"] == pytest.approx(0.0, abs=1e-6)


def test_an_autoencoder_checks_predict_and_call_by_its_loss():
    ae = build_autoencoder(latent_dim=2, hidden_units=(8,))
    ae.compile(optimizer="adam", loss=bernoulli_reconstruction_loss)
    with pytest.raises(ValueError, match="divide 0–255 images by 255"):
        ae.predict(IMAGES * 255, verbose=0)
    with pytest.raises(ValueError, match=r"inputs\.shape=\(8, 784\)"):
        ae(IMAGES.reshape(8, -1))
    squared = build_autoencoder(latent_dim=2, hidden_units=(8,), output_activation=None)
    assert squared.predict(IMAGES * 2 - 1, verbose=0).shape == IMAGES.shape  # any finite values
    with pytest.raises(ValueError, match="`inputs` must be finite"):
        squared(np.full_like(IMAGES, np.inf))


def _two_outputs(model):
    return keras.Model(model.inputs, [model.outputs[0], model.outputs[0]])


@pytest.mark.parametrize(
    "encoder, decoder, message",
    [
        (build_encoder(variational=True, num_classes=10), build_decoder(),
         r"`encoder` must take images .*without num_classes.*2 input"),
        (build_encoder(variational=True), build_decoder(num_classes=10),
         r"`decoder` must take codes z .*without num_classes.*2 input"),
        (build_encoder(variational=True), build_decoder(output_shape=(14, 14)),
         r"`decoder` must output .*\(28, 28\)\. Received: .*\[\(14, 14\)\]"),
        (build_encoder(variational=True), _two_outputs(build_decoder()),
         r"`decoder` must output one batch of images.*\[\(28, 28\), \(28, 28\)\]"),
        (build_encoder(latent_dim=3, variational=True), build_decoder(latent_dim=2),
         r"`decoder` must take the encoder's 3-D codes.*size 2"),
    ],
)
def test_mismatched_halves_are_refused_at_construction(encoder, decoder, message):
    with pytest.raises(ValueError, match=message):
        VAE(encoder, decoder)


def test_codes_of_two_sizes_are_refused():
    images = keras.Input((28, 28))
    flat = keras.layers.Flatten()(images)
    encoder = keras.Model(images, [keras.layers.Dense(2)(flat), keras.layers.Dense(3)(flat)])
    with pytest.raises(ValueError, match=r"`encoder` must output .*\(None, 2\), \(None, 3\)"):
        VAE(encoder, build_decoder(latent_dim=2))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: build_vae(image_shape=(0, 28)), r"`image_shape\[0\]` .*image_shape\[0\]=0"),
        (lambda: build_vae(image_shape=(30, 30), kind="conv"), r"image_shape=\(30, 30\)"),
        (lambda: build_autoencoder(image_shape="28"), "image_shape='28'"),
        (lambda: build_autoencoder(image_shape=(28,) * 4), r"image_shape=\(28, 28, 28, 28\)"),
        (lambda: build_encoder(latent_dim=2**63), "latent_dim=9223372036854775808"),
        (lambda: build_decoder(hidden_units=(8, 2**63)), r"hidden_units\[1\]=9223372036854775808"),
        (lambda: build_encoder(filters=(np.int64(-4),), kind="conv"), r"filters\[0\]"),
        (lambda: build_encoder(hidden_units="256"), "hidden_units='256'"),
        (lambda: build_encoder(kind=["dense"]), r"kind=\['dense'\]"),
        (lambda: VAE(build_encoder(variational=True), build_decoder(), reconstruction=["l1"]),
         r"reconstruction=\['l1'\]"),
    ],
)
def test_builders_name_the_argument_the_caller_passed(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_conv_decoder_without_convolutions_mirrors_its_encoder():
    encoder = build_encoder(latent_dim=2, kind="conv", filters=(), hidden_units=(8,))
    decoder = build_decoder(latent_dim=2, kind="conv", filters=(), hidden_units=(8,))
    assert not any(isinstance(layer, keras.layers.Conv2D) for layer in encoder.layers)
    assert not any(isinstance(layer, keras.layers.Conv2DTranspose) for layer in decoder.layers)
    assert predict_in_batches(Autoencoder(encoder, decoder), IMAGES).shape == IMAGES.shape


def test_numpy_arrays_are_valid_sizes_and_seeds():
    vae = build_vae(image_shape=np.array([28, 28]), latent_dim=2, hidden_units=np.array([8]),
                    seed=np.int64(4))
    assert vae.seed == 4 and type(vae.seed) is int
    assert vae.get_config()["seed"] == 4


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda vae: vae.fit(IMAGES, IMAGES[:5], epochs=1, verbose=0),
         r"`y` must hold one target image per input image, 8\. Received: y\.shape=\(5, 28, 28\)"),
        (lambda vae: vae.predict("images", verbose=0), "`x` must be an array of numbers"),
        (lambda vae: vae(np.float32(0.5)), r"`inputs` must be a non-empty batch.*shape=\(\)"),
        (lambda vae: vae.evaluate(IMAGES, validation_data=(IMAGES,), verbose=0),
         "`validation_data` is an argument of `fit`"),
        (lambda vae: VAE.from_config(None), "`config` must be a dict.*NoneType"),
        (lambda vae: build_autoencoder(linear=True, kind="conv"), "`kind` must be 'dense'"),
    ],
)
def test_more_mistakes_are_named_and_cost_nothing(call, message):
    vae, twin = _twin_vaes()
    with pytest.raises((ValueError, TypeError), match=message):
        call(vae)
    np.testing.assert_array_equal(vae.predict(IMAGES, verbose=0)["z"],
                                  twin.predict(IMAGES, verbose=0)["z"])


@pytest.mark.parametrize("images", [{"a": 1}, 1, (IMAGES,), "images"])
def test_objects_that_are_not_images_are_named(images):
    vae = _small_vae()
    with pytest.raises(ValueError, match="`x` must be"):
        vae.predict(images, verbose=0)
    with pytest.raises(ValueError, match="`y` must be"):
        vae.fit(IMAGES, images, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="`inputs` must be"):
        vae(images)
