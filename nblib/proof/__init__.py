"""SymPy proof tools: checked derivations and the notation they are written in.

What belongs here: the equality test (:mod:`~nblib.proof.equality`), checked chains
(:mod:`~nblib.proof.derivation`) and claims (:mod:`~nblib.proof.claims`), symbols and
names (:mod:`~nblib.proof.symbolic`, :mod:`~nblib.proof.notation`), rewrite hints
(:mod:`~nblib.proof.rewrites`), the softmax layer in SymPy (:mod:`~nblib.proof.softmax`)
and the "Your turn" exercises (:mod:`~nblib.proof.exercise`). Nothing notebook-specific:
that is :mod:`nblib.proofs`.

What it may import: SymPy, mpmath, :mod:`nblib.numerics`, :mod:`nblib.reports` and
:mod:`nblib.network`.
"""
