"""Data augmentation: a small digits set with and without shifts and rotations (the shared regularization run),
and a gallery of augmented digits (002 'Data Augmentation', 001 'Data augmentation')."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from nncore import data
# the run every regularization lesson shares, named here for the page
from nncore.regularization import Config, Result, notice_compare, notice_curves, run

__all__ = ["Config", "Result", "run", "notice_compare", "notice_curves", "DIGITS", "augmented_gallery"]


DIGITS = Config(dataset="digits", n_samples=300, hidden=(128,), epochs=400)   # the page's A and B start here


@lru_cache(maxsize=16)   # a page asks on every rerun; shared: read it, never change it
def augmented_gallery(seed: int = 0, digits: int = 6, copies: int = 5, max_shift: int = 1,
                      max_rotation: float = 15.0) -> np.ndarray:
    """(digits, 1 + copies, 8, 8) pixel values 0..16: each row an original digit, then augmented copies of it."""
    d = data.load("digits", 1797, seed=seed, val_fraction=0.5)
    gen = torch.Generator().manual_seed(seed)
    x = d.x_train[:digits].repeat_interleave(copies, 0)
    aug = data.augment_batch(x, gen, d.image_shape, max_shift=max_shift, max_rotation=max_rotation)
    raw = lambda t: (t * d.std + d.mean).reshape(-1, 8, 8)
    out = torch.cat([raw(d.x_train[:digits])[:, None], raw(aug).reshape(digits, copies, 8, 8)], 1).clamp(0, 16).numpy()
    out.flags.writeable = False   # cached and shared
    return out
