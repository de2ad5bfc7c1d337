"""The optimizer race, in plain PyTorch: each racer a torch.optim optimizer stepping a point (x, y) down a surface."""
import math

import torch

surface = "rosenbrock"  # one of: bowl, ravine, rosenbrock, beale, himmelblau, saddle, plateau, camel, rastrigin
start = (-1.5, 2.0)
steps = 500
# each racer: (optimizer, its hyperparameters)
optimizers = (
    ('sgd', (('lr', 0.001),)),
    ('momentum', (('lr', 0.001), ('momentum', 0.9))),
    ('nesterov', (('lr', 0.001), ('momentum', 0.9))),
    ('adagrad', (('lr', 0.5),)),
    ('rmsprop', (('alpha', 0.99), ('lr', 0.01))),
    ('adam', (('beta1', 0.9), ('beta2', 0.999), ('lr', 0.05))),
)
noise = 0.0
seed = 0
condition = 10.0


def bowl(x, y):
    """An ill-conditioned bowl: curvature 1 along u, `condition` across it, (u, v) = (x, y) rotated by 30 degrees."""
    a = math.radians(30.0)
    u, v = math.cos(a) * x + math.sin(a) * y, -math.sin(a) * x + math.cos(a) * y
    return 0.5 * (u**2 + condition * v**2)


def ravine(x, y):
    """A long narrow valley along x (curvatures 0.02 and 10): descent zig-zags across it."""
    return 0.01 * x**2 + 5.0 * y**2


def rosenbrock(x, y):
    """Rosenbrock's banana: a curved, flat-bottomed valley with its minimum at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def beale(x, y):
    """Beale: flat plains and very steep walls, the minimum at (3, 0.5)."""
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def himmelblau(x, y):
    """Himmelblau: four equally good minima."""
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def saddle(x, y):
    """A saddle point at the origin (zero gradient, not a minimum); the minima at (0, ±√2)."""
    return x**2 - y**2 + 0.25 * y**4


def plateau(x, y):
    """Almost flat far from the well at the origin: tiny gradients."""
    return 1 - torch.exp(-(x**2 + y**2) / 0.5)


def camel(x, y):
    """The six-hump camel: six local minima, two of them global."""
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def rastrigin(x, y):
    """Rastrigin: a bowl covered in ripples, a local minimum near every integer point."""
    return 20 + x**2 - 10 * torch.cos(2 * math.pi * x) + y**2 - 10 * torch.cos(2 * math.pi * y)


# each surface and its map (x_min, x_max, y_min, y_max)
f, (x0, x1, y0, y1) = {
    "bowl": (bowl, (-3.0, 3.0, -3.0, 3.0)), "ravine": (ravine, (-10.0, 10.0, -3.0, 3.0)),
    "rosenbrock": (rosenbrock, (-2.0, 2.0, -1.0, 3.0)), "beale": (beale, (-4.5, 4.5, -4.5, 4.5)),
    "himmelblau": (himmelblau, (-5.0, 5.0, -5.0, 5.0)), "saddle": (saddle, (-2.5, 2.5, -2.5, 2.5)),
    "plateau": (plateau, (-3.0, 3.0, -3.0, 3.0)), "camel": (camel, (-2.0, 2.0, -1.2, 1.2)),
    "rastrigin": (rastrigin, (-5.12, 5.12, -5.12, 5.12))}[surface]
# a racer that leaves the map by more than its width (or becomes NaN) has diverged: it stops there, the rest of its
# path is NaN
center = torch.tensor([(x0 + x1) / 2, (y0 + y1) / 2], dtype=torch.float64)
reach = torch.tensor([(x1 - x0) * 1.5, (y1 - y0) * 1.5], dtype=torch.float64)
# a stochastic gradient (SGD instead of full-batch GD): N(0, noise²) added to each step's gradient, the same draws for
# every racer
gen = torch.Generator().manual_seed(seed)
noise_k = noise * torch.randn(steps, 2, generator=gen, dtype=torch.float64)

CLASSES = {"sgd": torch.optim.SGD, "momentum": torch.optim.SGD, "nesterov": torch.optim.SGD,
           "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam,
           "adamw": torch.optim.AdamW, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
           "adadelta": torch.optim.Adadelta, "adamax": torch.optim.Adamax}

paths = []
for key, hparams in optimizers:
    kwargs = dict(hparams)
    if "beta1" in kwargs:                               # torch takes Adam's β₁ and β₂ as one pair
        kwargs["betas"] = (kwargs.pop("beta1"), kwargs.pop("beta2"))
    if key == "nesterov":
        kwargs["nesterov"] = True
    point = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = CLASSES[key]([point], **kwargs)
    path = torch.full((steps + 1, 2), math.nan, dtype=torch.float64)
    path[0] = point.detach()
    for k in range(steps):
        opt.zero_grad()
        f(point[0], point[1]).backward()
        if noise:
            point.grad += noise_k[k]
        opt.step()
        path[k + 1] = point.detach()
        if not ((path[k + 1] - center).abs() <= reach).all():
            print(f"{key} {kwargs}: diverged at step {k + 1}")
            break
    paths.append(path)
    x, y = path[k + 1]
    print(f"{key} {kwargs}: ends at ({x:.4f}, {y:.4f}), f = {f(x, y):.3g}")
