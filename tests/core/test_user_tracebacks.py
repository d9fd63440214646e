"""Errors surface at the user's call: the traceback of an ExoError raised by a
public entry point (primitives, cursors, @proc / @instr / @config,
proc_from_source) ends in the user's own frame, carries no `raise ... from`
chain, and reports the call's line and column. EXO_DEBUG_TRACEBACK=1 shows
the library's frames again."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import traceback

import pytest

from exo_core import (ExoError, ExoTypeError, InvalidCursorError, ParseError, SchedulingError,
                      VerificationError, config, instr, proc)
from exo_core.api import proc_from_source
from exo_core.errors import ArgumentTypeError, ArgumentValueError
from exo_core.user_frame import caller_srcinfo
from exo_stdlib.scheduling import divide_loop, fission, reorder_loops, simplify

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@proc
def two_loops(n: size, x: f32[n], y: f32[n]):
    for i in seq(0, n):
        for j in seq(0, 4):
            x[i] = y[i]
        y[i] = 1.0


@proc
def carried(n: size, x: f32[n + 1, 4]):
    for i in seq(0, n):
        for j in seq(0, 3):
            x[i + 1, j] = x[i, j + 1]


def _raised_here(excinfo, line: int, col: int | None = None) -> ExoError:
    """The error's traceback ends in this file at ``line`` (and its message's
    position is that line and, when given, that column)."""
    err = excinfo.value
    last = traceback.extract_tb(err.__traceback__)[-1]
    assert (os.path.abspath(last.filename), last.lineno) == (os.path.abspath(__file__), line), \
        traceback.format_tb(err.__traceback__)
    assert err.__cause__ is None and err.__suppress_context__
    assert err.srcinfo is not None and err.srcinfo.lineno == line
    if col is not None:
        assert err.srcinfo.col_offset == col
    return err


def _line() -> int:
    """The line after the caller's current line."""
    return sys._getframe(1).f_lineno + 1


def test_bad_argument_of_a_primitive():
    with pytest.raises(ArgumentTypeError) as e:
        line = _line()
        p = divide_loop(two_loops, "i", "4", ["io", "ii"])  # noqa: F841
    err = _raised_here(e, line, col=12)
    assert isinstance(err, TypeError) and isinstance(err, SchedulingError)
    assert "div_const must be an integer constant" in str(err)


def test_bad_enum_and_wrong_call():
    with pytest.raises(ArgumentValueError) as e:
        line = _line()
        divide_loop(two_loops, "i", 4, ["io", "ii"], tail="round")
    assert isinstance(_raised_here(e, line, col=8), ValueError)
    with pytest.raises(ArgumentTypeError, match="missing a required argument: 'new_iters'") as e:
        line = _line()
        divide_loop(two_loops, "i", 4)
    _raised_here(e, line, col=8)


def test_unsafe_rewrite_refused_by_the_analysis():
    with pytest.raises(SchedulingError) as e:
        line = _line()
        reorder_loops(carried, "i j")
    _raised_here(e, line, col=8)


def test_pattern_not_found_and_cursor_misuse():
    with pytest.raises(SchedulingError, match="no code matches") as e:
        line = _line()
        fission(two_loops, "z = _")
    _raised_here(e, line)
    with pytest.raises(InvalidCursorError) as e:
        line = _line()
        two_loops.find("y[_] = _ #3")
    _raised_here(e, line)
    top = two_loops.find_loop("i")
    with pytest.raises(InvalidCursorError) as e:
        line = _line()
        top.parent().parent()
    _raised_here(e, line)


def test_nested_loops_shorthand_gives_the_reason():
    with pytest.raises(ArgumentValueError) as e:
        line = _line()
        reorder_loops(two_loops, "i j")
    err = _raised_here(e, line)
    assert "expected loop i to contain exactly one statement, the loop j" in err.message
    assert "its body has 2 statements" in err.message
    # the cursor form says the same
    with pytest.raises(ArgumentValueError, match="its body has 2 statements"):
        reorder_loops(two_loops, two_loops.find_loop("i"))
    with pytest.raises(SchedulingError, match="no code matches"):
        reorder_loops(two_loops, "k j")  # no loop k at all


def test_proc_decorator_errors():
    with pytest.raises(VerificationError) as e:
        line = _line()
        @proc
        def oob(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i + 1] = 0.0
    last = traceback.extract_tb(e.value.__traceback__)[-1]
    assert last.lineno == line and os.path.abspath(last.filename) == os.path.abspath(__file__)
    assert e.value.__cause__ is None
    assert e.value.srcinfo.lineno == line + 3  # the bad index, in the user's file

    with pytest.raises(ExoTypeError) as e:
        line = _line()
        @proc
        def bad_type(x: f32[4]):
            x[0] = x
    assert traceback.extract_tb(e.value.__traceback__)[-1].lineno == line


def test_instr_and_config_decorator_errors():
    with pytest.raises(ParseError) as e:
        line = _line()
        instr(3)
    assert traceback.extract_tb(e.value.__traceback__)[-1].lineno == line
    with pytest.raises(ExoError) as e:
        line = _line()
        @instr("{x_data} = 0;")
        def bad(x: f32[4]):
            x[4] = 0.0
    assert traceback.extract_tb(e.value.__traceback__)[-1].lineno == line
    with pytest.raises(ParseError) as e:
        line = _line()
        config(3)
    assert traceback.extract_tb(e.value.__traceback__)[-1].lineno == line
    with pytest.raises(ParseError) as e:
        line = _line()
        proc_from_source(3)
    assert traceback.extract_tb(e.value.__traceback__)[-1].lineno == line


def test_procs_defined_in_a_function_see_its_locals():
    width = 4

    @proc
    def local(x: f32[width]):
        for i in seq(0, width):
            x[i] = 0.0

    assert "f32[4]" in str(local)


def test_internal_traceback_kept_for_debugging():
    with pytest.raises(SchedulingError) as e:
        reorder_loops(carried, "i j")
    tb = traceback.extract_tb(e.value.internal_traceback)
    assert any("exo_core" in f.filename for f in tb)


def test_column_of_the_call():
    s = (1,   caller_srcinfo())[1]
    assert (s.lineno, s.col_offset) == (sys._getframe().f_lineno - 1, 14)
    with pytest.raises(SchedulingError) as e:
        line = _line()
        q = [simplify(two_loops), divide_loop(two_loops,  # noqa: F841
                                              "i", 0, ["a", "b"])]
    assert (e.value.srcinfo.lineno, e.value.srcinfo.col_offset) == (line, 34)
    assert f":{line}:34: divide_loop:" in str(e.value)


def _run(script: str, tmp_path, debug: bool = False) -> subprocess.CompletedProcess:
    path = tmp_path / "user_script.py"
    path.write_text(textwrap.dedent(script))
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("EXO_DEBUG_TRACEBACK", None)
    if debug:
        env["EXO_DEBUG_TRACEBACK"] = "1"
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          env=env, timeout=120)


SCRIPT = """\
    from __future__ import annotations
    from exo_core import proc
    from exo_stdlib.scheduling import divide_loop

    @proc
    def foo(n: size, x: f32[n]):
        for i in seq(0, n):
            x[i] = 0.0

    def schedule(p):
        return divide_loop(p, "i", 0, ["io", "ii"])

    schedule(foo)
"""


def test_uncaught_error_in_a_script_ends_in_the_users_frame(tmp_path):
    r = _run(SCRIPT, tmp_path)
    assert r.returncode == 1
    frames = [line.strip() for line in r.stderr.splitlines() if line.strip().startswith("File ")]
    assert frames == [f'File "{tmp_path / "user_script.py"}", line 13, in <module>',
                      f'File "{tmp_path / "user_script.py"}", line 11, in schedule'], r.stderr
    assert r.stderr.rstrip().splitlines()[-1] == (
        f"exo_core.errors.ArgumentTypeError: {tmp_path / 'user_script.py'}:11:11: "
        "divide_loop: div_const must be at least 1, got 0")
    assert "direct cause" not in r.stderr and "During handling" not in r.stderr


def test_uncaught_definition_error_ends_in_the_users_frame(tmp_path):
    r = _run("""\
        from __future__ import annotations
        from exo_core import proc

        @proc
        def foo(n: size, x: f32[n]):
            for i in seq(0, n):
                x[i + 1] = 0.0
    """, tmp_path)
    frames = [line.strip() for line in r.stderr.splitlines() if line.strip().startswith("File ")]
    assert frames == [f'File "{tmp_path / "user_script.py"}", line 4, in <module>'], r.stderr
    assert f"user_script.py:7:10: index i + 1 of x may be out of bounds" in r.stderr


def test_debug_env_shows_the_library_frames(tmp_path):
    r = _run(SCRIPT, tmp_path, debug=True)
    assert r.returncode == 1
    assert "exo_core" + os.sep + "primitives" in r.stderr
    assert r.stderr.rstrip().splitlines()[-1].endswith("div_const must be at least 1, got 0")
