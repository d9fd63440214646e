"""The IR schema: every node class declares the role of each field, and the one
generic walker (exo_core.ir.walk) visits and maps every field of every kind."""

import inspect
import typing

import attrs
import pytest
from pyrsistent import pvector

import exo_core.ir as ir
from exo_core.ir import nodes
from exo_core.ir.prelude import Sym
from exo_core.ir.types import INDEX

NODE_CLASSES = [c for _, c in inspect.getmembers(nodes, inspect.isclass)
                if issubclass(c, nodes.Node) and attrs.has(c)]


def test_node_types_lists_every_node_class():
    assert set(NODE_CLASSES) == set(ir.NODE_TYPES)
    assert len(NODE_CLASSES) == 22
    assert not hasattr(ir, "Free")  # never built: not part of the IR


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_every_field_has_exactly_one_role(cls):
    roles = cls.expr_fields + cls.block_fields + cls.leaf_fields
    assert "leaf_fields" in vars(cls), f"{cls.__name__} declares no schema"
    assert len(roles) == len(set(roles)), f"{cls.__name__}: a field has two roles"
    assert set(roles) == {f.name for f in attrs.fields(cls)}


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_fields_have_real_types(cls):
    hints = typing.get_type_hints(cls, vars(nodes))
    for f in attrs.fields(cls):
        assert hints[f.name] is not object, f"{cls.__name__}.{f.name} is typed object"


class _Markers:
    """Distinct nodes to put in every child field, and a map replacing each."""

    def __init__(self):
        self.made = []

    def expr(self):
        e = ir.Const(len(self.made), INDEX)
        self.made.append(e)
        return e

    def stmt(self):
        s = ir.Pass()
        self.made.append(s)
        return s


def _instance(cls, m: _Markers):
    """An instance of ``cls`` with markers in every expression and block field
    (two in each tuple) and placeholder leaves."""
    types = {f.name: str(f.type) for f in attrs.fields(cls)}
    values = {}
    for name in cls.leaf_fields:
        values[name] = (Sym(name) if types[name] == "Sym" else
                        () if types[name].startswith("tuple") else None)
    for name in cls.expr_fields:
        if cls is ir.WindowExpr:
            values[name] = (ir.Interval(m.expr(), m.expr()), ir.Point(m.expr()))
        elif types[name].startswith("tuple"):
            values[name] = (m.expr(), m.expr())
        else:
            values[name] = m.expr()
    for name in cls.block_fields:
        values[name] = pvector([m.stmt(), m.stmt()])
    return cls(**values)


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_walker_visits_every_child_field(cls):
    m = _Markers()
    node = _instance(cls, m)
    kids = ir.children(node)
    if cls is ir.WindowExpr:
        assert [type(k) for k in kids] == [ir.Interval, ir.Point]
        assert list(ir.expr_children(node)) == m.made
    else:
        assert list(kids) == m.made
    steps = ir.child_steps(node)
    assert len(steps) == len(kids)
    for (f, k), kid in zip(steps, kids):
        v = getattr(node, f)
        assert (v if k is None else v[k]) is kid


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_mappers_reach_every_child_field_and_keep_identity(cls):
    m = _Markers()
    node = _instance(cls, m)
    assert ir.map_exprs(node, lambda e: e) is node
    assert ir.map_blocks(node, lambda b: b) is node
    exprs = [x for x in m.made if isinstance(x, ir.Expr)]
    new_exprs = ir.map_exprs(node, lambda e: ir.Const(e.val + 100, INDEX))
    if exprs:
        assert new_exprs is not node
        got = ir.expr_children(new_exprs) if cls is ir.WindowExpr else ir.stmt_exprs(new_exprs)
        assert [e.val for e in got] == [e.val + 100 for e in exprs]
    else:
        assert new_exprs is node
    new_blocks = ir.map_blocks(node, lambda b: pvector([ir.Pass()]))
    for f in cls.block_fields:
        assert len(getattr(new_blocks, f)) == 1
    assert (new_blocks is node) == (not cls.block_fields)


def test_open_interval_ends_are_skipped():
    lo = ir.Const(0, INDEX)
    w = ir.WindowExpr(Sym("x"), (ir.Interval(lo, None), ir.Point(ir.Const(2, INDEX))))
    assert [e.val for e in ir.expr_children(w)] == [0, 2]
    assert ir.child_steps(w.idx[0]) == [("lo", None)]
    assert ir.map_exprs(w, lambda e: e) is w


def test_walks_are_in_program_order():
    i = Sym("i")
    read = ir.Read(i, (), INDEX)
    inner = ir.Assign(Sym("y"), INDEX, (read,), ir.BinOp("+", read, ir.Const(1, INDEX)))
    loop = ir.For(i, ir.Const(0, INDEX), ir.Const(4, INDEX), [inner, ir.Pass()])
    assert list(ir.walk_stmts([loop])) == [loop, inner, loop.body[1]]
    assert [type(e).__name__ for s in ir.walk_stmts([loop]) for top in ir.stmt_exprs(s)
            for e in ir.walk_expr(top)] == ["Const", "Const", "Read", "BinOp", "Read", "Const"]


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.__name__)
def test_update_builds_what_evolve_builds(cls):
    # Node.update is generated per class: it must replace exactly the given
    # fields, apply the converters (lists become tuples / pvectors) and leave
    # the original untouched, as attrs.evolve does
    m = _Markers()
    node = _instance(cls, m)
    for f in attrs.fields(cls):
        old = getattr(node, f.name)
        new_value = (list(old) if isinstance(old, (tuple, type(pvector()))) else
                     m.expr() if f.name in cls.expr_fields else old)
        got = node.update(**{f.name: new_value})
        want = attrs.evolve(node, **{f.name: new_value})
        assert type(got) is cls and got is not node
        for g in attrs.fields(cls):
            a, b = getattr(got, g.name), getattr(want, g.name)
            assert type(a) is type(b) and (a is b or a == b), (cls.__name__, f.name, g.name)
        assert getattr(node, f.name) is old
    with pytest.raises(TypeError):
        node.update(no_such_field=1)


def test_update_of_a_subclass_keeps_the_subclass():
    @attrs.frozen(slots=True, eq=False)
    class TaggedRead(ir.Read):
        tag: int = 0

    r = ir.Read(Sym("x"), (), INDEX)
    r.update(idx=[])  # installs Read's own update first
    t = TaggedRead(Sym("y"), (), INDEX, tag=7)
    u = t.update(idx=[r])
    assert type(u) is TaggedRead and u.tag == 7 and u.idx == (r,)
