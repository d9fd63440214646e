"""Integer sets and maps: operations and dependence-style questions."""

import pytest

from exo_verify import (
    IntMap,
    IntSet,
    NotPresburgerError,
    TermError,
    Var,
    in_range,
)

i, j, k, n, m = (Var(x) for x in "ijknm")


def test_set_membership_and_parameters():
    s = IntSet.of([i, j], in_range(i, 0, n) & in_range(j, 0, 4))
    assert s.params == (n,)
    assert s.contains({i: 1, j: 3, n: 2})
    assert not s.contains({i: 2, j: 3, n: 2})
    with pytest.raises(TermError, match="no value given for the parameter n"):
        s.contains({i: 1, j: 3})


def test_set_algebra():
    evens = IntSet.of([i], in_range(i, 0, 10) & (i % 2).eq(0))
    small = IntSet.of([i], in_range(i, 0, 5))
    both = evens.intersect(small)
    assert both.is_equal(IntSet.of([i], (i.eq(0) | i.eq(2) | i.eq(4))))
    assert both.is_subset(evens) and both.is_subset(small)
    assert not evens.is_subset(small)
    assert evens.union(small).contains({i: 3}) and evens.union(small).contains({i: 8})
    odd_small = small.difference(evens)
    assert odd_small.is_equal(IntSet.of([i], i.eq(1) | i.eq(3)))
    assert small.complement().contains({i: -1})
    assert not small.complement().contains({i: 0})
    assert IntSet.empty([i]).is_empty() and not IntSet.universe([i]).is_empty()
    assert small.restrict(i > 3).is_equal(IntSet.of([i], i.eq(4)))


def test_sets_pair_dimensions_by_position():
    a = IntSet.of([i], in_range(i, 0, 4))
    b = IntSet.of([j], in_range(j, 2, 6))
    assert a.intersect(b).is_equal(IntSet.of([k], in_range(k, 2, 4)))
    assert a.intersect(b).dims == (i,)


def test_sample_gives_dimensions_and_parameters():
    s = IntSet.of([i], in_range(i, n, n + 1) & (n > 5))
    point = s.sample()
    assert point is not None
    assert point[n] > 5 and point[i] == point[n]
    assert IntSet.of([i], (i > 0) & (i < 0)).sample() is None


def test_image_of_a_tiled_iteration_space():
    tiles = IntSet.of([i, j], in_range(i, 0, n) & in_range(j, 0, 4))
    flat = tiles.apply(IntMap.from_terms([i, j], [4 * i + j]))
    assert flat.is_equal(IntSet.of([k], in_range(k, 0, 4 * n)))
    assert len(flat.dims) == 1


def test_project_out():
    s = IntSet.of([i, j], in_range(i, 0, n) & j.eq(2 * i))
    evens = s.project_out([i])
    assert evens.dims == (j,)
    assert evens.is_equal(IntSet.of([j], in_range(j, 0, 2 * n) & (j % 2).eq(0)))
    with pytest.raises(TermError, match="not a dimension"):
        s.project_out([k])


def test_map_domain_range_reverse():
    mp = IntMap.from_terms([i], [2 * i], in_range(i, 0, n))
    assert mp.domain().is_equal(IntSet.of([i], in_range(i, 0, n)))
    assert mp.range().is_equal(IntSet.of([j], in_range(j, 0, 2 * n) & (j % 2).eq(0)))
    back = mp.reverse()
    assert back.in_dims == mp.out_dims and back.out_dims == mp.in_dims
    assert back.contains({back.in_dims[0]: 6, back.out_dims[0]: 3, n: 4})
    assert mp.params == (n,)


def test_map_composition_and_restriction():
    double = IntMap.from_terms([i], [2 * i])
    plus_one = IntMap.from_terms([j], [j + 1])
    both = double.apply_range(plus_one)
    assert both.is_equal(IntMap.from_terms([k], [2 * k + 1]))
    assert both.intersect_domain(IntSet.of([i], i.eq(3))).range().is_equal(
        IntSet.of([k], k.eq(7))
    )
    assert both.intersect_range(IntSet.of([i], i < 0)).domain().is_equal(IntSet.of([i], i < 0))
    out = both.out_dims[0]
    assert both.restrict(out > 10).domain().is_equal(IntSet.of([i], i >= 5))


def test_map_set_operations_need_matching_shapes():
    a = IntMap.from_terms([i], [i, i])
    b = IntMap.from_terms([i], [i])
    with pytest.raises(TermError, match="different shapes"):
        a.union(b)
    with pytest.raises(TermError, match="same arity"):
        a.deltas()
    with pytest.raises(TermError, match="distinct"):
        IntMap.of([i], [i], i.eq(i))
    with pytest.raises(TermError, match="2 output dimensions for 1 terms"):
        IntMap.from_terms([i], [i], out_dims=[j, k])


def test_loop_carried_dependence_found_with_counterexample():
    # for i in seq(0, n): x[i + 1] = x[i]
    loop = in_range(i, 0, n)
    writes = IntMap.from_terms([i], [i + 1], loop)
    reads = IntMap.from_terms([i], [i], loop)
    deps = IntMap.dependences(writes, reads)
    carried = deps.restrict_lex_lt()  # write in an earlier iteration, read in a later one
    assert not carried.is_empty()
    witness = carried.sample()
    src, dst = carried.in_dims[0], carried.out_dims[0]
    assert witness[dst] == witness[src] + 1
    assert 0 <= witness[src] < witness[n]
    assert str(witness).startswith("i = ") and "i' = " in str(witness)
    assert deps.restrict_lex_gt().is_empty()  # no read-before-write in the other direction
    assert deps.deltas().is_equal(IntSet.of([k], k.eq(1) & (n >= 2)))


def test_independent_iterations_have_no_carried_dependence():
    # for i in seq(0, n): for j in seq(0, 4): y[4*i + j] = x[4*i + j]
    space = in_range(i, 0, n) & in_range(j, 0, 4)
    writes = IntMap.from_terms([i, j], [4 * i + j], space)
    deps = IntMap.dependences(writes, writes)
    assert deps.restrict_lex_lt().is_empty()
    assert deps.restrict_lex_gt().is_empty()
    # with a stride-3 write, distinct iterations collide
    overlapping = IntMap.from_terms([i, j], [3 * i + j], space)
    clash = IntMap.dependences(overlapping, overlapping).restrict_lex_lt()
    point = clash.sample()
    a, b = clash.in_dims, clash.out_dims
    assert 3 * point[a[0]] + point[a[1]] == 3 * point[b[0]] + point[b[1]]
    assert (point[a[0]], point[a[1]]) < (point[b[0]], point[b[1]])


def test_map_sample_and_contains():
    mp = IntMap.from_terms([i], [i // 4, i % 4], in_range(i, 0, 8))
    q, r = mp.out_dims
    assert mp.contains({i: 6, q: 1, r: 2})
    assert not mp.contains({i: 6, q: 1, r: 3})
    point = mp.sample()
    assert point[q] == point[i] // 4 and point[r] == point[i] % 4
    assert IntMap.of([i], [j], (i < 0) & (i > 0)).sample() is None


def test_non_presburger_sets_are_refused():
    with pytest.raises(NotPresburgerError):
        IntSet.of([i], in_range(i, 0, n * m))


def test_strings_use_user_names():
    s = IntSet.of([Var("i_4", "i")], in_range(Var("i_4", "i"), 0, Var("n_2", "n")))
    assert str(s) == "[n] -> { [i] : 0 <= i < n }"
    mp = IntMap.from_terms([i], [i + 1], in_range(i, 0, n), out_dims=[Var("i_5", "i")])
    assert str(mp) == "[n] -> { [i] -> [i_5 = 1 + i] : 0 <= i < n }"
