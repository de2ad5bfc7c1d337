"""The layering rules of DESIGN.md 1, checked in fresh interpreters, and app.py's course map against pages/."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "streamlit", "plotly")

# Runs in a fresh interpreter: imports the given modules one by one and says which heavy package each one
# pulled in first, so a failure names the module that broke the rule.
_PROBE = """
import importlib, json, sys
heavy = {heavy!r}
loaded, pulled = set(), {{}}
for name in {modules!r}:
    importlib.import_module(name)
    now = {{h for h in heavy if h in sys.modules}}
    for h in sorted(now - loaded):
        pulled[h] = name
    loaded |= now
print(json.dumps(pulled))
"""


def _first_importers(modules: list[str]) -> dict[str, str]:
    """{heavy package: first module (of `modules`, imported in order) that pulled it in}, in a fresh interpreter."""
    code = _PROBE.format(heavy=HEAVY, modules=modules)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, f"importing {modules} failed:\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _engine_modules() -> list[str]:
    """Every building block nncore/*.py and every experiment module under nncore/experiments/ (discovered)."""
    blocks = [f"nncore.{p.stem}" for p in sorted((ROOT / "nncore").glob("*.py")) if p.stem != "__init__"]
    experiments = ["nncore.experiments"] + [
        "nncore.experiments." + ".".join(p.relative_to(ROOT / "nncore" / "experiments").with_suffix("").parts)
        for p in sorted((ROOT / "nncore" / "experiments").rglob("*.py")) if p.stem != "__init__"]
    return blocks + experiments


def test_discovery_finds_the_engine():
    modules = _engine_modules()
    assert "nncore.experiments.init_stats" in modules and "nncore.params" in modules, modules


def test_importing_nncore_alone_is_light():
    pulled = _first_importers(["nncore"])
    assert pulled == {}, f"`import nncore` pulled in {sorted(pulled)}: nncore/__init__.py must import nothing heavy"


def test_engine_imports_neither_streamlit_nor_plotly():
    pulled = _first_importers(_engine_modules())
    bad = {h: m for h, m in pulled.items() if h in ("streamlit", "plotly")}
    assert not bad, "the engine (nncore/*.py, nncore/experiments) must run without the UI or the charts: " + \
        ", ".join(f"{m} pulled in {h}" for h, m in bad.items())


def test_viz_imports_neither_streamlit_nor_torch():
    pulled = _first_importers(["nncore.viz"])
    bad = {h: m for h, m in pulled.items() if h in ("streamlit", "torch")}
    assert not bad, f"nncore.viz must build figures from saved Results without torch or streamlit: pulled in {sorted(bad)}"


# --- the course map in app.py ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lessons():
    import app  # defines COURSE only; the app itself runs under `streamlit run` (__main__)
    return [lesson for section in app.COURSE.values() for lesson in section]


def test_every_page_is_in_the_course(lessons):
    registered = {Path(lesson.file).as_posix() for lesson in lessons}
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")}
    assert on_disk, "pages/ holds no lesson"
    assert not on_disk - registered, f"pages missing from app.COURSE: {sorted(on_disk - registered)}"


def test_every_lesson_file_exists(lessons):
    missing = [lesson.file for lesson in lessons if not (ROOT / lesson.file).is_file()]
    assert not missing, f"app.COURSE names files that do not exist: {missing}"


def test_url_paths_are_unique_and_equal_the_file_stems(lessons):
    paths = [lesson.url_path for lesson in lessons]
    assert len(paths) == len(set(paths)), f"duplicate url_path in app.COURSE: {sorted(paths)}"
    other = [lesson.file for lesson in lessons if lesson.url_path != Path(lesson.file).stem]
    assert not other, ("url_path must be the file's stem: on a fresh server the first deep link is run by "
                       f"Streamlit's legacy pages/ router and nncore/ui/routing.py reruns it by that name: {other}")


def test_course_sections_follow_the_course():
    import app
    assert list(app.COURSE)[:5] == ["Foundations", "Optimization", "Regularization", "Diagnostics", "Architectures"]
