"""Benchmarks: `python -m bench [name ...]` prints each one's figures and ratios next to its goals (never timed tests)."""
