"""The optimizer race against a plain per-step torch.optim loop, the presets' notes against their own runs,
divergence, noise, bad input and the animated map's size."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

from nncore import i18n, optimizers, surfaces
from nncore.experiments import optimizer_race as race
from nncore.experiments.optimizer_race import Config, OptimizerSpec as S
from tests.pages.helpers import tr

ALL = tuple(S(key) for key in optimizers.OPTIMIZERS)


def plain_loop(cfg: Config, spec: S) -> np.ndarray:
    """Written here from scratch: one tensor, one optimizer, backward and step, the config's noise added."""
    surface = race.surface_of(cfg)
    p = torch.tensor(cfg.start, dtype=torch.float64, requires_grad=True)
    opt = optimizers.OPTIMIZERS[spec.key].make([p], **dict(spec.hparams))
    noise = race.noise_of(cfg)
    path = [p.detach().clone()]
    for k in range(cfg.steps):
        opt.zero_grad()
        surface(p, **race.surface_params(cfg)).backward()
        p.grad += noise[k]
        opt.step()
        path.append(p.detach().clone())
    return torch.stack(path).numpy()


CASES = {
    "every optimizer on Rosenbrock": Config(steps=120, optimizers=tuple(dataclasses.replace(s) for s in ALL)),
    "a racer diverges": Config(steps=60, optimizers=(S("radam", lr=0.05), S("adam", lr=0.05), S("sgd", lr=0.01))),
    "twice the same optimizer": Config(steps=80, optimizers=(S("adam", lr=0.05), S("adam", lr=0.05),
                                                             S("adam", lr=0.2))),
    "noisy gradients on the bowl": Config(surface="bowl", start=(-2.5, 1.0), steps=100, noise=2.0, seed=7,
                                          condition=30.0, optimizers=ALL),
    "a typed surface": Config(surface=race.CUSTOM, expression="x**2 + 10*sin(y) + 0.1*y**2", start=(1.0, 2.0),
                              steps=60, optimizers=ALL[:6]),
    "Himmelblau": Config(surface="himmelblau", start=(-0.3, -0.9), steps=100, optimizers=ALL),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_racer_follows_the_plain_torch_optim_loop(name):
    cfg = CASES[name]
    r = race.run(cfg)
    assert len(r.labels) == len(set(r.labels)) == len(cfg.optimizers)
    for label, spec in zip(r.labels, cfg.optimizers):
        assert r.paths[label].shape == (cfg.steps + 1, 2) and r.losses[label].shape == (cfg.steps + 1,)
        end = cfg.steps + 1 if r.diverged_at[label] is None else r.diverged_at[label] + 1
        np.testing.assert_allclose(r.paths[label][:end], plain_loop(cfg, spec)[:end], rtol=0, atol=1e-6,
                                   err_msg=label)
        assert np.isnan(r.paths[label][end:]).all()
    ref = race.reference_paths(cfg)
    assert all(np.allclose(ref[label][:2], r.paths[label][:2], atol=1e-6) for label in r.labels)
    assert (name == "a racer diverges") == any(d is not None for d in r.diverged_at.values())


def test_losses_gradients_and_updates_are_those_of_the_path():
    cfg = Config(steps=50, optimizers=(S("momentum", lr=1e-3), S("adam", lr=0.05)))
    r = race.run(cfg)
    surface = race.surface_of(cfg)
    for label in r.labels:
        p = torch.tensor(r.paths[label], requires_grad=True)
        f = surface(p)
        f.sum().backward()
        np.testing.assert_allclose(r.losses[label], f.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(r.grads[label], p.grad[:-1].numpy(), rtol=1e-12)
        np.testing.assert_allclose(r.updates[label], np.diff(r.paths[label], axis=0))


def test_internals_record_the_optimizer_state_torch_keeps():
    cfg = Config(steps=30, optimizers=(S("momentum", lr=1e-3, momentum=0.9), S("adam", lr=0.05), S("adagrad", lr=0.5)))
    r = race.run(cfg)
    mom, adam, ada = r.labels
    assert list(r.state[mom]) == ["momentum_buffer"] and list(r.state[ada]) == ["sum"]
    assert set(r.state[adam]) == {"exp_avg", "exp_avg_sq"}
    g = r.grads[mom]
    buf = np.zeros(2)
    for k in range(cfg.steps):                      # torch: b_t = γ b_{t-1} + g_t, θ_t = θ_{t-1} - η b_t
        buf = 0.9 * buf + g[k]
        np.testing.assert_allclose(r.state[mom]["momentum_buffer"][k], buf)
        np.testing.assert_allclose(r.updates[mom][k], -1e-3 * buf)
    np.testing.assert_allclose(r.state[ada]["sum"], np.cumsum(r.grads[ada] ** 2, axis=0))
    m = np.zeros(2)
    for k in range(cfg.steps):
        m = 0.9 * m + 0.1 * r.grads[adam][k]
        np.testing.assert_allclose(r.state[adam]["exp_avg"][k], m)
    rows = race.internals_at(r, adam, 5)
    assert [row[tr("quantity")] for row in rows] == [
        tr("point θ before the step"), tr("gradient g (noise included)"), tr("state: {name}").format(name="exp_avg"),
        tr("state: {name}").format(name="exp_avg_sq"), tr("update θ_t − θ_{t−1}")]
    assert rows[1]["x"] == r.grads[adam][4][0]


def test_noise_is_reproducible_by_seed_and_changes_with_it():
    cfg = Config(surface="bowl", start=(-2.5, 1.0), steps=60, noise=1.0, seed=3, optimizers=(S("sgd", lr=0.05),))
    a, b = race.run(cfg), race.run(cfg)
    c = race.run(dataclasses.replace(cfg, seed=4))
    label = a.labels[0]
    np.testing.assert_array_equal(a.paths[label], b.paths[label])
    assert not np.allclose(a.paths[label], c.paths[label])
    clean = race.run(dataclasses.replace(cfg, noise=0.0))
    assert np.std(a.grads[label] - clean.grads[label]) > 0.5
    noise = race.noise_of(cfg)
    np.testing.assert_allclose(noise.std().item(), 1.0, atol=0.2)


def test_every_racer_gets_the_same_noise():
    cfg = Config(surface="bowl", start=(0.0, 0.0), steps=20, noise=1.0, seed=1,
                 optimizers=(S("sgd", lr=0.01), S("sgd", lr=0.02)))
    r = race.run(cfg)
    a, b = r.labels
    np.testing.assert_allclose(r.grads[a][0], r.grads[b][0])   # at the minimum, the first gradient is pure noise


def test_a_diverging_racer_is_marked_and_the_others_go_on():
    cfg = Config(surface="bowl", start=(-2.5, 1.0), steps=100, condition=10.0,
                 optimizers=(S("sgd", lr=0.15), S("sgd", lr=0.21), S("sgd", lr=5.0)))
    r = race.run(cfg)
    ok, slow_blowup, fast_blowup = r.labels
    assert r.diverged_at[ok] is None and race.arrival(r, ok) is not None
    for label in (slow_blowup, fast_blowup):
        d = r.diverged_at[label]
        assert d is not None and d < cfg.steps
        assert np.isfinite(r.paths[label][:d]).all() and np.isnan(r.paths[label][d + 1:]).all()
        assert np.isnan(r.losses[label][d + 1:]).all()
    assert r.diverged_at[fast_blowup] < r.diverged_at[slow_blowup]
    np.testing.assert_allclose(r.paths[ok], plain_loop(cfg, cfg.optimizers[0]), atol=1e-6)
    board = r.leaderboard
    assert board[0]["racer"] == ok and board[-1]["diverged at step"] is not None
    assert tr("{racer} at step {step}").format(racer=slow_blowup, step=r.diverged_at[slow_blowup]) in \
        race.notice_race(r)


def test_paths_keep_their_contract_shape_when_every_racer_diverges():
    cfg = Config(surface="bowl", start=(-2.5, 1.0), steps=100, optimizers=(S("sgd", lr=0.5), S("momentum", lr=1.0)))
    r = race.run(cfg)
    assert all(d is not None for d in r.diverged_at.values())
    for label in r.labels:
        assert r.paths[label].shape == (cfg.steps + 1, 2) and r.losses[label].shape == (cfg.steps + 1,)
        assert np.isnan(r.paths[label][r.diverged_at[label] + 1:]).all()
    assert race.notice_steps(r) == tr("Every racer diverged: there are no step lengths to compare.")


def test_nan_from_a_typed_surface_is_a_divergence_not_a_crash():
    cfg = Config(surface=race.CUSTOM, expression="sqrt(x) + y**2", start=(1.0, 1.0), steps=50,
                 optimizers=(S("sgd", lr=0.9), S("sgd", lr=0.01)))
    r = race.run(cfg)
    fast, slow = r.labels
    assert r.diverged_at[fast] is not None and r.diverged_at[slow] is None


def said(message: str) -> list[str]:
    """The texts between the placeholders of `message` in the suite's language: what a sentence made from it holds."""
    return [part for part in re.split(r"\{[^{}]*\}", tr(message)) if part.strip()]


@pytest.mark.parametrize("cfg,message", [
    (Config(optimizers=()), "Pick at least one optimizer to race."),
    (Config(start=(5.0, 0.0)), "The start ({x}, {y}) is outside this surface's domain [{x0}, {x1}] × [{y0}, {y1}]. "
                               "Pick a start inside the map."),
    (Config(start=(float("nan"), 0.0)), "The start must be two numbers (x, y); got {start}."),
    (Config(surface=race.CUSTOM, expression=""), "Type a formula in x and y, e.g. x**2 + 10*sin(y)."),
    (Config(surface=race.CUSTOM, expression="x.__class__"), "attribute access ('.')"),
    (Config(surface=race.CUSTOM, expression="log(x)", start=(-1.0, 0.0)),
     "f is not defined at the start ({x}, {y}) (its value is {value}). Pick another start or change the formula."),
    (Config(surface="nope"), "Surface"),                       # the field's label: "Surface must be one of ..."
    (Config(steps=0), "Steps"),
    (Config(optimizers=(S("sgd", lr=100.0),)), "learning rate η"),
    (Config(optimizers=(S("adam", momentum=0.9),)), "{optimizer} has no hyperparameter {name} (it has: {names})."),
    (Config(optimizers=("sgd",)), "OptimizerSpec"),
    (Config(steps=2000, optimizers=ALL[:6]), "{racers} racers × {steps} steps is more than this page animates "
                                             "({most} racer-steps): use fewer steps or fewer racers."),
    (Config(optimizers=ALL + ALL), "At most {most} racers at once (got {count})."),
])
def test_bad_configs_raise_a_sentence(cfg, message):
    with pytest.raises(ValueError) as err:
        race.run(cfg)
    assert all(part in str(err.value) for part in said(message)), str(err.value)


def test_spec_is_hashable_canonical_and_reads_well():
    a, b = S("adam", lr=0.05), S("adam", lr=0.05, beta1=0.9, beta2=0.999)
    assert a == b and hash(a) == hash(b) and hash(Config(optimizers=(a,))) == hash(Config(optimizers=(b,)))
    assert a.name == "Adam η=0.05 β₁=0.9 β₂=0.999"
    assert eval(repr(a), {"OptimizerSpec": S}) == a
    assert race.labels((S("sgd"), S("sgd"), S("sgd", lr=0.1))) == ("SGD η=0.001", "SGD η=0.001 #2", "SGD η=0.1")


def test_progress_can_stop_the_race():
    seen = []

    def listener(p):
        seen.append(p.done)
        return p.done < 50

    r = race.run(Config(steps=400), listener)
    assert r.steps_done == 50 and seen[-1] == 50
    assert all(len(r.paths[label]) == 51 for label in r.labels)


def _moved(r, label) -> float:
    return float(np.linalg.norm(race.final(r, label)[0] - r.paths[label][0]))


def test_preset_saddle_note_matches_its_run():
    p = race.PRESETS["Saddle: SGD stalls, momentum escapes"]
    r = race.run(p.config)
    sgd, momentum, adam = r.labels
    end, f_end = race.final(r, sgd)
    assert np.linalg.norm(end) < 0.12 and abs(f_end) < 0.02         # "still about 0.1 from it", "loss ≈ 0.01"
    for label in (momentum, adam):
        assert 90 <= race.arrival(r, label) <= 130                   # "in about 110 steps"
        assert race.final(r, label)[1] < -0.99                       # "loss −1"
        assert abs(race.final(r, label)[0][1]) == pytest.approx(math.sqrt(2), abs=0.02)


def test_preset_ravine_note_matches_its_run():
    p = race.PRESETS["Ravine: SGD zig-zags, momentum and Adam go along"]
    r = race.run(p.config)
    sgd, momentum, adam = r.labels
    assert race.crossings(r, sgd) == p.config.steps                  # "crosses the valley floor on every step"
    assert race.final(r, sgd)[0][0] == pytest.approx(-5, abs=0.5)    # "still at x ≈ −5"
    assert race.crossings(r, momentum) < 0.3 * p.config.steps        # "about a quarter as often"
    assert race.final(r, momentum)[0][0] == pytest.approx(-2, abs=0.5)
    assert race.arrival(r, adam) is not None and race.arrival(r, sgd) is None and race.arrival(r, momentum) is None


def test_preset_adagrad_note_matches_its_run():
    p = race.PRESETS["AdaGrad's rate never recovers"]
    r = race.run(p.config)
    adagrad, rmsprop, adam = r.labels
    shrink = {label: race.step_lengths(r, label)[:10].mean() / race.step_lengths(r, label)[-10:].mean()
              for label in r.labels}
    assert all(v > 100 for v in shrink.values())                     # "every racer's steps end far shorter"
    assert min(shrink, key=shrink.get) == adagrad                    # AdaGrad's steps shrank least, not most
    assert race.arrival(r, adagrad) is None                          # "stops short of the minimum"
    assert race.step_lengths(r, rmsprop)[0] == pytest.approx(race.step_lengths(r, adagrad)[0], rel=0.01)
    rate = race.effective_lr(r, rmsprop)
    assert (rate[-1] > 2 * rate[0]).all()                            # "its effective rate η/√G grows back"
    ada = race.effective_lr(r, adagrad)
    assert (np.diff(ada, axis=0) <= 0).all()                         # "can only fall": at every step, both coordinates
    assert race.arrival(r, rmsprop) is not None and race.arrival(r, adam) is not None
    text = race.notice_adaptive(r)
    assert text.endswith(tr("AdaGrad's G only grows, so its rate can only fall") + "; " + tr(
        "{optimizers} average only recent squared gradients, so theirs can grow back").format(
        optimizers=tr(" and ").join(["Adam", "RMSprop"])) + ".")


def test_the_adaptive_notice_names_only_the_racers_that_run():
    r = race.run(race.PRESETS["Saddle: SGD stalls, momentum escapes"].config)   # SGD, momentum, Adam
    text = race.notice_adaptive(r)
    assert "AdaGrad" not in text and "RMSprop" not in text
    assert text.endswith(tr("{optimizer} averages only recent squared gradients, so its rate can grow back").format(
        optimizer="Adam") + ".")
    assert race.notice_adaptive(race.run(race.PRESETS["Too large a learning rate diverges"].config)) is None


def test_preset_learning_rate_note_matches_its_run():
    p = race.PRESETS["Too large a learning rate diverges"]
    r = race.run(p.config)
    crawl, good, too_big = r.labels
    bowl = race.surface_of(p.config)
    hessian = torch.autograd.functional.hessian(lambda q: bowl(q, condition=p.config.condition),
                                                torch.zeros(2, dtype=torch.float64))
    assert float(torch.linalg.eigvalsh(hessian).max()) == pytest.approx(10.0)   # "2/10 = 0.2"
    assert race.arrival(r, crawl) is None and r.diverged_at[crawl] is None
    assert race.arrival(r, good) is not None
    assert r.diverged_at[too_big] is not None


def test_preset_plateau_note_matches_its_run():
    p = race.PRESETS["Plateau: small gradients, slow steps"]
    r = race.run(p.config)
    sgd, momentum, adam = r.labels
    g = np.linalg.norm(r.grads[sgd][0])
    assert 0.001 < g < 0.004                                         # "about 0.002"
    assert 1e-4 < race.step_lengths(r, sgd).mean() < 6e-4            # "about 0.0003 a step"
    assert race.arrival(r, sgd) is None and _moved(r, sgd) < 0.1     # "still on it"
    assert race.arrival(r, momentum) is not None
    assert race.arrival(r, adam) < race.arrival(r, momentum)         # "arrives first"


def test_preset_noise_note_matches_its_run():
    p = race.PRESETS["Noisy gradients: big steps rattle"]
    r = race.run(p.config)
    big, small = r.labels
    quiet = race.run(dataclasses.replace(p.config, noise=0.0))
    assert race.arrival(quiet, big) < (race.arrival(quiet, small) or math.inf)   # "the quicker without noise"
    d_big, d_small = (np.mean(race.distances(r, label)[100:]) for label in (big, small))
    assert d_big == pytest.approx(0.5, abs=0.15)                                 # "about 0.5 away"
    assert 3 < d_big / d_small < 6                                              # "about four times closer"
    notice = race.notice_race(r)
    assert all(part in notice for part in said("With gradient noise σ = {noise}, the mean distance to the nearest "
                                               "minimum over the last {steps} steps: {distances}."))


def test_presets_are_valid_and_cover_the_lectures_scenarios():
    names = " ".join(race.PRESETS).lower()
    for word in ("saddle", "ravine", "adagrad", "learning rate", "noisy"):
        assert word in names
    for preset in race.PRESETS.values():
        race.check(preset.config)
        assert preset.note and preset.lecture


def test_notices_speak_from_the_numbers():
    r = race.run(Config())
    text = race.notice_race(r)
    best = r.leaderboard[0]
    assert best["racer"] in text and i18n.number(best["final loss"], ".3g") in text
    assert "AdaGrad" in race.notice_adaptive(r)
    assert race.notice_steps(r).startswith(said("Average step length, first 10 steps → last 10: {racers}.")[0])
    assert race.notice_adaptive(race.run(Config(optimizers=(S("sgd"),), steps=30))) is None


def test_surfaces_registry_entries_are_choices_of_the_config():
    from nncore.params import spec
    assert set(spec(Config, "surface")["choices"]) == set(surfaces.SURFACES) | {race.CUSTOM}


# ---------------------------------------------------------------- the charts built from a Result

def test_the_animated_map_thins_frames_not_paths_and_stays_small():
    import json
    from nncore.viz.optimizer_race import frame_steps, optimizer_map
    from tests.pages.helpers import array
    r = race.run(Config())          # six racers x 500 steps
    payload = optimizer_map(r).to_json()                 # what st.plotly_chart sends
    assert len(payload) < 500_000, len(payload)
    fig = json.loads(payload)
    names = [f["name"] for f in fig["frames"]]
    assert names[0] == "0" and names[-1] == str(r.config.steps) and len(names) >= 10
    assert [s["label"] for s in fig["layout"]["sliders"][0]["steps"]] == names
    for frame in fig["frames"]:
        k = int(frame["name"])
        lines = frame["data"][0::2]
        for label, trace in zip(r.labels, lines):        # every frame draws each path exactly up to its step
            np.testing.assert_allclose(array(trace["x"]), r.paths[label][:k + 1, 0].astype(np.float32))
            np.testing.assert_allclose(array(trace["y"]), r.paths[label][:k + 1, 1].astype(np.float32))
    assert list(frame_steps(30, 3)) == list(range(31))   # short races: every step is a frame
    steps = frame_steps(r.config.steps, 6)
    assert np.all(np.diff(steps) >= 1) and np.diff(steps)[0] < np.diff(steps)[-1]   # denser at the start


def test_every_chart_builds_for_a_race_with_a_divergence_and_no_known_minimum():
    from nncore import viz
    cfg = Config(surface=race.CUSTOM, expression="sqrt(x) + y**2", start=(1.0, 1.0), steps=50,
                 optimizers=(S("sgd", lr=0.9), S("adam", lr=0.05)))
    r = race.run(cfg)
    for fig in (viz.optimizer_map(r), viz.optimizer_losses(r), viz.optimizer_leaderboard(r), viz.optimizer_surface(r),
                viz.optimizer_internals(r, r.labels[1], 10)):
        assert fig.layout.title.text and len(fig.to_json()) < 1_000_000
    assert viz.optimizer_losses(r).layout.yaxis.type != "log"     # no known minimum: f itself, linear


def test_step_hooks_still_fire_when_someone_registered_them():
    """The race calls each optimizer's step without torch's profiler wrapper only when no step hook is registered."""
    calls = []
    handle = register_optimizer_step_post_hook(lambda opt, args, kwargs: calls.append(type(opt)))
    try:
        cfg = Config(steps=20, optimizers=(S("sgd"), S("momentum"), S("adam")))
        r = race.run(cfg)
    finally:
        handle.remove()
    assert len(calls) == 20 * 2                          # SGD and momentum share one torch.optim.SGD (two groups)
    np.testing.assert_allclose(r.paths[r.labels[2]], plain_loop(cfg, cfg.optimizers[2]), atol=1e-6)
