"""nncore.experiments.universal_approximation: 001's Z(x) term by term, and a one-hidden-layer ReLU fit."""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from nncore.experiments.universal_approximation import fit, relu_sum
from nncore.i18n import _ as tr
from nncore.i18n import number


def slide_z(x: float) -> float:
    """001's Z(x), typed from the slide: -n1 - n2 - n3 + n4 + n5 + n6."""
    n1, n2, n3 = max(0.0, -5 * x - 7.7), max(0.0, -1.2 * x - 1.3), max(0.0, 1.2 * x + 1)
    n4, n5, n6 = max(0.0, 1.2 * x - 0.2), max(0.0, 2 * x - 1.1), max(0.0, 5 * x - 5)
    return -n1 - n2 - n3 + n4 + n5 + n6


def test_z_equals_the_slides_formula_at_every_point():
    r = relu_sum.run(relu_sum.Config())
    assert np.allclose(r.z, [slide_z(x) for x in r.x], rtol=0, atol=1e-12)
    assert np.allclose(r.pieces.sum(0), r.z)
    assert slide_z(0.0) == pytest.approx(-1.0) and slide_z(1.0) == pytest.approx(-0.3)   # by hand from the slide
    assert np.allclose(r.bends, [-1.54, -1.3 / 1.2, -1 / 1.2, 0.2 / 1.2, 0.55, 1.0])
    assert set(r.bends) <= set(r.x)                       # the grid holds every kink: the polyline is drawn exactly


def test_segment_slopes_are_the_sums_of_the_active_units_slopes():
    r = relu_sum.run(relu_sum.Config())
    assert np.allclose(r.segment_slopes, [6.2, 1.2, 0.0, -1.2, 0.0, 2.0, 7.0])
    edges = np.concatenate([[-2.0], r.bends, [2.0]])
    chords = [(slide_z(b - 1e-3) - slide_z(a + 1e-3)) / (b - a - 2e-3) for a, b in zip(edges, edges[1:])]
    assert np.allclose(r.segment_slopes, chords)
    assert f"{relu_sum.listed(r.bends, '.3g')}:" in relu_sum.notice(r)   # "x = -1.54, -1.08, ..., 1: one per unit"


def test_each_unit_is_editable():
    r = relu_sum.run(relu_sum.PRESETS["|x| from two units"].config)
    assert np.allclose(r.z, np.abs(r.x)) and list(r.bends) == [0.0]
    flat = relu_sum.run(relu_sum.Config(slopes=(0.0,) * 6, offsets=(0.0, 0.0, 0.0, 1.0, 0.0, 0.0)))
    assert np.allclose(flat.z, 1.0) and np.isnan(flat.kinks).all()
    assert relu_sum.notice(flat) == tr("No unit bends inside [-{extent}, {extent}]: Z is one straight line of slope "
                                       "{slope} there. Move a kink (x = -offset / slope) into the range.").format(
        extent="2", slope="0")


UNIT_RANGE = "{name}: unit n{i}'s value must be between {lo} and {hi} (got {got})."


@pytest.mark.parametrize("change, words", [
    (dict(slopes=(1.0,) * 5), lambda: re.escape(tr("{name} must hold {units} numbers, one per unit (got {got}).")
                                                .format(name=tr("Slopes"), units=6, got=5))),
    (dict(offsets=(0.0,) * 5 + (float("inf"),)), lambda: re.escape(tr(UNIT_RANGE).format(
        name=tr("Offsets"), i=6, lo="-10", hi="10", got="inf"))),
    (dict(slopes=(11.0,) + (0.0,) * 5), lambda: re.escape(tr(UNIT_RANGE).format(
        name=tr("Slopes"), i=1, lo="-10", hi="10", got="11"))),
    (dict(extent=0.0), lambda: rf"{re.escape(tr('x range (±)'))}.*\b0[.,]5\b.*\b10\b")])   # params.validate's words
def test_bad_units_are_refused_with_a_sentence(change, words):
    with pytest.raises(ValueError, match=words()):
        relu_sum.run(relu_sum.Config(**change))


def test_the_error_falls_as_the_width_grows():
    narrow, wide = (fit.run(fit.Config(target="sine", width=w, seed=0)) for w in (2, 32))
    assert wide.mse < 0.1 * narrow.mse and wide.max_error < 0.5 * narrow.max_error
    assert narrow.inside <= 2 < wide.inside


def test_the_fit_is_the_sum_of_its_pieces():
    r = fit.run(fit.Config(target="sawtooth", width=12))
    pieces = [np.interp(r.x, px, py) for px, py in zip(r.pieces_x, r.pieces_y)]   # each piece is straight between
    assert np.allclose(r.output_bias + np.sum(pieces, 0), r.fit, atol=1e-9)
    assert np.allclose(r.error, np.abs(r.fit - r.target))
    assert r.error[np.flatnonzero(r.x == r.worst_x)[0]] == r.max_error == r.error.max()


def test_the_pieces_read_back_the_trained_net():
    r = fit.run(fit.Config(target="sine", width=32))
    # torch's training loss on 200 points against the hinges' sum on 401: the same smooth fit, so nearly equal
    assert r.mse == pytest.approx(r.loss[-1], rel=0.1)


def test_a_step_keeps_its_largest_error_at_the_jump():
    r = fit.run(fit.PRESETS["Step, 64 units"].config)
    assert abs(r.worst_x) < 0.01 and r.max_error > 0.3
    assert tr(fit.AT_JUMP) in fit.notice(r)
    assert tr(fit.AT_JUMP) not in fit.notice(fit.run(fit.Config(width=32)))


def test_a_polyline_in_its_own_units():
    r = fit.run(fit.Config(target="polyline", points="0,0; 50,100; 100,0", width=16))
    assert (r.x[0], r.x[-1]) == (0.0, 100.0) and r.points.tolist() == [[0, 0], [50, 100], [100, 0]]
    assert r.max_error < 5.0                                   # 5% of the triangle's height: two hinges suffice
    assert np.allclose(r.target, np.interp(r.x, [0, 50, 100], [0, 100, 0]))


POINTS = "A polyline needs between 2 and {most} points, written x,y and separated by ';' (got {got})."
TWO_NUMBERS = "Point {i} ('{text}') must be two numbers x,y."


@pytest.mark.parametrize("text, message, fields", [
    ("0,0", POINTS, dict(most=50, got=1)), ("", POINTS, dict(most=50, got=0)),
    ("0,0; 0,1; 1,1", "Points {i} and {j} share x = {x}: a function has one y per x.", dict(i=1, j=2, x="0")),
    ("0,0; 1,1; 0.5,2", "x must increase from point to point: point {j} (x = {x}) comes after x = {before}.",
     dict(j=3, x=number(0.5, "g"), before="1")),
    ("0,a; 1,1", TWO_NUMBERS, dict(i=1, text="0,a")), ("0,0,0; 1,1", TWO_NUMBERS, dict(i=1, text="0,0,0")),
    ("0,inf; 1,1", "Point {i} ('{text}'): coordinates must be finite numbers within ±{most}.",
     dict(i=1, text="0,inf", most=number(1e6, "g"))),
    ("; ".join(f"{i},0" for i in range(51)), POINTS, dict(most=50, got=51)),
    ("1" * 1001, "The polyline is too long: at most {most} characters (got {got}).", dict(most=1000, got=1001))])
def test_bad_polylines_are_refused_with_a_sentence(text, message, fields):
    words = re.escape(tr(message).format(**fields))
    with pytest.raises(ValueError, match=words):
        fit.parse_points(text)
    with pytest.raises(ValueError, match=words):
        fit.run(fit.Config(target="polyline", points=text))


def test_a_width_of_zero_is_refused_and_other_targets_ignore_the_points():
    with pytest.raises(ValueError, match=rf"{re.escape(tr('Hidden units (width)'))}.*\b1\b.*\b128\b"):
        fit.run(fit.Config(width=0))
    assert fit.run(fit.Config(target="abs", width=2, steps=100, points="nonsense")).points.shape == (0, 2)


def test_progress_reaches_the_end_and_a_stop_returns_what_was_trained():
    seen = []
    fit.run(fit.Config(steps=200), lambda p: seen.append(p.fraction))
    assert seen[-1] == 1.0 and seen == sorted(seen)
    stopped = fit.run(fit.Config(steps=200), lambda p: p.done < 10)
    assert len(stopped.loss) == 10 and np.isfinite(stopped.fit).all()


def test_a_blow_up_is_said_not_quoted():
    r = dataclasses.replace(fit.run(fit.Config(steps=100)), diverged_at=37)
    assert fit.notice(r) == tr("The loss became inf or NaN at step {step}: the learning rate is too large for this "
                               "fit. Lower it.").format(step=37)
