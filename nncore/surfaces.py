"""Two-dimensional loss surfaces for racing optimizers (002 'Problems of Gradient Descent', 001 'SGD variants').

Each surface is written in torch, elementwise over a batch of points, so gradients come from autograd. A student
may also type a surface: `parse_expression("x**2 + 10*sin(y)")` reads it with Python's `ast` into a whitelisted
tree and evaluates it by walking the tree with torch operations. User text is never passed to eval, exec or compile.
"""
from __future__ import annotations

import ast
import math
import operator
from dataclasses import dataclass, field
from typing import Callable

import torch

from nncore.i18n import N_, _

Fn = Callable[..., torch.Tensor]   # fn(x, y, **params) -> f, elementwise


@dataclass(frozen=True)
class Surface:
    """A registry entry: the function, its formula, where to look, where its minima are, and a start that teaches."""

    label: str
    formula: str                                  # LaTeX of f(x, y)
    fn: Fn
    domain: tuple[float, float, float, float]     # x_min, x_max, y_min, y_max
    minima: tuple[tuple[float, float], ...]       # global minima (empty if unknown)
    start: tuple[float, float]                    # a default start that shows the lesson
    note: str                                     # what this surface teaches (N_: translated where shown)
    params: dict = field(default_factory=dict)    # name -> (default, lo, hi)
    log_contours: bool = True                     # contour levels on log(f - f_min) (wide ranges of values)

    def __call__(self, xy: torch.Tensor, **params) -> torch.Tensor:
        """f at a batch of points `xy` of shape (..., 2)."""
        return self.fn(xy[..., 0], xy[..., 1], **params)


def _bowl(x, y, condition=10.0, angle=30.0):
    a = math.radians(angle)
    u, v = math.cos(a) * x + math.sin(a) * y, -math.sin(a) * x + math.cos(a) * y
    return 0.5 * (u**2 + condition * v**2)


def _ravine(x, y):
    return 0.01 * x**2 + 5.0 * y**2


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _saddle(x, y):
    return x**2 - y**2 + 0.25 * y**4


def _plateau(x, y):
    return 1 - torch.exp(-(x**2 + y**2) / 0.5)


def _camel(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _rastrigin(x, y):
    return 20 + x**2 - 10 * torch.cos(2 * math.pi * x) + y**2 - 10 * torch.cos(2 * math.pi * y)


SURFACES: dict[str, Surface] = {
    "bowl": Surface(
        "Ill-conditioned bowl",
        r"f = \tfrac12\,(u^2 + \kappa\, v^2), \quad (u, v) = (x, y)\text{ rotated by }30^\circ",
        _bowl, (-3.0, 3.0, -3.0, 3.0), ((0.0, 0.0),), (-2.5, 1.0),
        N_("Poor conditioning: the curvature across the valley is κ times the curvature along it. A learning rate "
        "small enough for the steep direction crawls along the flat one. The axes are rotated, so per-coordinate "
        "step sizes (AdaGrad, RMSprop, Adam) do not line up with the valley."),
        params={"condition": (10.0, 1.0, 1000.0)}),
    "ravine": Surface(
        "Ravine", r"f = 0.01\,x^2 + 5\,y^2", _ravine, (-10.0, 10.0, -3.0, 3.0), ((0.0, 0.0),), (-9.0, 2.0),
        N_("A long narrow valley along the x axis (curvatures 0.02 and 10): gradient descent zig-zags across it "
        "and makes little progress along it.")),
    "rosenbrock": Surface(
        "Rosenbrock's banana", r"f = (1 - x)^2 + 100\,(y - x^2)^2", _rosenbrock, (-2.0, 2.0, -1.0, 3.0),
        ((1.0, 1.0),), (-1.5, 2.0),
        N_("A curved, flat-bottomed valley: finding it is easy, following it to (1, 1) is slow.")),
    "beale": Surface(
        "Beale", r"\begin{aligned} f = {} & (1.5 - x + xy)^2 \\ & + (2.25 - x + xy^2)^2 \\ & + (2.625 - x + xy^3)^2"
                 r"\end{aligned}", _beale,
        (-4.5, 4.5, -4.5, 4.5), ((3.0, 0.5),), (1.0, 1.5),
        N_("Flat plains and very steep walls: the gradient's size changes by orders of magnitude.")),
    "himmelblau": Surface(
        "Himmelblau (four minima)", r"f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2", _himmelblau, (-5.0, 5.0, -5.0, 5.0),
        ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)), (-0.3, -0.9),
        N_("Four equally good minima: from near the central hill, different optimizers end in different ones.")),
    "saddle": Surface(
        "Saddle point", r"f = x^2 - y^2 + \tfrac14\,y^4", _saddle, (-2.5, 2.5, -2.5, 2.5),
        ((0.0, -math.sqrt(2.0)), (0.0, math.sqrt(2.0))), (-2.0, 0.001),
        N_("Near the origin this is x² − y²: zero gradient, yet not a minimum. Starting almost on the ridge, plain "
        "gradient descent creeps into the saddle and stalls; the y⁴ term puts the real minima at y = ±√2.")),
    "plateau": Surface(
        "Plateau with a well", r"f = 1 - e^{-(x^2 + y^2)/0.5}", _plateau, (-3.0, 3.0, -3.0, 3.0), ((0.0, 0.0),),
        (-1.6, 1.2),
        N_("Almost flat far from the well (the gradient is about 0.002 at the default start), with a steep edge "
        "around it: methods whose step "
        "scales with the gradient barely move; Adam's normalized step does not care how small the gradient is."),
        log_contours=False),
    "camel": Surface(
        "Six-hump camel",
        r"\begin{aligned} f = {} & (4 - 2.1x^2 + \tfrac{x^4}{3})\,x^2 \\ & + xy + (-4 + 4y^2)\,y^2 \end{aligned}",
        _camel,
        (-2.0, 2.0, -1.2, 1.2), ((0.0898420, -0.7126564), (-0.0898420, 0.7126564)), (-1.5, 0.8),
        N_("Six local minima, two of them global: where you end depends on the start and on the optimizer's inertia."),
        log_contours=False),
    "rastrigin": Surface(
        "Rastrigin (many local minima)",
        r"\begin{aligned} f = 20 & + x^2 - 10\cos 2\pi x \\ & + y^2 - 10\cos 2\pi y \end{aligned}", _rastrigin,
        (-5.12, 5.12, -5.12, 5.12), ((0.0, 0.0),), (3.1, 2.2),
        N_("A bowl covered in ripples: a local minimum near every integer point. Plain descent stops in the first "
        "one; momentum can roll over a few ripples."), log_contours=False),
}


def minimum_value(surface: Surface, **params) -> float | None:
    """f at the surface's global minimum, or None if the minima are unknown."""
    if not surface.minima:
        return None
    return float(surface(torch.tensor(surface.minima[:1], dtype=torch.float64), **params)[0])


# ---------------------------------------------------------------- a surface typed by the student

MAX_LENGTH = 200         # characters
MAX_NODES = 80           # nodes of the syntax tree
MAX_EXPONENT = 10.0      # |p| for a constant exponent in a ** p
MAX_CONSTANT = 1e6       # |c| for any number

FUNCTIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sin": torch.sin, "cos": torch.cos, "tan": torch.tan, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
    "abs": torch.abs, "tanh": torch.tanh, "sinh": torch.sinh, "cosh": torch.cosh, "atan": torch.atan,
}
CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLES = ("x", "y")
# the functions' names written out, so that the catalog has the whole sentence (a test: they are FUNCTIONS' keys)
GRAMMAR = N_("numbers, x, y, pi, e, + - * / ** (power), parentheses, and the functions sin, cos, tan, exp, log, "
             "sqrt, abs, tanh, sinh, cosh, atan")
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow}
_UNARY = {ast.USub: torch.neg, ast.UAdd: lambda t: t}
_WHAT = {ast.Attribute: N_("attribute access ('.')"), ast.Subscript: N_("indexing ('[ ]')"), ast.Lambda: "lambda",
         ast.ListComp: N_("comprehensions"), ast.GeneratorExp: N_("comprehensions"), ast.SetComp: N_("comprehensions"),
         ast.DictComp: N_("comprehensions"), ast.Compare: N_("comparisons"), ast.BoolOp: "and/or",
         ast.IfExp: "if/else", ast.NamedExpr: "':='", ast.Tuple: N_("tuples (',')"), ast.List: N_("lists"),
         ast.Dict: N_("dicts"), ast.Set: N_("sets"), ast.JoinedStr: N_("strings"), ast.Starred: N_("'*' unpacking"),
         ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield"}


def _problem(text: str) -> ValueError:
    return ValueError(_("{problem} Allowed: {grammar}.").format(problem=text, grammar=_(GRAMMAR)))


def _check(node: ast.AST) -> None:
    """Raise ValueError unless every node of the tree is in the whitelist."""
    if isinstance(node, ast.Expression):
        return _check(node.body)
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _problem(_("{value} is not a number.").format(value=repr(value)))
        if not math.isfinite(value) or abs(value) > MAX_CONSTANT:
            raise _problem(_("Numbers must be at most {most} in size (got {value}).").format(
                most=f"{MAX_CONSTANT:g}", value=repr(value)))
        return None
    if isinstance(node, ast.Name):
        if node.id not in VARIABLES and node.id not in CONSTANTS:
            if node.id in FUNCTIONS:
                raise _problem(_("Unknown name '{name}'. '{name}' is a function: write {name}(x).").format(
                    name=node.id))
            raise _problem(_("Unknown name '{name}'.").format(name=node.id))
        return None
    if isinstance(node, ast.BinOp):
        return _check_operation(node)
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            raise _problem(_("The operator {operator} is not allowed.").format(operator=type(node.op).__name__))
        return _check(node.operand)
    if isinstance(node, ast.Call):
        return _check_call(node)
    what = _(_WHAT[type(node)]) if type(node) in _WHAT else type(node).__name__
    raise _problem(_("This formula uses {what}, which is not allowed.").format(what=what))


def _check_operation(node: ast.BinOp) -> None:
    """An allowed operator on allowed operands; a constant exponent no larger than MAX_EXPONENT."""
    if isinstance(node.op, ast.BitXor):
        raise _problem(_("'^' is not a power here: write x**2 for x squared."))
    if type(node.op) not in _BINARY:
        raise _problem(_("The operator {operator} is not allowed.").format(operator=type(node.op).__name__))
    _check(node.left)
    _check(node.right)
    if isinstance(node.op, ast.Pow) and not _uses_variables(node.right):
        exponent = float(_evaluate(node.right, _ZERO, _ZERO))
        if not abs(exponent) <= MAX_EXPONENT:
            raise _problem(_("Exponents must be at most {most} in size (got {exponent}).").format(
                most=f"{MAX_EXPONENT:g}", exponent=f"{exponent:g}"))


def _check_call(node: ast.Call) -> None:
    """A listed function called by name with one allowed argument."""
    if not isinstance(node.func, ast.Name):
        _check(node.func)          # says what is wrong with it (attribute access, a call of a call, ...)
        raise _problem(_("Only the listed functions can be called."))
    name = node.func.id
    if name not in FUNCTIONS:
        raise _problem(_("Calling '{name}' is not allowed.").format(name=name))
    if node.keywords or len(node.args) != 1:
        raise _problem(_("{name}() takes exactly one argument, e.g. {name}(x).").format(name=name))
    _check(node.args[0])


_ZERO = torch.zeros((), dtype=torch.float64)


def _uses_variables(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id in VARIABLES for n in ast.walk(node))


def _evaluate(node: ast.AST, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor | float:
    """Walk a checked tree and compute it with torch operations (plain floats for constant subtrees)."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return {"x": x, "y": y}.get(node.id, CONSTANTS.get(node.id))
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, x, y)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, x, y), _evaluate(node.right, x, y)
        if not isinstance(left, torch.Tensor) and not isinstance(right, torch.Tensor):
            left = torch.tensor(left, dtype=x.dtype)   # constant arithmetic stays in torch: no Python big numbers
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Call):
        arg = _evaluate(node.args[0], x, y)
        return FUNCTIONS[node.func.id](arg if isinstance(arg, torch.Tensor) else torch.tensor(arg, dtype=x.dtype))
    raise ValueError(f"Unexpected node {type(node).__name__}.")  # unreachable after _check


def _count(tree: ast.AST) -> int:
    return sum(1 for _node in ast.walk(tree))


def parse_expression(text: str) -> Fn:
    """A surface fn(x, y) from a formula such as 'x**2 + 10*sin(y)'; ValueError with a clear sentence otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(_("Type a formula in x and y, e.g. x**2 + 10*sin(y)."))
    if len(text) > MAX_LENGTH:
        raise ValueError(_("The formula is {length} characters long; the limit is {most}.").format(
            length=len(text), most=MAX_LENGTH))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(_("Could not read the formula at character {offset}: {error}. Example: x**2 + 10*sin(y).")
                         .format(offset=err.offset or 0, error=err.msg)) from None
    except (ValueError, RecursionError, MemoryError):
        raise ValueError(_("Could not read the formula. Example: x**2 + 10*sin(y).")) from None
    if _count(tree) > MAX_NODES:
        raise ValueError(_("The formula has more than {most} parts; keep it shorter.").format(most=MAX_NODES))
    _check(tree)

    def fn(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        out = _evaluate(tree.body, x, y)
        # keep the result on the graph and of the batch's shape, even when it does not depend on x or y
        return out + 0 * (x + y)

    return fn


def custom_surface(text: str, extent: float = 3.0) -> Surface:
    """A registry-like entry for a typed formula on the square [-extent, extent]²."""
    return Surface(N_("Your f(x, y)"), text, parse_expression(text), (-extent, extent, -extent, extent), (),
                   (-0.8 * extent, 0.6 * extent), N_("Your own surface."), log_contours=False)
