"""vaekit: from PCA to variational autoencoders, with Keras 3."""

__version__ = "0.1.0"
