"""Networks in float64: :class:`~nblib.network.network.Network` and what it trains on.

What belongs here: the network and its backpropagation (:mod:`~nblib.network.network`),
its output activations and costs beside their δ (:mod:`~nblib.network.costs`), seeded data
sets (:mod:`~nblib.network.datasets`) and the fast training loops the explorers draw
(:mod:`~nblib.network.curves`).

What it may import: :mod:`nblib.numerics` and :mod:`nblib.reports`; no SymPy or mpmath.
"""
