"""The charts' palette stays distinguishable for colour-blind students: each pair of its colours, seen through a
simulation of protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1), stays at least
MIN_DELTA_E apart in CIELAB (ΔE*76; about 2.3 is a just-noticeable difference, 10+ reads as another colour at a glance)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from nncore.viz.theme import PALETTE

MIN_DELTA_E = 15.0
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ rgb / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def closest_pair(colours: list[str], deficiency: str) -> tuple[float, str, str]:
    seen = {c: lab(np.clip(np.array(MACHADO[deficiency]) @ linear_rgb(c), 0, 1)) for c in colours}
    return min((float(np.linalg.norm(seen[a] - seen[b])), a, b) for a, b in itertools.combinations(colours, 2))


@pytest.mark.parametrize("deficiency", MACHADO)
def test_every_pair_of_the_palette_stays_apart(deficiency):
    distance, a, b = closest_pair(PALETTE, deficiency)
    assert distance >= MIN_DELTA_E, f"{a} and {b} look alike with {deficiency} (ΔE {distance:.1f})"


def test_the_simulation_catches_a_red_green_palette():
    assert closest_pair(["#D62728", "#2CA02C"], "deuteranopia")[0] < MIN_DELTA_E   # matplotlib's red and green
