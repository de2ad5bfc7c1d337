"""Loss functions and output layers (001 'Cost function & Loss', 004 'Loss Functions', 000 'what you want the DNN
to output').

Each part from one run of torch: each loss and its gradient against the residual (or the logit); a line and a small
net fitted to data with injected outliers under each regression loss, showing the outliers' pull; 000's pitfalls of a
sigmoid output asked for targets 0..255 and of class labels 0, 1, 2 given to a binary loss, each beside its fix.
`run_wine_losses`: 004's red wines trained with MAE, MSE and Huber; `run_adam`: 004's claim that Adam needs no
learning rate, tested on its red wines at 1e-5, 1e-3 and 1.

004 writes Huber with the data's standard deviation as δ and applies the branch to the sum of the errors; torch's
huber_loss (used here) applies it to each residual, and δ is a hyperparameter (torch's default 1.0).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from nncore import data as datasets
from nncore import models, training
from nncore.i18n import N_, _, number
from nncore.losses import LOSSES, check_delta, make
from nncore.params import Preset, param, validate
from nncore.progress import report

REGRESSION = ("mae", "mse", "huber", "log_cosh")
RESIDUALS = np.linspace(-4.0, 4.0, 161)
LOGITS = np.linspace(-8.0, 8.0, 161)
RIVAL = 4.0                 # the wrong class's score while the true class's logit is swept
SLOPE, INTERCEPT = 2.0, 1.0  # the inliers' line
N_INLIERS = 40
FIT_STEPS, FIT_LR = 300, 0.1
PIXEL_STEPS, PIXEL_LR = 300, 0.03
N_PIXELS = 200
NET_LOSSES = ("mae", "mse", "huber")
NET_WIDTH, NET_STEPS, NET_LR = 16, 300, 0.05
GRID = np.linspace(-1.0, 1.0, 101)      # where fits are drawn and compared with the inliers' line
N_BLOBS, LABEL_STEPS, LABEL_LR = 300, 100, 0.05


@dataclass(frozen=True)
class Config:
    """Huber's δ, the outliers injected into the line data, and the seed of data and nets."""

    delta: float = param(1.0, 0.1, 5.0, step=0.1, label=N_("Huber's δ"),
                         help=N_("Where Huber's squared branch turns linear, per residual (torch's default: 1.0)."))
    outliers: int = param(6, 0, 20, label=N_("Outliers"),
                        help=N_("How many points are moved off the line."))
    outlier_shift: float = param(-8.0, -20.0, 20.0, step=0.5, label=N_("Outlier shift"),
                                 help=N_("How far below (or above) the line the outliers sit."))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


@dataclass(frozen=True)
class Result:
    """Loss curves and their autograd gradients, the outlier fits, and the sigmoid-for-0..255 pitfall."""

    config: Config
    residuals: np.ndarray       # (R,)
    curves: dict                # regression loss key -> (R,) loss
    grads: dict                 # regression loss key -> (R,) d loss / d residual
    logits: np.ndarray          # (Z,)
    bce: np.ndarray             # (Z,) BCE for label 1 against the logit
    bce_grad: np.ndarray        # (Z,)
    ce_grad: np.ndarray         # (Z,) d CE / d true logit (softmax + cross-entropy), the rival at RIVAL
    softmax_mse_grad: np.ndarray  # (Z,) d MSE(softmax, one-hot) / d true logit
    x: np.ndarray               # (N,) line data, inliers then outliers
    y: np.ndarray               # (N,)
    is_outlier: np.ndarray      # (N,) bool
    fits: dict                  # regression loss key -> (slope, intercept)
    net_fits: dict              # NET_LOSSES key -> (G,) a small net's fit on GRID
    pixel_x: np.ndarray         # (P,)
    pixel_y: np.ndarray         # (P,) targets 0..255
    pixel_pred: dict            # "sigmoid" (0..255), "scaled" (/ 255, then x 255), "bce" (BCE on 0..255) -> (P,)
    pixel_rmse: dict            # same keys -> RMSE in pixel units
    pixel_bound: float          # the RMSE no output in (0, 1) can beat on these targets
    pixel_bce_loss: float       # the final BCE of the net trained by BCE on the raw 0..255 targets (below 0)
    label_losses: dict          # "bce" (one logit, labels 0..2), "ce" (three logits) -> (LABEL_STEPS,) training loss
    label_recall: dict          # same keys -> (3,) share of each class's validation points predicted as that class
    label_accuracy: dict        # same keys -> validation accuracy


def check(cfg: Config) -> None:
    check_delta(cfg.delta)
    validate(cfg)


def _autograd(loss_fn, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """loss_fn(t) elementwise at each point, and its derivative by autograd."""
    t = torch.tensor(points, dtype=torch.float32, requires_grad=True)
    loss = loss_fn(t)
    grad, = torch.autograd.grad(loss.sum(), t)
    return loss.detach().numpy().astype(float), grad.numpy().astype(float)


def _softmax_losses(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Cross-entropy and squared error of softmax against one-hot, with the true class's logit z, the rival at RIVAL."""
    logits = torch.stack([z, torch.full_like(z, RIVAL), torch.zeros_like(z)], dim=1)
    target = torch.zeros(len(z), dtype=torch.long)
    mse = ((torch.softmax(logits, 1) - F.one_hot(target, 3).float()) ** 2).sum(1)
    return F.cross_entropy(logits, target, reduction="none"), mse


def curves(cfg: Config) -> dict:
    """Each loss and its gradient against the residual (regression) or the true logit (classification)."""
    out = {"curves": {}, "grads": {}}
    for key in REGRESSION:
        fn = make(key, cfg.delta)
        out["curves"][key], out["grads"][key] = _autograd(lambda r: fn(r, torch.zeros_like(r), reduction="none"),
                                                          RESIDUALS)
    out["bce"], out["bce_grad"] = _autograd(lambda z: F.binary_cross_entropy_with_logits(
        z, torch.ones_like(z), reduction="none"), LOGITS)
    out["ce_grad"] = _autograd(lambda z: _softmax_losses(z)[0], LOGITS)[1]
    out["softmax_mse_grad"] = _autograd(lambda z: _softmax_losses(z)[1], LOGITS)[1]
    return out


def line_data(cfg: Config) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Inliers on y = 2x + 1 (x in [-1, 1]) with noise 0.1, then `outliers` points at the right end moved by
    `outlier_shift`."""
    gen = torch.Generator().manual_seed(cfg.seed)
    x_in = torch.rand(N_INLIERS, generator=gen) * 2 - 1
    x_out = 0.4 + 0.6 * torch.rand(cfg.outliers, generator=gen)
    x = torch.cat([x_in, x_out])
    y = SLOPE * x + INTERCEPT + 0.1 * torch.randn(len(x), generator=gen)
    y[N_INLIERS:] += cfg.outlier_shift
    return x, y, torch.arange(len(x)) >= N_INLIERS


def fit_lines(cfg: Config, x: torch.Tensor, y: torch.Tensor) -> dict:
    """A line (slope, intercept) per regression loss, all trained together by one Adam (elementwise, so each line
    follows its own loss as if alone), full batch, with a cosine decay so that MAE settles."""
    params = torch.zeros(len(REGRESSION), 2, requires_grad=True)
    fns = [make(k, cfg.delta) for k in REGRESSION]
    _minimize([params], lambda: sum(fn(p, y) for fn, p in zip(fns, params[:, :1] * x + params[:, 1:])), FIT_STEPS,
              FIT_LR, decay=True)
    return {k: tuple(float(v) for v in row) for k, row in zip(REGRESSION, params.detach())}


def fit_nets(cfg: Config, x: torch.Tensor, y: torch.Tensor) -> dict:
    """A 1-16-1 tanh net per loss of NET_LOSSES, all from the same start and trained together as one batch of nets
    (as fit_lines), so only the loss differs; each net's fit on GRID."""
    gen = torch.Generator().manual_seed(cfg.seed)
    n, h = len(NET_LOSSES), NET_WIDTH
    w1, w2 = torch.randn(1, 1, h, generator=gen), torch.randn(1, h, 1, generator=gen) / h ** 0.5
    params = [w1.repeat(n, 1, 1).requires_grad_(), torch.zeros(n, 1, h, requires_grad=True),
              w2.repeat(n, 1, 1).requires_grad_(), torch.zeros(n, 1, 1, requires_grad=True)]
    net = lambda inputs: (torch.tanh(inputs[:, None] @ params[0] + params[1]) @ params[2] + params[3])[..., 0]
    fns = [make(k, cfg.delta) for k in NET_LOSSES]
    _minimize(params, lambda: sum(fn(p, y) for fn, p in zip(fns, net(x))), NET_STEPS, NET_LR, decay=True)
    with torch.no_grad():
        curves = net(torch.tensor(GRID, dtype=torch.float32))
    return {k: row.numpy().astype(float) for k, row in zip(NET_LOSSES, curves)}


def _minimize(params: list, objective, steps: int, lr: float, decay: bool = False) -> np.ndarray:
    """Full-batch Adam on objective() for `steps` steps (with `decay`, a cosine decay to 0, so that MAE settles);
    the objective's value at each step."""
    opt = torch.optim.Adam(params, lr=lr, foreach=True)    # one call per step; the same numbers (training.FOREACH_SAME)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps) if decay else None
    values = []
    for _step in range(steps):
        value = objective()
        opt.zero_grad()
        value.backward()
        opt.step()
        if sched is not None:
            sched.step()
        values.append(value.item())
    return np.asarray(values)


def pixel_data(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A 1-D 'intensity' target in 0..255: 127.5 (1 + sin 3x) on x in [-1, 1]."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(N_PIXELS, 1, generator=gen) * 2 - 1
    return x, 127.5 * (1 + torch.sin(3 * x))


def fit_pixels(x: torch.Tensor, y: torch.Tensor, scale: float, seed: int, loss: str = "mse") -> tuple[torch.Tensor,
                                                                                                       float]:
    """A 1-32-1 tanh net with a sigmoid output trained on y / scale by MSE on its output (or by BCE on its logit, the
    wrong loss for a regression); its predictions times scale, and the final loss."""
    gen = torch.Generator().manual_seed(seed)
    w1, w2 = torch.randn(1, 32, generator=gen), torch.randn(32, 1, generator=gen) / 32 ** 0.5
    params = [w1.requires_grad_(), torch.zeros(32, requires_grad=True), w2.requires_grad_(),
              torch.zeros(1, requires_grad=True)]
    logit = lambda: torch.tanh(x @ params[0] + params[1]) @ params[2] + params[3]
    criterion = (lambda: F.mse_loss(torch.sigmoid(logit()), y / scale)) if loss == "mse" else \
        (lambda: F.binary_cross_entropy_with_logits(logit(), y / scale))
    _minimize(params, criterion, PIXEL_STEPS, PIXEL_LR)
    with torch.no_grad():
        return torch.sigmoid(logit()) * scale, float(criterion())


def fit_labels(seed: int) -> dict:
    """000's pitfall run for real: three classes (the blobs) given as labels 0, 1, 2 to one logit and binary
    cross-entropy (torch takes targets above 1 without a word), beside the fix, three logits and cross-entropy.
    The binary net's answer is what a binary net says: class 1 if its logit is above 0, else class 0."""
    blobs = datasets.load("blobs", n_samples=N_BLOBS, seed=seed)
    x, y = blobs.x_train, blobs.y_train
    out = {"losses": {}, "recall": {}, "accuracy": {}}
    for key, n_out in (("bce", 1), ("ce", 3)):
        model = models.build(models.MLPSpec(2, n_out, hidden=(16,)), seed)
        objective = (lambda: F.binary_cross_entropy_with_logits(model(x)[:, 0], y.float())) if key == "bce" else \
            (lambda: F.cross_entropy(model(x), y))
        out["losses"][key] = _minimize(list(model.parameters()), objective, LABEL_STEPS, LABEL_LR)
        with torch.no_grad():
            logits = model(blobs.x_val)
        said = (logits[:, 0] > 0).long() if key == "bce" else logits.argmax(1)
        right = (said == blobs.y_val).double()
        out["recall"][key] = np.array([float(right[blobs.y_val == c].mean()) for c in range(3)])
        out["accuracy"][key] = float(right.mean())
    return out


@training.single_thread()   # small nets: one torch thread; on two, a busy machine ran it 7x slower (47 s vs 7 s)
def run(cfg: Config, on_progress=None) -> Result:
    """The three parts of the lesson at `cfg`: curves, outlier fits, the sigmoid pitfall."""
    check(cfg)
    c = curves(cfg)
    x, y, is_out = line_data(cfg)
    px, py = pixel_data(cfg.seed)
    runs = {"sigmoid": fit_pixels(px, py, 1.0, cfg.seed), "scaled": fit_pixels(px, py, 255.0, cfg.seed),
            "bce": fit_pixels(px, py, 1.0, cfg.seed, loss="bce")}
    preds = {k: p for k, (p, _loss) in runs.items()}
    rmse = {k: float(F.mse_loss(p, py).sqrt()) for k, p in preds.items()}
    bound = float(F.mse_loss(py.clamp(0, 1), py).sqrt())
    labels = fit_labels(cfg.seed)
    return Result(cfg, RESIDUALS.copy(), c["curves"], c["grads"], LOGITS.copy(), c["bce"], c["bce_grad"], c["ce_grad"],
                  c["softmax_mse_grad"], x.numpy().astype(float), y.numpy().astype(float), is_out.numpy(),
                  fit_lines(cfg, x, y), fit_nets(cfg, x, y), px[:, 0].numpy().astype(float), py[:, 0].numpy().astype(float),
                  {k: p[:, 0].numpy().astype(float) for k, p in preds.items()}, rmse, bound, runs["bce"][1],
                  labels["losses"], labels["recall"], labels["accuracy"])


PRESETS = {
    N_("004's outliers"): Preset(Config(), N_("A few points far below the line: MSE tilts towards them, MAE ignores "
                                              "them, Huber sits in between."), "004 'Loss Functions: MAE, MSE, Huber'"),
    N_("Small δ (0.2)"): Preset(Config(delta=0.2), N_("Huber's δ small: it behaves like MAE (times δ) almost "
                                                      "everywhere."), "004 'Huber'"),
    N_("Large δ (5)"): Preset(Config(delta=5.0), N_("Huber's δ large: every residual but the outliers' is in the "
                                                    "squared branch, and the fit moves towards MSE's."), "004 'Huber'"),
    N_("No outliers"): Preset(Config(outliers=0), N_("Clean data: MSE, Huber and log-cosh find the same line."), ""),
}


def curve_gap(curve: np.ndarray) -> float:
    """Mean vertical gap between a fit drawn on GRID and the inliers' line over x in [-1, 1]."""
    return float(np.abs(curve - (SLOPE * GRID + INTERCEPT)).mean())


def gap_to_inliers(fit: tuple[float, float]) -> float:
    """Mean vertical gap between a fitted line and the inliers' line over x in [-1, 1]."""
    return curve_gap(fit[0] * GRID + fit[1])


def notice_gradients(r: Result) -> str:
    """What each gradient does at the largest residual shown, and Huber's δ as a per-residual switch."""
    end, g = -1, r.grads
    return _("At a residual of {r}, MSE pulls with {mse}, MAE with {mae}, Huber with {huber} (its gradient is the "
             "residual clipped to ±δ = ±{delta}) and log-cosh with {log_cosh}. 004 sets δ to the data's std and "
             "applies the branch to the sum of the errors; torch's huber_loss, used here, switches per residual, and δ "
             "is a hyperparameter (default 1.0).").format(
        r=number(r.residuals[end]), mse=number(g["mse"][end], ".3g"), mae=number(g["mae"][end], ".3g"),
        huber=number(g["huber"][end], ".3g"), delta=number(r.config.delta), log_cosh=number(g["log_cosh"][end], ".3g"))


def notice_fits(r: Result) -> str:
    """How far each fitted line lies from the inliers' line."""
    gaps = {k: gap_to_inliers(f) for k, f in r.fits.items()}
    text = ", ".join(f"{LOSSES[k].label} {number(g, '.2f')}" for k, g in gaps.items())
    return _("Mean gap between each fit and the inliers' line y = {slope}x + {intercept}: {gaps}. {outliers} outliers "
             "out of {n} points.").format(slope=number(SLOPE), intercept=number(INTERCEPT), gaps=text,
                                          outliers=r.config.outliers, n=len(r.x))


def notice_net_fits(r: Result) -> str:
    """How far each small net's fit lies from the inliers' line, and who is the majority where the outliers sit."""
    text = ", ".join(_("{loss} {gap} (its line {line_gap})").format(
        loss=LOSSES[k].label, gap=number(curve_gap(c), ".2f"), line_gap=number(gap_to_inliers(r.fits[k]), ".2f"))
        for k, c in r.net_fits.items())
    there = r.x >= r.x[r.is_outlier].min() if r.is_outlier.any() else np.zeros(len(r.x), bool)
    inliers, outliers = int((there & ~r.is_outlier).sum()), int(r.is_outlier.sum())
    if inliers > outliers:
        sentence = _("Mean gap between each net's fit and the inliers' line: {gaps}. A net can bend where a line "
                     "cannot: under MSE it bends towards the outliers where they sit. There, {inliers} inliers and "
                     "{outliers} outliers: MAE's fit follows the median of the points near each x, so it stays with "
                     "the inliers.")
    else:
        sentence = _("Mean gap between each net's fit and the inliers' line: {gaps}. A net can bend where a line "
                     "cannot: under MSE it bends towards the outliers where they sit. There, {inliers} inliers and "
                     "{outliers} outliers: MAE's fit follows the median of the points near each x, so it stays with "
                     "the outliers.")
    return sentence.format(gaps=text, inliers=inliers, outliers=outliers)


def notice_labels(r: Result) -> str:
    """The BCE-on-0..2 run's final loss (below 0) and per-class answers, against the cross-entropy fix."""
    bce, ce = r.label_recall["bce"], r.label_recall["ce"]
    share = lambda v: number(v, ".0%")
    return _("Binary cross-entropy on labels 0, 1, 2 trains without an error: its loss falls to {loss}, below 0, where "
             "no cross-entropy can go (with a target of 2 it has no minimum: the logits of class 2 only grow). One "
             "logit can say 0 or 1, never 2: the net gets {bce0}, {bce1} and {bce2} of the validation points of "
             "classes 0, 1, 2 right ({bce_all} in all). The fix, three logits and cross-entropy: {ce0}, {ce1}, {ce2} "
             "({ce_all}).").format(
        loss=number(r.label_losses["bce"][-1], ".3g"), bce0=share(bce[0]), bce1=share(bce[1]), bce2=share(bce[2]),
        bce_all=share(r.label_accuracy["bce"]), ce0=share(ce[0]), ce1=share(ce[1]), ce2=share(ce[2]),
        ce_all=share(r.label_accuracy["ce"]))


def notice_logits(r: Result) -> str:
    """The gradients at the most confidently wrong logit of the sweep."""
    return _("With the true class's logit at {logit} and the rival's at {rival}, softmax + cross-entropy pushes it "
             "with {ce}, softmax + MSE with {mse}: the exp saturates and MSE has no log to undo it.").format(
        logit=number(r.logits[0]), rival=number(RIVAL), ce=number(r.ce_grad[0], ".3g"),
        mse=number(r.softmax_mse_grad[0], ".2g"))


def notice_pixels(r: Result) -> str:
    """The sigmoid's RMSE against the bound no output in (0, 1) can beat, and the fix's RMSE."""
    return _("Trained on targets 0..255, the sigmoid net ends at RMSE {rmse}; no output in (0, 1) can do better than "
             "{bound} on these targets. Scaling the targets to 0..1 (and the predictions back) gives RMSE {scaled}. "
             "Binary cross-entropy on the raw targets fails silently: torch accepts them, and the loss falls to "
             "{bce}, below 0, which no cross-entropy can reach: with targets above 1 it has no minimum, the logits "
             "only grow. The fix is a regression loss (MSE, MAE, Huber); this lab's check_target refuses the "
             "pair.").format(rmse=number(r.pixel_rmse["sigmoid"], ".4g"), bound=number(r.pixel_bound, ".4g"),
                             scaled=number(r.pixel_rmse["scaled"], ".3g"), bce=number(r.pixel_bce_loss, ".3g"))


ADAM_LRS = (1e-5, 1e-3, 1.0)
WINE_LOSSES = ("mae", "mse", "huber")
WINE_LR = 1e-3              # Keras' Adam default, as in 004's code


@dataclass(frozen=True)
class AdamConfig:
    """004's red wines (batches of 256, as in its Keras code): how long to train, and the seed of split and net."""

    epochs: int = param(40, 5, 200, label=N_("Epochs"))
    seed: int = param(0, 0, 2**31 - 1, label=N_("Seed"))


WineConfig = AdamConfig      # the loss comparison trains the same wines for as long


@dataclass(frozen=True)
class AdamResult:
    """Per learning rate: the training and validation MAE per epoch (quality points), and the final validation MAE."""

    config: AdamConfig
    lrs: tuple
    train_mae: tuple            # one (epochs,) array per learning rate
    val_mae: tuple
    final_val_mae: tuple        # floats
    baseline_mae: float         # predicting the training mean for every wine


@dataclass(frozen=True)
class WineResult:
    """Per training loss (004's MAE, MSE, Huber): the validation MAE per epoch and at the end, in quality points."""

    config: WineConfig
    losses: tuple               # keys of LOSSES, in WINE_LOSSES' order
    val_mae: tuple              # one (epochs,) array per loss
    final_val_mae: tuple        # floats
    baseline_mae: float         # predicting the training mean for every wine


def _val_mae(epoch: int, model, data: datasets.Data) -> dict:
    """The validation MAE after an epoch, whatever loss the net trains on (the model is in eval mode, no grad)."""
    return {"val_mae": float((model(data.x_val) - data.y_val).abs().mean())}


def _wine_runs(cfg: AdamConfig, specs: list[tuple[str, training.TrainSpec]], on_progress) -> tuple[list, float]:
    """The same net (64-64 ReLU, output bias at the mean quality) trained on the red wines once per (name, spec);
    the Histories (validation MAE in `extra`) and the MAE of predicting the training mean."""
    wines = datasets.load("red_wine", n_samples=1599, seed=cfg.seed)
    mean = float(wines.y_train.mean())
    runs = []
    for i, (name, spec) in enumerate(specs):
        def step(p, i=i, name=name):
            return report(on_progress, i * cfg.epochs + p.done, len(specs) * cfg.epochs, name)
        model = models.build(models.MLPSpec(wines.n_features, 1, hidden=(64, 64), output_bias=mean), cfg.seed)
        runs.append(training.train(model, wines, spec, seed=cfg.seed, on_progress=step, on_epoch=_val_mae))
    return runs, float((wines.y_val - mean).abs().mean())


def run_adam(cfg: AdamConfig, on_progress=None) -> AdamResult:
    """The same net trained by Adam with MAE (004's loss) at each of ADAM_LRS."""
    validate(cfg)
    specs = [(f"Adam, lr = {lr:g}", training.TrainSpec(epochs=cfg.epochs, batch_size=256, lr=lr, loss="mae"))
             for lr in ADAM_LRS]
    runs, baseline = _wine_runs(cfg, specs, on_progress)
    return AdamResult(cfg, ADAM_LRS, tuple(h.train_loss for h in runs), tuple(h.val_loss for h in runs),
                      tuple(float(h.final_val_loss) for h in runs), baseline)


def run_wine_losses(cfg: WineConfig, on_progress=None) -> WineResult:
    """004's comparison: the same net trained by Adam (lr 1e-3) with MAE, MSE and Huber (δ = 1), each measured by
    the validation MAE, so that the three are on one scale."""
    validate(cfg)
    specs = [(_("Training with {loss}").format(loss=LOSSES[k].label),
              training.TrainSpec(epochs=cfg.epochs, batch_size=256, lr=WINE_LR, loss=k)) for k in WINE_LOSSES]
    runs, baseline = _wine_runs(cfg, specs, on_progress)
    return WineResult(cfg, WINE_LOSSES, tuple(h.extra["val_mae"] for h in runs),
                      tuple(float(h.extra["val_mae"][-1]) for h in runs), baseline)


def notice_wine_losses(r: WineResult) -> str:
    """The three losses ranked by this run's final validation MAE, against predicting the mean."""
    ranked = sorted(zip(r.final_val_mae, r.losses))
    order = _(", then ").join(f"{LOSSES[k].label} ({number(m, '.3f')})" for m, k in ranked)
    spread = ranked[-1][0] - ranked[0][0]
    return _("Validation MAE after {epochs} epochs, best first: {order}; predicting the mean quality gives {baseline}. "
             "The three differ by {spread} quality points in this run; another seed may order them differently. "
             "Measured in MAE, training on MAE has the home advantage; MSE chases the few wines far from the mean, "
             "Huber (δ = 1) treats residuals under one quality point as MSE does and larger ones as MAE "
             "does.").format(epochs=r.config.epochs, order=order, baseline=number(r.baseline_mae, ".3f"),
                             spread=number(spread, ".3f"))


def notice_adam(r: AdamResult) -> str:
    """Each learning rate's final validation MAE against predicting the mean."""
    finals = ", ".join(f"lr = {lr:g}: {number(m, '.3f')}" for lr, m in zip(r.lrs, r.final_val_mae))
    return _("Validation MAE after {epochs} epochs ({finals}); predicting the mean quality for every wine gives "
             "{baseline}. Adam rescales each step by its gradient history, but the step size is still the learning "
             "rate: too small and the net barely moves from its start, too large and it jumps around.").format(
        epochs=r.config.epochs, finals=finals, baseline=number(r.baseline_mae, ".3f"))
