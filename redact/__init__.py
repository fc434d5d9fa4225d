"""redact: find and mask identifying names and figures in Chinese administrative documents."""

__version__ = "0.1.0"
