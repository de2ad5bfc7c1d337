class Maxout(nn.Module):
    """Maxout with k pieces on each unit's input z: max_i (a_i z + b_i), the slopes and intercepts learned, starting
    as softplus' two asymptotes (0 and z) and k - 2 of its tangents between, slopes 0..1 (k = 2: max(0, z), ReLU
    exactly)."""

    def __init__(self, k=2):
        super().__init__()
        slopes = torch.linspace(0.0, 1.0, k)
        inner = slopes[1:-1]
        x0 = torch.log(inner / (1 - inner))                # where softplus' slope, sigmoid(x0), is a_i
        intercepts = torch.cat([torch.zeros(1), nn.functional.softplus(x0) - inner * x0, torch.zeros(1)])
        self.slope, self.intercept = nn.Parameter(slopes[None]), nn.Parameter(intercepts[None])

    def forward(self, z):
        return (z.unsqueeze(-1) * self.slope + self.intercept).amax(dim=-1)
