"""nncore.experiments.augmentation: the gallery of augmented digits."""
import numpy as np

from nncore.experiments import augmentation


def test_augmented_gallery_keeps_originals_first():
    g = augmentation.augmented_gallery(digits=3, copies=4)
    assert g.shape == (3, 5, 8, 8) and 0 <= g.min() and g.max() <= 16
    assert all(not np.allclose(g[i, 0], g[i, j]) for i in range(3) for j in range(1, 5))
