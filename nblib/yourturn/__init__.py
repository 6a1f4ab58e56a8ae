""""Your turn": the box in which a learner types the next line of a derivation.

* :mod:`nblib.yourturn.parse` reads a typed line into a SymPy expression, safely; it needs
  no ipywidgets;
* :mod:`nblib.yourturn.widget` is the box itself (:class:`YourTurn`), checking each line
  with the worked proofs' own :class:`~nblib.proof.derivation.Derivation`;
* :mod:`nblib.yourturn.help` writes the box's help, "How to type a line", for each exercise
  from its declaration.

Modules here may import :mod:`nblib.proof` and the packages below it, never
:mod:`nblib.explore`. The notebooks import :class:`YourTurn` from this package.
"""

from nblib.yourturn.widget import YourTurn

__all__ = ["YourTurn"]
