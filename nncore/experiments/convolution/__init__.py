"""The convolution lesson in two parts: `arithmetic` (connectivity, output sizes, the sliding window, pooling,
receptive fields: instant) and `shift` (a small CNN and an MLP trained on the 8x8 digits, tested on shifted digits)."""
