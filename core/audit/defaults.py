"""The audit's size defaults and bounds.

A light module: the CLI's parser and the Privacy page show them without importing the attack
(scikit-learn, Numba).
"""

DEFAULT_TARGETS = 10
DEFAULT_BUDGET_S = 240.0
DEFAULT_SHADOW_ROWS = 1_000
MIN_SHADOWS, MAX_SHADOWS = 8, 200
