"""The universal-approximation lesson in two parts: `relu_sum` (001's Z(x), six ReLU units summed term by term) and
`fit` (a one-hidden-layer ReLU net trained on a chosen 1-D function, each hidden unit's piece shown)."""
