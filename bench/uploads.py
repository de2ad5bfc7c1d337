"""Own data: checking the largest upload, reading it again on each rerun, and training on it.

Checking the largest upload a page accepts, reading a saved one on each rerun, and a run on it against the same run
on a set of the lessons.

Goals (issue 16 §5, "bounded"): the check of a 5,000-row CSV under 0.3 s (the runner's SHOW_AFTER: an upload
answers before anything flickers), against numpy's loadtxt of the same text as the reference a student would use; a
saved upload read again (every rerun checks the Config) under 1 ms; a run on a 5,000-row upload within 1.5x of the
same run on 5,000 moons (one torch thread, as a worker). Run with `python -m bench uploads`.
"""
from __future__ import annotations

import io
import os
import tempfile

import numpy as np

from bench._common import Report, best_of_each, ms, one_torch_thread

CHECK = 0.3         # s
REREAD = 0.001      # s
RUN_RATIO = 1.5


def largest_csv() -> bytes:
    """The most rows a page accepts (5,000): two inputs with 6 decimals and a 0/1 label (~105 kB)."""
    rng = np.random.default_rng(0)
    rows = np.column_stack([rng.normal(0, 1, (5000, 2)), np.arange(5000) % 2])
    return ("x1,x2,label\n" + "".join(f"{a:.6f},{b:.6f},{int(c)}\n" for a, b, c in rows)).encode()


def main(report: Report) -> None:
    os.environ.setdefault("NNLAB_UPLOADS", tempfile.mkdtemp(prefix="nnlab-bench-"))
    from nncore import regularization as reg
    from nncore import uploads
    text = largest_csv()
    report.figure("the CSV", f"{len(text) / 1000:.0f} kB, 5,000 rows")
    check, loadtxt = best_of_each([lambda: uploads.parse(text),
                                   lambda: np.loadtxt(io.BytesIO(text), delimiter=",", skiprows=1)])
    report.goal("checking it (uploads.parse)", ms(check), f"< {CHECK:g} s", check < CHECK)
    report.figure("numpy's loadtxt of the same text", ms(loadtxt))
    report.figure("check / loadtxt", f"{check / loadtxt:.1f}x")
    name = uploads.save(uploads.parse(text))
    (reread,) = best_of_each([lambda: reg.check(reg.Config(dataset=name, n_samples=5000))], repeat=20)
    report.goal("a rerun's check of the saved upload", ms(reread), f"< {REREAD * 1000:g} ms", reread < REREAD)
    with one_torch_thread():
        own, moons = best_of_each([lambda: reg.run(reg.Config(dataset=name, n_samples=5000, epochs=100)),
                                   lambda: reg.run(reg.Config(dataset="moons", n_samples=5000, epochs=100))])
    report.goal("a 100-epoch run: upload / moons (5,000 rows)", f"{own / moons:.2f}x", f"< {RUN_RATIO:g}x",
                own / moons < RUN_RATIO)


if __name__ == "__main__":
    main(Report("uploads"))
