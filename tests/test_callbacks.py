import time

import keras
import numpy as np
import pytest

from vaekit import callbacks
from vaekit.callbacks import TimeBudget
from vaekit.models import build_vae

IMAGES = np.random.default_rng(0).uniform(size=(64, 28, 28)).astype("float32")


class SlowBatches(keras.callbacks.Callback):
    """Make every training batch take `train` s and every validation batch `test` s."""

    def __init__(self, train, test=0.0):
        super().__init__()
        self.train, self.test = train, test

    def on_train_batch_end(self, batch, logs=None):
        time.sleep(self.train)

    def on_test_batch_end(self, batch, logs=None):
        time.sleep(self.test)


def small_vae():
    vae = build_vae(latent_dim=2, hidden_units=(8,), seed=0)
    vae.compile(optimizer="adam")
    return vae


def test_the_budget_stops_training_mid_epoch():
    budget = TimeBudget(0.5)
    history = small_vae().fit(IMAGES, batch_size=8, epochs=50, verbose=0,
                              callbacks=[SlowBatches(0.1), budget])
    # 8 batches per epoch at >= 0.1 s each, the clock starting after the first: five more make
    # 0.5 s, so training stops after at most 6 of the first epoch's 8 batches (fewer on a busy
    # machine, where the steps themselves take time too).
    assert len(history.history["loss"]) == 1
    assert budget.seconds >= 0.5
    assert 2 / 8 <= budget.epochs_done <= 6 / 8


def test_validation_time_does_not_count(monkeypatch):
    clock = iter([0.0, 0.1, 0.2, 0.2, 5.0, 5.1, 5.2])  # the times the callback reads, in order
    monkeypatch.setattr(callbacks.time, "perf_counter", lambda: next(clock))
    budget = TimeBudget(0.35)
    budget.set_model(small_vae())
    budget.set_params({"steps": 2})
    budget.on_train_begin()
    budget.on_train_batch_end(0)  # 0.0: the clock starts after the first batch
    budget.on_train_batch_end(1)  # 0.1
    budget.on_epoch_end(0)  # 0.2
    budget.on_test_begin()  # 0.2: validation ...
    budget.on_test_end()  # 5.0: ... takes 4.8 s, which do not count
    budget.on_train_batch_end(0)  # 5.1: 0.3 s of training
    assert budget.seconds == pytest.approx(0.3) and not budget.model.stop_training
    budget.on_train_end()  # 5.2
    assert budget.epoch_seconds == pytest.approx([0.2])
    assert budget.seconds == pytest.approx(0.4) and budget.epochs_done == 1.5


def test_min_epochs_outlast_the_budget_and_then_it_stops_at_the_epoch_end():
    budget = TimeBudget(0.2, min_epochs=2)
    history = small_vae().fit(IMAGES, batch_size=8, epochs=50, verbose=0,
                              callbacks=[SlowBatches(0.1), budget])
    # 0.2 s pass within the first epoch (8 batches of >= 0.1 s), but two whole epochs run
    # and training stops as the second one ends.
    assert len(history.history["loss"]) == 2 and budget.epochs_done == 2.0
    assert budget.seconds > 1.4 and len(budget.epoch_seconds) == 2


@pytest.mark.parametrize("min_epochs", [-1, 1.5, "2", None, True])
def test_bad_min_epochs_are_named(min_epochs):
    with pytest.raises(ValueError, match="min_epochs="):
        TimeBudget(1.0, min_epochs=min_epochs)


@pytest.mark.parametrize("seconds", [0, -1, float("nan"), float("inf"), "10", None])
def test_a_bad_budget_is_named(seconds):
    with pytest.raises(ValueError, match="seconds="):
        TimeBudget(seconds)


def test_numpy_seconds_are_valid():
    assert TimeBudget(np.float32(2.5)).budget == 2.5
    assert TimeBudget(1.0, min_epochs=np.int64(3)).min_epochs == 3


def test_a_non_finite_loss_is_caught_and_a_missing_one_ignored():
    from vaekit.callbacks import StopOnNonFiniteLoss

    callback = StopOnNonFiniteLoss()
    callback.set_model(small_vae())
    with pytest.raises(FloatingPointError, match="loss became nan in epoch 3"):
        callback.on_epoch_end(2, {"loss": np.float32("nan")})
    for logs in (None, {}, {"loss": "not a number"}, {"loss": 1.5}):
        callback.on_epoch_end(0, logs)  # nothing to stop


def test_live_progress_redraws_one_line_per_epoch_and_ends_with_a_summary(record_lines):
    lines = record_lines(callbacks)
    history = small_vae().fit(IMAGES, batch_size=16, epochs=3, verbose=0,
                              callbacks=[callbacks.LiveProgress("VAE")])
    [line] = lines
    assert line.shown[0] == "VAE: …"
    for epoch, shown in enumerate(line.shown[1:4], start=1):
        assert shown.startswith(f"VAE: epoch {epoch}/3 · ") and " s left · loss " in shown
    first, last = history.history["loss"][0], history.history["loss"][-1]
    assert line.finished == line.shown[4] and len(line.shown) == 5
    assert line.finished.startswith("VAE: 3 epochs in ")
    assert line.finished.endswith(f" s · loss {first:.4g} → {last:.4g}")


def test_live_progress_shows_nothing_outside_jupyter_and_speaks_korean_in_the_edition(
        monkeypatch, capsys, record_lines):
    small_vae().fit(IMAGES, batch_size=32, epochs=1, verbose=0,
                    callbacks=[callbacks.LiveProgress()])
    assert capsys.readouterr() == ("", "")
    lines = record_lines(callbacks)
    monkeypatch.setenv("VAEKIT_LANGUAGE", "ko")
    small_vae().fit(IMAGES, batch_size=32, epochs=2, verbose=0,
                    callbacks=[callbacks.LiveProgress("VAE")])
    assert lines[0].shown[1].startswith("VAE: 에포크 1/2 · ")
    assert lines[0].finished.startswith("VAE: 2 에포크, ")


@pytest.mark.parametrize("argument", ["label", "metric"])
@pytest.mark.parametrize("value", ["", "  ", None, 3])
def test_live_progress_names_a_bad_label_or_metric(argument, value):
    with pytest.raises(ValueError, match=f"`{argument}` must be a non-empty string. "
                                         f"Received: {argument}={value!r}"):
        callbacks.LiveProgress(**{argument: value})


@pytest.mark.slow
@pytest.mark.backend_independent  # what Jupyter keeps of the line
def test_a_saved_notebook_keeps_only_the_summary_line():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy as np\n"
        "from vaekit.callbacks import LiveProgress\n"
        "from vaekit.models import build_vae\n"
        "vae = build_vae(latent_dim=2, hidden_units=(8,), seed=0)\n"
        "vae.compile(optimizer='adam')\n"
        "images = np.random.default_rng(0).uniform(size=(64, 28, 28)).astype('float32')\n"
        "vae.fit(images, batch_size=16, epochs=4, verbose=0, callbacks=[LiveProgress('VAE')])\n"
        "print('trained')")])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    assert [output.output_type for output in outputs] == ["display_data", "stream"]
    assert outputs[0].data["text/plain"].startswith("VAE: 4 epochs in ")
    assert outputs[1].text == "trained\n"
