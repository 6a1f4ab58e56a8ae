"""The book as a whole: the catalogue of notebooks, the index's tally, the errata page.

What belongs here: :mod:`~nblib.book.catalogue` (every notebook in order, and a tally made
by running every proof) and :mod:`~nblib.book.errata` (the sources' wrong lines and
imprecise claims, gathered from the proofs).

What it may import: :mod:`nblib.proofs` and every package below it; not
:mod:`nblib.yourturn` or :mod:`nblib.explore`.
"""
