"""The exo-verify command: output, JSON, exit codes, on the seeds' examples
and on files with a deliberate out-of-bounds access or a load error."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from exo_core.verify_cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = os.path.join(HERE, "cli_examples")
OOB = os.path.join(EXAMPLES, "out_of_bounds.py")
SEEDS = os.path.join(ROOT, "tests", "seed_examples.py")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_out_of_bounds_file_fails_with_a_counterexample():
    code, text = run(OOB)
    assert code == 1
    lines = text.splitlines()
    assert lines[0].startswith(f"scale  ({OOB}:9): 4 obligations, all hold, ")
    assert any(line.startswith(f"shift  ({OOB}:15): 4 obligations, 1 FAILED") for line in lines)
    failed = [line for line in lines if line.lstrip().startswith("FAILED")]
    assert len(failed) == 1 and failed[0].split()[1] == "isl"
    assert failed[0].endswith(f"{OOB}:17:17  index i + 1 of x within [0, n)")
    assert f"      {OOB}:17:17: index i + 1 of x may be out of bounds [0, n): it is 1 when " \
           "i = 0, n = 1" in lines
    assert lines[-1].startswith(f"{OOB}: 2 procedures, 8 obligations (assumption 5, isl 3), "
                                "1 failed, ")


def test_every_obligation_line_names_solver_and_time():
    code, text = run(OOB, "--proc", "scale")
    assert code == 0
    body = [line for line in text.splitlines() if line.startswith("  ")]
    assert len(body) == 4
    for line in body:
        status, solver, ms, unit = line.split()[:4]
        assert status == "ok" and unit == "ms"
        assert solver in ("isl", "z3", "normaliser", "constant", "assumption")
        float(ms)


def test_named_procedure_selection_and_unknown_names():
    code, text = run(OOB, "--proc", "shift")
    assert code == 1 and "scale" not in text
    code, text = run(OOB, "--proc", "nope")
    assert code == 2
    assert text == (f"exo-verify: {OOB} defines no procedure named nope "
                    "(defined: scale, shift)\n")


def test_quiet_lists_only_failures():
    code, text = run(OOB, "-q")
    assert code == 1
    listed = [line for line in text.splitlines()
              if line.startswith("  ") and not line.startswith("   ")]
    assert [line.split()[0] for line in listed] == ["FAILED"]


def test_json_output():
    code, text = run(OOB, "--json")
    assert code == 1
    data = json.loads(text)
    assert data["file"] == OOB and data["ok"] is False
    assert [p["name"] for p in data["procedures"]] == ["scale", "shift"]
    shift = data["procedures"][1]
    failed = [o for o in shift["obligations"] if o["status"] == "failed"]
    assert failed == [{
        "kind": "bounds", "what": "index i + 1 of x within [0, n)",
        "srcinfo": f"{OOB}:17:17", "status": "failed", "solver": "isl",
        "seconds": failed[0]["seconds"],
        "message": "index i + 1 of x may be out of bounds [0, n): it is 1 when i = 0, n = 1",
        "counterexample": {"i": 0, "n": 1},
    }]
    assert all(o["status"] == "proved" for o in data["procedures"][0]["obligations"])


def test_seed_examples_all_hold():
    code, text = run(SEEDS, "-q")
    assert code == 0, text
    summary = text.splitlines()[-1]
    assert summary.startswith(f"{SEEDS}: ") and ", 0 failed, " in summary
    for name in ("generic_conv1d", "bar", "foo", "window_statement"):
        assert any(line.startswith(f"{name}  ({SEEDS}:") for line in text.splitlines())


def test_seed_001_bar_lists_its_window_obligations():
    code, text = run(SEEDS, "--proc", "bar")
    assert code == 0
    assert "window y[2:5] ends within y" in text
    assert "extent of z[1, 10:13] equals foo's x" in text


def test_seed_002_requirement_is_shown():
    code, data = run(SEEDS, "--json", "--proc", "foo")
    assert code == 0, data
    procs = json.loads(data)["procedures"]
    reqs = [r["formula"] for p in procs for r in p["requirements"]]
    assert reqs == ["stride(src, 0) == 1", "stride(dst, 0) == 1"]


def test_front_end_errors_exit_2_with_position():
    path = os.path.join(EXAMPLES, "type_error.py")
    code, text = run(path)
    assert code == 2
    assert text.splitlines() == [
        f"{path}:10:11: x is a buffer of type f32[4]; index it (e.g. x[i]) to use its values",
        f"exo-verify: {path} could not be loaded"]


def test_python_errors_exit_2_with_line():
    path = os.path.join(EXAMPLES, "python_error.py")
    code, text = run(path)
    assert code == 2
    assert text.splitlines()[0] == f"{path}:6: KeyError: 'm'"


def test_missing_file_exits_2():
    code, text = run(os.path.join(EXAMPLES, "no_such_file.py"))
    assert code == 2 and text.startswith("exo-verify: no such file: ")


def test_console_entry_point_exit_codes_and_help():
    env = dict(os.environ, PYTHONPATH=ROOT)
    cmd = [sys.executable, "-m", "exo_core.verify_cli"]
    res = subprocess.run(cmd + [OOB], capture_output=True, text=True, env=env, cwd=ROOT)
    assert res.returncode == 1 and "FAILED" in res.stdout
    res = subprocess.run(cmd + ["--help"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert res.returncode == 0 and "exit status: 0 all obligations hold" in res.stdout
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    assert res.returncode == 2 and "required: PATH" in res.stderr


def test_directory_and_several_files_are_all_checked():
    code, text = run(EXAMPLES)
    assert code == 2  # two of the three examples do not load; the third is still checked
    assert f"{OOB}: 2 procedures, 8 obligations" in text
    assert f"exo-verify: {os.path.join(EXAMPLES, 'type_error.py')} could not be loaded" in text
    assert text.splitlines()[-1] == ("3 files (2 could not be loaded), 2 procedures, "
                                     "1 failed obligations")
    code, text = run(OOB, SEEDS, "-q")
    assert code == 1
    assert f"{OOB}: 2 procedures" in text and f"{SEEDS}: 22 procedures" in text
    code, text = run(OOB, SEEDS, "--json", "--proc", "scale", "--proc", "bar")
    data = json.loads(text)
    assert code == 0 and data["ok"] is True
    assert [[p["name"] for p in f["procedures"]] for f in data["files"]] == [["scale"], ["bar"]]
