"""`FusedAdam`: Keras' Adam, with TensorFlow's fused update kernel on TensorFlow.

Keras' Adam updates each weight with about fifteen small tensor operations. For the small
models of the lessons on a CPU, the fixed cost of each operation is a large share of a
training step on TensorFlow; its fused `ResourceApplyAdam` kernel does the same update in one.
"""

from __future__ import annotations

import keras
from keras import ops

from vaekit.checks import check_fraction, check_positive_number


@keras.saving.register_keras_serializable(package="vaekit")
class FusedAdam(keras.optimizers.Adam):
    """`keras.optimizers.Adam`, updating each weight with one fused kernel on TensorFlow.

    On TensorFlow the update is TensorFlow's `ResourceApplyAdam`: Adam (Kingma & Ba, 2015)
    with Keras' placement of `epsilon`, so the weights agree with Keras' Adam to float32
    round-off. With JAX or PyTorch, with `amsgrad=True`, for sparse gradients and under a
    `tf.distribute` strategy, it is Keras' Adam unchanged. Clipping, weight decay, schedules
    and every other option of `keras.optimizers.Adam` work as there.

    Args:
        learning_rate: a number > 0, or a `keras.optimizers.schedules.LearningRateSchedule`.
        beta_1, beta_2: decay rates of the moment estimates, in [0, 1).
        epsilon: a number > 0 added to the root of the second moment.
        **kwargs: the other arguments of `keras.optimizers.Adam`.

    Example:

    >>> vae.compile(optimizer=FusedAdam(1e-3))  # doctest: +SKIP
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 **kwargs):
        if not isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
            learning_rate = check_positive_number("learning_rate", learning_rate)
        super().__init__(
            learning_rate=learning_rate,
            beta_1=check_fraction("beta_1", beta_1, allow_zero=True),
            beta_2=check_fraction("beta_2", beta_2, allow_zero=True),
            epsilon=check_positive_number("epsilon", epsilon), **kwargs,
        )

    def update_step(self, gradient, variable, learning_rate):
        """Update `variable` (any shape) from its `gradient` (same shape)."""
        if not self._fuses(gradient):
            return super().update_step(gradient, variable, learning_rate)
        import tensorflow as tf

        index = self._get_variable_index(variable)
        dtype = variable.dtype

        def as_dtype(value):
            return ops.cast(value, dtype)

        step = as_dtype(self.iterations + 1)
        tf.raw_ops.ResourceApplyAdam(
            var=variable.handle, m=self._momentums[index].handle,
            v=self._velocities[index].handle,
            beta1_power=ops.power(as_dtype(self.beta_1), step),
            beta2_power=ops.power(as_dtype(self.beta_2), step),
            lr=as_dtype(learning_rate), beta1=as_dtype(self.beta_1),
            beta2=as_dtype(self.beta_2), epsilon=as_dtype(self.epsilon),
            grad=as_dtype(gradient),
        )

    def _fuses(self, gradient) -> bool:
        """Whether this update runs as TensorFlow's fused kernel."""
        if keras.config.backend() != "tensorflow" or self.amsgrad:
            return False
        import tensorflow as tf

        return not isinstance(gradient, tf.IndexedSlices) and not tf.distribute.has_strategy()

