"""Pretraining for transfer learning, in plain PyTorch: an MLP trained on the 8x8 digits 0-4, shifted and rotated anew
each epoch, so that its first layer learns strokes rather than the exact pixels of 0-4."""
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

width = 64
epochs = 100
lr = 0.01
seed = 0

torch.set_num_threads(1)   # a net this small trains faster on one thread, as the app runs it

# include: shift_rotate


# include: pretraining


pretrained = build(torch.Generator().manual_seed(seed))
curves = train(pretrained, source, epochs, lr, augment=True)
print(f"after {len(curves['val_acc'])} epochs on the digits 0-4: {curves['val_acc'][-1]:.1%} of the {len(source[3])} "
      f"held-out images right")
