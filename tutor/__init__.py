"""gd-tutor: a terminal tutor for cost functions and gradient descent."""

from __future__ import annotations

__version__ = "0.1.0"
