"""The private parts of torch the lab uses, in this one place, because torch has no public equivalent.

tests/test_private_apis.py fails if a torch upgrade removes or changes one of them: then replace it here (a plain
loop over the tensors gives the same numbers, only slower) and nowhere else. (One more, by name only: the worker
pool preloads torch._dynamo, nncore/ui/jobs.py PRELOAD; the same test file checks that it is still what an
optimizer imports lazily.)
"""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.optim import optimizer as torch_optimizer


# Multi-tensor ("foreach") ops: one call for all of a model's weights instead of one call per tensor. torch.optim's
# own foreach steps are built on them; small-model training is per-call overhead (DESIGN.md 8).

def foreach_sign(tensors: list[torch.Tensor]) -> list[torch.Tensor]:
    """The sign of each tensor (torch._foreach_sign)."""
    return torch._foreach_sign(tensors)


def foreach_scale_(tensors: list[torch.Tensor], factor: float) -> None:
    """Multiply each tensor in place by `factor` (torch._foreach_mul_)."""
    torch._foreach_mul_(tensors, factor)


def foreach_copy_(targets: list[torch.Tensor], sources: list[torch.Tensor]) -> None:
    """Copy each source into its target in place (torch._foreach_copy_)."""
    torch._foreach_copy_(targets, sources)


def bare_step(opt: torch.optim.Optimizer) -> Callable[[], Any]:
    """The optimizer's own step() without the wrapper torch.optim puts around it for profiler annotations and step
    hooks, when no hook is registered (else opt.step itself). Same update code; the wrapper cost ~40% of each step
    of a 2-parameter optimizer race here."""
    hooks = (opt._optimizer_step_pre_hooks, opt._optimizer_step_post_hooks,
             torch_optimizer._global_optimizer_pre_hooks, torch_optimizer._global_optimizer_post_hooks)
    inner = getattr(type(opt).step, "__wrapped__", None)
    return (lambda: inner(opt)) if inner is not None and not any(hooks) else opt.step
