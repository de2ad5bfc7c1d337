"""The optimizer race, in plain PyTorch: each racer a torch.optim optimizer stepping a point (x, y) down a surface."""
import torch

surface = "rosenbrock"  # one of: rosenbrock
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


def f(x, y):
    """Rosenbrock's banana: a curved, flat-bottomed valley with its minimum at (1, 1)."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


CLASSES = {"sgd": torch.optim.SGD, "momentum": torch.optim.SGD, "nesterov": torch.optim.SGD,
           "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam,
           "adamw": torch.optim.AdamW, "nadam": torch.optim.NAdam, "radam": torch.optim.RAdam,
           "adadelta": torch.optim.Adadelta, "adamax": torch.optim.Adamax}

# (the app also stops a racer that leaves the map by more than its width and draws the rest of its path as NaN;
# this loop lets it fly on)
paths = []
for key, hparams in optimizers:
    kwargs = dict(hparams)
    if "beta1" in kwargs:                               # torch takes Adam's β₁ and β₂ as one pair
        kwargs["betas"] = (kwargs.pop("beta1"), kwargs.pop("beta2"))
    if key == "nesterov":
        kwargs["nesterov"] = True
    point = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = CLASSES[key]([point], **kwargs)
    path = [point.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        f(point[0], point[1]).backward()
        opt.step()
        path.append(point.detach().clone())
    paths.append(torch.stack(path))
    x, y = path[-1].tolist()
    print(f"{key} {kwargs}: ends at ({x:.4f}, {y:.4f}), f = {f(x, y):.3g}")
