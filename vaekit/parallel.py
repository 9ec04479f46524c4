"""Data-parallel training: the same model, each batch split across several devices.

Build, compile and fit inside `data_parallel()`; Keras then copies the weights to every device,
gives each device its share of every batch, and averages the gradients. The engine is the
backend's own: `tf.distribute.MirroredStrategy` on TensorFlow, `keras.distribution.DataParallel`
on JAX. Keras' PyTorch backend has no such engine (use PyTorch's own
`DistributedDataParallel` there). The same code runs on several GPUs, or on several virtual
CPU devices for testing (`virtual_cpu_devices` shows how to make them).

    with data_parallel() as replicas:  # every GPU, or every (virtual) CPU device
        vae = build_vae(latent_dim=2)
        vae.compile(optimizer="adam")
        vae.fit(x_train, epochs=10, batch_size=64 * replicas)

Losses stay per example: `VAE` reports nats per image however many devices share a batch.
"""

from __future__ import annotations

import contextlib
import os

import keras

from vaekit.checks import as_real_array, check_positive_int, is_tensor

XLA_DEVICE_COUNT_FLAG = "--xla_force_host_platform_device_count"
# Far more virtual CPU devices than a test needs; each one is a whole device to set up.
MAX_VIRTUAL_DEVICES = 1024


def accelerator_or_cpu_devices() -> list[str]:
    """Names of the devices Keras' backend would split a batch over: its GPUs if it has any,
    else its CPU devices, e.g. ``['/device:CPU:0', '/device:CPU:1']``. (JAX: its default
    devices, TPU cores included; TensorFlow's TPUs need `tf.distribute.TPUStrategy` instead.)
    """
    backend = keras.config.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        for kind in ("GPU", "CPU"):
            if devices := tf.config.list_logical_devices(kind):
                return [device.name for device in devices]
    if backend == "jax":
        import jax

        return [f"{device.platform}:{device.id}" for device in jax.devices()]
    raise NotImplementedError(_no_engine(backend))


def _present_devices(backend: str) -> list[str]:
    """Names of every device of the backend, of all kinds (CPU devices too)."""
    if backend == "tensorflow":
        import tensorflow as tf

        return [device.name for device in tf.config.list_logical_devices()]
    import jax

    devices = dict.fromkeys([*jax.devices(), *jax.devices("cpu")])
    return [f"{device.platform}:{device.id}" for device in devices]


def _device_key(name: str) -> tuple[str, str]:
    """A device name's (kind, index), e.g. ('gpu', '0') for '/device:GPU:0', 'GPU:0', 'gpu:0'."""
    kind, _, index = name.rpartition(":")
    return kind.rpartition(":")[2].lstrip("/").lower(), index


@contextlib.contextmanager
def data_parallel(devices: list[str] | None = None):
    """Build, compile and fit a model inside this block to train it on several devices.

    Args:
        devices: names of devices this machine has, as `accelerator_or_cpu_devices()` gives
            them (default: all of those).

    Yields:
        The number of devices (replicas). Make the global batch size a multiple of it:
        each device gets `batch_size / replicas` images per step.
    """
    backend = keras.config.backend()
    if backend not in ("tensorflow", "jax"):
        raise NotImplementedError(_no_engine(backend))
    present = _present_devices(backend)
    if devices is not None and not isinstance(devices, (list, tuple)):
        raise ValueError(
            f"`devices` must be a list of device names, e.g. {present[:1]}. "
            f"Received: devices={devices!r}"
        )
    names = accelerator_or_cpu_devices() if devices is None else list(devices)
    if not names:
        raise ValueError(f"`devices` must name at least one device. Received: devices={devices!r}")
    missing = [name for name in names if not isinstance(name, str)
               or _device_key(name) not in {_device_key(device) for device in present}]
    if missing:
        raise ValueError(
            f"`devices` must name devices this machine has: {present}. Received: "
            f"devices={devices!r}, of which {missing} are not present"
        )
    if backend == "tensorflow":
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy(names)
        with strategy.scope():
            yield strategy.num_replicas_in_sync
    else:
        distribution = keras.distribution.DataParallel(devices=names)
        with distribution.scope():
            yield len(names)


def replica_share(loss):
    """`loss` (a scalar, mean over this device's images) divided by the number of replicas
    under `tf.distribute`, unchanged elsewhere.

    Keras sums what each replica's `compute_loss` returns (gradients and the reported loss),
    so each replica must return its share for the sum to be the mean over the global batch.
    JAX's engine computes one loss on the whole sharded batch and needs no share.
    """
    if not is_tensor(loss) and as_real_array(loss, "loss").ndim != 0:
        raise ValueError(f"`loss` must be a scalar. Received: loss={loss!r}")
    if keras.config.backend() != "tensorflow":
        return loss
    import tensorflow as tf

    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    return loss if replicas == 1 else loss / replicas


def virtual_cpu_devices(count: int) -> None:
    """Split this machine's CPU into `count` devices, to try data-parallel code without GPUs.

    Call it before Keras' backend starts: on TensorFlow before any tensor exists, on JAX
    before `import keras` (it sets `XLA_FLAGS`). With a GPU it has no effect on where
    `data_parallel` puts the work.
    """
    count = check_positive_int("count", count, maximum=MAX_VIRTUAL_DEVICES)
    if keras.config.backend() == "tensorflow":
        import tensorflow as tf

        cpu = tf.config.list_physical_devices("CPU")[0]
        try:
            tf.config.set_logical_device_configuration(
                cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
            )
        except RuntimeError:
            raise RuntimeError(
                "virtual_cpu_devices must be called before TensorFlow starts: before any "
                f"tensor or model exists (restart the kernel first). Received: count={count}"
            ) from None
    flags = [flag for flag in os.environ.get("XLA_FLAGS", "").split()
             if not flag.startswith(XLA_DEVICE_COUNT_FLAG)]
    os.environ["XLA_FLAGS"] = " ".join([*flags, f"{XLA_DEVICE_COUNT_FLAG}={count}"])


def _no_engine(backend: str) -> str:
    return (f"data_parallel needs the TensorFlow or JAX backend; Keras' {backend} backend has "
            "no data-parallel engine. Set KERAS_BACKEND=tensorflow or jax.")
