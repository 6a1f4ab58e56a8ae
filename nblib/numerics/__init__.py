"""Float64 numerics: NumPy only, stable for every finite input, every argument validated.

What belongs here: argument checks (:mod:`~nblib.numerics.validation`), activations and
costs, one neuron (:mod:`~nblib.numerics.neuron`), the softmax layer
(:mod:`~nblib.numerics.layer`) and its Jacobian (:mod:`~nblib.numerics.jacobians`), and
watching float64's warnings (:mod:`~nblib.numerics.floats`).

What it may import: NumPy and its own modules; no SymPy or mpmath, and nothing else of
:mod:`nblib` (it is the lowest layer).
"""
