"""Mutation testing of the domain: how many deliberate small bugs the fast tests catch.

`python3 dev.py mutate` runs mutmut over engine, keywords, understanding, loader and
lint, against the tests marked `domain` only, and prints the share of mutants killed
per area. It is a measure, like a benchmark, not part of every test run.
"""
