"""vaekit: from PCA to variational autoencoders, with Keras 3."""

from vaekit.backend_logs import import_keras

import_keras()  # first, so that TF_CPP_MIN_LOG_LEVEL also silences TensorFlow's start-up lines

# Importing these registers every custom Keras object, so that `import vaekit` is enough for
# `keras.models.load_model` to find `VAE`, `ConditionalVAE`, `Autoencoder`, `Sampling`, the
# losses and `FusedAdam`.
from vaekit import conditional, layers, losses, models, optimizers  # noqa: E402, F401

__version__ = "0.1.0"
