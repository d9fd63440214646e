"""prove / satisfiable on Presburger questions (decided by isl or constant folding)."""

import pytest

from exo_verify import (
    FALSE,
    TRUE,
    Counterexample,
    Exists,
    Forall,
    Proof,
    TermError,
    Unsatisfiable,
    Var,
    Witness,
    clear_caches,
    conj,
    in_range,
    is_valid,
    lex_lt,
    prove,
    satisfiable,
)

i, j, k, n, m = (Var(x) for x in "ijknm")
io, ii = Var("io"), Var("ii")


def assert_refuted(goal, assumptions=TRUE):
    """prove() refutes, and its counterexample really satisfies the assumptions
    and falsifies the goal."""
    result = prove(goal, assumptions)
    assert isinstance(result, Counterexample), result
    env = dict(result.values)
    assumption = assumptions if not isinstance(assumptions, list) else conj(*assumptions)
    assert assumption.evaluate(env), (result, env)
    assert not goal.evaluate(env), (result, env)
    return result


def test_bounds_check_proved_by_isl():
    result = prove(in_range(4 * io + ii, 0, 4 * n), [in_range(io, 0, n), in_range(ii, 0, 4)])
    assert isinstance(result, Proof)
    assert result.solver == "isl"
    assert result.proved and bool(result)
    assert 0 < result.seconds < 1


def test_bounds_check_refuted_with_counterexample_in_user_names():
    result = assert_refuted(4 * io + ii < 4 * n, [in_range(io, 0, n), in_range(ii, 0, 5)])
    assert result.solver == "isl"
    assert set(result.assignment) == {"io", "ii", "n"}
    assert result.assignment["ii"] == 4
    assert not result.proved and not bool(result)


def test_counterexample_uses_display_names_and_disambiguates():
    outer, inner = Var("i_1", "i"), Var("i_2", "i")
    size = Var("n_9", "n")
    result = prove(outer + inner < size, [in_range(outer, 0, size), in_range(inner, 0, size)])
    assert isinstance(result, Counterexample)
    assert set(result.assignment) == {"i_1", "i_2", "n"}
    assert result.values[size] == result.assignment["n"]
    assert result.values["n"] == result.assignment["n"]
    assert "n = " in str(result)


def test_assumptions_can_be_a_formula_or_an_iterable():
    assert is_valid(i < n, in_range(i, 0, n))
    assert is_valid(i < n, [0 <= i, i < n])
    assert is_valid(i < n, (f for f in [0 <= i, i < n]))
    assert not is_valid(i < n, [0 <= i])


def test_bad_arguments_raise_term_error():
    with pytest.raises(TermError, match="assumptions must be a formula"):
        prove(i < n, 3)
    with pytest.raises(TermError, match="an assumption must be a formula"):
        prove(i < n, [i < n, "n > 0"])
    with pytest.raises(TermError, match="needs a formula"):
        prove(i + n)
    with pytest.raises(TermError, match="needs a formula"):
        satisfiable(True)


def test_unsatisfiable_assumptions_prove_anything():
    assert isinstance(prove(FALSE, [i < 0, i > 0]), Proof)


# ----- quasi-affine arithmetic (floor semantics) ---------------------------------------
def test_div_mod_identity_for_non_negative_and_all_integers():
    identity = ((i % 4) + 4 * (i // 4)).eq(i)
    # the normaliser already knows this identity...
    assert prove(identity, [i >= 0]).solver == "normaliser"
    assert isinstance(prove(identity), Proof)
    # ...and isl proves it too when it cannot be folded syntactically
    for assumptions in ([j.eq(i), i >= 0], [j.eq(i)]):
        result = prove(((i % 4) + 4 * (j // 4)).eq(i), assumptions)
        assert isinstance(result, Proof) and result.solver == "isl"


def test_false_div_mod_identity_has_counterexample():
    result = assert_refuted(((i % 4) + 3 * (i // 4)).eq(i), [i >= 0])
    assert result.assignment["i"] >= 4


def test_floor_semantics_on_negative_values():
    assert is_valid(i % 4 >= 0)
    assert is_valid(i % 4 < 4)
    assert is_valid(4 * (i // 4) <= i)
    assert is_valid((i // 2).eq(-1), [i.eq(-1)])  # floor, not truncation
    result = assert_refuted(((-i) // 4).eq(-(i // 4)))  # holds with C truncation only
    assert result.assignment["i"] % 4 != 0
    assert_refuted((i % 4).eq(i - 4 * (i // 4) + 1))


def test_quasi_affine_bounds_under_tiling():
    assumptions = [in_range(io, 0, n), in_range(ii, 0, 4)]
    assert is_valid(((4 * io + ii) // 4).eq(io), assumptions)
    assert is_valid(((4 * io + ii) % 4).eq(ii), assumptions)
    assert_refuted(((4 * io + ii + 1) // 4).eq(io), assumptions)


def test_nested_div_and_mod():
    assert is_valid(((i // 4) // 2).eq(i // 8))
    assert is_valid(((i % 8) % 4).eq(i % 4))
    assert is_valid((i % 8 // 4).eq((i // 4) % 2))
    assert_refuted(((i % 8) % 3).eq(i % 3))


# ----- quantifiers ------------------------------------------------------------------
def test_bounded_exists():
    covered = Exists(io, 0, n, Exists(ii, 0, 4, (4 * io + ii).eq(i)))
    assert is_valid(covered, in_range(i, 0, 4 * n))
    result = assert_refuted(covered, in_range(i, 0, 4 * n + 1))
    assert result.assignment["i"] == 4 * result.assignment["n"]


def test_bounded_forall():
    assert is_valid(Forall(ii, 0, 4, 4 * io + ii < 4 * n), in_range(io, 0, n))
    result = assert_refuted(Forall(ii, 0, 5, 4 * io + ii < 4 * n), in_range(io, 0, n))
    assert result.solver == "isl"
    # a counterexample assigns the free variables only, never the bound one
    assert set(result.assignment) == {"io", "n"}


def test_quantifier_in_negative_position():
    # not (forall j < n: j < m)  <->  exists j < n: j >= m
    f = ~Forall(j, 0, n, j < m)
    assert is_valid(f, [n > m, m >= 0])
    assert_refuted(f, [n <= m])
    assert is_valid(~Exists(j, 0, n, j >= n))


def test_unbounded_quantifiers():
    assert is_valid(Exists(j, None, None, (2 * j).eq(i) | (2 * j + 1).eq(i)))
    assert is_valid(Forall(j, i, None, j >= i))
    assert isinstance(prove(Forall(j, None, n, j >= 0)), Counterexample)
    assert is_valid(~Forall(j, None, n, j >= 0))


def test_quantifier_shadowing_a_free_variable():
    # the bound i ranges over [0, i) of the *outer* i
    f = Exists(i, 0, i, i.eq(0))
    assert is_valid(f, [i > 0])
    result = assert_refuted(f, [i >= 0])
    assert result.assignment == {"i": 0}


# ----- satisfiability -------------------------------------------------------------------
def test_satisfiable_gives_a_witness():
    result = satisfiable(lex_lt([i, j], [n, 0]) & (i >= n))
    assert isinstance(result, Witness) and bool(result)
    env = dict(result.values)
    assert env[i] == env[n] and env[j] < 0
    assert result.solver == "isl"


def test_unsatisfiable():
    result = satisfiable(lex_lt([i, j], [n, 0]) & (i > n))
    assert isinstance(result, Unsatisfiable) and not bool(result)
    assert "unsatisfiable" in str(result)


def test_not_equal():
    result = satisfiable(i.ne(3) & (i >= 3) & (i <= 4))
    assert isinstance(result, Witness) and result.assignment == {"i": 4}
    assert not satisfiable(i.ne(3) & (i >= 3) & (i <= 3))


def test_implication_and_disjunction():
    assert is_valid((i < 0) | (i >= 0))
    assert is_valid(((i > 3) >> (i > 2)))
    assert_refuted((i > 2) >> (i > 3))
    assert is_valid(((i < n) & (n <= m)) >> (i < m))


# ----- solver attribution and caching ---------------------------------------------------
def test_constant_questions_are_settled_by_the_normaliser():
    result = prove((i + 1 - i) > 0)
    assert isinstance(result, Proof) and result.solver == "normaliser"
    result = prove((i - i) > 0)
    assert isinstance(result, Counterexample) and result.solver == "normaliser"
    assert result.assignment == {"i": 0}
    assert satisfiable(TRUE).solver == "normaliser"


def test_repeated_questions_are_answered_from_the_cache():
    clear_caches()
    goal, assumptions = i + 1 < n + 7, [in_range(i, 0, n)]
    first = prove(goal, assumptions)
    again = prove(goal, assumptions)
    assert not first.cached and again.cached
    assert isinstance(again, Proof) and again.solver == "isl"
    clear_caches()
    assert not prove(goal, assumptions).cached


def test_result_strings():
    assert str(prove(i < n, in_range(i, 0, n))).startswith("proved by isl in ")
    text = str(prove(i < n, [i <= n]))
    assert text.startswith("refuted by isl") and "i = " in text and "n = " in text


def test_an_isl_failure_is_unknown_never_a_proof(monkeypatch):
    import islpy

    from exo_verify import Unknown, isl_backend

    class FailingBuilder:
        def compile(self, formula):
            raise islpy.Error("out of memory")

    monkeypatch.setattr(isl_backend, "positional_builder", lambda variables: FailingBuilder())
    clear_caches()
    result = prove(i + 3 < n * 2, [i < n])
    assert isinstance(result, Unknown) and result.solver == "isl"
    assert "out of memory" in result.reason and not result.proved
    assert isinstance(satisfiable(i + 3 < n * 2), Unknown)
    monkeypatch.undo()
    assert isinstance(prove(i + 3 < n * 2, [i < n]), Counterexample)  # failures are not memoised


def test_dependence_question_as_a_formula():
    # for i in seq(0, n): for j in seq(0, 4): a[4*i + j] = a[4*i + j + 1]
    i1, j1, i2, j2 = Var("i1", "i"), Var("j1", "j"), Var("i2", "i'"), Var("j2", "j'")
    space = conj(*(in_range(x, 0, n) for x in (i1, i2)), *(in_range(x, 0, 4) for x in (j1, j2)))
    write = lambda a, b: 4 * a + b  # noqa: E731
    read = lambda a, b: 4 * a + b + 1  # noqa: E731
    # a write in an earlier iteration read by a later one (flow dependence): none
    flow = lex_lt([i1, j1], [i2, j2]) & write(i1, j1).eq(read(i2, j2))
    assert isinstance(satisfiable(flow, space), Unsatisfiable)
    # a read in an earlier iteration overwritten by a later one (anti dependence): found
    anti = lex_lt([i1, j1], [i2, j2]) & read(i1, j1).eq(write(i2, j2))
    witness = satisfiable(anti, space)
    assert isinstance(witness, Witness)
    env = dict(witness.values)
    assert 4 * env[i1] + env[j1] + 1 == 4 * env[i2] + env[j2]
    assert set(witness.assignment) == {"i", "j", "i'", "j'", "n"}
