"""The universal-approximation lesson: the page's defaults (001's Z(x) and the one-hidden-layer fit), the fit against a
plain torch loop, the largest fit the page allows, and the JSON size of each figure.

Goals (issue 15): the page at its defaults under 3 s of compute (one torch thread, as a worker; best-of-3 after a
warm-up; the fit streams progress), each figure under 300 kB. Run with `python -m bench universal_approximation`.
"""
from __future__ import annotations

from bench._common import Report, best_of, best_of_each, ms, one_torch_thread

PAGE = 3.0          # s: Z(x) and the fit at the defaults
FIGURE = 300_000    # bytes of JSON


def plain_fit(cfg) -> float:
    """What a student writes: the same net, data and Adam steps, zero_grad/backward/step, no validation."""
    import numpy as np
    import torch
    import torch.nn.functional as F

    from nncore.experiments.universal_approximation import fit
    model = fit.build(cfg.width, cfg.seed)
    x = torch.linspace(-1, 1, fit.SAMPLES)[:, None]
    y = fit.TARGETS[cfg.target].fn(x.numpy().astype(np.float64))
    y = torch.tensor((y - y.mean()) / y.std(), dtype=torch.float32)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    for _ in range(cfg.steps):
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    return loss.item()


def main(report: Report) -> None:
    from nncore import viz
    from nncore.experiments.universal_approximation import fit, relu_sum
    defaults, widest = fit.Config(), fit.Config(width=128, steps=3000)
    with one_torch_thread():
        t = best_of(lambda: (relu_sum.run(relu_sum.Config()), fit.run(defaults)), repeat=3)
        report.goal("the page at its defaults: Z(x) + the fit (1 thread)", ms(t), f"< {PAGE:g} s", t < PAGE)
        engine, plain = best_of_each([lambda: fit.run(defaults), lambda: plain_fit(defaults)])
        report.figure("the fit: a plain torch loop, same steps (1 thread)", ms(plain))
        report.figure("  engine / plain (validation + history per step)", f"{engine / plain:.2f}x")
        t = best_of(lambda: fit.run(widest), repeat=1)
        report.figure("the largest fit: 128 units, 3000 steps (1 thread)", ms(t))
    z, result = relu_sum.run(relu_sum.Config()), fit.run(widest)
    for name, fig in (("relu_units", viz.relu_units(z)), ("approximation_fit, 128 units", viz.approximation_fit(result)),
                      ("approximation_loss, 3000 steps", viz.approximation_loss(result))):
        size = len(fig.to_json())
        report.goal(f"figure {name}: JSON", f"{size / 1000:.0f} kB", f"< {FIGURE // 1000} kB", size < FIGURE)


if __name__ == "__main__":
    main(Report("universal_approximation"))
