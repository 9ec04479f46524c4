"""Train the lesson VAE on one device and on several, from the same start; print both as JSON.

    KERAS_BACKEND=jax python scripts/data_parallel.py --virtual-cpus 2   # no GPU: split the CPU
    KERAS_BACKEND=tensorflow python scripts/data_parallel.py             # every GPU it sees

Both runs start from the same weights, see the same images in the same order with the same
global batch size, and report `loss`, `reconstruction_loss` and `kl_loss` in nats per image:
after `--epochs` of training, and for one set of weights evaluated both ways. On TensorFlow
each replica draws its own share of the sampling noise, so the two runs agree closely, not
exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
LOSSES = ("loss", "reconstruction_loss", "kl_loss")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--virtual-cpus", type=int, default=0,
                        help="split the CPU into this many devices (0: use the devices there are)")
    parser.add_argument("--examples", type=int, default=2048, help="training images")
    parser.add_argument("--batch-size", type=int, default=128, help="global batch size")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    import vaekit  # noqa: F401, I001  (first, so Keras starts without TensorFlow's log lines)
    import keras

    from vaekit.data import load_mnist
    from vaekit.models import build_vae
    from vaekit.parallel import accelerator_or_cpu_devices, data_parallel, virtual_cpu_devices

    if args.virtual_cpus:
        virtual_cpu_devices(args.virtual_cpus)  # before the backend starts
    mnist = load_mnist("subset", max_train_examples=args.examples, max_test_examples=1000,
                       seed=args.seed, warn_on_fallback=False)

    def trained_vae():
        keras.utils.set_random_seed(args.seed)
        vae = build_vae(latent_dim=2, seed=args.seed)
        # Plain SGD: a gradient scaled by the number of replicas would change its steps
        # (Adam would hide such a scale).
        vae.compile(optimizer=keras.optimizers.SGD(args.learning_rate))
        start = [weight.copy() for weight in vae.get_weights()]
        history = vae.fit(mnist.x_train, epochs=args.epochs, batch_size=args.batch_size,
                          shuffle=False, verbose=0)
        return vae, start, {name: history.history[name][-1] for name in LOSSES}

    devices = accelerator_or_cpu_devices()
    one_vae, one_start, one_fit = trained_vae()
    keras.utils.set_random_seed(args.seed)
    one_evaluate = one_vae.evaluate(mnist.x_test, batch_size=args.batch_size, verbose=0,
                                    return_dict=True)
    with data_parallel(devices) as replicas:
        parallel_vae, parallel_start, parallel_fit = trained_vae()
        same_weights = build_vae(latent_dim=2, seed=args.seed)
        same_weights.compile(optimizer="sgd")
        same_weights.set_weights(one_vae.get_weights())
        keras.utils.set_random_seed(args.seed)
        parallel_evaluate = same_weights.evaluate(mnist.x_test, batch_size=args.batch_size,
                                                  verbose=0, return_dict=True)
    pairs = zip(one_start, parallel_start, one_vae.get_weights(), parallel_vae.get_weights(),
                strict=True)
    moved, apart, start_apart = 0.0, 0.0, 0.0
    for start_one, start_parallel, end_one, end_parallel in pairs:
        moved = max(moved, float(abs(end_one - start_one).max()))
        apart = max(apart, float(abs(end_one - end_parallel).max()))
        start_apart = max(start_apart, float(abs(start_one - start_parallel).max()))
    return {
        "backend": keras.config.backend(),
        "devices": devices,
        "replicas": replicas,
        "examples": args.examples,
        "batch_size": args.batch_size,
        "epochs": args.epochs,
        "fit": {"one_device": one_fit, "data_parallel": parallel_fit},
        "evaluate_same_weights": {
            "one_device": {name: one_evaluate[name] for name in LOSSES},
            "data_parallel": {name: parallel_evaluate[name] for name in LOSSES},
        },
        "weights": {"start_difference": start_apart, "largest_step": moved,
                    "end_difference": apart},
    }


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout, indent=2)
    print()
