def shifted_rotated(images, gen):
    """A fresh random copy of 8x8 images, labels unchanged: each shifted by up to one pixel and rotated by up to 15
    degrees about the centre (edges repeated), by an affine grid."""
    n = len(images)
    angle = (torch.rand(n, generator=gen) * 2 - 1) * math.radians(15.0)
    shift = torch.randint(-1, 2, (n, 2), generator=gen).float() * (2 / 8)    # in grid units: 2 / 8 per pixel
    cos, sin = angle.cos(), angle.sin()
    theta = torch.stack([torch.stack([cos, -sin, -shift[:, 0]], 1), torch.stack([sin, cos, -shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, [n, 1, 8, 8], align_corners=False)
    return F.grid_sample(images.reshape(n, 1, 8, 8), grid, padding_mode="border", align_corners=False).reshape(n, 64)
