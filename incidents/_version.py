"""The one version string of the package and of the data release it carries."""

__version__ = "0.2.0"
