"""The registry of `test_public_api.py`: one `Case` per public callable of vaekit (`CASES`),
the few left out (`EXCLUDED`), the strategies of valid and bad arguments they draw from, and
the shared objects they call (`World`).

A `Case` says how to call one public callable of vaekit, which arguments are valid (a
strategy of keyword dicts, NumPy scalars included) and, per argument, a strategy of bad
values. The tests then check that every bad value is refused with a ValueError or TypeError
naming that argument, and that a refused call leaves a stateful object as it was.
"""

from __future__ import annotations

import os
import tempfile
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from unittest import mock

import keras
import matplotlib.pyplot as plt
import numpy as np
from hypothesis import strategies as st

from vaekit import (
    anomaly,
    backend_logs,
    binarized,
    callbacks,
    checks,
    conditional,
    data,
    diagnostics,
    explorer,
    features,
    judge_cache,
    language,
    layers,
    losses,
    memorisation,
    models,
    optimizers,
    parallel,
    plotting,
    posterior,
    runtime,
    sample_quality,
    samplers,
    style,
)

BACKENDS = ("tensorflow", "jax", "torch")
DIGIT = (28, 28)  # one image of the shared models and the digit classifier
LATENT_DIM = 2
FLOAT_DTYPES = (np.float32, np.float64)


class Together(dict):
    """A bad value that replaces several arguments at once, e.g. labels of another length."""


@dataclass(frozen=True)
class Use:
    """An argument taken from the shared objects: `Use("vae")` stands for `world.vae`."""

    attribute: str

    def __repr__(self) -> str:
        return f"world.{self.attribute}"


@dataclass(frozen=True)
class Case:
    """How to call one public callable, with valid arguments and with bad ones.

    Attributes:
        name: `"module.Callable"` or `"module.Class.method"`, the callable the case calls.
        call: `call(world, **arguments)` calls it.
        valid: strategy of a dict of valid arguments (or a dict of one strategy per argument),
            or None when no valid call can run in a test.
        invalid: per argument, a strategy of bad values (or of `Together` replacements); each
            must be refused with an error whose message names the argument.
        covers: further public names the call reaches (the Keras hooks `fit` or a layer call
            runs, a property it reads).
        observe: `observe(world)` returns results (arrays) that a refused call must not change.
        uses_backend: False for pure NumPy / Matplotlib cases (the backend matrix runs them once).
        backends: the Keras backends the callable supports.
        cost: a valid call costs about this many cheap calls; it gets that many times fewer
            examples.
        aliases: per argument, other names its message may give instead (`x` for a model
            call's `inputs`, the variable a function reads).
        variant: tells apart several cases of one callable in test names.
    """

    name: str
    call: Callable
    valid: object
    invalid: dict = field(default_factory=dict)
    covers: tuple = ()
    observe: Callable | None = None
    uses_backend: bool = True
    backends: tuple = BACKENDS
    cost: int = 1
    aliases: dict = field(default_factory=dict)
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name

    def valid_arguments(self):
        """Valid keywords: with `valid` None (no valid call can run in a test), none."""
        if self.valid is None:
            return st.just({})
        if isinstance(self.valid, dict):
            return st.fixed_dictionaries(self.valid)
        return self.valid

    def names_for(self, argument: str) -> tuple:
        return (argument, *self.aliases.get(argument, ()))


# --- Valid values -------------------------------------------------------------------------


def integers(low: int, high: int):
    """Python ints and NumPy int64 scalars in [low, high]."""
    values = st.integers(low, high)
    return st.one_of(values, values.map(np.int64))


def reals(low: float, high: float, *, exclude_ends: bool = False):
    """Python floats and NumPy float32/float64 scalars in [low, high]."""
    values = st.floats(low, high, exclude_min=exclude_ends, exclude_max=exclude_ends)
    inside = (lambda value: low < value < high) if exclude_ends else (
        lambda value: low <= value <= high)
    return st.one_of(values, values.map(np.float64), values.map(np.float32).filter(inside))


SEEDS = st.one_of(integers(0, 2**32 - 1), st.integers(0, 2**32 - 1).map(np.uint32))
LAYER_SEEDS = st.one_of(st.none(), SEEDS)


def from_rng(make):
    """Arrays made by `make(rng)` from a drawn seed (quick to draw, any size)."""
    return st.integers(0, 2**16).map(lambda seed: make(np.random.default_rng(seed)))


def grey_images(shape=DIGIT, *, counts=(1, 4)):
    """Batches `(n, *shape)` of grey levels in [0, 1], float32 or float64."""
    return st.tuples(st.integers(*counts), st.sampled_from(FLOAT_DTYPES)).flatmap(
        lambda drawn: from_rng(
            lambda rng: rng.uniform(size=(drawn[0], *shape)).astype(drawn[1])
        )
    )


def fixed_images(count: int, shape=DIGIT):
    """Exactly `count` grey images (for arguments that must match another's length)."""
    return grey_images(shape, counts=(count, count))


def codes(rows=(2, 8), dim=LATENT_DIM, scale=2.0):
    """Distinct codes `(n, dim)`, float32 or float64."""
    return st.tuples(st.integers(*rows), st.sampled_from(FLOAT_DTYPES)).flatmap(
        lambda drawn: from_rng(
            lambda rng: (scale * rng.standard_normal((drawn[0], dim))).astype(drawn[1])
        )
    )


def class_labels(count: int, classes: int = 3):
    """`count` integer labels cycling through `classes` classes, in a drawn order."""
    return st.sampled_from([np.int64, np.int32]).flatmap(
        lambda dtype: from_rng(
            lambda rng: rng.permutation(np.arange(count) % classes).astype(dtype)
        )
    )


def log_variances(shape):
    return from_rng(lambda rng: rng.uniform(-4, 2, size=shape))


# --- Bad values -----------------------------------------------------------------------------

HUGE = st.sampled_from([2**63, 2**64])
NOT_NUMBERS = st.sampled_from(["3", None, [3], b"3", complex(3, 1)])


def bad_counts(minimum: int = 1, *, huge: bool = True):
    """Not an integer >= `minimum`: smaller, bool, float, text, None; and sizes no machine
    holds (2**63) when `huge`."""
    bad = [st.integers(max_value=minimum - 1), st.sampled_from([True, 2.5, np.float64(3.0)]),
           NOT_NUMBERS]
    return st.one_of(*bad, HUGE) if huge else st.one_of(*bad)


BAD_SEEDS = st.one_of(
    st.integers(max_value=-1), st.integers(min_value=2**32, max_value=2**70),
    st.sampled_from([0.5, np.float64(1.0), "0", None, True]),
)
BAD_LAYER_SEEDS = st.one_of(
    st.integers(max_value=-1), st.integers(min_value=2**32, max_value=2**70),
    st.sampled_from([0.5, "0", True]),
)


def bad_reals(*, allow_zero: bool = False):
    """Not a finite number > 0 (>= 0 with `allow_zero`)."""
    bad = [st.floats(max_value=0.0, exclude_max=allow_zero, allow_nan=False),
           st.sampled_from([np.nan, np.inf, -np.inf, np.float32(np.nan), True]), NOT_NUMBERS]
    return st.one_of(*bad)


def bad_fractions(below: float = 1.0):
    """Not a number strictly between 0 and `below`."""
    return st.one_of(
        st.floats(max_value=0.0, allow_nan=False), st.floats(min_value=below),
        st.sampled_from([np.nan, np.inf, True]), NOT_NUMBERS,
    )


# Text of a few letters: drawing from all of Unicode costs seconds at first use.
TITLES = st.text("aZ 0é_$", max_size=8)
LOG_ALPHABET = "IWEF0123456789 :.\nabc"
BAD_TEXT = st.sampled_from([None, 3, b"text", ["text"]])
BAD_FLAGS = st.sampled_from(["yes", "False", 1, 0, None, np.array([True])])
BAD_PATHS = st.sampled_from([None, 3, 2.5, b"bytes", ["a", "b"]])


def _spoiled(make_base, spoilers):
    return st.sampled_from(spoilers).map(lambda spoil: spoil(make_base()))


def _with(value):
    """A spoiler that puts `value` in the first entry of an array."""
    def spoil(array):
        array = array.astype(np.float64)
        array.flat[0] = value
        return array
    return spoil


NON_ARRAYS = [lambda _: None, lambda _: "array", lambda _: {"a": 1}, lambda _: object()]
NON_FINITE = [_with(np.nan), _with(np.inf), _with(-np.inf)]
NOT_REAL = [lambda a: a.astype(np.complex64), lambda a: np.full(a.shape, "a")]


def bad_images(shape=DIGIT, *, count: int = 3, grey: bool = True, fixed_shape: bool = True):
    """Not a batch of `count` images `(n, *shape)`: NaN, inf, complex, text, empty, other
    shapes (with `fixed_shape`), and 0–255 or negative values (with `grey`)."""

    def base():
        return np.random.default_rng(0).uniform(size=(count, *shape)).astype(np.float32)

    spoilers = [*NON_ARRAYS, *NON_FINITE, *NOT_REAL,
                lambda a: a[:0], lambda a: a.reshape(-1)[:5], lambda a: np.float32(0.5)]
    if fixed_shape:
        spoilers += [lambda a: a[..., None], lambda a: a.reshape(count, -1),
                     lambda a: a[:, :-1], lambda a: a[0]]
    if grey:
        spoilers += [lambda a: a * 255, lambda a: (a * 255).astype(np.uint8), lambda a: a - 0.5,
                     _with(1.5), _with(-1e-3)]
    return _spoiled(base, spoilers)


def bad_codes(rows: int = 4, dim: int = LATENT_DIM, *, min_rows: int = 2,
              fixed_dim: bool = True):
    """Not codes `(rows, dim)`: NaN, inf, complex, text, 1-D or 3-D, too few rows, and
    another number of columns (with `fixed_dim`)."""

    def base():
        return np.random.default_rng(1).standard_normal((rows, dim))

    spoilers = [*NON_ARRAYS, *NON_FINITE, *NOT_REAL,
                lambda a: a[:, 0], lambda a: a[None], lambda a: a[: min_rows - 1]]
    if fixed_dim:
        spoilers.append(lambda a: np.concatenate([a, a[:, :1]], axis=1))
    return _spoiled(base, spoilers)


def bad_vectors(length: int = 5):
    """Not a 1-D array of `length` finite numbers (empty included)."""

    def base():
        return np.random.default_rng(2).standard_normal(length)

    return _spoiled(base, [*NON_ARRAYS, *NON_FINITE, *NOT_REAL, lambda a: a[None],
                           lambda a: a[:0]])


def bad_labels(count: int, *, classes: int | None = 10, fixed_length: bool = True):
    """Not `count` labels: another length (with `fixed_length`), NaN, 2-D, None; and outside
    0..classes-1 (16 for digits, -1, 0.5) or text when `classes` is given."""

    def base():
        return np.arange(count) % 3

    spoilers = [lambda a: a[:, None], _with(np.nan), lambda _: None]
    if fixed_length:
        spoilers += [lambda a: np.append(a, 0), lambda a: a[:-1]]
    if classes is not None:
        spoilers += [lambda a: np.where(a == 0, classes + 6, a), lambda a: a - 1,
                     lambda a: a + 0.5, lambda a: np.full(a.shape, "a")]
    return _spoiled(base, spoilers)


def not_none(bad_values):
    """`bad_values` without None (for an optional argument, where None is valid)."""
    return bad_values.filter(lambda value: value is not None)


def wrong_objects(*extra):
    """Objects of the wrong kind for a model, a judge or a scorer argument."""
    return st.sampled_from([None, "model", 3, np.zeros((2, 2)), *extra])


def figures_of_the_wrong_kind():
    """Not one Matplotlib Axes: an array of Axes, a Figure, text, a number."""
    return st.sampled_from([
        lambda: plt.subplots(1, 2)[1], lambda: plt.figure(), lambda: "ax", lambda: 3,
        lambda: [plt.figure().add_subplot()],
    ]).map(lambda make: make())


# --- The objects the cases call ---------------------------------------------------------------


def probe_images(count: int = 4, shape=DIGIT) -> np.ndarray:
    return np.random.default_rng(7).uniform(size=(count, *shape)).astype(np.float32)


PROBE = probe_images()
JUDGE_DATA = (probe_images(20), np.arange(20) % 10)
JUDGE_SETTINGS = {"seed": 0, "epochs": 1, "batch_size": 16}


class World:
    """The objects the cases call, each built on first use, once per test module."""

    def __init__(self, request, folder: Path):
        self._request = request
        self.folder = folder

    @cached_property
    def decoder(self):
        """The shared untrained decoder `(batch, 2) → (batch, 28, 28)` of conftest.py."""
        return self._request.getfixturevalue("decoder")

    @cached_property
    def encoder(self):
        from vaekit.models import build_encoder

        return build_encoder(latent_dim=LATENT_DIM, hidden_units=(8,))

    @cached_property
    def decoder_3d(self):
        from vaekit.models import build_decoder

        return build_decoder(latent_dim=3, hidden_units=(8,))

    @cached_property
    def small_decoder(self):
        """A decoder of 4×4 images, which does not fit the 28×28 encoders."""
        from vaekit.models import build_decoder

        return build_decoder((4, 4), latent_dim=LATENT_DIM, hidden_units=(8,))

    @cached_property
    def vae_halves(self):
        from vaekit.models import variational_halves

        return variational_halves(DIGIT, LATENT_DIM, kind="dense", hidden_units=(8,),
                                  filters=(4,))

    @property
    def vae_encoder(self):
        return self.vae_halves[0]

    @property
    def vae_decoder(self):
        return self.vae_halves[1]

    @cached_property
    def cvae_halves(self):
        from vaekit.models import variational_halves

        return variational_halves(DIGIT, LATENT_DIM, kind="dense", hidden_units=(8,),
                                  filters=(4,), num_classes=10)

    @property
    def cvae_encoder(self):
        return self.cvae_halves[0]

    @property
    def cvae_decoder(self):
        return self.cvae_halves[1]

    @cached_property
    def ae(self):
        from vaekit.losses import squared_error
        from vaekit.models import Autoencoder

        ae = Autoencoder(self.encoder, self.decoder)
        ae.compile(optimizer="adam", loss=squared_error)
        return ae

    @cached_property
    def vae(self):
        from vaekit.models import VAE

        vae = VAE(*self.vae_halves, seed=0)
        vae.compile(optimizer="adam")
        return vae

    @cached_property
    def cvae(self):
        from vaekit.conditional import ConditionalVAE

        cvae = ConditionalVAE(*self.cvae_halves, num_classes=10, seed=0)
        cvae.compile(optimizer="adam")
        return cvae

    @cached_property
    def sampling(self):
        from vaekit.layers import Sampling

        return Sampling(seed=0)

    @cached_property
    def shift(self):
        from vaekit.layers import RandomShift

        return RandomShift(1.5, seed=0)

    @cached_property
    def judge(self):
        """A digit classifier trained one epoch, saved in `folder`: `trained_judge` with
        `JUDGE_SETTINGS` then loads it instead of training again."""
        from vaekit.judge_cache import trained_judge

        return trained_judge(*JUDGE_DATA, cache_dir=self.folder, **JUDGE_SETTINGS)

    @cached_property
    def judge_weights(self) -> Path:
        path = self.folder / "judge.weights.h5"
        self.judge.model_.save_weights(path)
        return path

    @cached_property
    def other_weights(self) -> Path:
        """Weights of another network (the decoder), which the judge cannot load."""
        path = self.folder / "decoder.weights.h5"
        self.decoder.save_weights(path)
        return path

    @cached_property
    def typicality(self):
        from vaekit.diagnostics import DigitTypicality

        return DigitTypicality(num_components=2).fit(probe_images(12), np.arange(12) % 3)

    @cached_property
    def samplers(self) -> dict:
        from vaekit import samplers

        fitted = {name: getattr(samplers, name)().fit(CODES)
                  for name in ("BoxSampler", "GaussianSampler", "PriorSampler")}
        fitted["GaussianMixtureSampler"] = samplers.GaussianMixtureSampler(1, seed=0).fit(CODES)
        fitted["AggregatePosteriorSampler"] = samplers.AggregatePosteriorSampler().fit(
            CODES, np.full_like(CODES, -1.0)
        )
        return fitted

    @cached_property
    def explorer(self):
        from vaekit.explorer import latent_explorer

        return latent_explorer(self.decoder, CODES, CODE_LABELS)

    @cached_property
    def data_path(self) -> Path:
        """A small `.npz` file, for the download and checksum helpers."""
        path = self.folder / "arrays.npz"
        np.savez(path, x=np.arange(6))
        return path

    @property
    def data_path_text(self) -> str:
        return str(self.data_path)

    @property
    def data_url(self) -> str:
        return self.data_path.as_uri()

    @property
    def data_sha256(self) -> str:
        import hashlib

        return hashlib.sha256(self.data_path.read_bytes()).hexdigest()

    @property
    def fresh_path(self) -> Path:
        """A path where no file is yet."""
        return Path(tempfile.mkdtemp(dir=self.folder)) / "download.npz"

    @property
    def axes(self):
        return plt.figure().add_subplot()

    @property
    def figure(self):
        return plt.figure()

    @property
    def first_device(self) -> list:
        from vaekit.parallel import accelerator_or_cpu_devices

        return accelerator_or_cpu_devices()[:1]


CODES = np.random.default_rng(3).standard_normal((12, LATENT_DIM))
CODE_LABELS = np.arange(12) % 3


def numpy_results(values) -> list:
    """`values` (arrays, tensors, lists or dicts of them) as a flat list of NumPy arrays."""
    return [np.asarray(keras.ops.convert_to_numpy(value)) for value in keras.tree.flatten(values)]



# --- The registry ------------------------------------------------------------------------------



def qualified_name(function) -> str:
    return f"{function.__module__.removeprefix('vaekit.')}.{function.__qualname__}"


def case(function, valid, invalid=None, **options) -> Case:
    """The case of a module-level function or class, called with the drawn keywords."""
    return Case(qualified_name(function), lambda world, **arguments: function(**arguments),
                valid, invalid or {}, **options)


def pure(function, valid, invalid=None, **options) -> Case:
    """`case` for a callable that needs no Keras backend."""
    return case(function, valid, invalid, uses_backend=False, **options)


def observe_vae(world) -> list:
    return numpy_results([world.vae.encoder(PROBE), world.vae.get_weights()])


def observe_vae_predict(world) -> list:
    """What `observe_vae` sees, and the moments `predict` gives (a refused predict must not
    break the next one)."""
    outputs = world.vae.predict(PROBE, verbose=0)
    return [*observe_vae(world), *numpy_results([outputs["z_mean"], outputs["z_log_var"]])]


def observe_ae(world) -> list:
    return numpy_results([world.ae(PROBE), world.ae.get_weights()])


def observe_ae_predict(world) -> list:
    return [*observe_ae(world), *numpy_results(world.ae.predict(PROBE, verbose=0))]


def observe_cvae(world) -> list:
    return numpy_results([world.cvae.generate(np.arange(4), seed=0), world.cvae.get_weights()])


def observe_judge(world) -> list:
    return numpy_results(world.judge.probabilities(PROBE))


def observe_typicality(world) -> list:
    return [world.typicality.distance(PROBE)]


def observe_sampler(name: str):
    def observe(world) -> list:
        sampler = world.samplers[name]
        results = [sampler.sample(5, seed=0)]
        if hasattr(sampler, "log_density"):
            results.append(sampler.log_density(CODES))
        return results

    return observe


def observe_seed_state(attribute: str):
    """The state of a layer's seed generator: a refused call must not draw from it."""
    return lambda world: numpy_results(getattr(world, attribute).seed_generator.state)


MODEL_OBSERVERS = {"vae": observe_vae, "ae": observe_ae, "cvae": observe_cvae}
PREDICT_OBSERVERS = {"vae": observe_vae_predict, "ae": observe_ae_predict, "cvae": observe_cvae}
VAE = st.just(Use("vae"))
DECODER = st.just(Use("decoder"))
JUDGE = st.just(Use("judge"))
BAD_VAES = wrong_objects(Use("ae"), Use("decoder"), Use("cvae"))
BAD_DECODERS = wrong_objects(Use("encoder"), Use("vae"), lambda z: z)
BAD_JUDGES = wrong_objects(Use("typicality"), Use("decoder"))
BAD_AXES = figures_of_the_wrong_kind()
BAD_DIMS = st.sampled_from([(0, 0), (0, 2), (-1, 0), (0,), (0, 1, 1), "01", (0, 1.5), None])


BAD_BROADCAST = _spoiled(lambda: np.zeros(LATENT_DIM),
                         [*NON_ARRAYS, *NON_FINITE, *NOT_REAL, lambda a: np.zeros(3)])
# Images of another pixel count than the 28 × 28 the scorer was fitted to, or not images.
BAD_TYPICALITY_IMAGES = st.one_of(bad_images(fixed_shape=False),
                                  st.just(probe_images()[:, :-1]))


def _anomaly_cases():
    return [
        case(anomaly.anomaly_scores,
             {"vae": VAE, "images": grey_images(), "num_samples": integers(1, 3), "seed": SEEDS},
             {"vae": BAD_VAES, "images": bad_images(), "num_samples": bad_counts(),
              "seed": BAD_SEEDS}, observe=observe_vae, cost=2),
        pure(anomaly.roc_auc,
             {"normal_scores": from_rng(lambda rng: rng.normal(size=5)),
              "unusual_scores": from_rng(lambda rng: rng.normal(size=4) + 1)},
             {"normal_scores": bad_vectors(), "unusual_scores": bad_vectors()}),
        pure(anomaly.unusual_images,
             {"images": grey_images(), "kind": st.sampled_from(anomaly.UNUSUAL_KINDS),
              "seed": SEEDS},
             {"images": bad_images(fixed_shape=False),
              "kind": st.sampled_from(["Noise", "", None, 3, ("noise",)]), "seed": BAD_SEEDS}),
    ]


def _backend_logs_cases():
    glog = "I0000 00:00:1.0 info\nW0000 00:00:1.0 warning\nE0000 00:00:1.0 error\n"
    return [
        pure(backend_logs.filter_log_lines,
             {"text": st.one_of(st.text(LOG_ALPHABET, max_size=40), st.just(glog)),
              "min_level": integers(0, 3)},
             {"text": BAD_TEXT, "min_level": st.one_of(
                 st.integers(max_value=-1), st.integers(min_value=4),
                 st.sampled_from(["2", 1.5, None, True]))}),
    ]


def _binarized_cases():
    def batches(images, **arguments):
        dataset = binarized.DynamicBinarization(images, **arguments)
        batches = [dataset[index] for index in range(len(dataset))]
        dataset.on_epoch_end()
        return batches

    return [
        pure(binarized.binarize, {"images": grey_images((4, 4)), "seed": SEEDS},
             {"images": bad_images((4, 4), fixed_shape=False), "seed": BAD_SEEDS}),
        Case("binarized.DynamicBinarization", lambda world, **arguments: batches(**arguments),
             {"images": fixed_images(6, (4, 4)),
              "labels": st.one_of(st.none(), class_labels(6)),
              "batch_size": integers(1, 8), "seed": SEEDS},
             {"images": bad_images((4, 4), count=6, fixed_shape=False),
              "labels": not_none(bad_labels(6, classes=None)),
              "batch_size": bad_counts(huge=False),
              "seed": BAD_SEEDS},
             covers=("binarized.DynamicBinarization.on_epoch_end",), uses_backend=False),
    ]


def _run_callback(callback, epochs: int = 2, steps: int = 3) -> None:
    """Call `callback`'s hooks as `fit` does, with a finite loss."""
    callback.set_model(types.SimpleNamespace(stop_training=False))
    callback.set_params({"epochs": epochs, "steps": steps})
    callback.on_train_begin()
    for epoch in range(epochs):
        for batch in range(steps):
            callback.on_train_batch_end(batch, {"loss": 1.0})
        callback.on_test_begin()
        callback.on_test_end()
        callback.on_epoch_end(epoch, {"loss": 1.0})
    callback.on_train_end()


def _callbacks_cases():
    hooks = ("on_train_begin", "on_test_begin", "on_test_end", "on_train_batch_end",
             "on_epoch_end", "on_train_end")
    return [
        Case("callbacks.StopOnNonFiniteLoss",
             lambda world: _run_callback(callbacks.StopOnNonFiniteLoss()), st.just({}),
             covers=("callbacks.StopOnNonFiniteLoss.on_epoch_end",), uses_backend=False),
        Case("callbacks.TimeBudget",
             lambda world, **arguments: _run_callback(callbacks.TimeBudget(**arguments)),
             {"seconds": reals(1e-3, 1e3), "min_epochs": integers(0, 3)},
             {"seconds": bad_reals(), "min_epochs": bad_counts(0, huge=False)},
             covers=tuple(f"callbacks.TimeBudget.{hook}" for hook in hooks),
             uses_backend=False),
        Case("callbacks.LiveProgress",
             lambda world, **arguments: _run_callback(callbacks.LiveProgress(**arguments)),
             {"label": TITLES.filter(str.strip), "metric": st.sampled_from(["loss", "kl"])},
             {"label": st.sampled_from(["", " ", None, 3]),
              "metric": st.sampled_from(["", None, b"loss"])},
             covers=tuple(f"callbacks.LiveProgress.{hook}"
                          for hook in ("on_train_begin", "on_epoch_end", "on_train_end")),
             uses_backend=False),
    ]


def _checks_cases():
    """The shared checks, called as the library calls them: the name given is the argument's."""
    return [
        Case("checks.check_positive_int",
             lambda world, count: checks.check_positive_int("count", count),
             {"count": integers(1, 2**40)}, {"count": bad_counts(huge=False)},
             uses_backend=False),
        Case("checks.check_text",
             lambda world, label: checks.check_text("label", label),
             {"label": TITLES.filter(str.strip)}, {"label": st.sampled_from(["", " ", None, 3])},
             uses_backend=False),
        Case("checks.check_non_negative_int",
             lambda world, index: checks.check_non_negative_int("index", index),
             {"index": integers(0, 2**40)}, {"index": bad_counts(0, huge=False)},
             uses_backend=False),
        Case("checks.check_seed", lambda world, seed: checks.check_seed("seed", seed),
             {"seed": SEEDS}, {"seed": BAD_SEEDS}, uses_backend=False),
        Case("checks.check_positive_number",
             lambda world, rate: checks.check_positive_number("rate", rate),
             {"rate": reals(1e-6, 1e6)}, {"rate": bad_reals()}, uses_backend=False),
        Case("checks.check_fraction", lambda world, share: checks.check_fraction("share", share),
             {"share": reals(0, 1, exclude_ends=True)}, {"share": bad_fractions()},
             uses_backend=False),
        Case("checks.check_callable_model",
             lambda world, model: checks.check_callable_model("model", model),
             {"model": st.sampled_from([Use("decoder"), Use("vae")])},
             {"model": wrong_objects(lambda x: x)}),
        Case("checks.check_decoder",
             lambda world, decoder: checks.check_decoder("decoder", decoder),
             {"decoder": DECODER}, {"decoder": BAD_DECODERS}),
        Case("checks.as_real_array", lambda world, values: checks.as_real_array(values, "values"),
             {"values": st.one_of(codes(), st.lists(st.integers(-5, 5), max_size=4))},
             {"values": _spoiled(lambda: np.ones((2, 2)), [*NON_ARRAYS, *NOT_REAL])},
             uses_backend=False),
        Case("checks.as_float_array",
             lambda world, values: checks.as_float_array(values, "values", finite=True),
             {"values": codes()}, {"values": _spoiled(lambda: np.ones((2, 2)),
                                                      [*NON_ARRAYS, *NON_FINITE, *NOT_REAL])},
             uses_backend=False),
        Case("checks.as_finite_array",
             lambda world, values: checks.as_finite_array(values, "values"),
             {"values": st.one_of(codes(), st.just([1e38, -1e38]))},
             {"values": _spoiled(lambda: np.ones((2, 2)), [
                 *NON_ARRAYS, *NON_FINITE, *NOT_REAL, _with(1e39)])},
             uses_backend=False),
        Case("checks.as_codes", lambda world, codes: checks.as_codes(codes),
             {"codes": codes()}, {"codes": bad_codes(fixed_dim=False)}, uses_backend=False),
        Case("checks.as_points", lambda world, points: checks.as_points(points, LATENT_DIM),
             {"points": codes((1, 5))}, {"points": bad_codes(min_rows=1)}, uses_backend=False),
        Case("checks.check_log_variance",
             lambda world, log_var: checks.check_log_variance(log_var, "log_var"),
             {"log_var": log_variances((3, 2))},
             {"log_var": st.sampled_from([200.0, -200.0, 1000.0]).map(
                 lambda v: np.full((3, 2), v))},
             uses_backend=False),
        pure(checks.as_posterior,
             {"z_mean": codes((4, 4)), "z_log_var": log_variances((4, 2))},
             {"z_mean": bad_codes(), "z_log_var": st.one_of(
                 bad_codes(), st.just(np.full((4, 2), 1000.0)))}),
        Case("checks.as_labels", lambda world, labels: checks.as_labels(labels, 6),
             {"labels": class_labels(6)}, {"labels": bad_labels(6, classes=None)},
             uses_backend=False),
        Case("checks.check_grey_levels", lambda world, images: checks.check_grey_levels(images),
             {"images": grey_images((3, 3))}, {"images": bad_images((3, 3), fixed_shape=False)},
             uses_backend=False),
        Case("checks.as_images", lambda world, images: checks.as_images(images, shape=DIGIT),
             {"images": grey_images()}, {"images": bad_images()}, uses_backend=False),
        Case("checks.as_path", lambda world, path: checks.as_path("path", path),
             {"path": st.sampled_from(["data", Path("data")])}, {"path": BAD_PATHS},
             uses_backend=False),
    ]



def _conditional_cases():
    def generate_arguments(count):
        return st.fixed_dictionaries({
            "labels": class_labels(count, 10), "z": st.one_of(st.none(), codes((count, count))),
            "seed": SEEDS,
        })

    return [
        pure(conditional.check_labels,
             {"labels": class_labels(5), "num_classes": integers(3, 10)},
             {"labels": bad_labels(5, fixed_length=False), "num_classes": bad_counts(huge=False)}),
        Case("conditional.ConditionalVAE",
             lambda world, **arguments: conditional.ConditionalVAE(**arguments),
             {"encoder": st.just(Use("cvae_encoder")), "decoder": st.just(Use("cvae_decoder")),
              "num_classes": integers(10, 10), "kl_weight": reals(0, 2),
              "reconstruction": st.sampled_from(["bernoulli", "gaussian"]), "seed": LAYER_SEEDS},
             {"encoder": wrong_objects(Use("vae_encoder"), Use("encoder"), Use("cvae_decoder")),
              "decoder": wrong_objects(Use("vae_decoder"), Use("decoder_3d"), Use("cvae_encoder")),
              "num_classes": st.one_of(bad_counts(huge=False), st.just(3)),
              "kl_weight": bad_reals(allow_zero=True),
              "reconstruction": st.sampled_from(["mse", "Bernoulli", None, 3]),
              "seed": BAD_LAYER_SEEDS},
             cost=2),
        Case("conditional.ConditionalVAE.call",
             lambda world, images, labels: world.cvae([images, labels]),
             {"images": fixed_images(3), "labels": class_labels(3, 10)},
             {"images": bad_images(count=3), "labels": bad_labels(3)},
             observe=observe_cvae, aliases={"images": ("inputs", "x"), "labels": ("inputs", "x")}),
        Case("conditional.ConditionalVAE.generate",
             lambda world, **arguments: world.cvae.generate(**arguments),
             st.integers(1, 4).flatmap(generate_arguments),
             {"labels": bad_labels(3, fixed_length=False),
              "z": not_none(bad_codes(rows=3)).map(lambda z: Together(labels=np.arange(3), z=z)),
              "seed": BAD_SEEDS},
             observe=observe_cvae),
        case(conditional.build_conditional_vae,
             {"image_shape": st.sampled_from([(8, 8), [4, 4], (4, 4, 1)]),
              "latent_dim": integers(1, 3), "num_classes": integers(1, 10),
              "kind": st.sampled_from(["dense", "conv"]), "hidden_units": HIDDEN_UNITS,
              "filters": FILTERS, "kl_weight": reals(0, 2), "seed": LAYER_SEEDS},
             {"image_shape": BAD_SHAPES, "latent_dim": bad_counts(), "num_classes": bad_counts(),
              "kind": BAD_KINDS, "hidden_units": BAD_UNITS, "filters": BAD_FILTERS,
              "kl_weight": bad_reals(allow_zero=True), "seed": BAD_LAYER_SEEDS},
             cost=4),
    ]


HIDDEN_UNITS = st.lists(integers(1, 4), max_size=2).map(tuple)
FILTERS = st.lists(integers(1, 3), min_size=1, max_size=2).map(tuple)
BAD_SHAPES = st.sampled_from([(), (0, 8), (8, -1), "28", 28, (8, 8, 1, 1), (8.5, 8), None,
                              (2**63, 2)])
BAD_KINDS = st.sampled_from(["Dense", "", None, 3, ("dense",)])
BAD_UNITS = st.sampled_from([8, (0,), (-1,), "8", (1.5,), None, (2**63,), (True,)])
BAD_FILTERS = st.sampled_from([4, (0,), (-1,), "4", (1.5,), None, (2**63,)]).map(
    lambda filters: Together(kind="conv", filters=filters)
)
BAD_ACTIVATIONS = st.sampled_from(["relux", "", 3, ["relu"]])


def _data_cases():
    def mnist(**arguments):
        return data.MNIST(**arguments).description

    return [
        Case("data.MNIST", lambda world, **arguments: mnist(**arguments),
             {"x_train": fixed_images(4), "y_train": class_labels(4, 10),
              "x_test": fixed_images(2), "y_test": class_labels(2, 10),
              "source": st.sampled_from(["full", "subset"]),
              "fallback_reason": st.one_of(st.none(), TITLES.filter(bool))},
             {"x_train": bad_images(count=4), "y_train": bad_labels(4),
              "x_test": bad_images(count=2), "y_test": bad_labels(2),
              "source": st.sampled_from(["Full", "auto", "", None, 3]),
              "fallback_reason": st.sampled_from([3, b"reason", ["reason"]])},
             covers=("data.MNIST.description",), uses_backend=False),
        pure(data.default_data_dir, st.just({})),
        pure(data.load_mnist,
             {"source": st.just("subset"), "test_fraction": reals(0.05, 0.5),
              "max_train_examples": st.one_of(st.none(), integers(10, 40)),
              "max_test_examples": st.one_of(st.none(), integers(10, 40)),
              "seed": SEEDS, "timeout": reals(0.1, 100),
              "warn_on_fallback": st.sampled_from([True, False, np.True_]),
              "data_dir": st.sampled_from([None, Use("folder")])},
             {"source": st.sampled_from(["Subset", "mnist", "", None, 3]),
              "test_fraction": bad_fractions(), "max_train_examples": bad_counts(10),
              "max_test_examples": bad_counts(10), "seed": BAD_SEEDS, "timeout": bad_reals(),
              "warn_on_fallback": BAD_FLAGS, "data_dir": BAD_PATHS.filter(lambda p: p is not None)},
             cost=10),
        pure(data.round_robin_indices,
             {"labels": class_labels(12), "count": integers(1, 12),
              "rng": st.integers(0, 2**16).map(np.random.default_rng)},
             {"labels": bad_labels(12, classes=None, fixed_length=False),
              "count": st.one_of(bad_counts(0), st.integers(13, 10**6)),
              "rng": st.sampled_from([None, 0, "rng", np.random.RandomState(0)])}),
        pure(data.sha256_of, {"path": st.sampled_from([Use("data_path"), Use("data_path_text")])},
             {"path": BAD_PATHS}),
        pure(data.read_verified_npz,
             {"path": st.sampled_from([Use("data_path"), Use("data_path_text")]),
              "sha256": st.just(Use("data_sha256"))},
             {"path": BAD_PATHS, "sha256": BAD_SHA256}),
        pure(data.download_verified,
             {"url": st.just(Use("data_url")), "path": st.just(Use("fresh_path")),
              "sha256": st.just(Use("data_sha256")), "timeout": reals(1, 100)},
             {"url": st.sampled_from(["not a url", "", None, 3, b"file:///x"]),
              "path": BAD_PATHS, "sha256": BAD_SHA256, "timeout": bad_reals()}),
        pure(data.make_noisy_curve,
             {"num_points": integers(2, 50), "noise": reals(0, 0.5),
              "dim": st.sampled_from([2, 3, np.int64(3)]), "seed": SEEDS},
             {"num_points": bad_counts(2), "noise": bad_reals(allow_zero=True),
              "dim": st.sampled_from([1, 4, 2.5, "2", None, 0]), "seed": BAD_SEEDS}),
    ]


BAD_SHA256 = st.sampled_from(["abc", "g" * 64, "0" * 63, None, 3, b"0" * 64])


def _vae_measure_arguments(*, samples: bool = True, batch_size=None):
    arguments = {"vae": VAE, "images": grey_images(counts=(2, 3))}  # few shapes to compile
    if samples:
        arguments |= {"num_samples": integers(1, 3), "seed": SEEDS}
    arguments["batch_size"] = integers(1, 8) if batch_size is None else batch_size
    return arguments


def _bad_vae_measure_arguments(*, samples: bool = True):
    arguments = {"vae": BAD_VAES, "images": bad_images(), "batch_size": bad_counts(huge=False)}
    if samples:
        arguments |= {"num_samples": bad_counts(), "seed": BAD_SEEDS}
    return arguments


def _diagnostics_cases():
    typicality = diagnostics.DigitTypicality
    identical = st.just(np.ones((4, LATENT_DIM)))
    one_image_class = np.r_[np.zeros(11, int), 1]
    return [
        pure(diagnostics.centre_offset, {"codes": codes()},
             {"codes": st.one_of(bad_codes(fixed_dim=False), identical)}),
        pure(diagnostics.box_grid, {"codes": codes(), "grid_size": integers(1, 10)},
             {"codes": bad_codes(), "grid_size": bad_counts()}),
        pure(diagnostics.class_area_shares,
             {"codes": codes((6, 6)), "labels": class_labels(6),
              "points": st.one_of(st.none(), codes((1, 5))), "num_points": integers(1, 50),
              "seed": SEEDS},
             {"codes": bad_codes(rows=6, fixed_dim=False), "labels": bad_labels(6, classes=None),
              "points": not_none(bad_codes(min_rows=1)), "num_points": bad_counts(),
              "seed": BAD_SEEDS}),
        pure(diagnostics.gap_fraction,
             {"codes": codes((3, 8)), "points": st.one_of(st.none(), codes((1, 5))),
              "radius_factor": reals(0.5, 5), "grid_size": integers(1, 10)},
             {"codes": st.one_of(bad_codes(), identical),
              "points": not_none(bad_codes(min_rows=1)),
              "radius_factor": bad_reals(), "grid_size": bad_counts()}),
        case(diagnostics.interpolation_smoothness,
             {"decoder": DECODER, "codes": codes((6, 6)), "num_pairs": integers(8, 10),
              "steps": integers(3, 5), "seed": SEEDS, "batch_size": integers(1, 64)},
             {"decoder": BAD_DECODERS, "codes": bad_codes(), "num_pairs": bad_counts(),
              "steps": st.one_of(bad_counts(), st.sampled_from([1, 2])), "seed": BAD_SEEDS,
              "batch_size": bad_counts(huge=False)}),
        pure(typicality, {"num_components": integers(1, 50), "ridge": reals(1e-6, 1)},
             {"num_components": bad_counts(), "ridge": bad_reals()}),
        Case("diagnostics.DigitTypicality.fit",
             lambda world, images, labels: world.typicality.fit(images, labels),
             {"images": fixed_images(12), "labels": class_labels(12)},
             {"images": st.one_of(bad_images(count=12), st.just(np.ones((12, *DIGIT)))),
              "labels": st.one_of(bad_labels(12, classes=None), st.just(one_image_class))},
             observe=observe_typicality, uses_backend=False),
        *[Case(f"diagnostics.DigitTypicality.{method}",
               lambda world, images, method=method: getattr(world.typicality, method)(images),
               {"images": grey_images()}, {"images": BAD_TYPICALITY_IMAGES},
               observe=observe_typicality, uses_backend=False)
          for method in ("distance", "predict")],
        pure(diagnostics.digit_likeness,
             {"scorer": st.just(Use("typicality")), "images": grey_images()},
             {"scorer": wrong_objects(typicality()), "images": BAD_TYPICALITY_IMAGES}),
        pure(diagnostics.reconstruction_error,
             {"images": fixed_images(3, (4, 4)),
              "reconstructions": from_rng(lambda rng: rng.normal(size=(3, 4, 4)))},
             {"images": bad_images((4, 4), grey=False),
              "reconstructions": bad_images((4, 4), grey=False)}),
        case(diagnostics.negative_elbo_per_image, _vae_measure_arguments(),
             _bad_vae_measure_arguments(), observe=observe_vae, cost=2),
        case(diagnostics.heldout_elbo, _vae_measure_arguments(), _bad_vae_measure_arguments(),
             observe=observe_vae, cost=2),
        case(diagnostics.kl_per_dimension, _vae_measure_arguments(samples=False),
             _bad_vae_measure_arguments(samples=False), observe=observe_vae, cost=2),
        *[case(function,
               {**_vae_measure_arguments(batch_size=st.one_of(st.none(), integers(1, 8))),
                "progress": st.one_of(st.none(), st.just("−log p(x)"))},
               {**_bad_vae_measure_arguments(), "progress": st.sampled_from(["", " ", 3]),
                "batch_size": bad_counts(huge=False).filter(lambda value: value is not None)},
               observe=observe_vae, cost=2)
          for function in (diagnostics.importance_weighted_log_likelihood,
                           diagnostics.log_likelihood_per_image)],
    ]


BAD_POINTS = st.sampled_from([np.nan, np.inf, -np.inf, "1", None, complex(1, 0), True,
                              np.array([1.0, 2.0])])


def _explorer_cases():
    explorer_arguments = {"decoder": DECODER, "codes": codes((6, 6)), "labels": class_labels(6)}
    bad_explorer_arguments = {"decoder": BAD_DECODERS,
                              "codes": bad_codes(rows=6, min_rows=1, fixed_dim=False),
                              "labels": bad_labels(6, classes=None)}
    return [
        case(explorer.decode_point,
             {"decoder": DECODER, "z0": reals(-4, 4), "z1": reals(-4, 4)},
             {"decoder": BAD_DECODERS, "z0": BAD_POINTS, "z1": BAD_POINTS}),
        case(explorer.explorer_figure,
             {**explorer_arguments, "z0": reals(-4, 4), "z1": reals(-4, 4),
              "limit": reals(0.5, 5), "title": st.one_of(st.none(), TITLES)},
             {**bad_explorer_arguments, "z0": BAD_POINTS, "z1": BAD_POINTS,
              "limit": bad_reals()}),
        case(explorer.latent_explorer,
             {**explorer_arguments,
              "start": st.tuples(reals(-4, 4), reals(-4, 4)) | st.lists(
                  reals(-4, 4), min_size=2, max_size=2),
              "limit": reals(0.5, 5), "step": reals(0.01, 0.5)},
             {**bad_explorer_arguments,
              "start": st.sampled_from([(0.0,), (0.0, 0.0, 0.0), "00", None, (np.nan, 0.0),
                                        (0.0, "1")]),
              "limit": bad_reals(), "step": bad_reals()},
             cost=2),
        case(explorer.explorer_grid,
             {**explorer_arguments, "limit": st.sampled_from([1.0, 2, np.float32(4.0)]),
              "step": st.sampled_from([0.5, 1, np.float64(1.0)])},
             {**bad_explorer_arguments, "limit": bad_reals(),
              "step": st.one_of(bad_reals(), st.sampled_from([0.3, 1e-3]))}),
        case(explorer.ExplorerView,
             {"widget": st.just(Use("explorer")), "preview": st.just(Use("figure")),
              "grid": st.none()},
             {"widget": wrong_objects(Use("figure")), "preview": wrong_objects(Use("explorer")),
              "grid": st.sampled_from(["grid", 3, {"size": 3}])}),
    ]


def _features_cases():
    split = {"train_codes": codes((8, 8)), "train_labels": class_labels(8),
             "test_codes": codes((4, 4)), "test_labels": class_labels(4)}
    bad_split = {"train_codes": bad_codes(rows=8), "train_labels": bad_labels(8, classes=None),
                 "test_codes": bad_codes(rows=4, min_rows=1),
                 "test_labels": bad_labels(4, classes=None)}
    features_split = {name.replace("codes", "features"): value for name, value in split.items()}
    bad_features_split = {name.replace("codes", "features"): value
                          for name, value in bad_split.items()}
    one_class = st.just(np.zeros(8, int))
    return [
        pure(features.knn_label_accuracy, {**split, "k": integers(1, 8)},
             {**bad_split, "k": st.one_of(bad_counts(), st.integers(9, 10**6))}),
        pure(features.balanced_choice,
             {"labels": class_labels(12), "num_labels": integers(3, 12), "seed": SEEDS},
             {"labels": bad_labels(12, classes=None, fixed_length=False),
              "num_labels": st.one_of(bad_counts(), st.sampled_from([2, 13, 10**6])),
              "seed": BAD_SEEDS}),
        pure(features.few_label_accuracy,
             {**features_split, "num_labels": integers(6, 8), "seed": SEEDS},
             {**bad_features_split,
              "train_labels": st.one_of(bad_labels(8, classes=None), one_class),
              "num_labels": st.one_of(bad_counts(), st.integers(9, 10**6)), "seed": BAD_SEEDS}),
    ]


def _judge_cache_cases():
    digits, digit_labels = JUDGE_DATA
    return [
        case(judge_cache.trained_judge,
             {"images": st.just(digits), "labels": st.just(digit_labels),
              "seed": st.sampled_from([0, np.int64(0)]), "cache_dir": st.just(Use("folder")),
              "epochs": st.just(1), "batch_size": st.just(16)},
             {"images": bad_images(count=20), "labels": bad_labels(20), "seed": BAD_SEEDS,
              "cache_dir": BAD_PATHS.filter(lambda path: path is not None),
              "epochs": bad_counts(huge=False), "batch_size": bad_counts(huge=False)},
             cost=10),
        case(judge_cache.judge_key,
             {"judge": JUDGE, "images": fixed_images(4), "labels": class_labels(4, 10),
              "seed": SEEDS},
             {"judge": BAD_JUDGES, "images": bad_images(count=4), "labels": bad_labels(4),
              "seed": BAD_SEEDS}),
    ]


def _moments(count_range=(1, 4), dim_range=(1, 3), *, integer_means: bool = False):
    """`{"z_mean", "z_log_var"}` of one drawn shape; with `integer_means`, integer means too."""
    def draw(shape):
        dtypes = [*FLOAT_DTYPES, np.int64] if integer_means else list(FLOAT_DTYPES)
        return st.fixed_dictionaries({
            "z_mean": st.sampled_from(dtypes).flatmap(
                lambda dtype: from_rng(lambda rng: (3 * rng.standard_normal(shape)).astype(dtype))),
            "z_log_var": log_variances(shape),
        })

    return st.tuples(st.integers(*count_range), st.integers(*dim_range)).flatmap(draw)


def _bad_moments():
    """Bad `z_mean` or `z_log_var` beside a good other half of shape (3, 2)."""
    good = np.zeros((3, LATENT_DIM))
    bad_log_var = st.one_of(bad_codes(rows=3, min_rows=1),
                            st.sampled_from([200.0, 1000.0, -1000.0]).map(
                                lambda value: np.full((3, LATENT_DIM), value)))
    return {"z_mean": bad_codes(rows=3, min_rows=1).map(
                lambda bad: Together(z_mean=bad, z_log_var=good)),
            "z_log_var": bad_log_var.map(lambda bad: Together(z_mean=good, z_log_var=bad))}


def _layers_cases():
    def round_trip(layer_class, **arguments):
        layer = layer_class(**arguments)
        return layer_class.from_config(layer.get_config())

    good_pair = [np.zeros((2, LATENT_DIM)), np.zeros((2, LATENT_DIM))]
    return [
        Case("layers.Sampling", lambda world, **arguments: round_trip(layers.Sampling, **arguments),
             {"seed": LAYER_SEEDS}, {"seed": BAD_LAYER_SEEDS},
             covers=("layers.Sampling.get_config",)),
        Case("layers.Sampling.call",
             lambda world, z_mean, z_log_var: world.sampling([z_mean, z_log_var]),
             _moments(integer_means=True), _bad_moments(),
             observe=observe_seed_state("sampling"), variant="moments", cost=2),
        Case("layers.Sampling.call", lambda world, inputs: world.sampling(inputs),
             st.fixed_dictionaries({"inputs": st.just(good_pair)}),
             {"inputs": st.sampled_from([good_pair[0], good_pair[:1], good_pair * 2, None, "z"])},
             observe=observe_seed_state("sampling"), variant="structure"),
        Case("layers.Sampling.compute_output_shape",
             lambda world, input_shape: world.sampling.compute_output_shape(input_shape),
             {"input_shape": st.just([(None, LATENT_DIM), (None, LATENT_DIM)])}),
        Case("layers.RandomShift",
             lambda world, **arguments: round_trip(layers.RandomShift, **arguments),
             {"pixels": reals(0, 5), "seed": LAYER_SEEDS},
             {"pixels": bad_reals(allow_zero=True), "seed": BAD_LAYER_SEEDS},
             covers=("layers.RandomShift.get_config",)),
        Case("layers.RandomShift.call",
             lambda world, inputs, training: world.shift(inputs, training=training),
             {"inputs": grey_images((5, 5)), "training": st.booleans()},
             {"inputs": _spoiled(lambda: probe_images(3, (5, 5)), [
                 lambda a: a[0], lambda a: a[..., None], lambda a: np.full(a.shape, "a"),
                 lambda a: a.astype(np.complex64), lambda _: None])},
             covers=("layers.RandomShift.build",), observe=observe_seed_state("shift")),
        Case("layers.RandomShift.compute_output_shape",
             lambda world, input_shape: world.shift.compute_output_shape(input_shape),
             {"input_shape": st.just((None, 5, 5))}),
    ]


def _losses_cases():
    pair = {"x": fixed_images(3, (4, 4)), "x_reconstructed": fixed_images(3, (4, 4))}
    bad_grey_pair = {"x": bad_images((4, 4)), "x_reconstructed": bad_images((4, 4))}
    bad_pair = {"x": bad_images((4, 4), grey=False),
                "x_reconstructed": bad_images((4, 4), grey=False)}
    return [
        case(losses.gaussian_kl_per_dimension, _moments(), _bad_moments()),
        case(losses.gaussian_kl, _moments(), _bad_moments()),
        case(losses.bernoulli_reconstruction_loss, pair, bad_grey_pair),
        case(losses.squared_error, pair, bad_pair),
        case(losses.gaussian_reconstruction_loss, {**pair, "sigma": reals(0.01, 10)},
             {**bad_pair, "sigma": bad_reals()}),
    ]


def _memorisation_cases():
    small = (4, 4)
    return [
        pure(memorisation.nearest_training_distances,
             {"images": grey_images(small), "training_images": grey_images(small)},
             {"images": bad_images(small), "training_images": bad_images(small)}),
        pure(memorisation.memorisation_check,
             {"samples": grey_images(small, counts=(2, 5)),
              "training_images": grey_images(small, counts=(2, 5)),
              # Halved contrast: never a copy of a training image, even when both are drawn
              # from one seed (the check refuses copies).
              "heldout_images": grey_images(small, counts=(2, 5)).map(lambda x: 0.25 + x / 2),
              "quantile": reals(0, 1, exclude_ends=True)},
             {"samples": bad_images(small), "training_images": bad_images(small),
              "heldout_images": bad_images(small), "quantile": bad_fractions()}),
    ]


def _builder_arguments(shape_name: str, *extra):
    valid = {shape_name: st.sampled_from([(8, 8), [4, 4], (4, 4, 1), np.array([8, 8])]),
             "latent_dim": integers(1, 3), "kind": st.sampled_from(["dense", "conv"]),
             "hidden_units": HIDDEN_UNITS, "filters": FILTERS}
    invalid = {shape_name: BAD_SHAPES, "latent_dim": bad_counts(), "kind": BAD_KINDS,
               "hidden_units": BAD_UNITS, "filters": BAD_FILTERS}
    options = {
        "activation": (st.sampled_from(["relu", None, "tanh"]), BAD_ACTIVATIONS),
        "output_activation": (st.sampled_from(["sigmoid", None]), BAD_ACTIVATIONS),
        "variational": (st.sampled_from([True, False, np.False_]), BAD_FLAGS),
        "num_classes": (st.one_of(st.none(), integers(1, 10)), bad_counts()),
        "linear": (st.sampled_from([False, np.False_]), BAD_FLAGS),
        "kl_weight": (reals(0, 2), bad_reals(allow_zero=True)),
        "kl_warmup_steps": (integers(0, 50), bad_counts(0, huge=False)),
        "seed": (LAYER_SEEDS, BAD_LAYER_SEEDS),
    }
    for name in extra:
        valid[name], invalid[name] = options[name]
    return valid, invalid


def _model_data_cases(model: str, class_name: str, *, conditional_inputs: bool = False,
                      grey: bool = True):
    """`fit`, `evaluate`, `predict` and `__call__` of `world.<model>`, with NumPy images."""
    count = 4

    def inputs(images, labels):
        return [images, labels] if conditional_inputs else images

    def fit(world, images, labels=None, **keywords):
        return getattr(world, model).fit(inputs(images, labels), epochs=1, verbose=0, **keywords)

    def evaluate(world, images, labels=None, **keywords):
        return getattr(world, model).evaluate(inputs(images, labels), verbose=0, **keywords)

    def predict(world, images, labels=None):
        return getattr(world, model).predict(inputs(images, labels), verbose=0)

    def call(world, images, labels=None):
        return getattr(world, model)(inputs(images, labels))

    data_arguments = {"images": fixed_images(count)}
    bad_data = {"images": st.one_of(bad_images(count=count, grey=grey), st.none())}
    aliases = {"images": ("x", "inputs")}
    if conditional_inputs:
        data_arguments["labels"] = class_labels(count, 10)
        bad_data["labels"] = bad_labels(count)
        aliases["labels"] = ("x", "inputs")
    if model == "ae":  # the target: the images themselves, required
        data_arguments = fixed_images(count).map(lambda images: {"images": images, "y": images})
    else:
        data_arguments = st.fixed_dictionaries(data_arguments)
    training = {
        # y=None is the VAE's own default (the images are the target), and the AE's mistake.
        "y": st.one_of(not_none(bad_images(count=count, grey=grey)),
                       st.just(probe_images(count - 1)))
        if model != "ae" else bad_images(count=count, grey=grey),
        "sample_weight": st.one_of(
            bad_vectors(count).filter(lambda weights: weights is not None),
            st.just(np.full(count, -1.0)), st.just([1.0] * (count + 1))),
        "validation_data": bad_images(count=2, grey=grey).map(lambda bad: (bad,)),
        "class_weight": st.just({0: 1.0}),
    }
    observe = MODEL_OBSERVERS[model]
    prefix = f"{'conditional' if conditional_inputs else 'models'}.{class_name}"
    if model == "cvae":  # the target of a conditional VAE would be images, not [images, labels]
        del training["y"]
    cases = [
        Case(f"{prefix}.fit", fit, data_arguments, {**bad_data, **training}, observe=observe,
             aliases=aliases, cost=5,
             covers=() if model == "ae" else (f"{prefix}.compute_loss",)),
        Case(f"{prefix}.evaluate", evaluate, data_arguments,
             {**bad_data, **_without(training, "validation_data")},
             observe=observe, aliases=aliases, cost=3),
        Case(f"{prefix}.predict", predict, data_arguments.map(_without_target), bad_data,
             observe=PREDICT_OBSERVERS[model], aliases=aliases, cost=2),
    ]
    if model != "cvae":  # the conditional call is its own case
        cases.append(Case(f"{prefix}.call", call, data_arguments.map(_without_target),
                          bad_data, observe=observe, aliases=aliases))
    return cases


def _without(arguments: dict, name: str) -> dict:
    return {key: value for key, value in arguments.items() if key != name}


def _without_target(arguments: dict) -> dict:
    return _without(arguments, "y")


def _models_cases():
    def round_trip(world, model, config=None):
        model = getattr(world, model)
        return type(model).from_config(model.get_config() if config is None else config)

    halves = {"encoder": st.just(Use("encoder")), "decoder": st.just(Use("decoder"))}
    bad_halves = {
        "encoder": wrong_objects(Use("vae_encoder"), Use("cvae_encoder"), Use("decoder")),
        "decoder": wrong_objects(Use("decoder_3d"), Use("small_decoder"), Use("cvae_decoder"),
                                 Use("encoder")),
    }
    vae_halves = {"encoder": st.just(Use("vae_encoder")), "decoder": st.just(Use("vae_decoder"))}
    bad_vae_halves = {
        "encoder": wrong_objects(Use("encoder"), Use("cvae_encoder"), Use("decoder")),
        "decoder": wrong_objects(Use("decoder_3d"), Use("small_decoder"), Use("cvae_decoder")),
    }
    bad_configs = st.sampled_from([{}, {"name": "x"}, "config", 3, []])
    serialised = [(name, f"{module}.{class_name}") for name, module, class_name in (
        ("vae", "models", "VAE"), ("ae", "models", "Autoencoder"),
        ("cvae", "conditional", "ConditionalVAE"))]
    linear_conv = st.just(Together(linear=True, kind="conv"))
    autoencoder_valid, autoencoder_invalid = _builder_arguments(
        "image_shape", "linear", "output_activation")
    autoencoder_invalid["kind"] = st.one_of(BAD_KINDS, linear_conv)
    return [
        case(models.build_encoder,
             *_builder_arguments("input_shape", "activation", "variational", "num_classes"),
             cost=3),
        case(models.build_decoder,
             *_builder_arguments("output_shape", "activation", "output_activation",
                                 "num_classes"),
             cost=3),
        case(models.build_autoencoder, autoencoder_valid, autoencoder_invalid, cost=4),
        case(models.build_vae,
             *_builder_arguments("image_shape", "kl_weight", "kl_warmup_steps", "seed"), cost=4),
        case(models.variational_halves, *_builder_arguments("image_shape", "num_classes"),
             cost=4),
        case(models.predict_in_batches,
             {"model": DECODER, "inputs": codes((1, 6)), "batch_size": integers(1, 8)},
             {"model": wrong_objects(lambda x: x), "inputs": bad_codes(min_rows=1),
              "batch_size": bad_counts(huge=False)}),
        case(models.Autoencoder, halves, bad_halves),
        case(models.VAE,
             {**vae_halves, "kl_weight": reals(0, 2), "kl_warmup_steps": integers(0, 50),
              "reconstruction": st.sampled_from(["bernoulli", "gaussian"]), "seed": LAYER_SEEDS},
             {**bad_vae_halves, "kl_weight": bad_reals(allow_zero=True),
              "kl_warmup_steps": bad_counts(0, huge=False),
              "reconstruction": st.sampled_from(["mse", "Bernoulli", None, 3]),
              "seed": BAD_LAYER_SEEDS}),
        *[Case(f"{class_name}.from_config", round_trip, {"model": st.just(model)},
               {"config": bad_configs}, covers=(f"{class_name}.get_config",), cost=2)
          for model, class_name in serialised],
        *_model_data_cases("vae", "VAE"),
        *_model_data_cases("ae", "Autoencoder", grey=False),
        *_model_data_cases("cvae", "ConditionalVAE", conditional_inputs=True),
    ]


def _plotting_cases():
    small = (4, 4)
    axes = st.sampled_from([None, Use("axes")])
    titles = st.one_of(st.none(), TITLES)
    history = {"loss": [3.0, 2.0, 1.0], "val_loss": [3.5, 2.5, 2.0]}
    return [
        pure(plotting.check_axes, {"ax": axes}, {"ax": BAD_AXES}),
        pure(plotting.plot_latent_scatter,
             {"codes": codes((6, 6), dim=3), "labels": class_labels(6),
              "dims": st.sampled_from([(0, 1), (1, 2), [2, 0], (np.int64(0), np.int64(2))]),
              "ax": axes,
              "title": titles, "point_size": reals(1, 20)},
             {"codes": st.one_of(bad_codes(rows=6, dim=3, min_rows=1, fixed_dim=False),
                                 st.just(np.zeros((6, 1)))),
              "labels": bad_labels(6, classes=None), "dims": BAD_DIMS, "ax": BAD_AXES,
              "point_size": bad_reals()}),
        pure(plotting.tile_images, {"images": grey_images(small), "ncols": integers(1, 5)},
             {"images": bad_images(small), "ncols": bad_counts(huge=False)}),
        pure(plotting.plot_images,
             {"images": grey_images(small), "ncols": integers(1, 5), "ax": axes, "title": titles},
             {"images": bad_images(small, fixed_shape=False), "ncols": bad_counts(huge=False),
              "ax": BAD_AXES, "row_labels": st.sampled_from([["row"] * 10, 3, [None] * 10])}),
        pure(plotting.plot_reconstructions,
             {"images": fixed_images(3, small), "reconstructions": fixed_images(3, small),
              "num_images": integers(1, 3), "ax": axes, "title": titles},
             {"images": bad_images(small), "reconstructions": bad_images(small),
              "num_images": bad_counts(huge=False), "ax": BAD_AXES}),
        pure(plotting.gaussian_grid,
             {"grid_size": integers(1, 20), "clip": reals(1e-3, 0.49)},
             {"grid_size": bad_counts(), "clip": bad_fractions(0.5)}),
        case(plotting.plot_manifold,
             {"decoder": DECODER, "grid_size": integers(1, 3),
              "extent": st.sampled_from([None, (-1, 1, -1, 1), np.array([0.0, 2.0, -3.0, 1.0])]),
              "clip": reals(0.01, 0.4), "dims": st.sampled_from([(0, 1), (1, 0)]), "ax": axes,
              "title": titles},
             {"decoder": BAD_DECODERS, "grid_size": bad_counts(),
              "extent": st.sampled_from([(0, 1, 2), (np.nan, 1, 0, 1), "abcd", (0, 1, 0, np.inf)]),
              "clip": bad_fractions(0.5), "dims": BAD_DIMS, "ax": BAD_AXES}),
        case(plotting.sample_prior,
             {"decoder": DECODER, "num_samples": integers(1, 4), "seed": SEEDS},
             {"decoder": BAD_DECODERS, "num_samples": bad_counts(), "seed": BAD_SEEDS}),
        case(plotting.plot_samples,
             {"decoder": DECODER, "num_samples": integers(1, 4), "ncols": integers(1, 4),
              "seed": SEEDS, "ax": axes, "title": titles},
             {"decoder": BAD_DECODERS, "num_samples": bad_counts(), "ncols": bad_counts(huge=False),
              "seed": BAD_SEEDS, "ax": BAD_AXES}),
        case(plotting.plot_interpolation,
             {"decoder": DECODER, "z_start": codes((1, 1)).map(lambda z: z[0]),
              "z_end": codes((1, 1)).map(lambda z: z[0]), "steps": integers(2, 5), "ax": axes,
              "title": titles},
             {"decoder": BAD_DECODERS, "z_start": bad_vectors(LATENT_DIM),
              "z_end": st.one_of(bad_vectors(LATENT_DIM), st.just(np.zeros(3))),
              "steps": bad_counts(), "ax": BAD_AXES}),
        pure(plotting.plot_history,
             {"history": st.sampled_from([history, types.SimpleNamespace(history=history)]),
              "keys": st.sampled_from([None, ["loss"]]),
              "labels": st.sampled_from([None, {"loss": "the loss"}]), "ax": axes,
              "title": titles},
             {"history": st.sampled_from([{}, None, [1.0, 2.0], {"loss": "abc"},
                                          {"loss": [[1.0, 2.0]]}]),
              "keys": st.sampled_from(["loss", ["nope"], 3]),
              "labels": st.sampled_from([["loss"], "loss", 3]), "ax": BAD_AXES}),
        pure(plotting.plot_curve_fits,
             {"points": codes((5, 5)),
              "fits": from_rng(lambda rng: {"PCA": (rng.normal(size=5), rng.normal(size=(5, 2)))}),
              "reference": st.one_of(st.none(), codes((4, 4))), "ax": axes, "title": titles},
             {"points": bad_codes(rows=5, min_rows=1),
              "fits": st.sampled_from([[], None, {"PCA": (np.zeros(5),)},
                                       {"PCA": (np.zeros(4), np.zeros((4, 2)))},
                                       {"PCA": (np.full(5, np.nan), np.zeros((5, 2)))}]),
              "reference": not_none(bad_codes(rows=4)), "ax": BAD_AXES}),
        pure(plotting.plot_class_shares,
             {"shares": from_rng(lambda rng: {"VAE": rng.dirichlet(np.ones(3))}),
              "classes": st.sampled_from([None, ["a", "b", "c"]]), "ax": axes, "title": titles},
             {"shares": st.sampled_from([{}, None, {"VAE": [2.0, -1.0]},
                                         {"VAE": [0.5, 0.5], "AE": [1.0]},
                                         {"VAE": [np.nan, 1.0]}, {"VAE": "ab"}]),
              "classes": st.sampled_from([["a"], ["a", "b", "c", "d"], 3]), "ax": BAD_AXES}),
        pure(plotting.plot_typicality,
             {"distances": from_rng(lambda rng: {"real": rng.uniform(size=5)}),
              "references": st.sampled_from([None, {"median": 0.5}]), "ax": axes,
              "title": titles},
             {"distances": st.sampled_from([{}, None, {"real": [np.nan, 1.0]}, {"real": []},
                                            {"real": "a"}, [1.0, 2.0]]),
              "references": st.sampled_from([3, {"median": "x"}, {"median": np.nan}, ["a"]]),
              "ax": BAD_AXES}),
    ]


def _posterior_cases():
    moments = {"z_mean": codes((4, 4)), "z_log_var": log_variances((4, LATENT_DIM))}
    bad_moments = {"z_mean": bad_codes(), "z_log_var": st.one_of(
        bad_codes(), st.just(np.full((4, LATENT_DIM), 1000.0)))}
    return [
        pure(posterior.active_units, {"z_mean": codes(), "threshold": reals(1e-4, 1)},
             {"z_mean": bad_codes(fixed_dim=False), "threshold": bad_reals()}),
        pure(posterior.aggregate_posterior_moments, moments, bad_moments),
        pure(posterior.gaussian_log_density,
             {"z": codes((3, 3)), "mean": codes((1, 1)).map(lambda z: z[0]),
              "log_var": log_variances(LATENT_DIM)},
             {"z": BAD_BROADCAST, "mean": BAD_BROADCAST,
              "log_var": st.one_of(BAD_BROADCAST, st.just(np.full(LATENT_DIM, 1000.0)))}),
        pure(posterior.aggregate_log_density, {"points": codes((1, 5)), **moments},
             {"points": bad_codes(min_rows=1), **bad_moments}),
        pure(posterior.kl_decomposition,
             {**moments, "num_samples": integers(1, 50), "seed": SEEDS},
             {**bad_moments, "num_samples": bad_counts(), "seed": BAD_SEEDS}),
    ]


def _with_environment(function, variable: str):
    """A call of `function()` with the environment variable `variable` set to the argument."""
    def call(world, **arguments):
        with mock.patch.dict(os.environ, {variable: arguments[variable]}):
            return function()

    return call


FLAG_TEXTS = st.sampled_from(["", "0", "1", "true", "yes", "no", "FALSE", " 1 "])
BAD_FLAG_TEXTS = st.sampled_from(["maybe", "2", "on", "-1", "y"])


def _runtime_cases():
    words = st.text("ab ,.Éé", min_size=1, max_size=12).filter(str.strip)
    bad_words = st.sampled_from(["", "  ", None, 3, b"text"])
    return [
        Case("runtime.is_fast_mode", _with_environment(runtime.is_fast_mode, "VAEKIT_FAST"),
             {"VAEKIT_FAST": FLAG_TEXTS}, {"VAEKIT_FAST": BAD_FLAG_TEXTS}, uses_backend=False),
        Case("runtime.strict_claims",
             _with_environment(runtime.strict_claims, "VAEKIT_STRICT_CLAIMS"),
             {"VAEKIT_STRICT_CLAIMS": FLAG_TEXTS}, {"VAEKIT_STRICT_CLAIMS": BAD_FLAG_TEXTS},
             uses_backend=False),
        Case("runtime.lesson_seed", _with_environment(runtime.lesson_seed, "VAEKIT_SEED"),
             {"VAEKIT_SEED": st.sampled_from(["", "0", "7", " 12 ", str(2**32 - 1)])},
             {"VAEKIT_SEED": st.sampled_from(["-1", "abc", "²", "1.5", str(2**32), "1e3"])},
             uses_backend=False),
        pure(runtime.choose, {"full": st.integers(), "fast": TITLES}),
        pure(runtime.progress_text,
             {"done": integers(0, 50), "total": integers(1, 50), "elapsed": reals(0, 100),
              "unit": st.sampled_from(["epoch", "images"])},
             {"done": bad_counts(0, huge=False), "total": bad_counts(huge=False),
              "elapsed": bad_reals(allow_zero=True), "unit": st.sampled_from(["", None, 3])}),
        Case("runtime.LiveLine", lambda world, text: runtime.LiveLine(text).finish(text),
             {"text": TITLES}, {"text": st.sampled_from([None, 3, "two\nlines"])},
             covers=("runtime.LiveLine.update", "runtime.LiveLine.finish"),
             uses_backend=False),
        case(runtime.has_accelerator, st.just({})),
        pure(runtime.steps_per_execution, {"requested": integers(1, 100)},
             {"requested": bad_counts(huge=False)}),
        pure(runtime.claim,
             {"condition": st.sampled_from([True, np.True_]), "message": words,
              "likely_cause": words, "measured": reals(-10, 10)},
             {"condition": st.sampled_from([np.array([True, False]), 1, "yes", None]),
              "message": bad_words, "likely_cause": bad_words}),
        Case("language.lesson_language",
             _with_environment(language.lesson_language, "VAEKIT_LANGUAGE"),
             {"VAEKIT_LANGUAGE": st.sampled_from(["", "en", "ko", " KO "])},
             {"VAEKIT_LANGUAGE": st.sampled_from(["fr", "korean", "1", "en_US"])},
             uses_backend=False),
        pure(language.languages, st.just({})),
        pure(language.translate,
             {"text": words, "language": st.sampled_from([None, "en", "ko"])},
             {"text": bad_words.filter(lambda value: not isinstance(value, str)),
              "language": st.sampled_from(["fr", "KO", 3])}),
        pure(runtime.claim_line,
             {"message": words, "likely_cause": words,
              "numbers": st.dictionaries(st.sampled_from(["vae", "pca"]), reals(-10, 10))},
             {"message": bad_words, "likely_cause": bad_words,
              "numbers": st.sampled_from([None, [1.0], "vae=1"])}),
    ]


def _sample_quality_cases():
    judged = {"judge": JUDGE, "images": fixed_images(5), "real_images": fixed_images(5)}
    bad_judged = {"judge": BAD_JUDGES, "images": bad_images(count=5),
                  "real_images": bad_images(count=5)}
    features = {"real_features": codes((5, 8), dim=3), "generated_features": codes((5, 8), dim=3)}

    def judge_method(method):
        return Case(f"sample_quality.DigitClassifier.{method}",
                    lambda world, images: getattr(world.judge, method)(images),
                    {"images": grey_images()}, {"images": bad_images()}, observe=observe_judge,
                    cost=2)

    return [
        Case("sample_quality.as_digit_images",
             lambda world, images: sample_quality.as_digit_images(images),
             {"images": grey_images()}, {"images": bad_images()}, uses_backend=False),
        pure(sample_quality.as_digit_labels,
             {"labels": class_labels(4, 10), "num_images": integers(4, 4)},
             {"labels": bad_labels(4), "num_images": st.sampled_from([-1, 1.5, "4", None])}),
        case(sample_quality.check_judge, {"judge": JUDGE}, {"judge": BAD_JUDGES}),
        case(sample_quality.build_digit_classifier,
             {"width": integers(1, 4), "feature_units": integers(1, 8)},
             {"width": bad_counts(), "feature_units": bad_counts()}, cost=5),
        pure(sample_quality.DigitClassifier,
             {"epochs": integers(1, 50), "batch_size": integers(1, 512),
              "learning_rate": reals(1e-5, 1)},
             {"epochs": bad_counts(huge=False), "batch_size": bad_counts(huge=False),
              "learning_rate": bad_reals()}),
        Case("sample_quality.DigitClassifier.fit",
             lambda world, images, labels: world.judge.fit(images, labels),
             {"images": fixed_images(10), "labels": class_labels(10, 10)},
             {"images": bad_images(count=10), "labels": bad_labels(10)},
             observe=observe_judge, cost=10),
        Case("sample_quality.DigitClassifier.load_weights",
             lambda world, path: world.judge.load_weights(path),
             {"path": st.just(Use("judge_weights"))},
             {"path": st.one_of(BAD_PATHS, st.just(Use("other_weights")))},
             observe=observe_judge, cost=3),
        judge_method("probabilities"),
        judge_method("features"),
        Case("sample_quality.DigitClassifier.accuracy",
             lambda world, images, labels: world.judge.accuracy(images, labels),
             {"images": fixed_images(4), "labels": class_labels(4, 10)},
             {"images": bad_images(count=4), "labels": bad_labels(4)}, observe=observe_judge),
        pure(sample_quality.frechet_distance,
             {"features_a": codes((3, 8), dim=3), "features_b": codes((3, 8), dim=3)},
             {"features_a": bad_codes(rows=5, dim=3), "features_b": bad_codes(rows=5, dim=3)}),
        pure(sample_quality.precision_recall, {**features, "k": integers(1, 3)},
             {"real_features": bad_codes(rows=5, dim=3, min_rows=1),
              "generated_features": bad_codes(rows=5, dim=3, min_rows=1),
              "k": st.one_of(bad_counts(), st.integers(5, 10**6))}),
        case(sample_quality.sample_quality, {**judged, "k": integers(1, 3)},
             {**bad_judged, "k": st.one_of(bad_counts(), st.integers(5, 10**6))},
             observe=observe_judge, cost=3),
        case(sample_quality.frechet_bar, {**judged, "sigma": reals(0.5, 3)},
             {**bad_judged, "sigma": bad_reals()}, observe=observe_judge, cost=3),
        pure(sample_quality.sample_quality_faults,
             {"quality": st.fixed_dictionaries({"coverage": reals(0, 1),
                                                "frechet": reals(0, 100)}),
              "frechet_bar": reals(0.1, 100)},
             {"quality": st.sampled_from([
                 {"coverage": 1.5, "frechet": 1.0}, {"coverage": -0.1, "frechet": 1.0},
                 {"coverage": np.nan, "frechet": 1.0}, {"coverage": 0.5, "frechet": -1.0},
                 {"coverage": 0.5}, {}, None, "quality"]),
              "frechet_bar": bad_reals()}),
    ]


SAMPLERS = ("BoxSampler", "GaussianSampler", "GaussianMixtureSampler", "PriorSampler",
            "AggregatePosteriorSampler")


def _samplers_cases():
    def sampler_case(name, method, call, valid, invalid):
        return Case(f"samplers.{name}.{method}", call, valid, invalid,
                    observe=observe_sampler(name), uses_backend=False)

    cases = [
        pure(samplers.GaussianMixtureSampler,
             {"num_components": integers(1, 10), "seed": SEEDS},
             {"num_components": bad_counts(), "seed": BAD_SEEDS}),
        sampler_case("GaussianMixtureSampler", "log_density",
                     lambda world, points: world.samplers["GaussianMixtureSampler"].log_density(
                         points),
                     {"points": codes((1, 5))}, {"points": bad_codes(min_rows=1)}),
        sampler_case("AggregatePosteriorSampler", "fit",
                     lambda world, **arguments: world.samplers["AggregatePosteriorSampler"].fit(
                         **arguments),
                     {"z_mean": codes((4, 4)), "z_log_var": log_variances((4, LATENT_DIM))},
                     {"z_mean": bad_codes(), "z_log_var": st.one_of(
                         bad_codes(), st.just(np.full((4, LATENT_DIM), 1000.0)))}),
    ]
    identical = st.just(np.ones((5, LATENT_DIM)))
    for name in SAMPLERS:
        if name != "GaussianMixtureSampler":
            cases.append(pure(getattr(samplers, name), st.just({})))
        if name != "AggregatePosteriorSampler":
            bad = bad_codes(fixed_dim=False)
            cases.append(sampler_case(
                name, "fit", lambda world, codes, name=name: world.samplers[name].fit(codes),
                {"codes": codes((3, 12))},
                {"codes": st.one_of(bad, identical) if name == "GaussianMixtureSampler" else bad},
            ))
        cases.append(sampler_case(
            name, "sample",
            lambda world, name=name, **arguments: world.samplers[name].sample(**arguments),
            {"num_samples": integers(1, 20), "seed": SEEDS},
            {"num_samples": bad_counts(), "seed": BAD_SEEDS},
        ))
    return cases


def _style_cases():
    def use_course_style():
        import matplotlib as mpl

        with mpl.rc_context():
            style.use_course_style()

    return [
        pure(style.method_colour,
             {"name": st.one_of(st.sampled_from(sorted(style.METHOD_COLOURS)), TITLES),
              "index": integers(0, 100)},
             {"name": st.sampled_from([3, None, b"VAE", ["VAE"]]),
              "index": bad_counts(0, huge=False)}),
        pure(style.course_rc, st.just({})),
        Case("style.use_course_style", lambda world: use_course_style(), st.just({}),
             uses_backend=False),
    ]


def _adam_step(**arguments) -> np.ndarray:
    """One `FusedAdam` update of a (2, 3) weight from a gradient of ones."""
    weight = keras.Variable(np.ones((2, 3), "float32"))
    optimizer = optimizers.FusedAdam(**arguments)
    optimizer.apply([keras.ops.ones((2, 3))], [weight])
    return keras.ops.convert_to_numpy(weight)


def _optimizers_cases():
    decay_rates = st.one_of(reals(0.0, 0.999), st.just(0))
    bad_decay_rates = bad_fractions().filter(lambda value: value != 0.0)  # 0 is valid here
    return [
        Case("optimizers.FusedAdam", lambda world, **arguments: _adam_step(**arguments),
             {"learning_rate": reals(1e-6, 1.0), "beta_1": decay_rates,
              "beta_2": decay_rates, "epsilon": reals(1e-9, 1.0)},
             {"learning_rate": bad_reals(), "beta_1": bad_decay_rates,
              "beta_2": bad_decay_rates, "epsilon": bad_reals()},
             covers=("optimizers.FusedAdam.update_step",)),
    ]


def _parallel_cases():
    def enter(devices):
        with parallel.data_parallel(devices) as replicas:
            assert replicas >= 1

    engines = ("tensorflow", "jax")
    return [
        case(parallel.accelerator_or_cpu_devices, st.just({}), backends=engines),
        Case("parallel.data_parallel", lambda world, devices: enter(devices),
             {"devices": st.sampled_from([None, Use("first_device")])},
             {"devices": st.sampled_from([["/device:GPU:7"], ["cpu:99"], [], "cpu", [3],
                                          ["nonsense"]])},
             backends=engines, cost=2),
        case(parallel.replica_share, {"loss": reals(0, 10)},
             {"loss": st.sampled_from(["loss", None, np.zeros(3), [1.0]])}),
        # Splitting the CPU works once per process, before the backend starts: no valid call.
        case(parallel.virtual_cpu_devices, None, {"count": bad_counts(huge=False)}),
    ]


def _more_checks_cases():
    return [
        case(checks.is_tensor, {"value": st.sampled_from([np.zeros(2), 1.0, None, "text"])}),
        Case("checks.check_decoded_grey_levels",
             lambda world, decoder: checks.check_decoded_grey_levels(decoder),
             {"decoder": grey_images()},
             {"decoder": st.sampled_from([np.full((2, 3), 1.5), np.full((2, 3), -0.5),
                                          np.full((2, 3), np.nan)])},
             uses_backend=False),
    ]


CASES: list[Case] = [
    *_anomaly_cases(), *_backend_logs_cases(), *_binarized_cases(), *_callbacks_cases(),
    *_checks_cases(), *_more_checks_cases(), *_conditional_cases(), *_data_cases(),
    *_diagnostics_cases(), *_explorer_cases(), *_features_cases(), *_judge_cache_cases(),
    *_layers_cases(), *_losses_cases(), *_memorisation_cases(), *_models_cases(),
    *_optimizers_cases(), *_parallel_cases(), *_plotting_cases(), *_posterior_cases(),
    *_runtime_cases(), *_sample_quality_cases(), *_samplers_cases(), *_style_cases(),
]

# Public names with no case, and why.
EXCLUDED = {
    "backend_logs.import_keras": "runs once, as `import vaekit` starts; takes no arguments",
    "data.DataUnavailableError": "an exception type: raised by the library, not called",
    "data.CorruptDataError": "an exception type: raised by the library, not called",
    "data.DownloadFailedError": "an exception type: raised by the library, not called",
    "runtime.ClaimNotMet": "an exception type: raised by the library, not called",
}


def public_callables() -> set[str]:
    """Every public function and class of every vaekit module, and the public methods and
    properties its classes define (in vaekit classes, not those inherited from Keras)."""
    import importlib
    import inspect
    import pkgutil

    import vaekit

    names = set()
    for module_info in pkgutil.iter_modules(vaekit.__path__):
        module = importlib.import_module(f"vaekit.{module_info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value):
                names.add(f"{module_info.name}.{name}")
            elif inspect.isclass(value):
                names.add(f"{module_info.name}.{name}")
                names.update(
                    f"{module_info.name}.{name}.{member}"
                    for owner in value.__mro__ if owner.__module__.startswith("vaekit.")
                    for member, attribute in vars(owner).items()
                    if not member.startswith("_")
                    and (callable(attribute) or isinstance(attribute, (property, classmethod,
                                                                       staticmethod)))
                )
    return names
