"""The gradient-flow lesson in two parts: `depth` (the gradient through a deep stack) and `zigzag` (a neuron whose
inputs are all positive)."""
