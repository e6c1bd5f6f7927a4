"""The designer's feasibility rules and proof bounds, each stated and checked exactly.

Found by mutation testing (docs/testing.md, "Mutation testing"): the solver's answers were
already checked against brute force, but the refusals' wording, the feasibility checks
that only ever saw feasible coalitions, and the bounds (which change how an answer is
proven, not the answer) could be changed without a test failing. Each test here states a
rule from docs/designer.md or the function's docstring: exact messages and hints, every
constraint violated on its own, the boundaries (a target met exactly at ``target - TOL``,
exactly ``max_size`` members, exactly as many included countries as ``max_size``), and the
bounds' values on hand-worked cases and against enumeration.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from types import SimpleNamespace

import highspy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minilat.analysis.coalition import (
    TOL,
    Instance,
    Question,
    _best_subset,
    _check,
    _checked_mip,
    _cover_cuts,
    _coverage_upper_bound,
    _earlier_twins,
    _feasible_mask,
    _fix_dominated,
    _reduce,
    _size_lower_bound,
    brute_force,
    solve,
)
from minilat.errors import BadInput
from minilat.model import CapabilityRow, CapabilityTable, Measure
from test_coalition import _inst, instances


def _table(tid: str) -> CapabilityTable:
    return CapabilityTable(
        id=tid,
        name=tid,
        unit="share",
        measure=Measure.SHARE,
        year=2024,
        scope="test",
        sources=("nowhere",),
        rows=(CapabilityRow(participant="USA", value=0.5),),
    )


A, B = _table("a"), _table("b")

# ------------------------------------------------------- the question's own checks


@pytest.mark.parametrize(
    ("kw", "message", "hint"),
    [
        ({"tables": ()}, "no capability table given", "pass --table NAME (see `minilat tables`)"),
        ({"tables": (A, B, A)}, "table 'a' is given twice", None),
        # two tables each given twice: the first in id order is named
        ({"tables": (B, A, B, A)}, "table 'a' is given twice", None),
        (
            {"tables": (A, B), "targets": (0.5,)},
            "1 target(s) for 2 table(s)",
            "give one --target per --table, in the same order",
        ),
        ({"targets": (0.0,)}, "target 0 for a is not a share", "use a number in (0, 1]"),
        ({"targets": (1.25,)}, "target 1.25 for a is not a share", "use a number in (0, 1]"),
        (
            {"tables": (A, B), "weights": (1.0,)},
            "1 weight(s) for 2 table(s)",
            "give one --weight per --table, in the same order",
        ),
        ({"weights": (-1.0,)}, "weights must be non-negative and not all zero", None),
        # one negative weight is refused even when the others make the sum positive
        (
            {"tables": (A, B), "weights": (-1.0, 2.0)},
            "weights must be non-negative and not all zero",
            None,
        ),
        ({"weights": (float("inf"),)}, "weights must be non-negative and not all zero", None),
        (
            {"tables": (A, B), "weights": (0.0, 0.0)},
            "weights must be non-negative and not all zero",
            None,
        ),
        ({"max_size": 0}, "--max-size 0 must be at least 1", None),
        (
            {"max_size": 1, "include": ("USA", "JPN")},
            "2 countries are included but --max-size is 1",
            "raise --max-size or include fewer countries",
        ),
        (
            {"include": ("USA",), "exclude": ("JPN", "USA")},
            "USA is both included and excluded",
            None,
        ),
        (
            {"forbid_pairs": (("USA", "USA"),)},
            "forbidden pair USA,USA names the same country twice",
            None,
        ),
    ],
)
def test_a_malformed_question_is_refused_in_one_line(
    kw: dict[str, object], message: str, hint: str | None
) -> None:
    q = Question(**{"tables": (A,), **kw})  # type: ignore[arg-type]
    with pytest.raises(BadInput) as e:
        _check(q)
    assert (e.value.message, e.value.hint) == (message, hint)


@pytest.mark.parametrize(
    "kw",
    [
        {"targets": (1.0,)},  # a target of the whole table is a share
        {"targets": (TOL,)},  # however small, above 0
        {"tables": (A, B), "weights": (0.0, 2.0)},  # one zero weight is allowed
        {"max_size": 1},
        {"max_size": 2, "include": ("USA", "JPN", "USA")},  # as many as max_size, once each
        {"include": ("USA",), "exclude": ("JPN",), "forbid_pairs": (("USA", "JPN"),)},
    ],
)
def test_a_question_on_the_boundary_is_accepted(kw: dict[str, object]) -> None:
    _check(Question(**{"tables": (A,), **kw}))  # type: ignore[arg-type]


# ------------------------------------------------------- feasibility of a coalition


def test_each_constraint_broken_on_its_own_makes_a_coalition_infeasible() -> None:
    shares = [[0.4, 0.3, 0.2, 0.1]]
    partners = {"AAA": frozenset({"BBB"}), "CCC": frozenset({"DDD"})}
    base = dict(targets=(0.5,), max_size=3, partners=partners)
    inst = _inst(shares, **base)
    assert inst.feasible(["AAA", "BBB"])  # 0.7 >= 0.5, two partners
    assert not inst.feasible(["AAA"])  # no partner chosen (and short of the target)
    assert not inst.feasible(["CCC", "DDD"])  # 0.3 < 0.5: the target alone
    assert not inst.feasible(["AAA", "BBB", "CCC"])  # CCC has no chosen partner
    assert not inst.feasible(["AAA", "BBB", "CCC", "DDD"])  # four > max_size 3
    assert not inst.feasible(["AAA", "BBB", "ZZZ"])  # not a candidate
    assert not _inst(shares, **base, include=frozenset({"CCC"})).feasible(["AAA", "BBB"])
    assert not _inst(shares, **base, exclude=frozenset({"BBB"})).feasible(["AAA", "BBB"])
    assert not _inst(shares, **base, forbidden=(("BBB", "AAA"),)).feasible(["AAA", "BBB"])
    assert _inst(shares, **base, forbidden=(("CCC", "AAA"),)).feasible(["AAA", "BBB"])


def test_the_partner_relation_is_read_as_mutual() -> None:
    # only AAA lists BBB; BBB has no entry of its own, yet each is the other's partner
    inst = _inst([[0.5, 0.4, 0.1]], targets=(0.5,), partners={"AAA": frozenset({"BBB"})})
    assert inst.feasible(["AAA", "BBB"]) and inst.feasible(["BBB", "AAA"])
    assert not inst.feasible(["AAA", "CCC"]) and not inst.feasible(["BBB", "CCC"])
    assert not inst.feasible(["AAA"])  # a partner must be chosen, not merely exist


def test_a_target_is_met_at_exactly_target_minus_tol() -> None:
    """The documented tolerance: coverage >= target - TOL meets the target."""
    tau = 0.5
    at = float(np.float64(tau) - TOL)  # the boundary itself, as a share
    below = float(np.nextafter(at, 0.0))
    inst_at = _inst([[at]], targets=(tau,))
    assert inst_at.feasible(["AAA"])
    red = _reduce(inst_at)
    assert red is not None and _feasible_mask(inst_at, red, np.array([True]))
    assert not _inst([[below]], targets=(tau,)).feasible(["AAA"])
    assert solve(_inst([[at]], targets=(tau,))).members == ("AAA",)
    assert solve(_inst([[below]], targets=(tau,))).status == "infeasible"


def test_a_target_within_tol_of_zero_is_met_by_no_one() -> None:
    inst = _inst([[0.5, 0.3]], targets=(TOL,))
    assert inst.feasible([])
    red = _reduce(inst)
    assert red is not None and _size_lower_bound(inst, red) == 0
    sol = solve(inst)
    assert sol.status == "optimal" and sol.members == ()
    two = _inst([[0.5, 0.3], [0.2, 0.6]], targets=(0.0, 0.55))
    red = _reduce(two)
    assert red is not None and _size_lower_bound(two, red) == 1


def _rule_feasible(inst: Instance, chosen: set[str]) -> bool:
    """The rules of docs/designer.md, one per line, on plain sets."""
    p = inst.partners
    mutual = {
        c: {d for d in inst.ids if p and (d in p.get(c, ()) or c in p.get(d, ()))} for c in inst.ids
    }
    return (
        inst.include <= chosen
        and not chosen & inst.exclude
        and (inst.max_size is None or len(chosen) <= inst.max_size)
        and not any(a in chosen and b in chosen for a, b in inst.forbidden)
        and (p is None or all(mutual[c] & (chosen - {c}) for c in chosen))
        and bool(np.all(inst.coverage(chosen) >= inst.tau - TOL))
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_feasibility_agrees_with_the_rules_on_every_coalition(inst: Instance) -> None:
    """Every coalition of the first 7 countries: ``Instance.feasible`` against the rules, and
    the reduced model's check (``_feasible_mask``) against ``Instance.feasible``, since the
    reduction (no dominance fixing) only drops countries that no optimum needs."""
    ids = inst.ids[:7]
    red = _reduce(inst)
    for size in range(len(ids) + 1):
        for combo in itertools.combinations(ids, size):
            chosen = set(combo)
            ok = inst.feasible(chosen)
            assert ok == _rule_feasible(inst, chosen), combo
            if red is None:
                assert not ok, combo
                continue
            where = {inst.ids[j]: k for k, j in enumerate(red.cols)}
            if not chosen <= set(where):
                continue
            mask = np.zeros(len(red.cols), dtype=bool)
            mask[[where[c] for c in chosen]] = True
            assert _feasible_mask(inst, red, mask) == ok, combo


def test_the_reduced_check_refuses_each_broken_constraint() -> None:
    partners = {"AAA": frozenset({"BBB"}), "CCC": frozenset({"DDD"})}
    inst = _inst(
        [[0.4, 0.3, 0.2, 0.1]],
        targets=(0.5,),
        max_size=2,
        include=frozenset({"AAA"}),
        partners=partners,
    )
    red = _reduce(inst)
    assert red is not None and red.cols.tolist() == [0, 1, 2, 3]

    def ok(*cols: int) -> bool:
        mask = np.zeros(4, dtype=bool)
        mask[list(cols)] = True
        return _feasible_mask(inst, red, mask)

    assert ok(0, 1)  # exactly max_size members
    assert not ok(2, 3)  # the included AAA left out
    assert not ok(0, 1, 2)  # three > max_size
    free = _inst([[0.4, 0.3, 0.2, 0.1]], targets=(0.5,), objective="size")
    red = _reduce(free)
    assert red is not None
    red.upper[0] = 0.0  # AAA fixed out (as dominance or "no partner" would)
    assert not _feasible_mask(free, red, np.array([True, True, False, False]))
    assert _feasible_mask(free, red, np.array([False, True, True, False]))


# ------------------------------------------------------------------ the bounds


def test_size_lower_bound_is_the_fewest_any_table_needs() -> None:
    """Shares 0.4/0.3/0.2/0.1 need two members for 0.6 (0.4 + 0.3 = 0.7), three for 0.9;
    another table 0.1/0.1/0.1/0.7 needs one for 0.7 exactly (0.7 >= 0.7 - TOL)."""
    inst = _inst([[0.4, 0.3, 0.2, 0.1], [0.1, 0.1, 0.1, 0.7]], targets=(0.6, 0.7))
    red = _reduce(inst)
    assert red is not None and _size_lower_bound(inst, red) == 2
    inst = _inst([[0.4, 0.3, 0.2, 0.1], [0.1, 0.1, 0.1, 0.7]], targets=(0.9, 0.7))
    red = _reduce(inst)
    assert red is not None and _size_lower_bound(inst, red) == 3
    # the cumulative share landing exactly on the target counts as meeting it
    inst = _inst([[0.5, 0.25, 0.25]], targets=(0.75,))
    red = _reduce(inst)
    assert red is not None and _size_lower_bound(inst, red) == 2
    # three included countries need three members, whatever the table says
    inst = _inst([[0.9, 0.05, 0.05]], targets=(0.5,), include=frozenset({"AAA", "BBB", "CCC"}))
    red = _reduce(inst)
    assert red is not None and _size_lower_bound(inst, red) == 3


def test_size_lower_bound_counts_only_usable_countries() -> None:
    # AAA's only partner is excluded, so AAA is fixed out: 0.3 + 0.2 + 0.1 needs all three
    partners = {"AAA": frozenset({"EEE"}), "BBB": frozenset({"CCC", "DDD"})}
    inst = _inst(
        [[0.4, 0.3, 0.2, 0.1, 0.0]],
        targets=(0.55,),
        exclude=frozenset({"EEE"}),
        partners=partners,
    )
    red = _reduce(inst)
    assert red is not None and red.upper.tolist() == [0.0, 1.0, 1.0, 1.0]
    assert _size_lower_bound(inst, red) == 3
    assert solve(inst).members == ("BBB", "CCC", "DDD")
    # none usable: the bound is the included countries alone (here none)
    lonely = _inst([[0.5, 0.5]], targets=(0.5,), partners={})
    red = _reduce(lonely)
    assert red is not None and _size_lower_bound(lonely, red) == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_size_lower_bound_against_enumeration(inst: Instance) -> None:
    """The bound is the largest, over tables, of the fewest usable countries whose shares
    reach the target (found here by trying every subset, smallest first), and never below
    the number of included countries; a table that all of them cannot reach asks for more
    than all of them. It never exceeds the true optimum."""
    red = _reduce(inst)
    if red is None or inst.targets is None:
        return
    usable = red.S[:, red.upper > 0]
    k = usable.shape[1]
    if k > 8:
        return
    need = [0]
    for t in range(inst.m):
        if inst.tau[t] <= TOL:
            continue
        fewest = next(
            (
                size
                for size in range(k + 1)
                for combo in itertools.combinations(range(k), size)
                if usable[t, list(combo)].sum() >= inst.tau[t] - TOL
            ),
            k + 1,
        )
        need.append(fewest if k else 0)
    expected = max(int(red.lower.sum()), max(need))
    assert _size_lower_bound(inst, red) == expected
    truth = brute_force(inst)
    if truth.feasible and inst.objective == "size":
        assert _size_lower_bound(inst, red) <= truth.size


def test_coverage_upper_bound_is_the_included_plus_the_best_others() -> None:
    # weighted shares 0.4 / 0.3 / 0.2 / 0.1; DDD included, room for 2: DDD + AAA
    inst = _inst(
        [[0.4, 0.3, 0.2, 0.1]], objective="coverage", max_size=2, include=frozenset({"DDD"})
    )
    red = _reduce(inst)
    assert red is not None
    assert _coverage_upper_bound(inst, red, 2) == pytest.approx(0.5)
    assert _coverage_upper_bound(inst, red, 1) == pytest.approx(0.1)  # no room left
    assert _coverage_upper_bound(inst, red, 3) == pytest.approx(0.8)
    # AAA fixed out (its only partner excluded): the best others are BBB and CCC
    partners = {"AAA": frozenset({"EEE"}), "BBB": frozenset({"CCC", "DDD"})}
    fixed = _inst(
        [[0.4, 0.3, 0.2, 0.1, 0.0]],
        objective="coverage",
        max_size=2,
        exclude=frozenset({"EEE"}),
        partners=partners,
    )
    red = _reduce(fixed)
    assert red is not None and red.upper.tolist() == [0.0, 1.0, 1.0, 1.0]
    assert _coverage_upper_bound(fixed, red, 2) == pytest.approx(0.5)
    assert solve(fixed).members == ("BBB", "CCC")


# ------------------------------------------------------------------ the reduction


def test_reduce_drops_what_cannot_matter() -> None:
    """Excluded DDD goes, zero-share CCC goes (no partner rule to need it), included EEE
    stays though it holds nothing; pairs with a removed or unknown country, or naming one
    country twice, are no constraint on what remains."""
    ids = ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")
    inst = Instance(
        ids,
        np.array([[0.4, 0.3, 0.0, 0.2, 0.0, 0.1]]),
        targets=(0.5,),
        include=frozenset({"EEE"}),
        exclude=frozenset({"DDD"}),
        forbidden=(
            ("AAA", "BBB"),
            ("AAA", "DDD"),
            ("CCC", "BBB"),
            ("FFF", "FFF"),
            ("ZZZ", "AAA"),
            ("FFF", "EEE"),
            ("EEE", "BBB"),
        ),
    )
    red = _reduce(inst)
    assert red is not None
    assert red.cols.tolist() == [0, 1, 4, 5]
    assert red.lower.tolist() == [0, 0, 1, 0] and red.upper.tolist() == [1, 1, 1, 1]
    assert red.forbidden == [(0, 1), (3, 2), (2, 1)]
    assert red.partners is None
    assert red.S.tolist() == [[0.4, 0.3, 0.0, 0.1]]


def test_reduce_keeps_a_bridge_and_fixes_out_the_partnerless() -> None:
    """Under "within existing": CCC (no share) is AAA's partner, so it may be needed as a
    bridge and stays; DDD, a partner of CCC only, is two steps away and goes; EEE's only
    partner FFF is excluded, so EEE stays but is fixed out."""
    ids = ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")
    partners = {
        "AAA": frozenset({"CCC"}),
        "BBB": frozenset({"AAA"}),
        "CCC": frozenset({"DDD"}),
        "EEE": frozenset({"FFF"}),
    }
    inst = Instance(
        ids,
        np.array([[0.4, 0.3, 0.0, 0.0, 0.2, 0.1]]),
        targets=(0.5,),
        exclude=frozenset({"FFF"}),
        partners=partners,
    )
    red = _reduce(inst)
    assert red is not None and red.partners is not None
    assert red.cols.tolist() == [0, 1, 2, 4]
    assert red.upper.tolist() == [1, 1, 1, 0] and red.lower.tolist() == [0, 0, 0, 0]
    assert [p.tolist() for p in red.partners] == [[1, 2], [0], [0], []]
    # the same question with EEE included cannot be answered at all
    assert _reduce(replace(inst, include=frozenset({"EEE"}))) is None
    # an included zero-share country keeps its zero-share partner as a bridge
    inst = Instance(
        ("AAA", "BBB", "CCC"),
        np.array([[0.5, 0.0, 0.0]]),
        targets=(0.5,),
        include=frozenset({"BBB"}),
        partners={"BBB": frozenset({"CCC"}), "AAA": frozenset({"CCC"})},
    )
    red = _reduce(inst)
    assert red is not None and red.cols.tolist() == [0, 1, 2]
    assert solve(inst).members == ("AAA", "BBB", "CCC")


@pytest.mark.parametrize(
    "kw",
    [
        {"include": frozenset({"AAA"}), "exclude": frozenset({"AAA"})},
        {"include": frozenset({"AAA", "BBB"}), "forbidden": (("BBB", "AAA"),)},
        {
            "include": frozenset({"AAA"}),
            "partners": {"AAA": frozenset({"BBB"})},
            "exclude": frozenset({"BBB"}),
        },
    ],
)
def test_contradictory_constraints_reduce_to_nothing(kw: dict[str, object]) -> None:
    inst = _inst([[0.4, 0.3, 0.3]], targets=(0.1,), **kw)
    assert _reduce(inst) is None
    assert solve(inst).status == "infeasible" and solve(inst).method == "presolve"


# ------------------------------------------------- a MIP answer is checked, not trusted


class _Solved:
    """What ``_checked_mip`` reads of a solved HiGHS model, set by hand."""

    def __init__(
        self, status: str, x: list[float] | None, bound: float = 0.0, nodes: int = 7
    ) -> None:
        self.status = getattr(highspy.HighsModelStatus, status)
        self.x = x
        self.info = SimpleNamespace(
            mip_node_count=nodes,
            primal_solution_status=2 if x is not None else 0,
            mip_dual_bound=bound,
        )

    def getModelStatus(self) -> object:
        return self.status

    def getInfo(self) -> object:
        return self.info

    def getSolution(self) -> object:
        # HiGHS hands back a vector even with no solution; its values mean nothing
        return SimpleNamespace(col_value=self.x if self.x is not None else [0.0, 0.0, 0.0])

    def modelStatusToString(self, status: object) -> str:
        return str(highspy._Highs().modelStatusToString(status))


#: minimise x0 + x1 + x2 with x0 + x1 >= 1 and 0.5 x1 + x2 <= 1
_COST = np.ones(3)
_A = np.array([[1.0, 1.0, 0.0], [0.0, 0.5, 1.0]])
_LO, _HI = np.array([1.0, -np.inf]), np.array([np.inf, 1.0])


def _check_mip(h: _Solved, maximize: bool = False, cost: np.ndarray = _COST) -> tuple[object, ...]:
    r = _checked_mip(h, cost, maximize, _A, _LO, _HI)
    return (None if r.x is None else r.x.tolist(), r.status, r.gap, r.nodes)


def test_an_optimal_answer_is_kept_only_when_its_value_meets_the_dual_bound() -> None:
    # the solution is rounded (HiGHS reports integers within its tolerance)
    assert _check_mip(_Solved("kOptimal", [0.9999999, 1e-8, 0.0], bound=1.0)) == (
        [1.0, 0.0, 0.0],
        "optimal",
        0.0,
        7,
    )
    # a value exactly 1e-7 above the bound is still a proof; 2e-7 is not
    tiny = np.array([1e-7, 0.0, 0.0])
    assert _check_mip(_Solved("kOptimal", [1, 0, 1], bound=0.0), cost=tiny)[1] == "optimal"
    assert _check_mip(_Solved("kOptimal", [1, 0, 1], bound=0.0), cost=2 * tiny)[1:3] == (
        "unproven",
        2e-7,
    )
    # value 2 against bound 1: HiGHS said optimal, the numbers disagree
    assert _check_mip(_Solved("kOptimal", [1, 1, 0], bound=1.0)) == (
        [1.0, 1.0, 0.0],
        "unproven",
        0.5,
        7,
    )
    # maximising, the bound lies above: value 2 against 2.5 is a gap of 0.25
    assert _check_mip(_Solved("kOptimal", [1, 1, 0], bound=2.5), maximize=True) == (
        [1.0, 1.0, 0.0],
        "unproven",
        0.25,
        7,
    )
    assert _check_mip(_Solved("kOptimal", [1, 1, 0], bound=2.0), maximize=True)[1] == "optimal"
    # the gap is relative to max(|value|, 1): 0.25 / 1, not 0.25 / 0.5
    half = np.full(3, 0.5)
    assert _check_mip(_Solved("kTimeLimit", [1, 0, 0], bound=0.25), cost=half)[2] == 0.25
    # and to |value| when above 1: value -2, bound -3, gap 1 / 2
    assert _check_mip(_Solved("kTimeLimit", [1, 1, 0], bound=-3.0), cost=-_COST) == (
        [1.0, 1.0, 0.0],
        "time_limit",
        0.5,
        7,
    )


def test_a_solution_outside_a_row_is_not_an_answer() -> None:
    # 0.5 + 1 = 1.5 > 1: the second row fails, whatever HiGHS says
    assert _check_mip(_Solved("kOptimal", [1, 1, 1], bound=3.0)) == (
        None,
        "outside_tolerance",
        float("inf"),
        7,
    )
    # x0 + x1 = 0 < 1: the first row fails
    assert _check_mip(_Solved("kTimeLimit", [0, 0, 1], bound=0.0))[1] == "outside_tolerance"
    # both rows met exactly at their bounds: fine
    assert _check_mip(_Solved("kOptimal", [1, 0, 1], bound=2.0))[1] == "optimal"
    # and met within 1e-12 of a bound, at exactly that distance: still met
    lo, hi = np.array([1.0 + 1e-12, -np.inf]), np.array([np.inf, 1.0 - 1e-12])
    assert lo[0] - 1e-12 == 1.0 and hi[1] + 1e-12 == 1.0  # the rows sit on the boundary
    r = _checked_mip(_Solved("kOptimal", [1, 0, 1], bound=2.0), _COST, False, _A, lo, hi)
    assert r.status == "optimal"


def test_a_stopped_search_says_so_with_its_gap() -> None:
    assert _check_mip(_Solved("kTimeLimit", [1, 1, 0], bound=1.5, nodes=3)) == (
        [1.0, 1.0, 0.0],
        "time_limit",
        0.25,
        3,
    )
    # a bound above the value (a solver's rounding) is no negative gap
    assert _check_mip(_Solved("kTimeLimit", [1, 0, 0], bound=1.5)) == (
        [1.0, 0.0, 0.0],
        "time_limit",
        0.0,
        7,
    )
    assert _check_mip(_Solved("kTimeLimit", None)) == (None, "time_limit", float("inf"), 7)
    assert _check_mip(_Solved("kInfeasible", None, nodes=4)) == (None, "infeasible", 0.0, 4)
    # any other end: HiGHS's own words, lower case, and no gap claimed
    assert _check_mip(_Solved("kInterrupt", [1, 0, 0], bound=1.0)) == (
        [1.0, 0.0, 0.0],
        "interrupted by user",
        float("inf"),
        7,
    )
    assert _check_mip(_Solved("kSolutionLimit", None)) == (
        None,
        "solution limit reached",
        float("inf"),
        7,
    )


# ---------------------------------------------------------------- the cover cuts


def _cuts(inst: Instance) -> tuple[list[list[float]], list[float]]:
    red = _reduce(inst)
    assert red is not None
    rows, lo = _cover_cuts(inst, red)
    assert rows.shape == (len(lo), len(red.cols))
    return rows.tolist(), lo.tolist()


def test_cover_cuts_when_one_country_can_meet_the_target() -> None:
    """0.7 / 0.2 / 0.1 for 0.5: one member may do (no cardinality cut, k = 1 says
    nothing), but without AAA the others reach only 0.3, so AAA is needed: x_A >= 1."""
    assert _cuts(_inst([[0.7, 0.2, 0.1]], targets=(0.5,))) == ([[1, 0, 0]], [1])
    # targets met exactly (0.5 >= 0.5 - TOL): AAA alone, or BBB and CCC together
    # (2 x_A + x_B + x_C >= 2); without AAA and BBB, 0.2 cannot (x_A + x_B >= 1)
    assert _cuts(_inst([[0.5, 0.3, 0.2]], targets=(0.5,))) == (
        [[2, 1, 1], [1, 1, 0]],
        [2, 1],
    )


def test_cover_cuts_leave_out_what_cannot_help() -> None:
    # a table with no target gives no cut; the zero-share included DDD is in no cut
    inst = _inst(
        [[0.4, 0.3, 0.2, 0.0], [0.5, 0.1, 0.1, 0.0]],
        targets=(0.6, TOL),
        include=frozenset({"DDD"}),
    )
    assert _cuts(inst) == ([[1, 1, 1, 0], [1, 0, 0, 0]], [2, 1])
    # AAA fixed out (its only partner is excluded): the cuts count BBB, CCC, DDD only
    partners = {"AAA": frozenset({"EEE"}), "BBB": frozenset({"CCC", "DDD"})}
    fixed = _inst(
        [[0.4, 0.3, 0.2, 0.1, 0.0]],
        targets=(0.45,),
        exclude=frozenset({"EEE"}),
        partners=partners,
    )
    assert _cuts(fixed) == ([[0, 1, 1, 1], [0, 1, 0, 0]], [2, 1])
    # no target above TOL at all: an empty matrix of the right width
    assert _cuts(_inst([[0.4, 0.6]], targets=(TOL,))) == ([], [])


def test_cover_cuts_look_eight_deep() -> None:
    """Nine shares of 0.08 and 28 of 0.01, target 0.1: two members at least; without
    the top eight, one 0.08 and two 0.01 (three members); without the top nine it
    would take ten 0.01, but only eight prefixes are tried."""
    shares = [[0.08] * 9 + [0.01] * 28]
    inst = Instance(tuple(f"C{j:02d}" for j in range(37)), np.array(shares), targets=(0.1,))
    rows, lo = _cuts(inst)
    assert lo == [2, 3]
    assert rows == [[1.0] * 37, [3.0] * 8 + [1.0] * 29]


# -------------------------------------------------- equal answers come out one way


def test_a_later_twin_is_swapped_for_the_earlier_one() -> None:
    """AAA and BBB have equal shares; of the two only AAA dominates. A coalition of two
    holding BBB (fixed out: AAA and CCC both dominate it) gets AAA instead."""
    inst = _inst([[0.3, 0.3, 0.4]], targets=(0.7,))
    probe = _reduce(inst)
    assert probe is not None
    red = _fix_dominated(probe, 2)
    assert red.upper.tolist() == [1, 0, 1]
    x = np.array([False, True, True])
    assert _earlier_twins(inst, probe, red, x).tolist() == [True, False, True]
    assert solve(inst).members == ("CCC", "AAA")
    # nothing fixed out: x itself
    same = np.array([True, False, True])
    assert _earlier_twins(inst, probe, probe, same) is same


def test_only_an_earlier_twin_not_yet_chosen_and_not_fixed_out_is_taken() -> None:
    # three equal countries and a larger one; BBB and CCC both fixed out
    inst = _inst([[0.2, 0.2, 0.2, 0.4]], targets=(0.6,))
    probe = _reduce(inst)
    assert probe is not None
    red = _fix_dominated(probe, 2)
    assert red.upper.tolist() == [1, 0, 0, 1]
    # BBB goes for AAA; CCC's earlier twins are AAA (now chosen) and BBB (fixed out)
    x = np.array([False, True, True, True])
    assert _earlier_twins(inst, probe, red, x).tolist() == [True, False, True, True]
    # a fixed-out country with no earlier twin stays (CCC's twins here are later)
    red.upper[:] = [0, 1, 1, 1]
    x = np.array([True, False, False, True])
    assert _earlier_twins(inst, probe, red, x).tolist() == [True, False, False, True]


def test_a_twin_in_a_forbidden_pair_is_not_swapped_in() -> None:
    inst = _inst([[0.3, 0.3, 0.4, 0.1]], targets=(0.7,), forbidden=(("AAA", "DDD"),))
    probe = _reduce(inst)
    assert probe is not None
    red = replace(probe, upper=np.array([1.0, 0.0, 1.0, 1.0]))  # BBB fixed out by hand
    x = np.array([False, True, True, False])
    assert _earlier_twins(inst, probe, red, x).tolist() == [False, True, True, False]


def test_cover_cuts_take_tied_shares_in_column_order() -> None:
    """Five shares of 0.1 (columns 0, 9, 11, 14, 15), six of 0.05 (1, 2, 10, 12, 13, 16)
    and six of 0.01 (3-8), target 0.3: three members at least; without the top three,
    four; without four, five; without five, six; without six, ten (0.31 left); without
    seven, 0.26 cannot. Equal shares are taken in column order (by id, in the designer),
    so the same question always gives the same cuts; 17 columns is past the size where
    numpy's default sort stays stable."""
    big, small = [0, 9, 11, 14, 15], [1, 2, 10, 12, 13, 16]
    shares = np.full(17, 0.01)
    shares[big], shares[small] = 0.1, 0.05
    inst = Instance(tuple(f"C{j:02d}" for j in range(17)), shares[None, :], targets=(0.3,))
    rows, lo = _cuts(inst)
    assert lo == [3, 4, 5, 6, 10, 1]

    def row(top: list[int], k: float, rest: float = 1.0) -> list[float]:
        return [k if j in top else rest for j in range(17)]

    assert rows == [
        row([], 1),
        row([0, 9, 11], 4),
        row([0, 9, 11, 14], 5),
        row(big, 6),
        row([*big, 1], 10),
        row([*big, 1, 2], 1, 0.0),
    ]


def test_cover_cuts_count_others_that_reach_exactly_the_goal() -> None:
    """The cuts aim a hair (1e-12) below ``target - TOL``. Two countries of exactly that
    share: either one alone comes within the hair, so neither is needed and k = 1 says
    nothing; only "one of the two" is a cut."""
    goal = float(np.float64(0.5) - TOL - 1e-12)
    assert _cuts(_inst([[goal, goal]], targets=(0.5,))) == ([[1, 1]], [1])
    at = float(np.float64(0.5) - TOL)
    assert _cuts(_inst([[at, at]], targets=(0.5,))) == ([[1, 1]], [1])


def test_a_fixed_out_member_without_an_exact_twin_stays() -> None:
    inst = _inst([[0.2, 0.3, 0.5]], targets=(0.7,))
    probe = _reduce(inst)
    assert probe is not None
    red = replace(probe, upper=np.array([1.0, 0.0, 1.0]))
    x = np.array([False, True, True])
    assert _earlier_twins(inst, probe, red, x).tolist() == [False, True, True]
    # a country fixed out but not in x is no member to swap
    twins = _inst([[0.2, 0.2, 0.2, 0.4]], targets=(0.4,))
    probe = _reduce(twins)
    assert probe is not None
    red = replace(probe, upper=np.array([1.0, 0.0, 0.0, 1.0]))
    x = np.array([False, False, False, True])
    assert _earlier_twins(twins, probe, red, x).tolist() == [False, False, False, True]


def test_the_nearest_earlier_twin_is_the_first_by_column() -> None:
    # BBB and CCC are twins; CCC fixed out goes for BBB, not for AAA (no twin of it)
    inst = _inst([[0.5, 0.2, 0.2, 0.1]], targets=(0.7,))
    probe = _reduce(inst)
    assert probe is not None
    red = replace(probe, upper=np.array([1.0, 1.0, 0.0, 1.0]))
    x = np.array([True, False, True, False])
    assert _earlier_twins(inst, probe, red, x).tolist() == [True, True, False, False]


def test_a_swap_that_breaks_a_constraint_is_not_made() -> None:
    # BBB fixed out by hand though it is included: swapping it for AAA would drop it
    inst = _inst([[0.3, 0.3, 0.4]], targets=(0.7,), include=frozenset({"BBB"}))
    probe = _reduce(inst)
    assert probe is not None
    red = replace(probe, upper=np.array([1.0, 0.0, 1.0]))
    x = np.array([False, True, True])
    assert _earlier_twins(inst, probe, red, x).tolist() == [False, True, True]


# ------------------------------------------------------------------------- dominance


def _dominated_by_definition(red: object, size_bound: int) -> list[int]:
    """Positions fixed out, by the rule read plainly: a country free of pairs, not
    included, with at least ``size_bound`` free dominators (at least its share in every
    table; of two equal countries only the earlier dominates)."""
    S, lower = red.S, red.lower  # type: ignore[attr-defined]
    tied = {k for pair in red.forbidden for k in pair}  # type: ignore[attr-defined]
    n = S.shape[1]
    out = []
    for i in range(n):
        if i in tied or lower[i] > 0:
            continue
        count = sum(
            1
            for j in range(n)
            if j != i
            and j not in tied
            and np.all(S[:, j] >= S[:, i])
            and not (np.all(S[:, j] == S[:, i]) and j > i)
        )
        if count >= size_bound:
            out.append(i)
    return out


def test_dominance_fixes_out_what_enough_others_beat() -> None:
    """AAA 0.4/0.4 beats everyone; BBB 0.3/0.1 and CCC 0.1/0.3 beat only DDD 0.1/0.1 and
    EEE, DDD's twin (later, so DDD dominates EEE, not the other way)."""
    inst = _inst([[0.4, 0.3, 0.1, 0.1, 0.1], [0.4, 0.1, 0.3, 0.1, 0.1]], targets=(0.5, 0.5))
    red = _reduce(inst)
    assert red is not None
    # dominators: AAA none; BBB, CCC one (AAA); DDD three; EEE four
    assert _fix_dominated(red, 1).upper.tolist() == [1, 0, 0, 0, 0]
    assert _fix_dominated(red, 2).upper.tolist() == [1, 1, 1, 0, 0]
    assert _fix_dominated(red, 4).upper.tolist() == [1, 1, 1, 1, 0]
    assert _fix_dominated(red, 5) is red  # no more countries than the bound: nothing to do
    assert _fix_dominated(red, 3).upper.tolist() == [1, 1, 1, 0, 0]
    # an included country is never fixed out; a country in a pair neither is fixed out
    # nor counts as a dominator
    inc = _fix_dominated(_reduce(replace(inst, include=frozenset({"DDD"}))), 2)
    assert inc.upper.tolist() == [1, 1, 1, 1, 0]
    pair = _fix_dominated(_reduce(replace(inst, forbidden=(("AAA", "EEE"),))), 2)
    # AAA and EEE in a pair: EEE stays; DDD keeps two dominators (BBB, CCC), enough for 2
    assert pair.upper.tolist() == [1, 1, 1, 0, 1]
    pair3 = _fix_dominated(_reduce(replace(inst, forbidden=(("AAA", "EEE"),))), 3)
    assert pair3.upper.tolist() == [1, 1, 1, 1, 1]  # ... but not for 3


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(1, 6))
def test_dominance_against_its_definition_and_the_optimum(inst: Instance, bound: int) -> None:
    """The vectorised dominance (a sorted bound, then an exact check of the candidates)
    fixes out exactly the countries the definition names, and never loses the optimum of
    a coalition of at most ``bound`` members."""
    red = _reduce(inst)
    if red is None:
        return
    fixed = _fix_dominated(red, bound)
    if red.partners is not None or len(red.cols) <= bound:
        assert fixed is red
        return
    expected = [int(i) for i in np.flatnonzero(red.upper == 0)]
    expected = sorted(set(expected) | set(_dominated_by_definition(red, bound)))
    assert np.flatnonzero(fixed.upper == 0).tolist() == expected
    if inst.objective == "coverage" and inst.max_size is not None and inst.max_size <= bound:
        out = frozenset(inst.ids[j] for j in red.cols[fixed.upper == 0])
        truth, kept = brute_force(inst), brute_force(replace(inst, exclude=inst.exclude | out))
        assert kept.feasible == truth.feasible
        assert kept.weighted == pytest.approx(truth.weighted, abs=1e-12)


# ---------------------------------------------------- the best subset, by enumeration


def test_best_subset_is_the_most_valuable_feasible_one() -> None:
    # two rows: x0 + x1 + x2 >= 2 (at least two) and x0 + x2 <= 1 (not both 0 and 2)
    rows = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    lo, hi = np.array([2.0, -np.inf]), np.array([np.inf, 1.0])
    decided, subset = _best_subset(rows, lo, hi, np.array([0.5, 0.1, 0.4]), 3)
    assert decided and subset is not None and subset.tolist() == [0, 1]
    decided, subset = _best_subset(rows, lo, hi, np.array([0.1, 0.2, 0.4]), 3)
    assert decided and subset is not None and subset.tolist() == [1, 2]
    # nothing feasible: decided, none
    assert _best_subset(rows, np.array([4.0, -np.inf]), hi, np.ones(3), 3) == (True, None)
    # a row met within 1e-12 of either bound, at exactly that distance
    lo1 = np.array([2.0 + 1e-12, -np.inf])
    hi1 = np.array([np.inf, 1.0 - 1e-12])
    assert lo1[0] - 1e-12 == 2.0 and hi1[1] + 1e-12 == 1.0
    decided, subset = _best_subset(rows, lo1, hi1, np.array([0.5, 0.1, 0.4]), 3)
    assert decided and subset is not None and subset.tolist() == [0, 1]


def test_best_subset_gives_up_past_its_cells() -> None:
    """2**k subsets times the rows, at most 250,000 cells: 17 columns of one row fit
    (131,072), 18 do not (262,144), nor 17 of two rows."""
    one = np.ones((1, 18))
    assert _best_subset(one, np.zeros(1), np.full(1, np.inf), np.ones(18), 18) == (False, None)
    two = np.ones((2, 17))
    assert _best_subset(two, np.zeros(2), np.full(2, np.inf), np.ones(17), 17) == (False, None)
    decided, subset = _best_subset(one[:, :17], np.zeros(1), np.full(1, 3.0), np.arange(17.0), 17)
    assert decided and subset is not None and subset.tolist() == [14, 15, 16]
    # exactly 250,000 cells (16 subsets of 4 columns, 15,625 rows) still fit
    rows = np.ones((15_625, 4))
    decided, subset = _best_subset(rows, np.zeros(15_625), np.full(15_625, 2.0), np.ones(4), 4)
    assert decided and subset is not None and len(subset) == 2


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 7).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.lists(st.lists(st.integers(0, 3), min_size=k, max_size=k), min_size=1, max_size=3),
            st.lists(st.integers(-1, 6), min_size=3, max_size=3),
            st.lists(st.integers(0, 9), min_size=k, max_size=k),
        )
    )
)
def test_best_subset_against_itertools(
    case: tuple[int, list[list[int]], list[int], list[int]],
) -> None:
    k, raw_rows, bounds, raw_value = case
    rows = np.array(raw_rows, dtype=float)
    r = rows.shape[0]
    lo = np.array([float(bounds[t % 3]) for t in range(r)])
    hi = lo + 3.0
    value = np.array(raw_value, dtype=float)
    decided, subset = _best_subset(rows, lo, hi, value, k)
    best = None
    for size in range(k + 1):
        for combo in itertools.combinations(range(k), size):
            ax = rows[:, list(combo)].sum(axis=1)
            if np.all(ax >= lo) and np.all(ax <= hi):
                v = float(value[list(combo)].sum())
                best = v if best is None else max(best, v)
    assert decided
    if best is None:
        assert subset is None
    else:
        assert subset is not None
        chosen = subset.tolist()
        ax = rows[:, chosen].sum(axis=1)
        assert np.all(ax >= lo) and np.all(ax <= hi)
        assert float(value[chosen].sum()) == best
