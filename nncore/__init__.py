"""nncore: the experiments of the lectures on training neural networks, on PyTorch.

Importing this package is cheap: nothing heavy is imported here. Use the layers directly:
building blocks (`nncore.activations`, `nncore.inits`, ...), experiments
(`nncore.experiments.weight_init`), figures (`nncore.viz`) and the Streamlit layer (`nncore.ui`).
"""
