"""The well-formedness check (exo_core.ir.wellformed): it accepts what the
front end and the primitives build, and it catches deliberately broken
rewrites (each built with ProcEditor edits or by constructing nodes), with
the statement's position and a sentence."""

from __future__ import annotations

import pytest

from exo_core import DRAM, proc
from exo_core import ir
from exo_core.cursors.proc_editor import ProcEditor
from exo_core.errors import MemGenError
from exo_core.ir.memory import Memory
from exo_core.ir.prelude import Sym
from exo_core.ir.types import F32, INDEX, INT, R, SIZE
from exo_core.ir.wellformed import MalformedIRError, check_wellformed
from exo_core.primitives import signature
from exo_core.procedure import Procedure
from exo_stdlib.scheduling import cut_loop, divide_loop, fission

from tests import seed_examples as seeds
from tests.ir_invariants import check_primitive_result


class Registers(Memory):
    """A memory that refuses element access (as vector register files do)."""

    @classmethod
    def can_read(cls) -> bool:
        return False


@proc
def alloc_in_loop(n: size, x: f32[n], y: f32[n, n]):
    for i in seq(0, n):
        x[i] = 1.0
        t: f32[i + 1]
        for k in seq(0, i + 1):
            t[k] = y[i, k]
        x[i] = t[0]


@proc
def two_loops(n: size, x: f32[8, 8], y: f32[8]):
    assert n <= 8
    for i in seq(0, n):
        for j in seq(0, 8):
            x[i, j] = 1.0
        y[i] = x[i, 0]
    tmp: f32[8] @ DRAM
    for k in seq(0, 8):
        tmp[k] = y[k]


@proc
def scale(n: size, a: [f32][8], s: f32):
    for i in seq(0, 8):
        a[i] = a[i] * s


@proc
def copy8(src: f32[8], dst: f32[8]):
    for i in seq(0, 8):
        dst[i] = src[i]


@proc
def calls_scale(x: f32[8], s: f32):
    scale(8, x[0:8], s)


def _malformed(p: Procedure, *fragments: str, memories: bool = True) -> MalformedIRError:
    with pytest.raises(MalformedIRError) as info:
        check_wellformed(p, memories=memories)
    text = str(info.value)
    for f in fragments:
        assert f in text, text
    return info.value


def _edited(p: Procedure, edit) -> Procedure:
    """``p`` after ``edit(editor)`` (raw edits, not a primitive: the suite's
    result check does not run, and the result is broken on purpose)."""
    ed = ProcEditor(p)
    edit(ed)
    return ed.finish()


def _node(p: Procedure, pattern: str):
    return p.find(pattern)._node()


# --------------------------------------------------------------------------
# It accepts what is built


@pytest.mark.parametrize("name", sorted(seeds.all_seed_procs()))
def test_seed_procs_are_wellformed_and_memory_legal_exactly_when_they_compile(name):
    p = seeds.all_seed_procs()[name]
    check_wellformed(p, memories=False)
    if p.is_instr():
        check_wellformed(p)  # instr bodies are semantics: never memory-checked
        return
    try:
        p.c_code_str()
        refused = False
    except MemGenError as err:
        refused = "element-wise" in str(err)
    if refused:
        _malformed(p, "cannot be read or written element-wise")
    else:
        check_wellformed(p)


def test_the_two_seed_examples_that_access_registers_element_wise_are_caught():
    illegal = []
    for name, p in seeds.all_seed_procs().items():
        try:
            check_wellformed(p)
        except MalformedIRError:
            illegal.append(name)
    expected = {"neon_foo_before_replace", "avx512_invalid_scalar_write"}
    assert set(illegal) == expected & set(seeds.all_seed_procs())


def test_platform_libraries_are_wellformed():
    import exo_codegen.platforms.neon as neon
    import exo_codegen.platforms.rvm as rvm
    import exo_codegen.platforms.x86 as x86

    procs = [v for mod in (x86, neon, rvm) for v in vars(mod).values()
             if isinstance(v, Procedure)]
    assert len(procs) > 10
    for p in procs:
        check_wellformed(p)


def test_primitive_results_are_wellformed():
    check_wellformed(divide_loop(two_loops, "i", 4, ["io", "ii"], tail="cut"))
    r = fission(two_loops, two_loops.find("for j in _:_").after())
    check_wellformed(r)
    first, second = r.find_loop("i", many=True)
    assert first._node().iter is not second._node().iter  # each loop binds its own


# --------------------------------------------------------------------------
# Broken rewrites it catches


def test_use_out_of_scope():
    # Move `y[i] = x[i, 0]` out of the loop over i.
    p = _edited(two_loops, lambda ed: ed.move(ed.stmt(two_loops.find("y[_] = _")),
                                              ed.stmt(two_loops.find_loop("i")).after()))
    err = _malformed(p, "i (", "is used outside the scope of its binding", "y[i] = x[i, 0]")
    assert err.srcinfo.lineno > 0 and err.proc_name == "two_loops"


def test_use_of_a_name_never_bound():
    stray = Sym("q")
    p = _edited(two_loops, lambda ed: ed.update(
        ed.stmt(two_loops.find("y[_] = _")), idx=(ir.Read(stray, (), INDEX),)))
    _malformed(p, "q (", "is used but never bound")


def test_use_of_an_allocation_before_it():
    # `tmp[k] = y[k]` moved above `tmp : f32[8]`.
    p = _edited(two_loops, lambda ed: ed.move(ed.stmt(two_loops.find_loop("k")),
                                              ed.stmt(two_loops.find("tmp : _")).before()))
    _malformed(p, "tmp (", "used but never bound")


def test_duplicate_binding_in_sibling_loops():
    # A fission that forgot to give the second loop its own iterator.
    loop = _node(two_loops, "for i in _:_")
    copy = ir.For(loop.iter, loop.lo, loop.hi, [ir.Pass(loop.srcinfo)], "seq", loop.srcinfo)
    p = _edited(two_loops, lambda ed: ed.insert(ed.stmt(two_loops.find_loop("i")).after(),
                                                [copy]))
    _malformed(p, "is bound a second time (as a loop iterator)", "for i in seq(0, n):")


def test_shadowing_binding():
    outer = _node(two_loops, "for i in _:_")
    p = _edited(two_loops, lambda ed: ed.wrap(
        ed.stmt(two_loops.find("y[_] = _")),
        lambda b: ir.For(outer.iter, ir.Const(0, INT), ir.Const(2, INT), b, "seq")))
    _malformed(p, "is bound again while its loop iterator binding is still in scope")


def test_write_to_a_size():
    n = two_loops.INTERNAL_proc().args[0].name
    p = _edited(two_loops, lambda ed: ed.update(ed.stmt(two_loops.find("y[_] = _")),
                                                name=n, idx=(), type=SIZE))
    _malformed(p, "assigns to n, a size argument (size); only numeric buffers and scalars "
                  "are written")


def test_write_to_a_loop_iterator():
    i = _node(two_loops, "for i in _:_").iter
    p = _edited(two_loops, lambda ed: ed.update(ed.stmt(two_loops.find("y[_] = _")),
                                                name=i, idx=()))
    _malformed(p, "assigns to i, a loop iterator")


def test_access_to_a_memory_that_cannot_be_read():
    # set_memory-like edit: tmp moves to a register file it is read from element-wise.
    p = _edited(two_loops, lambda ed: ed.update(ed.stmt(two_loops.find("tmp : _")),
                                                mem=Registers))
    _malformed(p, "assigns to an element of tmp, which lives in Registers",
               "tmp[k] = y[k]")
    check_wellformed(p, memories=False)  # structurally fine: only compiling it is not


def test_read_of_a_memory_that_cannot_be_read():
    p = _edited(copy8, lambda ed: ed.set_args(
        [a if a.name.name != "src" else a.update(mem=Registers)
         for a in copy8.INTERNAL_proc().args]))
    _malformed(p, "reads an element of src, which lives in Registers", "dst[i] = src[i]")


def test_loop_bound_of_a_data_type():
    x = two_loops.INTERNAL_proc().args[1].name
    data = ir.Read(x, (ir.Const(0, INT), ir.Const(0, INT)), F32)
    p = _edited(two_loops, lambda ed: ed.update(ed.stmt(two_loops.find_loop("k")), hi=data))
    _malformed(p, "a loop bound reads x, a tensor argument", "for k in seq(0, x[0, 0]):")


def test_index_of_a_data_type():
    y = two_loops.INTERNAL_proc().args[2].name
    p = _edited(two_loops, lambda ed: ed.update(
        ed.stmt(two_loops.find("tmp[_] = _")), idx=(ir.Read(y, (ir.Const(0, INT),), F32),)))
    _malformed(p, "an index reads y, a tensor argument")


def test_control_value_as_data():
    n = two_loops.INTERNAL_proc().args[0].name
    p = _edited(two_loops, lambda ed: ed.update(ed.stmt(two_loops.find("tmp[_] = _")),
                                                rhs=ir.Read(n, (), SIZE)))
    _malformed(p, "a data expression reads n, a size argument")


def test_stale_statement_type():
    p = _edited(two_loops, lambda ed: ed.update(ed.stmt(two_loops.find("tmp[_] = _")),
                                                type=R))
    _malformed(p, "the statement's type R is not the element type f32 of tmp")


def test_wrong_number_of_indices():
    p = _edited(two_loops, lambda ed: ed.update(ed.stmt(two_loops.find("y[_] = _")),
                                                idx=(ir.Const(0, INT), ir.Const(1, INT))))
    _malformed(p, "assigns to y with 2 indices, but y has 1 dimension")


def test_call_argument_of_the_wrong_kind():
    call = _node(calls_scale, "scale(_)")
    x = call.args[1]
    # The window goes where the size belongs.
    p = _edited(calls_scale, lambda ed: ed.update(ed.stmt(calls_scale.find("scale(_)")),
                                                  args=(x, x, call.args[2])))
    _malformed(p, "argument n of scale is a window expression; it must be an integer "
                  "control expression")


def test_call_with_the_wrong_number_of_arguments():
    call = _node(calls_scale, "scale(_)")
    p = _edited(calls_scale, lambda ed: ed.update(ed.stmt(calls_scale.find("scale(_)")),
                                                  args=call.args[:2]))
    _malformed(p, "scale takes 3 arguments, but 2 are passed")


def test_condition_that_is_not_bool():
    p = _edited(two_loops, lambda ed: ed.wrap(
        ed.stmt(two_loops.find("y[_] = _")), lambda b: ir.If(ir.Const(1, INT), b, [])))
    _malformed(p, "an if condition is the literal 1, not a bool")


def test_empty_loop_body():
    p = _edited(two_loops, lambda ed: ed.update(
        ed.stmt(two_loops.find_loop("k")), iter=_node(two_loops, "for k in _:_").iter))
    check_wellformed(p)  # an update that changes nothing structural stays fine
    root = two_loops.INTERNAL_proc()
    loop = root.body[-1]
    broken = root.update(body=list(root.body[:-1]) + [loop.update(body=[])])
    _malformed(Procedure(broken), "the body of loop k is empty")


def test_two_procedures_called_by_one_name():
    @proc
    def scale(n: size, a: [f32][8], s: f32):  # another procedure named scale
        a[0] = s

    call = _node(calls_scale, "scale(_)")
    p = _edited(calls_scale, lambda ed: ed.insert(
        ed.stmt(calls_scale.find("scale(_)")).after(), [call.update(f=scale.INTERNAL_proc())]))
    _malformed(p, "two different procedures named scale are called")
    same = _edited(calls_scale, lambda ed: ed.insert(
        ed.stmt(calls_scale.find("scale(_)")).after(), [call]))
    check_wellformed(same)


# --------------------------------------------------------------------------
# The suite's fixture runs the check after every primitive


def test_the_fixture_checks_every_primitive_application():
    assert check_primitive_result in signature.POST_APPLICATION_CHECKS
    import exo_stdlib.scheduling as scheduling

    public = [getattr(scheduling, n) for n in dir(scheduling) if not n.startswith("_")]
    undeclared = [f.__name__ for f in public if callable(f) and not isinstance(f, type)
                  and not signature.is_primitive(f)
                  and not f.__module__.startswith("exo_stdlib.")  # helpers built from primitives
                  # sched_op declares primitives, is_atomic_scheduling_op tests for them
                  and f.__module__ != "exo_core.primitives.sched_op"]
    assert not undeclared, f"primitives that bypass the entry point (and its checks): {undeclared}"


def test_the_fixture_catches_a_planted_fission_bug(monkeypatch):
    # Without the renaming of the second copies, fission's two loops bind
    # the same iterator.
    import exo_core.primitives.loop_order as loop_order

    monkeypatch.setattr(loop_order.ProcEditor, "rename", lambda self, where, env: None)
    with pytest.raises(MalformedIRError, match="bound a second time"):
        fission(two_loops, two_loops.find("for j in _:_").after())


def test_the_fixture_catches_a_planted_partial_renaming(monkeypatch):
    # A renaming that misses the shapes of tensor types leaves the second
    # loop's allocation sized by the first loop's iterator.
    import exo_core.ir.renaming as renaming

    monkeypatch.setattr(renaming, "TensorType", type("NoTensorType", (), {}))
    with pytest.raises(MalformedIRError, match="outside the scope of its binding"):
        fission(alloc_in_loop, alloc_in_loop.find("x[i] = 1.0").after())


def test_the_fixture_catches_a_planted_typing_bug(monkeypatch):
    # Control arithmetic typed index where the typechecker says size: the
    # printed result parses back to a different tree.
    import exo_core.primitives.ir_build as ir_build

    monkeypatch.setattr(ir_build, "c_op",
                        lambda op, a, b, si: ir.BinOp(op, a, b, INDEX, si))
    with pytest.raises(AssertionError, match="not alpha-equal"):
        divide_loop(two_loops, "i", 4, ["io", "ii"])


def test_the_fixture_catches_a_planted_bounds_bug(monkeypatch):
    # cut_loop without its range check: the cut loop reads past x when n < 2;
    # the printed result, loaded again, fails the definition checks.
    import exo_core.primitives.loops as loops
    from exo_core import VerificationError

    @proc
    def f(n: size, x: f32[n]):
        for i in seq(0, n):
            x[i] = 0.0

    monkeypatch.setattr(loops, "check", lambda obligation: None)
    with pytest.raises(VerificationError, match="may be out of bounds"):
        cut_loop(f, "i", 2)
