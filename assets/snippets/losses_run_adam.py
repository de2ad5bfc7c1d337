"""Does Adam need no learning rate? (004), in plain PyTorch: the red-wine net trained by Adam with MAE at 1e-5, 1e-3
and 1, its training and validation MAE per epoch."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

epochs = 40
seed = 0

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: wines

runs = {lr: train_wines(F.l1_loss, lr) for lr in (1e-5, 1e-3, 1.0)}
print(f"validation MAE after {epochs} epochs (predicting the mean: {baseline_mae:.3f}):",
      {lr: round(run["val_loss"][-1], 3) for lr, run in runs.items()})
