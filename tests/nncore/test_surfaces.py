"""nncore.surfaces: values and gradients against closed forms, minima, and the safe formula parser."""
from __future__ import annotations

import math
import re

import pytest
import torch
from hypothesis import given, settings, strategies as st

from nncore import surfaces
from nncore.surfaces import SURFACES, parse_expression
from tests.pages.helpers import tr

D = torch.float64


def said(message: str, **values) -> list[str]:
    """What a refusal must contain in the suite's language: the whole message when its values are given, else each
    text between its placeholders."""
    text = tr(message)
    if values:
        return [text.format(**values)]
    return [part for part in re.split(r"\{[^{}]*\}", text) if part.strip()]


def value_and_grad(surface, x: float, y: float, **params) -> tuple[float, tuple[float, float]]:
    xy = torch.tensor([x, y], dtype=D, requires_grad=True)
    f = surface(xy, **params)
    f.backward()
    return float(f.detach()), (float(xy.grad[0]), float(xy.grad[1]))


# closed-form gradients, written independently of the torch code
CLOSED = {
    "rosenbrock": lambda x, y: ((1 - x) ** 2 + 100 * (y - x * x) ** 2,
                                (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))),
    "himmelblau": lambda x, y: ((x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
                                (4 * x * (x * x + y - 11) + 2 * (x + y * y - 7),
                                 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7))),
    "saddle": lambda x, y: (x * x - y * y + y ** 4 / 4, (2 * x, -2 * y + y ** 3)),
    "ravine": lambda x, y: (0.01 * x * x + 5 * y * y, (0.02 * x, 10 * y)),
    "camel": lambda x, y: ((4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y + (-4 + 4 * y ** 2) * y ** 2,
                           (8 * x - 8.4 * x ** 3 + 2 * x ** 5 + y, x - 8 * y + 16 * y ** 3)),
    "rastrigin": lambda x, y: (20 + x * x - 10 * math.cos(2 * math.pi * x) + y * y - 10 * math.cos(2 * math.pi * y),
                               (2 * x + 20 * math.pi * math.sin(2 * math.pi * x),
                                2 * y + 20 * math.pi * math.sin(2 * math.pi * y))),
    "plateau": lambda x, y: (1 - math.exp(-(x * x + y * y) / 0.5),
                             (4 * x * math.exp(-(x * x + y * y) / 0.5), 4 * y * math.exp(-(x * x + y * y) / 0.5))),
}


def beale_closed(x, y):
    a, b, c = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y ** 3
    f = a * a + b * b + c * c
    return f, (2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1),
               2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y)


CLOSED["beale"] = beale_closed
POINTS = [(-1.5, 2.0), (0.3, -0.7), (1.2, 1.1), (-0.4, 0.25)]


@pytest.mark.parametrize("name", sorted(CLOSED))
@pytest.mark.parametrize("point", POINTS)
def test_value_and_gradient_match_the_closed_form(name, point):
    f, g = value_and_grad(SURFACES[name], *point)
    f_ref, g_ref = CLOSED[name](*point)
    assert f == pytest.approx(f_ref, rel=1e-12, abs=1e-12)
    assert g == pytest.approx(g_ref, rel=1e-10, abs=1e-10)


def test_bowl_is_a_rotated_quadratic_with_the_given_condition_number():
    bowl = SURFACES["bowl"]
    xy = torch.zeros(2, dtype=D, requires_grad=True)
    hessian = torch.autograd.functional.hessian(lambda p: bowl(p, condition=25.0), xy)
    eig = torch.linalg.eigvalsh(hessian)
    assert eig.tolist() == pytest.approx([1.0, 25.0])
    assert abs(float(hessian[0, 1])) > 1  # rotated: the valley is not along an axis


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_minima_have_zero_gradient_and_the_lowest_value(name):
    s = SURFACES[name]
    params = {k: v[0] for k, v in s.params.items()}
    values = []
    for m in s.minima:
        f, g = value_and_grad(s, *m, **params)
        assert max(abs(g[0]), abs(g[1])) < 1e-3, (m, g)
        values.append(f)
    assert max(values) - min(values) < 1e-6  # all listed minima are global: the same value
    x0, x1, y0, y1 = s.domain
    xx, yy = torch.meshgrid(torch.linspace(x0, x1, 201, dtype=D), torch.linspace(y0, y1, 201, dtype=D), indexing="ij")
    grid = s(torch.stack([xx, yy], -1), **params)
    assert float(grid.min()) >= min(values) - 1e-9
    assert surfaces.minimum_value(s, **params) == pytest.approx(min(values))


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_default_start_is_inside_the_domain_and_not_a_minimum(name):
    s = SURFACES[name]
    x0, x1, y0, y1 = s.domain
    assert x0 <= s.start[0] <= x1 and y0 <= s.start[1] <= y1
    assert min(math.dist(s.start, m) for m in s.minima) > 0.5


def test_himmelblau_has_four_minima_at_zero():
    s = SURFACES["himmelblau"]
    assert len(s.minima) == 4
    assert all(value_and_grad(s, *m)[0] < 1e-9 for m in s.minima)


def test_surfaces_are_vectorized_over_a_batch():
    for s in SURFACES.values():
        xy = torch.tensor([[0.1, 0.2], [0.3, -0.4], [-1.0, 1.0]], dtype=D)
        batch = s(xy)
        assert batch.shape == (3,)
        assert [float(s(row)) for row in xy] == pytest.approx(batch.tolist())


# ---------------------------------------------------------------- the formula parser

GOOD = {
    "x**2 + 10*sin(y)": lambda x, y: x ** 2 + 10 * math.sin(y),
    "-x**2": lambda x, y: -x ** 2,
    "(x - 1)**2 + 3*(y + 2)**2": lambda x, y: (x - 1) ** 2 + 3 * (y + 2) ** 2,
    "exp(-x*x) * cos(pi*y) / 2": lambda x, y: math.exp(-x * x) * math.cos(math.pi * y) / 2,
    "sqrt(abs(x)) + log(1 + y**2) - tanh(x*y)": lambda x, y: math.sqrt(abs(x)) + math.log(1 + y * y) - math.tanh(x * y),
    "2**x + e**y + atan(x) + sinh(y) + cosh(x) + tan(0.1*y)":
        lambda x, y: 2 ** x + math.e ** y + math.atan(x) + math.sinh(y) + math.cosh(x) + math.tan(0.1 * y),
    "x**-2 + y**(1/2) + +x": lambda x, y: x ** -2 + y ** 0.5 + x,
    "3": lambda x, y: 3.0,
    "2**3 - x": lambda x, y: 8 - x,
}


@pytest.mark.parametrize("text", sorted(GOOD))
def test_parser_computes_the_documented_grammar(text):
    fn = parse_expression(text)
    x, y = 0.7, 0.3
    out = fn(torch.tensor([x], dtype=D), torch.tensor([y], dtype=D))
    assert out.shape == (1,)
    assert float(out[0]) == pytest.approx(GOOD[text](x, y), rel=1e-12)


def test_a_parsed_formula_gives_autograd_gradients_even_when_constant():
    fn = parse_expression("x**2 + 10*sin(y)")
    xy = torch.tensor([0.5, 1.0], dtype=D, requires_grad=True)
    fn(xy[0], xy[1]).backward()
    assert xy.grad.tolist() == pytest.approx([1.0, 10 * math.cos(1.0)])
    xy.grad = None
    parse_expression("7")(xy[0], xy[1]).backward()
    assert xy.grad.tolist() == [0.0, 0.0]


HOSTILE = {
    "x.__class__": said("attribute access ('.')"),
    "().__class__.__bases__[0].__subclasses__()": said("attribute access ('.')"),
    "__import__('os').system('ls')": said("attribute access ('.')"),
    "__import__('os')": "'__import__'",
    "__builtins__": said("Unknown name '{name}'.", name="__builtins__"),
    "import os": said("Could not read the formula at character {offset}: {error}. Example: x**2 + 10*sin(y)."),
    "lambda: 1": "lambda",
    "[x for x in range(9)]": said("comprehensions"),
    "{x: 1 for x in y}": said("comprehensions"),
    "(x for x in y)": said("comprehensions"),
    "eval('1')": "'eval'",
    "exec('1')": "'exec'",
    "open('/etc/passwd')": "'open'",
    "getattr(x, 'real')": "'getattr'",
    "torch.exp(x)": said("attribute access ('.')"),
    "x[0]": said("indexing ('[ ]')"),
    "'abc'": said("{value} is not a number."),
    "b'abc'": said("{value} is not a number."),
    "x if y else 1": "if/else",
    "x < y": said("comparisons"),
    "x and y": "and/or",
    "(x := 3)": "':='",
    "x, y": said("tuples (',')"),
    "x^2": said("'^' is not a power here: write x**2 for x squared."),
    "x**100": said("Exponents must be at most {most} in size (got {exponent})."),
    "9**9**9": said("Exponents must be at most {most} in size (got {exponent})."),
    "x**(5*5)": said("Exponents must be at most {most} in size (got {exponent})."),
    "1e999 * x": said("Numbers must be at most {most} in size (got {value})."),
    "10**7 + 12345678 * x": said("Numbers must be at most {most} in size (got {value})."),
    "sin(x, y)": said("{name}() takes exactly one argument, e.g. {name}(x).", name="sin"),
    "sin(x=1)": said("{name}() takes exactly one argument, e.g. {name}(x).", name="sin"),
    "z + 1": said("Unknown name '{name}'.", name="z"),
    "sin": said("Unknown name '{name}'. '{name}' is a function: write {name}(x).", name="sin"),
    "x +": said("Could not read the formula at character {offset}: {error}. Example: x**2 + 10*sin(y)."),
    "": said("Type a formula in x and y, e.g. x**2 + 10*sin(y)."),
    "   ": said("Type a formula in x and y, e.g. x**2 + 10*sin(y)."),
    "x" + "+x" * 150: said("The formula is {length} characters long; the limit is {most}."),
    "-" * 150 + "x": said("The formula has more than {most} parts; keep it shorter."),
    "(" * 120 + "x" + ")" * 120: said("The formula is {length} characters long; the limit is {most}."),
    "f'{x}'": said("strings"),
    "True + x": said("{value} is not a number."),
    "1j * x": said("{value} is not a number."),
    "x @ y": "MatMult",
    "x % 2": "Mod",
    "x // 2": "FloorDiv",
    "~x": "Invert",
    "not x": "Not",
    "*x": said("Could not read the formula at character {offset}: {error}. Example: x**2 + 10*sin(y)."),
    "await x": "await",
}


@pytest.mark.parametrize("text", sorted(HOSTILE))
def test_parser_rejects_hostile_or_unsupported_input_with_a_clear_message(text):
    with pytest.raises(ValueError) as err:
        parse_expression(text)
    message = str(err.value)
    expected = HOSTILE[text]
    assert all(part in message for part in ([expected] if isinstance(expected, str) else expected)), message
    assert "Traceback" not in message and len(message) < 400


def test_parser_limits_the_tree_size():
    text = "+".join(["x"] * 60)  # 119 characters, but more nodes than allowed
    assert len(text) <= surfaces.MAX_LENGTH
    with pytest.raises(ValueError) as err:
        parse_expression(text)
    assert all(part in str(err.value) for part in said("The formula has more than {most} parts; keep it shorter."))


def test_the_parser_never_evaluates_python(monkeypatch):
    """No eval or exec; compile only as ast.parse uses it, to build the syntax tree (PyCF_ONLY_AST), never code."""
    import ast
    import builtins
    calls = []
    for name in ("eval", "exec", "compile"):
        original = getattr(builtins, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            flags = args[3] if len(args) > 3 else kwargs.get("flags", 0)
            calls.append((_name, bool(flags & ast.PyCF_ONLY_AST)))
            return _original(*args, **kwargs)
        monkeypatch.setattr(builtins, name, spy)
    parse_expression("x**2 + 10*sin(y)")(torch.ones(1), torch.ones(1))
    assert all(name == "compile" and only_ast for name, only_ast in calls), calls


names = st.sampled_from(["x", "y", "pi", "e"])
numbers = st.floats(min_value=-100, max_value=100, allow_nan=False).map(lambda v: repr(round(v, 3)))
functions = st.sampled_from(sorted(surfaces.FUNCTIONS))


def _expressions():
    leaf = st.one_of(names, numbers)
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.integers(-3, 3)).map(lambda t: f"({t[0]})**{t[1]}"),
        st.tuples(functions, inner).map(lambda t: f"{t[0]}({t[1]})"),
        inner.map(lambda t: f"-{t}")), max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(_expressions())
def test_any_expression_of_the_grammar_parses_and_evaluates(text):
    if len(text) > surfaces.MAX_LENGTH:
        return
    try:
        fn = parse_expression(text)
    except ValueError as err:   # only the size limits may refuse a grammatical formula
        assert all(part in str(err) for part in said("The formula has more than {most} parts; keep it shorter.")), \
            (text, err)
        return
    out = fn(torch.tensor([0.3, -1.2], dtype=D), torch.tensor([0.5, 2.0], dtype=D))
    assert out.shape == (2,)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=80))
def test_arbitrary_text_either_parses_or_raises_value_error(text):
    try:
        fn = parse_expression(text)
    except ValueError as err:
        assert str(err)
        return
    fn(torch.tensor([0.3], dtype=D), torch.tensor([0.5], dtype=D))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["__class__", "__globals__", "__dict__", "__import__", "system", "os", "sys", "torch",
                        "builtins", "globals", "locals", "vars", "dir", "type", "object", "print", "input"]),
       st.sampled_from(["{}", "{}(x)", "x.{}", "{}.x", "{}()", "sin({})"]))
def test_names_outside_the_whitelist_are_refused(name, pattern):
    with pytest.raises(ValueError):
        parse_expression(pattern.format(name))


def test_the_grammar_names_every_function():
    listed = surfaces.GRAMMAR.rsplit("functions ", 1)[1].split(", ")
    assert listed == list(surfaces.FUNCTIONS)
