"""The loss-curve gallery: each pathology's pair of runs (faulty + fixed), and the card from the cache.

Goals (issue 13): each pathology pair under 3 s (the dropout card's k-fold check included; one torch thread, as a
worker; best-of-3 after a warm-up), and cached, so the gallery opens in under 1 s after the first visit: the page in
AppTest in this process (NNLAB_WORKERS=0), first visit of a card and a second visit of the same link (run and
figures from the cache).
Run with `python -m bench loss_curves`.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from bench._common import Report, best_of, ms, one_torch_thread

ROOT = Path(__file__).resolve().parents[1]
PAIR = 3.0           # s: one pathology's faulty and fixed run
CACHED = 1.0         # s: a card again, after the first visit


def visit(**query: str) -> float:
    """Seconds for one render of the page at a link, in AppTest."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "pages" / "loss_curves.py"), default_timeout=600)
    at.query_params.update(query)
    start = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError([e.message for e in at.exception])
    return time.perf_counter() - start


def main(report: Report) -> None:
    from nncore.experiments import loss_curves as lc
    os.environ.setdefault("NNLAB_WORKERS", "0")
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with one_torch_thread():
        for key in lc.PATHOLOGIES:
            t = best_of(lambda: lc.run(lc.Config(key)), repeat=3)
            report.goal(f"{key}: faulty + fixed run (1 thread)", ms(t), f"< {PAIR:g} s", t < PAIR)
        entry = lc.PATHOLOGIES["val_above_train"]
        report.figure(f"of which the k-fold check ({lc.FOLDS} folds, 1 thread)",
                      ms(best_of(lambda: lc.kfold(entry.fixed, 0), repeat=3)))
    first, again = visit(pathology="overfitting"), visit(pathology="overfitting")
    report.figure("first visit of the overfitting card (run + 2 figures)", ms(first))
    report.goal("the same card again (cached run and figures)", ms(again), f"< {CACHED:g} s", again < CACHED)


if __name__ == "__main__":
    main(Report("loss_curves"))
