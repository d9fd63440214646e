"""The z3 fallback: taken for products of variables, and only for them."""

import pytest

from exo_verify import (
    Counterexample,
    Exists,
    Forall,
    Proof,
    Unknown,
    Var,
    Witness,
    in_range,
    prove,
    satisfiable,
)

N, M, K, i, j = (Var(x) for x in ("N", "M", "K", "i", "j"))


def test_product_of_sizes_is_proved_by_z3():
    result = prove(N * M >= 0, [N >= 0, M >= 0])
    assert isinstance(result, Proof)
    assert result.solver == "z3"


def test_z3_counterexample_is_checked_by_evaluation():
    result = prove(N * M > 0, [N >= 0, M >= 0])
    assert isinstance(result, Counterexample) and result.solver == "z3"
    env = dict(result.values)
    assert env[N] >= 0 and env[M] >= 0 and env[N] * env[M] <= 0
    assert set(result.assignment) == {"N", "M"}


@pytest.mark.parametrize(
    "goal, assumptions",
    [
        (in_range(4 * i + j, 0, 4 * N), [in_range(i, 0, N), in_range(j, 0, 4)]),
        (((4 * i + j) // 4).eq(i), [in_range(j, 0, 4)]),
        (((4 * i + j) % 4).eq(j), [in_range(j, 0, 4)]),
        (Exists(j, 0, 4, (4 * i + j).eq(N)), [in_range(N, 4 * i, 4 * i + 4)]),
        (Forall(j, 0, N, j < N), []),
        ((N * 4 + (2 + 3) * M).eq(M * 5 + 4 * N), []),  # products with constants are affine
        (N * 6 >= 3 * N, [N >= 0]),
        ((N * M - M * N + i) >= 0, [i >= 0]),  # the product cancels after normalisation
        ((N * (M + 1) - N * M).eq(N), []),
    ],
)
def test_presburger_questions_never_reach_z3(goal, assumptions):
    result = prove(goal, assumptions)
    assert isinstance(result, Proof)
    assert result.solver in ("isl", "normaliser")


@pytest.mark.parametrize(
    "goal, assumptions",
    [
        (N * M >= 0, [N >= 0, M >= 0]),
        (in_range(i * M + j, 0, N * M), [in_range(i, 0, N), in_range(j, 0, M)]),
        (((N * M) // 4) * 4 <= N * M, []),
        ((N * M) % 4 >= 0, []),
        (Forall(j, 0, N, j * M < N * M), [N > 0, M > 0]),
        (Exists(j, 0, N * M, j.eq(0)), [N > 0, M > 0]),  # non-linear only in a bound
    ],
)
def test_non_linear_questions_go_to_z3(goal, assumptions):
    result = prove(goal, assumptions)
    assert isinstance(result, Proof), result
    assert result.solver == "z3"


def test_z3_uses_floor_semantics_for_div_and_mod():
    result = prove(((-(N * M)) // 4).eq(-((N * M) // 4)))
    assert isinstance(result, Counterexample)
    env = dict(result.values)
    product = env[N] * env[M]
    assert (-product) // 4 != -(product // 4)


def test_satisfiable_with_products():
    result = satisfiable((N * M).eq(12) & (N > M) & (M > 2))
    assert isinstance(result, Witness) and result.solver == "z3"
    assert result.assignment == {"N": 4, "M": 3}
    assert not satisfiable((N * N).eq(2))


def test_hard_non_linear_question_is_unknown_not_a_proof():
    cubes = (N * N * N + M * M * M).eq(K * K * K)
    positive = [N > 0, M > 0, K > 0]
    result = prove(~cubes, positive, timeout_ms=150)
    assert isinstance(result, Unknown)
    assert result.solver == "z3" and result.question == "prove"
    assert not result.proved and not bool(result)  # conservative: not proved
    assert result.reason
    sat = satisfiable(cubes, positive, timeout_ms=150)
    assert isinstance(sat, Unknown) and bool(sat)  # conservative: maybe satisfiable
