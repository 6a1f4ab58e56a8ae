"""Networks in float64: :class:`~nblib.network.network.Network` and what it trains on.

What belongs here: the network with the package's one forward pass and backpropagation
(:mod:`~nblib.network.network`), its output activations and costs beside their δ
(:mod:`~nblib.network.costs`), data sets: seeded ones and the vendored handwritten digits
(:mod:`~nblib.network.datasets`), the training runs the explorers draw, made by the same
network (:mod:`~nblib.network.curves`), and the chapter's experiment on real digits
(:mod:`~nblib.network.experiment`).

What it may import: :mod:`nblib.numerics` and :mod:`nblib.reports`; no SymPy or mpmath.
"""
