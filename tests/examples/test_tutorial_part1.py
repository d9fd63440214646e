"""docs/tutorial.md, Part 1: the procedures and the C it shows are what the
schedule of examples/rvm_conv1d prints, step by step, and every schedule line
it shows is a line of that schedule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from examples.rvm_conv1d.conv1d import STEPS, schedule_conv1d

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "rvm_conv1d" / "conv1d.py"


def _part1() -> str:
    text = (ROOT / "docs" / "tutorial.md").read_text()
    start = text.index("## Part 1")
    end = text.find("\n## Part 2", start)
    return text[start:] if end < 0 else text[start:end]


def _blocks(lang: str) -> list:
    return re.findall(rf"```{lang}\n(.*?)\n```", _part1(), flags=re.S)


@pytest.fixture(scope="module")
def steps():
    return schedule_conv1d()


def test_printed_procedures_are_the_schedules_steps(steps):
    shown = [b for b in _blocks("python") if b.startswith("def exo_conv1d_tile_lt_kw(")]
    assert shown == [str(steps[name]) for name in STEPS]


def test_the_c_is_the_compiled_final_step(steps):
    (c_block,) = _blocks("c")
    assert c_block in steps["final"].c_code_str()
    assert c_block.startswith("void exo_conv1d_tile_lt_kw(void *ctxt")


def test_schedule_lines_are_the_examples():
    example = {line.strip() for line in EXAMPLE.read_text().splitlines()}
    shown = [b for b in _blocks("python")
             if not b.startswith(("def exo_conv1d", "@instr", "@proc"))]
    assert shown, "the tutorial shows the schedule"
    lines = [line.strip() for b in shown for line in b.splitlines() if line.strip()]
    missing = [line for line in lines if line not in example]
    # the first line renames the algorithm, which the example does inside schedule_conv1d
    assert missing == ['p = rename(generic_conv1d, "exo_conv1d_tile_lt_kw")']
