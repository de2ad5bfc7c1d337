"""The private parts of torch, Plotly and Streamlit the lab uses (nncore/_private.py, nncore/viz/_private.py,
nncore/ui/_private.py, and torch._dynamo in nncore/ui/jobs.py's preload) still exist and still do what the lab
relies on: a failure here after an upgrade says which one to replace, in its one place. And no other module reads
a library's private parts (checked on the source).
"""
from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import plotly.graph_objects as go
import pytest
import torch
from plotly.subplots import make_subplots
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from torch.optim.optimizer import register_optimizer_step_pre_hook

from nncore import _private as torch_private
from nncore.optimizers import OPTIMIZERS
from nncore.ui import _private as st_private
from nncore.ui import jobs
from nncore.viz._private import grid_shape


# --- torch ------------------------------------------------------------------------------------------------------

@pytest.fixture
def tensors() -> list[torch.Tensor]:
    """Tensors of the shapes of a small MLP's weights, some entries exactly 0 (sign 0)."""
    gen = torch.Generator().manual_seed(0)
    out = [torch.randn(shape, generator=gen) for shape in ((8, 2), (8, 8), (3, 8))]
    out[0][0] = 0.0
    return out


def test_foreach_ops_equal_the_per_tensor_ops_bit_for_bit(tensors):
    assert all(torch.equal(a, b) for a, b in zip(torch_private.foreach_sign(tensors), [t.sign() for t in tensors]))

    scaled = [t.clone() for t in tensors]
    torch_private.foreach_scale_(scaled, 0.999)
    assert all(torch.equal(a, t * 0.999) for a, t in zip(scaled, tensors))

    targets = [torch.zeros_like(t) for t in tensors]
    torch_private.foreach_copy_(targets, tensors)
    assert all(torch.equal(a, t) and a.data_ptr() != t.data_ptr() for a, t in zip(targets, tensors))


def _two_optimizers(key: str) -> tuple[list[torch.nn.Parameter], list[torch.optim.Optimizer]]:
    """The same start, one optimizer each, so that opt.step and the bare step can be compared."""
    params = [torch.nn.Parameter(torch.tensor([1.5, -0.5])) for _ in range(2)]
    return params, [OPTIMIZERS[key].make([p]) for p in params]


@pytest.mark.parametrize("key", list(OPTIMIZERS))
def test_the_bare_step_is_the_optimizers_own_step(key):
    """torch.optim still wraps each step() (functools.wraps: __wrapped__) and its bare step updates as step() does;
    without __wrapped__ the optimizer race would silently lose its speed-up."""
    cls = OPTIMIZERS[key].cls
    assert getattr(cls.step, "__wrapped__", None) is not None, f"{cls.__name__}.step is no longer wrapped"
    params, (plain, bare) = _two_optimizers(key)
    step = torch_private.bare_step(bare)
    assert step != bare.step
    for _ in range(3):
        for p in params:
            p.grad = 2 * p.detach()
        plain.step()
        step()
    assert torch.equal(params[0], params[1])
    assert not torch.equal(params[0], torch.tensor([1.5, -0.5])), "the steps must move the parameter"


def test_with_a_step_hook_the_bare_step_is_the_wrapped_one():
    """Hooks run only in the wrapper: once one is registered, bare_step must hand back opt.step."""
    _, (opt, _) = _two_optimizers("sgd")
    handle = opt.register_step_post_hook(lambda *args: None)
    try:
        assert torch_private.bare_step(opt) == opt.step
    finally:
        handle.remove()
    handle = register_optimizer_step_pre_hook(lambda *args: None)   # a global hook
    try:
        assert torch_private.bare_step(opt) == opt.step
    finally:
        handle.remove()
    assert torch_private.bare_step(opt) != opt.step


def test_the_workers_preload_leaves_nothing_for_an_optimizer_to_import():
    """nncore/ui/jobs.py names torch's private torch._dynamo in its preload (imported once where the workers fork
    from), because a torch.optim optimizer's first construction imported it: 1.7-7 s in every new worker. After the
    preload, in a fresh interpreter, building and stepping an optimizer must import next to nothing."""
    code = (f"import importlib, sys\nfor m in {jobs.PRELOAD!r}: importlib.import_module(m)\nimport torch\n"
            "before = set(sys.modules)\np = torch.nn.Parameter(torch.zeros(2))\nopt = torch.optim.Adam([p])\n"
            "p.grad = torch.ones(2)\nopt.step()\nprint(len(set(sys.modules) - before))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, f"the preload failed:\n{proc.stderr[-2000:]}"
    assert int(proc.stdout.split()[-1]) < 10, "an optimizer imported more modules: add them to jobs.PRELOAD"

# --- Plotly -----------------------------------------------------------------------------------------------------

def test_grid_shape_of_subplots_and_of_a_plain_figure():
    assert grid_shape(make_subplots(rows=2, cols=3)) == (2, 3)
    assert grid_shape(make_subplots(rows=1, cols=2, specs=[[{"secondary_y": True}, {}]])) == (1, 2)
    assert grid_shape(go.Figure()) is None
    assert grid_shape(go.Figure(make_subplots(rows=1, cols=4))) == (1, 4), "a copy keeps its grid"


# --- Streamlit --------------------------------------------------------------------------------------------------

@pytest.fixture
def fresh_pages_manager():
    """Streamlit's process-wide routing flag as on a fresh server (unset), put back as it was afterwards."""
    saved = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = None
    yield
    PagesManager.uses_pages_directory = saved


@pytest.mark.parametrize("with_pages", [True, False])
def test_a_pages_folder_starts_the_legacy_router(tmp_path, fresh_pages_manager, with_pages):
    """The trap nncore/ui/routing.py works around: an app beside a pages/ folder starts in legacy mode."""
    (tmp_path / "app.py").write_text("")
    if with_pages:
        (tmp_path / "pages").mkdir()
    PagesManager(str(tmp_path / "app.py"), setup_watcher=False)
    assert st_private.legacy_pages_mode() is with_pages
    st_private.leave_legacy_pages_mode()
    assert not st_private.legacy_pages_mode()


def test_leaving_the_legacy_router_reruns_the_app_in_navigation_mode(tmp_path, fresh_pages_manager):
    """An app beside a pages/ folder: its first run finds legacy mode, leaves it and reruns; the rerun, run by
    Streamlit's script runner in st.navigation mode, finds the switch still made."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "lesson.py").write_text("import streamlit as st\nst.write('lesson')\n")
    (tmp_path / "app.py").write_text(textwrap.dedent("""
        import streamlit as st
        from nncore.ui import _private, routing
        st.session_state.setdefault("seen", []).append((_private.in_script_run(), _private.legacy_pages_mode()))
        routing.leave_legacy_router()
        st.write(str(st.session_state.seen))
    """))
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=30).run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == str([(True, True), (True, False)])
    assert not st_private.in_script_run(), "outside a script run (this test) there is no script run context"


def test_a_link_to_a_page_outside_the_navigation_raises_page_not_found(tmp_path):
    """ui.checklist (nncore/ui/course.py) falls back to a plain link when st.page_link raises this."""
    (tmp_path / "app.py").write_text(textwrap.dedent("""
        import streamlit as st
        from nncore.ui import _private
        try:
            st.page_link("pages/nowhere.py", label="nowhere")
        except _private.PageNotFound:
            st.write("not in the navigation")
    """))
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=30).run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "not in the navigation"


# --- and nowhere else -------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_STREAMLIT = ("streamlit.components", "streamlit.testing")   # with `import streamlit`; the rest is internals


def _private_name(name: str) -> bool:
    # "_" alone is gettext's translate function (nncore.ui.i18n._), by convention, not a private part
    return name.startswith("_") and not name.startswith("__") and name not in ("_private", "_")


def _internal_module(module: str) -> bool:
    """A private module (torch._dynamo) or one of Streamlit's internal ones (streamlit.runtime)."""
    if any(_private_name(part) for part in module.split(".")):
        return True
    return module.startswith("streamlit.") and not any(
        module == ok or module.startswith(ok + ".") for ok in PUBLIC_STREAMLIT)


def private_uses(source: str) -> list[str]:
    """A library's private parts that `source` reads: `x._name` (on anything but self or cls), and imports of
    `_name`s or from private or internal modules."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private_name(node.attr) and not (
                isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if _internal_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found += [f"line {node.lineno}: from {node.module} import {a.name}" for a in node.names
                      if _internal_module(f"{node.module}.{a.name}")]
    return found


def test_private_parts_are_read_only_in_the_private_modules():
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "nncore").rglob("*.py")]
    found = {str(f.relative_to(ROOT)): uses for f in files if f.name != "_private.py"
             if (uses := private_uses(f.read_text()))}
    assert not found, f"wrap these in the library's _private.py module, with a test here: {found}"


@pytest.mark.parametrize("source", [
    "def cols(fig):\n    return len(fig._grid_ref[0])",
    "import torch\nsigns = torch._foreach_sign(weights)",
    "from streamlit.runtime.pages_manager import PagesManager",
    "import torch._dynamo",
    "from torch.optim.optimizer import _global_optimizer_pre_hooks",
])
def test_the_check_finds_a_private_part(source):
    assert len(private_uses(source)) == 1, source


def test_the_check_leaves_public_and_own_names_alone():
    assert private_uses("import streamlit as st\nfrom streamlit.testing.v1 import AppTest\n"
                        "from nncore.ui import _private\nfrom nncore._private import bare_step\n"
                        "from nncore.ui.i18n import _\n"
                        "class A:\n    def f(self):\n        return self._x, type(self).__name__, _private.x\n") == []
