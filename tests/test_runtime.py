
import numpy as np
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


@pytest.mark.tensorflow_only  # the fake devices are TensorFlow's
@pytest.mark.parametrize("devices, expected", [({}, False), ({"GPU": ["gpu:0"]}, True),
                                               ({"TPU": ["tpu:0"]}, True)])
def test_has_accelerator_asks_the_backend(monkeypatch, devices, expected):
    import tensorflow as tf

    from vaekit.runtime import has_accelerator

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: devices.get(kind, []))
    assert has_accelerator() is expected


def test_steps_per_execution_is_accepted_by_this_backend():
    import keras

    from vaekit.runtime import steps_per_execution

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=steps_per_execution(4))
    history = model.fit(np.ones((20, 3)), np.zeros((20, 1)), batch_size=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    expected = 1 if keras.config.backend() == "torch" else 4
    assert steps_per_execution(np.int64(4)) == expected


@pytest.mark.parametrize("backend, expected", [("tensorflow", 32), ("jax", 32), ("torch", 1)])
def test_steps_per_execution_is_one_on_torch(monkeypatch, backend, expected):
    import keras

    from vaekit.runtime import steps_per_execution

    monkeypatch.setattr(keras.config, "backend", lambda: backend)
    assert steps_per_execution(32) == expected


@pytest.mark.parametrize("value", [0, -2, 2.5, True, "8"])
def test_steps_per_execution_refuses_a_non_positive_integer(value):
    from vaekit.runtime import steps_per_execution

    with pytest.raises(ValueError, match=f"requested={value!r}"):
        steps_per_execution(value)


def test_a_claim_that_holds_shows_nothing(monkeypatch, capsys):
    from vaekit.runtime import claim

    for strict in ("0", "1"):
        monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", strict)
        claim(np.float32(2.0) > 1.0, "two beats one", likely_cause="none")
    assert capsys.readouterr().out == ""


def test_learner_mode_prints_one_line_and_goes_on(monkeypatch, capsys):
    from vaekit.runtime import claim

    monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", "0")
    claim(np.float64(0.41) > 0.5, "The VAE should beat PCA.", likely_cause="EPOCHS was lowered",
          vae=np.float64(0.41234), pca=0.5, images=np.int64(4000))
    assert capsys.readouterr().out == (
        "Claim not met: the VAE should beat PCA. Measured: vae = 0.4123, pca = 0.5, "
        "images = 4,000. Likely cause: EPOCHS was lowered.\n"
    )


def test_strict_mode_raises_with_the_same_line(monkeypatch):
    from vaekit.runtime import ClaimNotMet, claim

    monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", "yes")
    with pytest.raises(AssertionError, match=r"Claim not met: PCA > b\. Measured: a = 1"):
        claim(1 > 2, "PCA > b", likely_cause="a changed", a=1, b=2)
    assert issubclass(ClaimNotMet, AssertionError)


@pytest.mark.parametrize("condition", [np.array([True, False]), "yes", 1, None])
def test_a_claim_needs_a_bool(condition):
    from vaekit.runtime import claim

    with pytest.raises(TypeError, match="`condition` must be a bool"):
        claim(condition, "x", likely_cause="y")


@pytest.mark.parametrize("name", ["message", "likely_cause"])
def test_a_claim_needs_its_words(name):
    from vaekit.runtime import claim

    words = {"message": "m", "likely_cause": "c", name: " "}
    with pytest.raises(ValueError, match=f"`{name}` must be a non-empty string"):
        claim(True, words["message"], likely_cause=words["likely_cause"])


def test_bad_strict_value_names_the_variable(monkeypatch):
    from vaekit.runtime import claim

    monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", "sometimes")
    with pytest.raises(ValueError, match="VAEKIT_STRICT_CLAIMS.*sometimes"):
        claim(False, "x", likely_cause="y")


def _run_notebook_with_a_failed_claim(monkeypatch, strict: str):
    """Execute a two-cell notebook whose first cell's claim fails, in a fresh kernel."""
    monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", strict)  # the kernel inherits it
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(
            "from vaekit.runtime import claim\n"
            "claim(0.2 > 0.5, 'accuracy should pass 0.5', likely_cause='EPOCHS', accuracy=0.2)"
            "\nprint('first cell done')"
        ),
        nbformat.v4.new_code_cell("print('second cell ran')"),
        nbformat.v4.new_code_cell("claim(1 < 2, 'one is less than two', likely_cause='none')"),
    ])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return notebook


@pytest.mark.slow
@pytest.mark.backend_independent  # how Jupyter shows a claim
def test_in_jupyter_learner_mode_shows_a_styled_line_and_runs_on(monkeypatch):
    notebook = _run_notebook_with_a_failed_claim(monkeypatch, "0")
    outputs = notebook.cells[0].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    assert len(shown) == 1
    assert shown[0].data["text/plain"].startswith("Claim not met: accuracy should pass 0.5.")
    assert "accuracy = 0.2" in shown[0].data["text/html"]
    assert outputs[-1].text == "first cell done\n"
    assert notebook.cells[1].outputs[0].text == "second cell ran\n"
    assert notebook.cells[2].outputs == []  # a claim that holds, ending a cell, adds nothing


@pytest.mark.slow
@pytest.mark.backend_independent  # how Jupyter shows a claim
def test_in_jupyter_strict_mode_stops_the_notebook(monkeypatch):
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError, match="ClaimNotMet.*accuracy should pass 0.5"):
        _run_notebook_with_a_failed_claim(monkeypatch, "1")


@pytest.mark.backend_independent
def test_lesson_seed_is_bounded_like_every_seed(monkeypatch):
    monkeypatch.setenv("VAEKIT_SEED", str(2**32))
    with pytest.raises(ValueError, match=r"`VAEKIT_SEED` must be an integer in \[0, 2\*\*32 - 1\]"):
        lesson_seed()


@pytest.mark.backend_independent
@pytest.mark.parametrize("arguments, error, message", [
    ((3, "cause", {}), ValueError, "message=3"),
    (("The VAE wins", None, {}), ValueError, "likely_cause=None"),
    (("The VAE wins", "cause", [1.0]), TypeError, "numbers of type list"),
])
def test_claim_line_names_a_bad_argument(arguments, error, message):
    from vaekit.runtime import claim_line

    with pytest.raises(error, match=message):
        claim_line(*arguments)
    assert claim_line("The VAE wins", "cause", {"vae": np.float32(0.5)}).startswith(
        "Claim not met: the VAE wins.")


@pytest.mark.backend_independent
def test_a_live_line_redraws_at_most_every_quarter_second_and_always_finishes(capsys):
    from vaekit.runtime import LiveLine

    class Handle:
        shown = []

        def update(self, data, raw):
            self.shown.append(data["text/plain"])

    line = LiveLine("start")  # outside Jupyter: nothing shown, nothing printed
    assert capsys.readouterr() == ("", "")
    line._handle = Handle()
    line.update("too soon")
    line.finish("done")
    line._drawn -= LiveLine.INTERVAL
    line.update("later")
    assert Handle.shown == ["done", "later"]
    with pytest.raises(ValueError, match=r"`text` must be one line of text. Received: text='a"):
        line.update("a\nb")
