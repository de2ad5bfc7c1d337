"""The private parts of torch, Plotly and Streamlit the lab uses (nncore/_private.py, nncore/viz/_private.py,
nncore/ui/_private.py) still exist and still do what the lab relies on: a failure here after an upgrade says which
one to replace, in its one place."""
from __future__ import annotations

import textwrap

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
