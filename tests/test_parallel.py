"""Data-parallel training gives the one-device numbers, in nats per image, on both engines."""

import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from vaekit.parallel import data_parallel, replica_share, virtual_cpu_devices

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "data_parallel.py"
# Stated tolerances. TensorFlow's replicas each draw their own share of the sampling noise, so
# its runs differ by about 1e-5 of the loss; a loss summed over 2 replicas would be 2×, and
# gradients summed over them would move the weights apart by about 2× SGD's largest step.
LOSS_TOLERANCE = 5e-3  # relative
WEIGHT_TOLERANCE = 0.2  # of the largest weight change in one-device training


def run_on_two_virtual_devices(backend):
    if keras.config.backend() != backend:
        pytest.skip(f"runs in the {backend} pass of the backend matrix (make test)")
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("XLA_FLAGS", None)
    child = subprocess.run(
        [sys.executable, str(SCRIPT), "--virtual-cpus", "2", "--examples", "1024"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert child.stderr == ""
    return json.loads(child.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_two_devices_give_the_one_device_losses(backend):
    report = run_on_two_virtual_devices(backend)
    assert report["backend"] == backend
    assert report["replicas"] == 2 and len(report["devices"]) == 2
    for stage in ("fit", "evaluate_same_weights"):
        one, parallel = report[stage]["one_device"], report[stage]["data_parallel"]
        for name in ("loss", "reconstruction_loss", "kl_loss"):
            assert parallel[name] == pytest.approx(one[name], rel=LOSS_TOLERANCE), (stage, name)
        # Per image, in nats: an untrained-ish dense Bernoulli VAE on MNIST, not 2× that.
        assert 100 < one["reconstruction_loss"] < 600
        assert parallel["loss"] == pytest.approx(
            parallel["reconstruction_loss"] + parallel["kl_loss"], rel=1e-5)
    weights = report["weights"]
    assert weights["start_difference"] == 0
    assert weights["largest_step"] > 0
    assert weights["end_difference"] < WEIGHT_TOLERANCE * weights["largest_step"]


def test_replica_share_leaves_a_one_device_loss_alone():
    loss = keras.ops.convert_to_tensor(3.5)
    assert float(keras.ops.convert_to_numpy(replica_share(loss))) == 3.5


def test_data_parallel_on_this_machine_yields_its_device_count():
    if keras.config.backend() == "torch":
        with pytest.raises(NotImplementedError, match="KERAS_BACKEND=tensorflow or jax"):
            with data_parallel():
                pass
        return
    with data_parallel() as replicas:
        assert replicas >= 1


def test_data_parallel_refuses_an_empty_device_list():
    if keras.config.backend() == "torch":
        pytest.skip("no data-parallel engine on torch (tested above)")
    with pytest.raises(ValueError, match=r"devices=\[\]"):
        with data_parallel([]):
            pass


@pytest.mark.parametrize("count", [0, -1, 1.5, True, "2"])
def test_virtual_cpu_devices_refuses_a_non_positive_integer(count):
    with pytest.raises(ValueError, match=f"count={count!r}"):
        virtual_cpu_devices(count)


def test_virtual_cpu_devices_sets_the_xla_flag_once(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_other=1 --xla_force_host_platform_device_count=8")
    monkeypatch.setattr(keras.config, "backend", lambda: "jax")  # only the flag, no TF devices
    virtual_cpu_devices(np.int64(2))
    assert os.environ["XLA_FLAGS"] == "--xla_other=1 --xla_force_host_platform_device_count=2"


@pytest.mark.parametrize("devices, message", [
    (["/device:GPU:7"],
     r"devices this machine has: \[.*\]\. Received: devices=\['/device:GPU:7'\]"),
    (["gpu:7"], "not present"),
    ([0], "not present"),
    ("CPU:0", r"a list of device names, e\.g\. \[.*\]\. Received: devices='CPU:0'"),
    (3, "devices=3"),
])
def test_data_parallel_refuses_devices_that_are_not_present(devices, message):
    if keras.config.backend() == "torch":
        pytest.skip("no data-parallel engine on torch (tested above)")
    with pytest.raises(ValueError, match=message):
        with data_parallel(devices):
            pass


def test_data_parallel_accepts_a_present_device_in_any_spelling():
    if keras.config.backend() == "torch":
        pytest.skip("no data-parallel engine on torch (tested above)")
    with data_parallel(["cpu:0" if keras.config.backend() == "jax" else "/CPU:0"]) as replicas:
        assert replicas == 1


def test_virtual_cpu_devices_refuses_a_huge_count_and_changes_nothing(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_other=1")
    with pytest.raises(ValueError, match="at most 1,024.*count=9223372036854775808"):
        virtual_cpu_devices(2**63)
    assert os.environ["XLA_FLAGS"] == "--xla_other=1"


@pytest.mark.tensorflow_only
def test_virtual_cpu_devices_too_late_says_so_and_changes_nothing(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_other=1")
    keras.ops.zeros(1)  # TensorFlow has started
    with pytest.raises(RuntimeError, match="before TensorFlow starts"):
        virtual_cpu_devices(2)
    assert os.environ["XLA_FLAGS"] == "--xla_other=1"


@pytest.mark.parametrize("loss, message", [(None, "loss=None"), (np.ones(2), "scalar")])
def test_replica_share_refuses_a_loss_that_is_not_a_scalar(loss, message):
    with pytest.raises(ValueError, match=message):
        replica_share(loss)
