"""What every benchmark shares: best-of-N timing after a warm-up, and one printed line per goal."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator


def best_of(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """The fastest of `repeat` timed calls after `warmup` untimed ones, in seconds (the least disturbed run)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_each(fns: list[Callable[[], object]], repeat: int = 3, warmup: int = 1) -> list[float]:
    """Best-of-`repeat` seconds for each function, timed in alternation, so that a ratio between them compares
    runs that saw the same background load (the machine is shared)."""
    for fn in fns:
        for _ in range(warmup):
            fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


@dataclass
class Report:
    """Figures (printed as they come) and goals (PASS/MISS); `misses` counts the goals not met."""

    name: str
    misses: int = 0
    goals: int = 0

    def figure(self, what: str, value: str) -> None:
        print(f"  {what:<52} {value:>14}", flush=True)

    def goal(self, what: str, value: str, goal: str, ok: bool) -> None:
        self.goals += 1
        self.misses += not ok
        print(f"  {what:<52} {value:>14}   goal {goal:<9} {'PASS' if ok else 'MISS'}", flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms"


def plain_epochs(model, opt, data, batch_size: int | None, epochs: int, seed: int = 0) -> list[float]:
    """What a student writes, as the reference for nncore.training: minibatches from a seeded permutation,
    cross-entropy, zero_grad/backward/step, then validation loss and accuracy; one torch thread like the engine's
    small runs. Seconds per epoch. (`data`: an nncore.data.Data; batch_size None: full batch.)"""
    import torch
    import torch.nn.functional as F

    from nncore import training
    x, y, n = data.x_train, data.y_train, len(data.x_train)
    gen, times = torch.Generator().manual_seed(seed), []
    with training.single_thread(True):
        for _ in range(epochs):
            start = time.perf_counter()
            model.train()
            order = torch.randperm(n, generator=gen) if batch_size else None
            for lo in range(0, n, batch_size or n):
                xb, yb = (x, y) if order is None else (x[order[lo:lo + batch_size]], y[order[lo:lo + batch_size]])
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                out = model(data.x_val)
                F.cross_entropy(out, data.y_val).item(), (out.argmax(1) == data.y_val).float().mean().item()
            times.append(time.perf_counter() - start)
    return times


@contextmanager
def one_torch_thread() -> Iterator[None]:
    """Time as a worker process runs: one torch thread (restored after)."""
    import torch
    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(saved)
