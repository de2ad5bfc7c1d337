"""004's loss comparison, in plain PyTorch: the red-wine net trained by Adam (lr 1e-3) with MAE, MSE and Huber
(δ = 1), each measured by the validation MAE, so that the three are on one scale."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

epochs = 40
seed = 0

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it
# include: wines

runs = {name: train_wines(fn, 1e-3) for name, fn in (("mae", F.l1_loss), ("mse", F.mse_loss), ("huber", F.huber_loss))}
print(f"validation MAE after {epochs} epochs (predicting the mean: {baseline_mae:.3f}):",
      {name: round(run["val_mae"][-1], 3) for name, run in runs.items()})
