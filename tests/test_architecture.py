"""The layering rules of DESIGN.md 1, checked in fresh interpreters, and app.py's course map against pages/."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
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
    assert "nncore.experiments.weight_init" in modules and "nncore.params" in modules, modules


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
    assert list(app.COURSE)[:6] == ["Foundations", "Optimization", "Data and losses", "Regularization", "Diagnostics",
                                    "Architectures"]


# --- what each layer imports, read from the source (ast) ------------------------------------------------------
# The fresh interpreters above see only the imports a module makes when it is imported; these rules also see the
# imports inside functions (a lazy `import torch` in a viz builder) and name the file and line that broke one.

# all of nncore a layer may import at run time (pages and app.py: the three packages DESIGN.md 3's template uses; the
# charts: each other, naming Result types only under TYPE_CHECKING), and what it may not import anywhere, lazily
# included (DESIGN.md 1): pages do no numerics and no Plotly styling, the engine runs without the UI or the charts,
# the charts are drawn from saved Results without torch or streamlit
NNCORE_ALLOWED = {"page": ("nncore.ui", "nncore.viz", "nncore.experiments"), "viz": ("nncore.viz", "nncore.i18n")}
FORBIDDEN = {
    "page": ("torch", "plotly", "numpy"),
    "viz": ("torch", "streamlit"),
    "experiment": ("streamlit", "plotly", "nncore.ui", "nncore.viz"),
    "block": ("streamlit", "plotly", "nncore.ui", "nncore.viz", "nncore.experiments"),
}


@dataclass(frozen=True)
class Import:
    line: int
    module: str   # absolute and dotted; `from a import b` gives "a.b" (b may be a module or a name in a)


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def imports(source: str, package: str) -> list[Import]:
    """Every import in `source` at any depth (in functions too), relative ones resolved against `package`; not
    those under `if TYPE_CHECKING:`, which name types for the reader and import nothing at run time."""
    found: list[Import] = []

    def visit(node: ast.AST) -> None:
        children = node.orelse if _type_checking(node) else list(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found.extend(Import(node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.extend(Import(node.lineno, base if alias.name == "*" else f"{base}.{alias.name}")
                         for alias in node.names)
        for child in children:
            visit(child)

    visit(ast.parse(source))
    return found


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_problems(layer: str, module: str, source: str, package: str | None = None) -> list[str]:
    """What in `source` (the module `module` of `layer`, in `package`: default its parent) imports against the
    rules of DESIGN.md 1."""
    allowed = NNCORE_ALLOWED.get(layer)
    problems = []
    for imp in imports(source, module.rpartition(".")[0] if package is None else package):
        if any(within(imp.module, bad) for bad in FORBIDDEN[layer]):
            problems.append(f"{module}:{imp.line} imports {imp.module} ({layer} layer)")
        elif allowed and within(imp.module, "nncore") and not any(within(imp.module, ok) for ok in allowed):
            problems.append(f"{module}:{imp.line} imports {imp.module}: a {layer} module imports only "
                            f"{', '.join(allowed)} of nncore")
        elif layer == "experiment" and within(imp.module, "nncore.experiments") and \
                imp.module != "nncore.experiments" and not within(imp.module, module):
            problems.append(f"{module}:{imp.line} imports {imp.module}: an experiment imports no other experiment "
                            "(what they share belongs in an nncore block)")
    return problems


def _tree() -> dict[str, list[Path]]:
    """The files of each layer: pages (with app.py, the router), viz, experiments, and the building blocks."""
    return {
        "page": [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))],
        "viz": sorted((ROOT / "nncore" / "viz").rglob("*.py")),
        "experiment": sorted((ROOT / "nncore" / "experiments").rglob("*.py")),
        "block": sorted((ROOT / "nncore").glob("*.py")),
    }


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _problems(layer: str) -> list[str]:
    return [p for path in _tree()[layer] for p in layer_problems(
        layer, _module(path), path.read_text(), _module(path) if path.name == "__init__.py" else None)]


def test_the_tree_has_every_layer():
    files = _tree()
    assert all(files.values()), {layer: len(paths) for layer, paths in files.items()}
    assert ROOT / "pages" / "weight_init.py" in files["page"] and ROOT / "nncore" / "training.py" in files["block"]


def test_pages_import_only_ui_viz_and_experiments():
    assert not _problems("page"), "\n".join(_problems("page"))


def test_no_experiment_imports_another_or_the_ui():
    assert not _problems("experiment"), "\n".join(_problems("experiment"))


def test_viz_imports_neither_torch_nor_streamlit_even_in_a_function():
    assert not _problems("viz"), "\n".join(_problems("viz"))


def test_building_blocks_import_neither_the_ui_nor_the_charts_even_in_a_function():
    assert not _problems("block"), "\n".join(_problems("block"))


# the checker itself, on sources that break each rule

@pytest.mark.parametrize("source", [
    "from nncore import training",
    "import nncore.training",
    "from nncore.training import train",
    "from nncore import ui, viz, data",
    "import torch",
    "def draw():\n    import plotly.graph_objects as go\n    return go.Figure()",
])
def test_the_checker_rejects_a_page_that_imports_the_engine_or_numerics(source):
    assert len(layer_problems("page", "pages.bad", source)) == 1, source


@pytest.mark.parametrize("source", [
    "from nncore.experiments import schedule_race",
    "from nncore.experiments.schedule_race import Setup",
    "import nncore.experiments.schedule_race as race",
    "from . import schedule_race",
    "from .schedule_race import Setup",
    "def run(cfg):\n    from nncore.experiments import activation_race\n    return activation_race.run(cfg)",
])
def test_the_checker_rejects_an_experiment_that_imports_another(source):
    assert len(layer_problems("experiment", "nncore.experiments.bad", source)) == 1, source


def test_the_checker_sees_lazy_imports_and_leaves_type_names_alone():
    viz_source = ("from typing import TYPE_CHECKING\nimport plotly.graph_objects as go\n"
                  "if TYPE_CHECKING:\n    from nncore.experiments.weight_init import Result\n"
                  "def chart(r: 'Result'):\n    import torch\n    return go.Figure()\n")
    assert layer_problems("viz", "nncore.viz.bad", viz_source) == ["nncore.viz.bad:6 imports torch (viz layer)"]
    block_source = "import torch\n\ndef show(x):\n    import streamlit as st\n    st.write(x)\n"
    assert layer_problems("block", "nncore.bad", block_source) == ["nncore.bad:4 imports streamlit (block layer)"]


def test_the_checker_accepts_the_page_template():
    source = ("import streamlit as st\nfrom nncore import ui, viz\nfrom nncore.experiments import weight_init\n"
              "from nncore.ui import ab\nfrom nncore.ui.split import panel\n")
    assert layer_problems("page", "pages.good", source) == []
    assert layer_problems("experiment", "nncore.experiments.good", "from nncore.experiments import good\n"
                          "import nncore.experiments\nfrom nncore import training\n") == []
