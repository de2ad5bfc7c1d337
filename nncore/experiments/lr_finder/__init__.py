"""The finding-the-learning-rate lesson in two parts: `sanity` (too small, just right, too large, and the 3x stop
rule) and `range_test` (Smith's LR range test)."""
