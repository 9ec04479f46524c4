"""vaekit: from PCA to variational autoencoders, with Keras 3."""

# Importing these registers every custom Keras object, so that `import vaekit` is enough for
# `keras.models.load_model` to find `VAE`, `ConditionalVAE`, `Autoencoder`, `Sampling` and
# the losses.
from vaekit import conditional, layers, losses, models  # noqa: F401

__version__ = "0.1.0"
