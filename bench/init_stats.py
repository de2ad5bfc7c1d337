"""Weight initialization (nncore.experiments.init_stats): the lecture's workload, the GEMM limit, the page."""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from bench._common import Report, best_of, best_of_each, ms
from nncore.experiments import init_stats
from nncore.experiments.init_stats import Config

LECTURE = Config(samples=10000)   # 003: 10 layers x 500 units, 10,000 samples, tanh, N(0, 0.01^2)


def lecture_003(cfg: Config = LECTURE) -> tuple[np.ndarray, np.ndarray]:
    """003's numpy code as a student runs it (forward, per-layer mean and std; no plotting)."""
    n_layers, n_neurons, n_samples = cfg.depth, cfg.width, cfg.samples
    D = np.random.randn(n_samples, n_neurons)
    n_neurons_by_layer = [n_neurons] * n_layers
    act = {'relu': lambda x: np.maximum(0, x), 'tanh': lambda x: np.tanh(x)}
    Hs = np.zeros((n_samples, n_neurons, n_layers))
    for i in range(n_layers):
        X = D if i == 0 else Hs[..., i - 1]
        fan_in = X.shape[-1]
        fan_out = n_neurons_by_layer[i]
        W = np.random.randn(fan_in, fan_out) * 1e-2
        H = X.dot(W)
        H = act['tanh'](H)
        Hs[..., i] = H
    return Hs.mean(axis=(0, 1)), Hs.std(axis=(0, 1))


def gemm_rates() -> tuple[Callable[[], object], Callable[[], object], float, float]:
    """Two big float32 matmuls (a square 4096 GEMM and the workload's shape) and their FLOP counts."""
    a, b = torch.randn(4096, 4096), torch.randn(4096, 4096)
    x, w = torch.randn(LECTURE.samples, LECTURE.width), torch.randn(LECTURE.width, LECTURE.width)
    return (lambda: a @ b), (lambda: x @ w.T), 2.0 * 4096**3, 2.0 * LECTURE.samples * LECTURE.width**2


def forward_stats(cfg: Config = LECTURE) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    """The engine's forward pass with its per-layer mean and std only (no histograms, saturation or backward),
    on a net and data built beforehand: the part that the ten matmuls bound."""
    layers = init_stats.build(cfg)
    x, _ = init_stats.inputs(cfg)

    def forward() -> tuple[np.ndarray, np.ndarray]:
        with torch.inference_mode():
            stats = [init_stats._mean_std(a) for a in init_stats._outputs(layers, x)]
        return np.array([m for m, _ in stats]), np.array([s for _, s in stats])
    return forward


def page_figures(result: init_stats.Result) -> list:
    """The four figures pages/weight_init.py draws for one run."""
    from nncore import viz
    return [viz.layer_stats([result]), viz.layer_histograms(result), viz.gradient_stds([result]),
            viz.unit_health([result])]


def cached_rerun_seconds() -> tuple[float, float]:
    """A warm rerun of the page (AppTest: script, widgets, charts) and the cached run() call alone, in seconds."""
    from pathlib import Path

    import streamlit.logger
    streamlit.logger.set_log_level("error")   # the "no runtime" warnings of calling the cached function directly
    from streamlit.testing.v1 import AppTest

    from nncore.ui import runner
    page = Path(__file__).resolve().parents[1] / "pages" / "weight_init.py"
    at = AppTest.from_file(str(page), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    rerun = best_of(at.run, repeat=5)
    cfg, fn = Config(), init_stats.run
    cached = best_of(lambda: runner._cached(f"{fn.__module__}.{fn.__qualname__}", cfg, fn, None), repeat=20)
    return rerun, cached


def main(report: Report) -> None:
    # 1. The lecture's workload: everything the page shows vs the lecture's numpy code (forward statistics only)
    full, numpy_code = best_of_each([lambda: init_stats.run(LECTURE), lecture_003], repeat=3)
    report.figure("003's numpy code, 10x500, 10,000 samples, tanh", ms(numpy_code))
    report.figure("run(Config(samples=10000)), everything the page shows", ms(full))
    report.goal("speed-up of run() over the lecture's code", f"{numpy_code / full:.1f}x", ">= 5x",
                numpy_code / full >= 5)
    threads = torch.get_num_threads()
    if threads > 1:   # on a busy machine, OpenMP's barriers can cost more than the second thread gains
        torch.set_num_threads(1)
        try:
            one = best_of(lambda: init_stats.run(LECTURE), repeat=3)
        finally:
            torch.set_num_threads(threads)
        report.figure(f"  the same run() on 1 torch thread (vs {threads})", ms(one))

    # 2. The forward statistics alone vs the ten matmuls at this machine's GEMM rate (measured alongside)
    square, shaped, square_flop, shaped_flop = gemm_rates()
    forward, t_square, t_shaped = best_of_each([forward_stats(), square, shaped], repeat=7)
    rate = max(square_flop / t_square, shaped_flop / t_shaped)
    matmuls = init_stats.flops(LECTURE) / rate
    report.figure("float32 GEMM rate (best of 4096² and 10000x500x500)", f"{rate / 1e9:,.0f} GFLOP/s")
    report.figure("ten 10000x500x500 matmuls at that rate", ms(matmuls))
    report.figure("forward pass + per-layer mean/std (net, data built)", ms(forward))
    report.goal("forward statistics / GEMM-limit time", f"{forward / matmuls:.2f}x", "<= 1.5x",
                forward / matmuls <= 1.5)

    # 3. The page at its defaults: the first run, a warm (cached) rerun
    default = best_of(lambda: init_stats.run(Config()), repeat=7)
    report.goal("run(Config()), the page at its defaults", ms(default), "< 300 ms", default < 0.3)
    rerun, cached = cached_rerun_seconds()
    report.goal("warm rerun of pages/weight_init.py (AppTest)", ms(rerun), "< 50 ms", rerun < 0.05)
    result = init_stats.run(Config())
    report.figure("  of it: the cached run() (st.cache_data hit)", ms(cached))
    cold = best_of(lambda: page_figures(result), repeat=5)
    report.figure("  building the four figures cold (reruns reuse them)", ms(cold))

    # 4. What the browser receives
    size = sum(len(fig.to_json()) for fig in page_figures(result))
    report.goal("the page's four Plotly figures, JSON", f"{size / 1e3:,.1f} kB", "< 300 kB", size < 300e3)
