"""Synthetic budget disclosures with known truth, at any size (issue 7).

``Synth(seed, n).document(i)`` -> (text in the extraction format, truth records);
``python -m bench.synth --seed 1 --n 1000 --out DIR [--pdf]`` writes a corpus."""

from bench.synth.generator import Synth
from bench.synth.truth import truth_view

__all__ = ["Synth", "truth_view"]
