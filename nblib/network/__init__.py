"""Networks in float64: :class:`~nblib.network.network.Network` and what it trains on.

What belongs here: the network with the package's one forward pass and backpropagation
(:mod:`~nblib.network.network`), its output activations and costs beside their δ
(:mod:`~nblib.network.costs`), seeded data sets (:mod:`~nblib.network.datasets`) and the
training runs the explorers draw, made by the same network (:mod:`~nblib.network.curves`).

What it may import: :mod:`nblib.numerics` and :mod:`nblib.reports`; no SymPy or mpmath.
"""
