"""How long runs report progress: a callback gets a Progress and may return False to stop the run."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional


@dataclass(frozen=True)
class Progress:
    """Where a run is: `done` of `total` units of work, a short message, and optional partial results."""

    done: int
    total: int
    message: str = ""
    partial: Any = None

    @property
    def fraction(self) -> float:
        """Share of the work done, in [0, 1]."""
        return min(1.0, self.done / self.total) if self.total else 1.0


OnProgress = Optional[Callable[[Progress], Optional[bool]]]


def report(on_progress: OnProgress, done: int, total: int, message: str = "", partial: Any = None) -> bool:
    """Send progress if anyone listens; True if the run should go on, False if the listener asked to stop."""
    if on_progress is None:
        return True
    return on_progress(Progress(done, total, message, partial)) is not False
