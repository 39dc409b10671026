"""Temporal workflow classes only: deterministic orchestration, no I/O.

Kept free of imports on purpose: the workflow sandbox imports this package for every workflow run,
so a run of one workflow does not pay for importing the others. The worker lists them in
``workers.main.ALL_WORKFLOWS``.
"""
