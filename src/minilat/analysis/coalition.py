"""The coalition designer: Naim's "smallest number of countries for the largest impact",
solved exactly as a mixed-integer programme.

Two layers live here, both pure (no printing, no files):

* **Arrays**: an :class:`Instance` (candidate countries, a tables x countries matrix of
  shares, targets, weights and constraints) and the functions that answer it —
  :func:`solve` (exact, HiGHS), :func:`greedy` (the heuristic kept as incumbent and
  baseline), :func:`frontier`, :func:`best_swap`, :func:`reach_limits` and
  :func:`brute_force` (enumeration, for tests). Each returns a :class:`Solution`.
* **Dataset**: :func:`design` turns a :class:`Question` about capability tables
  (bundled or read from a user's CSV) into an :class:`Instance`, solves it and returns
  one plain dict with the coalition, coverage per table, the proof status and the
  sources — the shape the CLI prints and serves as JSON (docs/designer.md).

The formulation (docs/designer.md has it in full): one binary ``x_j`` per candidate;
``sum_j s_tj x_j >= target_t`` for every table with a target; ``x_a + x_b <= 1`` for a
forbidden pair; ``x_i <= sum_{j in N(i)} x_j`` for "within existing groupings"; included
countries fixed to 1, excluded ones removed. The objective is either the size
``sum_j x_j`` (minimised; ties then broken by the largest weighted coverage) or the
weighted coverage ``sum_t w_t sum_j s_tj x_j`` (maximised under ``sum_j x_j <= K``).

>>> inst = Instance(("AAA", "BBB", "CCC"), np.array([[0.5, 0.3, 0.2]]), targets=(0.75,))
>>> sol = solve(inst)
>>> sol.members, sol.optimal
(('AAA', 'BBB'), True)
"""

from __future__ import annotations

import datetime as _dt
import heapq
import itertools
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from typing import Any, Literal, TypeAlias

import highspy
import numpy as np
import scipy.sparse as sp

from minilat.dataset import Dataset
from minilat.errors import BadInput, Infeasible, NotFound
from minilat.model import CapabilityTable, Measure

__all__ = [
    "TOL",
    "Instance",
    "Question",
    "Solution",
    "best_swap",
    "brute_force",
    "catalogue",
    "design",
    "frontier",
    "greedy",
    "parse_share",
    "partners_on",
    "reach_limits",
    "read_target",
    "solve",
]

#: Tolerance on shares: a coalition meets a target if its coverage >= target - TOL.
TOL = 1e-9

Objective = Literal["size", "coverage"]
#: A constraint matrix: dense when small and plain, sparse with pair/partner rows.
Matrix: TypeAlias = np.ndarray | sp.csc_array


def _percent(share: float) -> str:
    """A share as a percentage, one decimal, as ``minilat design`` prints coverage.

    >>> _percent(0.6234), _percent(0.18)
    ('62.3%', '18.0%')
    """
    return f"{100 * share:.1f}%"


def read_target(text: str | float) -> tuple[float, str]:
    """A target share as people write it, and how it was read: the one rule of every face
    (``minilat design --target``, the web form, ``POST /api/v1/design``). ``0.6``,
    ``"0.6"``, ``"60%"`` and ``"60"`` all mean 60% of the world total: a bare number above
    1, up to 100, is a percentage (no share is above 1); a decimal comma is a point.

    >>> read_target("60"), read_target("60%"), read_target("0.6"), read_target(0.25)
    ((0.6, '60 read as 60%'), (0.6, '60%'), (0.6, '0.6 read as 60%'), (0.25, '0.25 read as 25%'))
    >>> read_target("150")
    Traceback (most recent call last):
    ...
    minilat.errors.BadInput: target '150' is more than 100% (...)
    """
    from minilat.errors import BadInput

    raw = str(text).strip()
    bare = raw.replace(",", ".")
    try:
        number = float(bare.rstrip("%").strip())
    except ValueError:
        raise BadInput(f"target {raw!r} is not a number", hint="e.g. 60%, 60 or 0.6") from None
    percent = bare.endswith("%") or 1 < number <= 100
    share = number / 100 if percent else number
    if share > 1:
        raise BadInput(
            f"target {raw!r} is more than 100%",
            hint="a share of the world total: 60%, 60 or 0.6, at most 100%",
        )
    if not share > 0:
        raise BadInput(f"target {raw!r} must be above 0", hint="e.g. 60%, 60 or 0.6")
    reading = f"{share * 100:.4g}%"
    return share, (reading if raw.endswith("%") else f"{raw} read as {reading}")


def parse_share(text: str | float) -> float:
    """The share of a target (:func:`read_target`, without its reading).

    >>> parse_share("50%"), parse_share("0.25"), parse_share(0.8), parse_share("1.5")
    (0.5, 0.25, 0.8, 0.015)
    """
    return read_target(text)[0]


# =============================================================================== arrays


@dataclass(frozen=True)
class Instance:
    """One designer question as arrays.

    ``ids`` are the candidate countries (columns of ``shares``, one row per table, each
    entry a share of that table's world total). ``objective`` is ``"size"`` (the
    smallest coalition meeting every target) or ``"coverage"`` (the largest weighted
    coverage with at most ``max_size`` members, targets if given still binding).
    ``partners`` maps a country to the countries it already shares a grouping with (the
    relation is read as mutual); when given, every chosen country needs a chosen partner
    ("within existing").
    """

    ids: tuple[str, ...]
    shares: np.ndarray
    targets: tuple[float, ...] | None = None
    weights: tuple[float, ...] | None = None
    objective: Objective = "size"
    max_size: int | None = None
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    forbidden: tuple[tuple[str, str], ...] = ()
    partners: Mapping[str, frozenset[str]] | None = None

    def __post_init__(self) -> None:
        s = np.asarray(self.shares, dtype=float)
        if s.ndim != 2 or s.shape[1] != len(self.ids):
            raise ValueError("shares must be a (tables x countries) matrix matching ids")
        object.__setattr__(self, "shares", s)
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("ids must be distinct")
        if self.objective == "size" and self.targets is None:
            raise ValueError("the size objective needs targets")
        if self.objective == "coverage" and self.max_size is None:
            raise ValueError("the coverage objective needs max_size")

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """The partner relation over ``ids`` as a sparse 0/1 matrix (empty without one)."""
        n = len(self.ids)
        pos = {c: j for j, c in enumerate(self.ids)}
        rows: list[int] = []
        cols: list[int] = []
        for a, nb in (self.partners or {}).items():
            i = pos.get(a)
            if i is None:
                continue
            js = [pos[b] for b in nb if b in pos]
            rows += [i] * len(js)
            cols += js
        a = sp.csr_array((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
        a = sp.csr_array(((a + a.T) > 0).astype(np.int8))  # co-membership is mutual
        a.setdiag(0)
        a.eliminate_zeros()
        return a

    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each id's position in the sorted ids (to sort countries by id in numpy)."""
        rank = np.empty(len(self.ids), dtype=np.int64)
        rank[np.argsort(np.asarray(self.ids, dtype=str), kind="stable")] = np.arange(len(self.ids))
        return rank

    @property
    def m(self) -> int:
        return int(self.shares.shape[0])

    @cached_property
    def w(self) -> np.ndarray:
        """Weights normalised to add up to 1 (equal when not given)."""
        if self.weights is None:
            return np.full(self.m, 1.0 / self.m)
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    @cached_property
    def tau(self) -> np.ndarray:
        return np.asarray(self.targets if self.targets is not None else [0.0] * self.m)

    def coverage(self, members: Iterable[str]) -> np.ndarray:
        """Coverage of each table by ``members`` (ids outside the instance count 0)."""
        pos = {c: j for j, c in enumerate(self.ids)}
        cols = [pos[c] for c in members if c in pos]
        return self.shares[:, cols].sum(axis=1)

    def feasible(self, members: Iterable[str]) -> bool:
        """True if ``members`` satisfies every constraint of the instance."""
        chosen = set(members)
        if not self.include <= chosen or chosen & self.exclude:
            return False
        if not chosen <= set(self.ids):
            return False
        if self.max_size is not None and len(chosen) > self.max_size:
            return False
        if any(a in chosen and b in chosen for a, b in self.forbidden):
            return False
        if self.partners is not None:
            p = self.partners
            for c in chosen:
                others = chosen - {c}
                if not (p.get(c, frozenset()) & others or any(c in p.get(d, ()) for d in others)):
                    return False
        if self.targets is not None:
            return bool(np.all(self.coverage(chosen) >= self.tau - TOL))
        return True


@dataclass(frozen=True)
class Solution:
    """An answer: the members, their coverage, and how sure we are of it.

    ``status`` is ``optimal``, ``infeasible``, ``time_limit`` or ``heuristic``;
    ``optimal`` is True only when optimality is proven; ``gap`` is the solver's relative
    gap (0 when proven). ``method`` says how: ``highs`` (branch and bound), ``bound`` (the
    greedy incumbent met a lower/upper bound, so no search was needed), ``greedy``,
    ``brute_force``.
    """

    members: tuple[str, ...]
    coverage: np.ndarray
    weighted: float
    status: str
    optimal: bool
    gap: float
    seconds: float
    method: str
    nodes: int = 0

    @property
    def feasible(self) -> bool:
        return self.status != "infeasible"

    @property
    def size(self) -> int:
        return len(self.members)


def _infeasible(inst: Instance, t0: float, method: str) -> Solution:
    return Solution(
        (), np.zeros(inst.m), 0.0, "infeasible", True, 0.0, time.perf_counter() - t0, method
    )


def _solution(
    inst: Instance,
    mask: np.ndarray,
    status: str,
    optimal: bool,
    gap: float,
    t0: float,
    method: str,
    nodes: int = 0,
) -> Solution:
    cols = np.flatnonzero(mask)
    cov = inst.shares[:, cols].sum(axis=1)
    contrib = inst.w @ inst.shares[:, cols] if len(cols) else np.zeros(0)
    # largest contribution first, ties by id: one vectorised sort (ids ranked once)
    order = np.lexsort((inst.id_rank[cols], -contrib))
    ids = inst.ids
    members = tuple([ids[j] for j in cols[order].tolist()])
    return Solution(
        members,
        cov,
        float(inst.w @ cov),
        status,
        optimal,
        gap,
        time.perf_counter() - t0,
        method,
        nodes,
    )


# ------------------------------------------------------------------- preprocessing


@dataclass
class _Reduced:
    """The instance after preprocessing: the columns that remain and fixed bounds."""

    cols: np.ndarray  # indices into inst.ids of the remaining candidates
    S: np.ndarray  # shares of the remaining candidates (m x n')
    lower: np.ndarray  # 1 for included countries
    upper: np.ndarray  # 0 for countries fixed out (no partner, dominated)
    forbidden: list[tuple[int, int]]  # pairs of positions in cols
    partners: list[np.ndarray] | None  # positions of each candidate's partners


def _reduce(inst: Instance) -> _Reduced | None:
    """Drop what cannot matter; None if the constraints alone are contradictory.

    * excluded countries are removed;
    * countries with no share in any table are removed, except included ones and, under
      "within existing", zero-share partners of a share-holding or included country (a
      partner may be needed only as a bridge; farther ones never are);
    * under "within existing", a non-included country with no remaining partner is
      fixed out.

    Dominated countries are fixed out later, by :func:`_fix_dominated`, once a bound on
    the coalition's size is known.
    """
    ids = inst.ids
    S = inst.shares
    if inst.include & inst.exclude:
        return None
    for a, b in inst.forbidden:
        if a in inst.include and b in inst.include:
            return None
    n_all = len(ids)
    pos = (
        {c: j for j, c in enumerate(ids)} if inst.include or inst.exclude or inst.forbidden else {}
    )
    keep = np.ones(n_all, dtype=bool)
    keep[[pos[c] for c in inst.exclude if c in pos]] = False
    positive = S.max(axis=0, initial=0.0) > 0
    included = np.zeros(n_all, dtype=bool)
    included[[pos[c] for c in inst.include if c in pos]] = True
    anchor = keep & (positive | included)
    adj = inst.adjacency if inst.partners is not None else None
    if adj is not None:
        near = (adj.T @ anchor.astype(np.int64)) > 0
        keep &= anchor | near
    else:
        keep &= anchor
    cols = np.flatnonzero(keep)
    n = len(cols)
    lower = included[cols].astype(float)
    upper = np.ones(n)
    forbidden: list[tuple[int, int]] = []
    where = {int(j): k for k, j in enumerate(cols)} if inst.forbidden else {}
    for a, b in inst.forbidden:
        ja, jb = pos.get(a), pos.get(b)
        if ja is not None and jb is not None and ja in where and jb in where and ja != jb:
            forbidden.append((where[ja], where[jb]))
    partners: list[np.ndarray] | None = None
    if adj is not None:
        sub = sp.csr_array(adj[cols][:, cols])
        sub.sort_indices()
        partners = np.split(sub.indices.astype(np.int64), sub.indptr[1:-1])
        lonely = np.diff(sub.indptr) == 0
        if np.any(lonely & (lower > 0)):
            return None
        upper[lonely] = 0.0
    return _Reduced(cols, S[:, cols], lower, upper, forbidden, partners)


def _fix_dominated(red: _Reduced, size_bound: int) -> _Reduced:
    """``red`` with every country dominated by at least ``size_bound`` others fixed out.

    Only countries free of pair and partner constraints take part, on both sides.
    """
    n = len(red.cols)
    if red.partners is not None or n <= size_bound:
        return red
    Sr = red.S
    m = Sr.shape[0]
    tied = {k for pair in red.forbidden for k in pair}
    free = np.ones(n, dtype=bool)
    free[list(tied)] = False
    # a cheap upper bound first: j dominating i has at least i's share in each table, so
    # i has at most (in its tightest table) as many dominators as countries with at least
    # its share there. One sort of all rows at once (each row shifted above the previous;
    # rounding can only merge values, never reorder them, so the bound stays a bound).
    off = (float(Sr.max(initial=0.0)) + 1.0) * np.arange(m)[:, None]
    shifted = Sr + off
    less = np.searchsorted(np.sort(shifted, axis=1).ravel(), shifted.ravel(), "left")
    at_least = n - 1 - (less.reshape(m, n) - n * np.arange(m)[:, None])
    cand = np.flatnonzero(free & (red.lower == 0) & (at_least.min(axis=0) >= size_bound))
    out = np.zeros(n, dtype=bool)
    if len(cand):
        # exactly, for the candidates: ge[i, j] (j has at least i's share everywhere);
        # of two equal countries only the earlier one dominates
        Sk = Sr[:, cand, None]
        ge = np.all(Sr[:, None, :] >= Sk, axis=0)
        le = np.all(Sr[:, None, :] <= Sk, axis=0)
        later = np.arange(n)[None, :] >= cand[:, None]
        dominates = ge & ~(le & later) & free[None, :]
        out[cand] = dominates.sum(axis=1) >= size_bound
    if not out.any():
        return red
    upper = red.upper.copy()
    upper[out] = 0.0
    return replace(red, upper=upper)


def _rows(
    inst: Instance, red: _Reduced, size_lo: float, size_hi: float, targets: bool
) -> tuple[Matrix, np.ndarray, np.ndarray]:
    """The constraint matrix and row bounds: a dense array in the common case (no pair or
    partner rows: a few tables plus the size row, cheaper to slice than a sparse one),
    otherwise sparse column-wise."""
    n = len(red.cols)
    if not red.forbidden and red.partners is None:  # the common case: no sparse blocks
        dense = [red.S] if targets and inst.targets is not None else []
        rows = np.vstack([*dense, np.ones((1, n))])
        lo0 = [inst.tau - TOL] if dense else []
        hi0 = [np.full(inst.m, np.inf)] if dense else []
        return (
            rows,
            np.concatenate([*lo0, [size_lo]]),
            np.concatenate([*hi0, [size_hi]]),
        )
    blocks: list[sp.coo_array] = []
    lo: list[np.ndarray] = []
    hi: list[np.ndarray] = []
    if targets and inst.targets is not None:
        blocks.append(sp.coo_array(red.S))
        lo.append(inst.tau - TOL)
        hi.append(np.full(inst.m, np.inf))
    blocks.append(sp.coo_array(np.ones((1, n))))
    lo.append(np.array([size_lo]))
    hi.append(np.array([size_hi]))
    if red.forbidden:
        f = np.array(red.forbidden, dtype=np.int64)
        r = np.repeat(np.arange(len(f)), 2)
        blocks.append(sp.coo_array((np.ones(2 * len(f)), (r, f.ravel())), shape=(len(f), n)))
        lo.append(np.full(len(f), -np.inf))
        hi.append(np.ones(len(f)))
    if red.partners is not None:
        rr: list[np.ndarray] = []
        cc: list[np.ndarray] = []
        vv: list[np.ndarray] = []
        for i, nb in enumerate(red.partners):
            rr.append(np.full(len(nb) + 1, i))
            cc.append(np.concatenate([[i], nb]))
            vv.append(np.concatenate([[-1.0], np.ones(len(nb))]))
        blocks.append(
            sp.coo_array(
                (np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc))), shape=(n, n)
            )
        )
        lo.append(np.zeros(n))
        hi.append(np.full(n, np.inf))
    A = sp.vstack(blocks, format="csc")
    return sp.csc_array(A), np.concatenate(lo), np.concatenate(hi)


def _live_rows(A: Matrix) -> np.ndarray:
    """Rows of ``A`` with at least one nonzero entry."""
    if isinstance(A, np.ndarray):
        return np.asarray((A != 0).any(axis=1))
    return np.diff(sp.csr_array(A).indptr) > 0


def _csc_parts(A: Matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``A`` column-wise, as HiGHS takes it: (starts, row indices, values)."""
    if isinstance(A, np.ndarray):
        At = A.T
        nz = At != 0
        starts = np.zeros(A.shape[1] + 1, dtype=np.int32)
        np.cumsum(nz.sum(axis=1), out=starts[1:])
        return starts, np.nonzero(nz)[1].astype(np.int32), np.ascontiguousarray(At[nz])
    C = sp.csc_array(A)
    C.sort_indices()
    return (
        C.indptr.astype(np.int32),
        C.indices.astype(np.int32),
        C.data.astype(np.float64),
    )


@dataclass(frozen=True)
class _MipResult:
    x: np.ndarray | None
    status: str
    gap: float
    nodes: int
    value: float = float("nan")  # the LP relaxation's value when solved relaxed
    duals: np.ndarray | None = None  # the LP relaxation's reduced costs
    how: str = "highs"  # what decided it: highs, enumeration, bound


_SINGLE_THREAD = [True]
#: Countries still in question after reduced-cost fixing, at most: try their subsets.
_ENUMERATE = 40
_SUBSETS = 8_000  # ... if there are at most this many subsets of the allowed sizes
_SUBSET_CELLS = 800_000  # ... and one size's subsets x rows stay this small
_DOUBLING_CELLS = 250_000  # all 2**k subsets' row sums at once, if 2**k x rows is this small


def _highs(
    cost: np.ndarray,
    maximize: bool,
    A: Matrix,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    start: np.ndarray | None,
    time_limit: float,
    *,
    relax: bool = False,
    presolve: bool = False,
    tight: bool = False,
) -> _MipResult:
    """Solve the binary programme with HiGHS, the model passed as arrays in one call.

    ``relax`` solves the LP relaxation instead and returns its value. A MIP result is
    checked, not trusted: the rounded solution must satisfy every row, and "optimal" is
    kept only if its own objective matches the solver's dual bound. A solution feasible
    within HiGHS's tolerance but not within ours gets one more solve, ``tight``.
    """
    h = _configured(time_limit, relax=relax, presolve=presolve, tight=tight)
    _pass_model(h, cost, maximize, A, row_lo, row_hi, col_lo, col_hi, relax=relax)
    n = len(cost)
    if start is not None and not relax:
        h.setSolution(n, np.arange(n, dtype=np.int32), np.asarray(start, dtype=float))
    elif start is not None:
        _warm_basis(h, start, int(A.shape[0]))
    again = partial(_highs, cost, maximize, A, row_lo, row_hi, col_lo, col_hi, start, time_limit)
    if h.run() == highspy.HighsStatus.kError and _SINGLE_THREAD[0]:
        # HiGHS's scheduler was started with more threads elsewhere in this process
        _SINGLE_THREAD[0] = False
        return again(relax=relax, presolve=presolve, tight=tight)
    if relax:
        return _relaxation(h)
    res = _checked_mip(h, cost, maximize, A, row_lo, row_hi)
    if res.status == "outside_tolerance":
        if not tight:  # within HiGHS's tolerance, not ours: once more, tighter
            return again(presolve=presolve, tight=True)
        return replace(res, status="numerical_trouble")
    return res


def _warm_basis(h: Any, start: np.ndarray, rows: int) -> None:
    """Start the LP relaxation's primal simplex from a feasible 0/1 point (the greedy
    coalition): its members nonbasic at their upper bound, the others at their lower
    bound, every row basic (the slack basis, primal feasible since the point meets every
    row). The greedy coalition is near the LP optimum on the benchmark families, so the
    primal simplex needs fewer iterations from it than the dual simplex from scratch
    (e.g. 11 instead of 86). If HiGHS refuses the basis, it solves from scratch."""
    status = highspy.HighsBasisStatus
    basis = highspy.HighsBasis()
    upper, lower = status.kUpper, status.kLower
    basis.col_status = [upper if v else lower for v in np.asarray(start, dtype=bool).tolist()]
    basis.row_status = [status.kBasic] * rows
    basis.valid = True
    if h.setBasis(basis) == highspy.HighsStatus.kOk:
        h.setOptionValue("simplex_strategy", 4)  # primal: the start is primal feasible


def _configured(time_limit: float, *, relax: bool, presolve: bool, tight: bool) -> Any:
    """A fresh HiGHS instance with this module's options: silent, single-threaded while
    that works, presolve only when asked, and an exact gap for MIPs."""
    h = highspy._Highs()  # type: ignore[attr-defined]  # the bare binding: no banner
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    if _SINGLE_THREAD[0]:
        # these models are small: a second worker thread costs more than it brings
        h.setOptionValue("threads", 1)
    if not presolve:  # on the whole (small, dense) model it costs more than it saves
        h.setOptionValue("presolve", "off")
    if not relax:
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-9)
        if tight:
            h.setOptionValue("mip_feasibility_tolerance", 1e-10)
    return h


def _pass_model(
    h: Any,
    cost: np.ndarray,
    maximize: bool,
    A: Matrix,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    *,
    relax: bool,
) -> None:
    """The array form of passModel: numpy buffers go to HiGHS without a Python loop (the
    HighsLp attribute setters convert element by element, ~0.3 ms on these models)."""
    n = len(cost)
    a_start, a_index, a_value = _csc_parts(A)
    h.passModel(
        n,
        int(A.shape[0]),
        len(a_value),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize),
        0.0,
        np.ascontiguousarray(cost, dtype=np.float64),
        np.ascontiguousarray(col_lo, dtype=np.float64),
        np.ascontiguousarray(col_hi, dtype=np.float64),
        np.ascontiguousarray(row_lo, dtype=np.float64),
        np.ascontiguousarray(row_hi, dtype=np.float64),
        a_start,
        a_index,
        a_value,
        np.full(n, 0 if relax else int(highspy.HighsVarType.kInteger), dtype=np.int32),
    )


def _relaxation(h: Any) -> _MipResult:
    """The solved LP relaxation: its solution, value and reduced costs."""
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return _MipResult(None, "unknown", float("inf"), 0)
    sol = h.getSolution()
    return _MipResult(
        np.asarray(sol.col_value),
        "optimal",
        0.0,
        0,
        float(h.getInfo().objective_function_value),
        np.asarray(sol.col_dual),
    )


def _checked_mip(
    h: Any,
    cost: np.ndarray,
    maximize: bool,
    A: Matrix,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
) -> _MipResult:
    """The solved MIP's answer, checked: its rounded solution against every row (status
    ``outside_tolerance`` if it fails), its objective against the dual bound."""
    status = h.getModelStatus()
    info = h.getInfo()
    nodes = int(info.mip_node_count)
    if status == highspy.HighsModelStatus.kInfeasible:
        return _MipResult(None, "infeasible", 0.0, nodes)
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.round(np.asarray(h.getSolution().col_value)) if has_solution else None
    if x is not None:
        ax = A @ x
        if np.any(ax < row_lo - 1e-12) or np.any(ax > row_hi + 1e-12):
            return _MipResult(None, "outside_tolerance", float("inf"), nodes)
        value = float(cost @ x)
        bound = float(info.mip_dual_bound)
        slack = (bound - value) if maximize else (value - bound)
        gap = max(slack, 0.0) / max(abs(value), 1.0)
        if status == highspy.HighsModelStatus.kOptimal and slack <= 1e-7:
            return _MipResult(x, "optimal", 0.0, nodes)
        if status == highspy.HighsModelStatus.kOptimal:  # solver and solution disagree
            return _MipResult(x, "unproven", gap, nodes)
        if status == highspy.HighsModelStatus.kTimeLimit:
            return _MipResult(x, "time_limit", gap, nodes)
    elif status == highspy.HighsModelStatus.kTimeLimit:
        return _MipResult(None, "time_limit", float("inf"), nodes)
    return _MipResult(x, h.modelStatusToString(status).lower(), float("inf"), nodes)


# ----------------------------------------------------------------------- greedy


def _greedy_mask(inst: Instance, red: _Reduced) -> np.ndarray | None:
    """A feasible choice over the reduced columns, built greedily; None if none found.

    Size objective: add the country that closes most of the remaining shortfall (each
    table's gain capped at what it still needs, scaled by its target), then drop members
    that are no longer needed. Coverage objective: add the largest weighted share while
    room remains. Forbidden pairs are respected; "within existing" is repaired afterwards
    by adding the best partner of each member left alone.
    """
    n = len(red.cols)
    pick = _Picker(red)
    c = inst.w @ red.S
    cap = inst.max_size if inst.max_size is not None else n
    if inst.objective == "size":
        if not _close_shortfall(inst, red, pick, cap):
            return None
    else:
        for jj in np.argsort(-c, kind="stable"):
            if pick.chosen.sum() >= cap:
                break
            if pick.allowed[jj] and c[jj] > 0:
                pick.add(int(jj))
    if red.partners is not None and not _pair_lonely_members(red, pick, c, cap):
        return None
    chosen = pick.chosen
    if inst.objective == "size":
        _drop_unneeded(inst, red, chosen, c)
    return chosen if _feasible_mask(inst, red, chosen) else None


class _Picker:
    """The greedy's state: who is chosen, who may still be, and the forbidden pairs."""

    def __init__(self, red: _Reduced) -> None:
        self.chosen = red.lower > 0
        self.allowed = (red.upper > 0) & ~self.chosen
        self.conflict: dict[int, set[int]] = {}
        for a, b in red.forbidden:
            self.conflict.setdefault(a, set()).add(b)
            self.conflict.setdefault(b, set()).add(a)
        for j0 in np.flatnonzero(self.chosen).tolist():
            for k in self.conflict.get(j0, ()):
                self.allowed[k] = False

    def add(self, j: int) -> None:
        self.chosen[j] = True
        self.allowed[j] = False
        for k in self.conflict.get(j, ()):
            self.allowed[k] = False


def _close_shortfall(inst: Instance, red: _Reduced, pick: _Picker, cap: int) -> bool:
    """Add countries, the one closing most of the scaled shortfall first, until every
    target is met (True) or no country helps or room runs out (False if still unmet).

    A lazy greedy: a country's gain only shrinks as the shortfall does, so a stale gain
    is an upper bound and only the heap's top needs recomputing. Countries are rows here
    (contiguous), and the shortfall is updated in place.
    """
    chosen, allowed = pick.chosen, pick.allowed
    tau = inst.tau
    scale = np.where(tau > 0, tau, 1.0)
    ST = np.ascontiguousarray(red.S.T)
    SnT = ST / scale
    need = tau - ST[chosen].sum(axis=0)
    count = int(chosen.sum())
    need_n = np.maximum(need, 0.0) / scale
    first = np.minimum(SnT, need_n).sum(axis=1)
    cand = np.flatnonzero(allowed & (first > 0))
    heap = list(zip((-first[cand]).tolist(), cand.tolist(), strict=True))
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    add_up, minimum, biggest = np.add.reduce, np.minimum, np.maximum.reduce
    buf = np.empty_like(need_n)
    paired = bool(pick.conflict)  # without forbidden pairs, adding is two stores
    unmet = float(biggest(need)) > TOL
    while unmet and count < cap:
        while heap:
            _, j = pop(heap)
            if not allowed[j]:
                continue
            g = float(add_up(minimum(SnT[j], need_n, out=buf)))
            if heap and g < -heap[0][0] - 1e-12:  # near-ties: keep the one just popped
                if g > 0:
                    push(heap, (-g, j))
                continue
            break
        else:
            return False
        if g <= 0:
            return False
        if paired:
            pick.add(j)
        else:
            chosen[j] = True
            allowed[j] = False
        count += 1
        need -= ST[j]
        np.maximum(need, 0.0, out=need_n)
        need_n /= scale
        unmet = float(biggest(need)) > TOL
    return True


def _pair_lonely_members(red: _Reduced, pick: _Picker, c: np.ndarray, cap: int) -> bool:
    """ "Within existing": give every member without a chosen partner its best allowed
    partner; False if one has none or room runs out."""
    assert red.partners is not None
    chosen, allowed = pick.chosen, pick.allowed
    for member in np.flatnonzero(chosen).tolist():
        nb = red.partners[member]
        if len(nb) and chosen[nb].any():
            continue
        options = [k for k in nb if allowed[k]]
        if not options or chosen.sum() >= cap:
            return False
        pick.add(int(max(options, key=lambda k: (c[k], -k))))
    return True


def _drop_unneeded(inst: Instance, red: _Reduced, chosen: np.ndarray, c: np.ndarray) -> None:
    """Drop members no longer needed (in place), smallest contribution first."""
    S, tau = red.S, inst.tau
    cov = S[:, chosen].sum(axis=1)
    members = np.flatnonzero(chosen & (red.lower == 0))
    # only a member whose removal keeps every target met now can ever be dropped
    spare = np.all(cov[:, None] - S[:, members] >= (tau - TOL)[:, None], axis=0)
    for q in sorted(members[spare].tolist(), key=lambda k: c[k]):
        rest = cov - S[:, q]
        if np.any(rest < tau - TOL):
            continue
        chosen[q] = False
        if red.partners is not None and not _feasible_mask(inst, red, chosen):
            chosen[q] = True
            continue
        cov = rest


def _feasible_mask(inst: Instance, red: _Reduced, chosen: np.ndarray) -> bool:
    if np.any(chosen & (red.upper == 0)) or np.any(~chosen & (red.lower > 0)):
        return False
    if inst.max_size is not None and chosen.sum() > inst.max_size:
        return False
    if any(chosen[a] and chosen[b] for a, b in red.forbidden):
        return False
    if red.partners is not None:
        for j in np.flatnonzero(chosen):
            nb = red.partners[j]
            if not (len(nb) and chosen[nb].any()):
                return False
    if inst.targets is not None:
        return bool(np.all(red.S[:, chosen].sum(axis=1) >= inst.tau - TOL))
    return True


def _full_mask(inst: Instance, red: _Reduced, chosen: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(inst.ids), dtype=bool)
    mask[red.cols[chosen]] = True
    return mask


def greedy(inst: Instance) -> Solution:
    """The greedy heuristic alone (the baseline): feasible, not proven optimal.

    >>> inst = Instance(("AAA", "BBB", "CCC"), np.array([[0.5, 0.3, 0.2]]), targets=(0.7,))
    >>> greedy(inst).members
    ('AAA', 'BBB')
    """
    t0 = time.perf_counter()
    red = _reduce(inst)
    if red is None:
        return _infeasible(inst, t0, "greedy")
    chosen = _greedy_mask(inst, red)
    if chosen is None:
        return replace(_infeasible(inst, t0, "greedy"), status="heuristic", optimal=False)
    return _solution(inst, _full_mask(inst, red, chosen), "heuristic", False, np.inf, t0, "greedy")


# ------------------------------------------------------------------------- exact


def _size_lower_bound(inst: Instance, red: _Reduced) -> int:
    """The fewest members any table needs on its own (its largest shares first)."""
    usable = red.S[:, red.upper > 0]
    lb = int(red.lower.sum())
    if usable.shape[1] == 0 or inst.targets is None:
        return lb
    cum = np.cumsum(-np.sort(-usable, axis=1), axis=1)
    need = (cum < (inst.tau - TOL)[:, None]).sum(axis=1) + 1
    need[inst.tau <= TOL] = 0
    return max(lb, int(need.max()))


def _coverage_upper_bound(inst: Instance, red: _Reduced, cap: int) -> float:
    """Included countries plus the best remaining ones, ignoring pair/partner rules."""
    c = inst.w @ red.S
    inc = red.lower > 0
    rest = np.sort(c[~inc & (red.upper > 0)])[::-1][: max(cap - int(inc.sum()), 0)]
    return float(c[inc].sum() + rest.sum())


def _smallest_subset(
    rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int, most: int
) -> tuple[bool, np.ndarray | None]:
    """The smallest set of columns (at most ``most`` of ``k``) with lo <= rows @ x <= hi.

    Tries every subset. Returns ``(decided, subset)``: ``(True, None)`` means there is
    none; ``(False, None)`` that there were too many subsets to try. When all ``2**k``
    subsets are few, their row sums are built at once by doubling (the sums without
    column j, then with it) and the smallest feasible one is read off; otherwise the
    subsets of each size are tried, smallest first.
    """
    total = sum(math.comb(k, i) for i in range(most + 1))
    r = rows.shape[0]
    if (1 << k) * r <= _DOUBLING_CELLS and (1 << k) <= 4 * total:
        sums = np.zeros((1, r))
        sizes = np.zeros(1, dtype=np.int64)
        for j in range(k):  # subset index bit j <=> column j chosen
            sums = np.concatenate([sums, sums + rows[:, j]])
            sizes = np.concatenate([sizes, sizes + 1])
        ok = (
            (sizes <= most)
            & np.all(sums >= lo - 1e-12, axis=1)
            & np.all(sums <= hi + 1e-12, axis=1)
        )
        if not ok.any():
            return True, None
        hits = np.flatnonzero(ok)
        best = int(hits[np.argmin(sizes[hits])])
        return True, np.flatnonzero((best >> np.arange(k)) & 1)
    if total > _SUBSETS:
        return False, None
    cols = rows.T
    for size in range(most + 1):
        n_sub = math.comb(k, size)
        if n_sub * size * rows.shape[0] > _SUBSET_CELLS:
            return False, None
        flat = itertools.chain.from_iterable(itertools.combinations(range(k), size))
        combos = np.fromiter(flat, dtype=np.int64, count=n_sub * size).reshape(n_sub, size)
        ax = cols[combos].sum(axis=1)
        ok = np.all(ax >= lo - 1e-12, axis=1) & np.all(ax <= hi + 1e-12, axis=1)
        if ok.any():
            return True, combos[int(np.argmax(ok))]
    return True, None


#: Prefixes per table tried for the cover cuts (see :func:`_cover_cuts`).
_CUT_DEPTH = 8


def _cover_cuts(inst: Instance, red: _Reduced) -> tuple[np.ndarray, np.ndarray]:
    """Valid inequalities of the covering rows, to tighten the LP relaxation.

    For table ``t`` with its usable producers sorted by share, and ``r`` = 0, 1, ...: a
    coalition holding none of the ``r`` largest needs at least ``k_r`` of the others
    (the fewest of them whose shares reach the target), so

        sum_{others} x_j + k_r * sum_{top r} x_j >= k_r

    holds for every coalition meeting the target (a coalition holding one of the top r
    already has ``k_r`` on the left). When the others cannot reach the target at all,
    the cut is ``sum_{top r} x_j >= 1``. ``r = 0`` is the plain cardinality cut: at least
    ``k_0`` producers. Only cuts whose ``k_r`` grows with ``r`` are kept (the others are
    weaker than the previous one). The LP relaxation alone treats a large share as
    divisible; these rows count members, which is what the objective counts too.

    Returns ``(rows, lo)``: a dense matrix over the reduced columns and each row's lower
    bound (upper bounds are infinite).
    """
    S = red.S
    usable = red.upper > 0
    goal = inst.tau - TOL - 1e-12  # a hair below the rows' own bound: never too strong
    rows: list[np.ndarray] = []
    lo: list[float] = []
    n = S.shape[1]
    for t in np.flatnonzero(inst.tau > TOL).tolist():
        share = np.where(usable, S[t], 0.0)
        order = np.argsort(-share, kind="stable")
        order = order[share[order] > 0]
        pref = np.concatenate([[0.0], np.cumsum(share[order])])
        depth = min(_CUT_DEPTH, len(order))
        last = 0
        for r in range(depth + 1):
            reach = pref[-1] - pref[r]
            if reach < goal[t]:  # the others cannot do it: one of the top r is needed
                if r:
                    row = np.zeros(n)
                    row[order[:r]] = 1.0
                    rows.append(row)
                    lo.append(1.0)
                break
            k = int(np.searchsorted(pref, pref[r] + goal[t], "left")) - r
            if k <= max(last, 1):
                continue
            last = k
            row = np.zeros(n)
            row[order[r:]] = 1.0
            row[order[:r]] = float(k)
            rows.append(row)
            lo.append(float(k))
    if not rows:
        return np.zeros((0, n)), np.zeros(0)
    return np.vstack(rows), np.asarray(lo)


def _with_cuts(
    A: Matrix, lo: np.ndarray, hi: np.ndarray, cuts: tuple[np.ndarray, np.ndarray]
) -> tuple[Matrix, np.ndarray, np.ndarray]:
    """The model's rows with the cover cuts appended below them."""
    C, clo = cuts
    if isinstance(A, np.ndarray):
        A2: Matrix = np.vstack([A, C])
    else:
        A2 = sp.csc_array(sp.vstack([A, sp.csc_array(C)], format="csc"))
    return A2, np.concatenate([lo, clo]), np.concatenate([hi, np.full(len(clo), np.inf)])


def _smaller(
    inst: Instance,
    red: _Reduced,
    A: Matrix,
    lo: np.ndarray,
    hi: np.ndarray,
    lp: _MipResult,
    incumbent: np.ndarray,
    time_limit: float,
) -> _MipResult | None:
    """Search for a coalition smaller than ``incumbent``; prove there is none, or find the
    smallest. None if the search could not decide (the caller then solves the whole MIP).

    Reduced-cost fixing: with LP value L and reduced cost d_j, a coalition holding a
    country at 0 in the LP has size at least L + d_j (L - d_j to leave out one at 1); if
    that exceeds size(incumbent) - 1 the country is fixed. Fixed columns are taken out of
    the model before HiGHS sees it, so it works on the few countries still in question.
    """
    assert lp.x is not None and lp.duals is not None
    u = int(incumbent.sum())
    cut = u - 1 + 1e-6
    d, xl = lp.duals, lp.x
    col_lo, col_hi = red.lower.copy(), red.upper.copy()
    col_hi[(d > 0) & (xl <= 1e-9) & (lp.value + d > cut)] = 0.0
    col_lo[(d < 0) & (xl >= 1 - 1e-9) & (lp.value - d > cut)] = 1.0
    if np.any(col_lo > col_hi):  # pragma: no cover - a bound both ways means L > u - 1
        return _MipResult(incumbent.astype(float), "optimal", 0.0, 0, how="bound")
    fixed = col_lo == col_hi
    shift = A[:, fixed] @ col_lo[fixed]
    lo2, hi2 = lo - shift, hi - shift
    size_row = inst.m if inst.targets is not None else 0
    hi2[size_row] = min(hi2[size_row], u - 1 - float(col_lo[fixed].sum()))
    keep = ~fixed
    A2 = A[:, keep]
    live = _live_rows(A2)
    if np.any(lo2[~live] > 1e-9) or np.any(hi2[~live] < -1e-9):  # nothing smaller
        return _MipResult(incumbent.astype(float), "optimal", 0.0, 0, how="bound")
    k = int(keep.sum())
    most = int(np.floor(hi2[size_row] + 1e-9))  # members still allowed among the k
    if k <= _ENUMERATE and most >= 0:
        rows = A2[live]
        rows = rows if isinstance(rows, np.ndarray) else rows.toarray()
        decided, subset = _smallest_subset(rows, lo2[live], hi2[live], k, most)
        if decided and subset is None:
            return _MipResult(incumbent.astype(float), "optimal", 0.0, 0, how="enumeration")
        if decided and subset is not None:
            x = col_lo.copy()
            free = np.flatnonzero(keep)
            x[free[subset]] = 1.0
            if _feasible_mask(inst, red, x > 0.5):
                return _MipResult(x, "optimal", 0.0, 0, how="enumeration")
            return None  # pragma: no cover - checked, not trusted
    res = _highs(
        np.ones(k),
        False,
        A2[live],
        lo2[live],
        hi2[live],
        np.zeros(k),
        np.ones(k),
        None,
        time_limit,
        presolve=True,
    )
    if res.status == "infeasible":
        return _MipResult(incumbent.astype(float), "optimal", 0.0, res.nodes)
    if res.status != "optimal" or res.x is None:
        return None
    x = col_lo.copy()
    x[keep] = res.x
    if not _feasible_mask(inst, red, x > 0.5):  # pragma: no cover - checked, not trusted
        return None
    return _MipResult(x, "optimal", 0.0, res.nodes)


def solve(inst: Instance, *, time_limit: float = 60.0, tie_break: bool = True) -> Solution:
    """The exact answer to ``inst``, with proof status, gap and time.

    Size objective: the fewest members meeting every target; with ``tie_break``, among
    coalitions of that size the one with the largest weighted coverage (bounds first, a
    second search only when they leave a gap). Coverage objective: the largest weighted
    coverage with at most ``max_size`` members. Returns a Solution with
    ``status="infeasible"`` when no coalition satisfies the constraints.

    >>> inst = Instance(
    ...     ("AAA", "BBB", "CCC", "DDD"),
    ...     np.array([[0.4, 0.3, 0.2, 0.1]]),
    ...     objective="coverage",
    ...     max_size=2,
    ...     forbidden=(("AAA", "BBB"),),
    ... )
    >>> solve(inst).members
    ('AAA', 'CCC')
    """
    t0 = time.perf_counter()
    probe = _reduce(inst)
    if probe is None:
        return _infeasible(inst, t0, "presolve")
    incumbent = _greedy_mask(inst, probe)
    n = len(probe.cols)
    if inst.targets is not None and np.any(
        probe.S[:, probe.upper > 0].sum(axis=1) < inst.tau - TOL
    ):
        return _infeasible(inst, t0, "presolve")
    if n == 0:
        empty = np.zeros(0, dtype=bool)
        if not _feasible_mask(inst, probe, empty):
            return _infeasible(inst, t0, "presolve")
        return _solution(inst, _full_mask(inst, probe, empty), "optimal", True, 0.0, t0, "bound")
    if inst.objective == "size":
        return _solve_size(inst, probe, incumbent, t0, time_limit, tie_break)
    red = _fix_dominated(probe, inst.max_size) if inst.max_size is not None else probe
    if incumbent is not None and not _feasible_mask(inst, red, incumbent):
        incumbent = _greedy_mask(inst, red)  # a dominance fixing excluded it: greedy again
    c = inst.w @ red.S
    cap = int(inst.max_size or 0)
    if int(red.lower.sum()) > cap:
        return _infeasible(inst, t0, "presolve")
    if incumbent is not None:
        inc_val = float(c[incumbent].sum())
        if inc_val >= _coverage_upper_bound(inst, red, cap) - TOL:
            mask = _full_mask(inst, red, incumbent)
            return _solution(inst, mask, "optimal", True, 0.0, t0, "bound")
    A, lo, hi = _rows(inst, red, 0, cap, targets=True)
    res = _highs(c, True, A, lo, hi, red.lower, red.upper, incumbent, time_limit)
    if res.status == "infeasible":
        return _infeasible(inst, t0, "highs")
    if res.x is None:
        return replace(_infeasible(inst, t0, "highs"), status=res.status, optimal=False)
    x = _drop_idle(inst, red, res.x > 0.5)
    mask = _full_mask(inst, red, x)
    return _solution(
        inst, mask, res.status, res.status == "optimal", res.gap, t0, "highs", res.nodes
    )


def _solve_size(
    inst: Instance,
    probe: _Reduced,
    incumbent: np.ndarray | None,
    t0: float,
    time_limit: float,
    tie_break: bool,
) -> Solution:
    """The size objective: bounds first, then reduced-cost fixing, enumeration, HiGHS.

    The cheap proofs come first and need no dominance fixing (it never moved the bounds
    on the benchmark families): the per-table bound, then the LP relaxation rounded up.
    Only when they leave a gap is the model shrunk by dominance and searched.
    """
    n = len(probe.cols)
    u = int(incumbent.sum()) if incumbent is not None else None
    lb = _size_lower_bound(inst, probe)
    ub = u if u is not None else (inst.max_size or n)
    if inst.max_size is not None:
        ub = min(ub, inst.max_size)
    if lb > ub:
        return _infeasible(inst, t0, "presolve")
    nodes = 0
    red = probe
    rows: tuple[Matrix, np.ndarray, np.ndarray] | None = None
    relaxed: _MipResult | None = None
    smaller: _MipResult | None = None
    if incumbent is not None and u is not None and lb < u:
        lb, rows, relaxed = _lp_bound(inst, probe, lb, ub, incumbent, time_limit)
    if incumbent is not None and u is not None and lb >= u:
        x, status, gap, method = incumbent, "optimal", 0.0, "bound"
    else:
        # a gap is left: fix out dominated countries (valid for any coalition no larger
        # than the incumbent, or than max_size without one) before searching
        bound = u if u is not None else inst.max_size
        red = _fix_dominated(probe, bound) if bound is not None else probe
        if rows is None:
            rows = _rows(inst, red, lb, ub, targets=True)
        A, lo, hi = rows
        if incumbent is not None and relaxed is not None and relaxed.status == "optimal":
            smaller = _smaller(inst, red, A, lo, hi, relaxed, incumbent, time_limit)
        if smaller is not None and smaller.x is not None:
            x, status, gap, method, nodes = (
                smaller.x > 0.5,
                "optimal",
                0.0,
                smaller.how,
                smaller.nodes,
            )
        else:
            left = max(time_limit - (time.perf_counter() - t0), 1.0)
            start = incumbent
            if start is not None and not _feasible_mask(inst, red, start):
                start = _greedy_mask(inst, red)  # a dominance fixing excluded it: greedy again
            res = _highs(np.ones(n), False, A, lo, hi, red.lower, red.upper, start, left)
            if res.status == "infeasible":
                return _infeasible(inst, t0, "highs")
            if incumbent is not None and u is not None and (res.x is None or res.x.sum() > u):
                # stopped early without beating the greedy coalition: report that, unproven
                x, status, gap, method = incumbent, res.status, res.gap, "highs"
                nodes = res.nodes
            elif res.x is None:
                return replace(_infeasible(inst, t0, "highs"), status=res.status, optimal=False)
            else:
                x, status, gap = res.x > 0.5, res.status, res.gap
                method, nodes = "highs", res.nodes
    if tie_break and status == "optimal":
        x, extra = _tie_break(inst, probe, x, t0, time_limit)
        nodes += extra
    return _solution(
        inst, _full_mask(inst, probe, x), status, status == "optimal", gap, t0, method, nodes
    )


def _lp_bound(
    inst: Instance,
    probe: _Reduced,
    lb: int,
    ub: int,
    incumbent: np.ndarray,
    time_limit: float,
) -> tuple[int, tuple[Matrix, np.ndarray, np.ndarray], _MipResult]:
    """The LP relaxation's bound on the size, rounded up, with the rows it was solved on
    and its solution: first the plain model (warm-started from the ``incumbent``), then,
    if it leaves a gap below the incumbent's size, again with the cover cuts (see
    :func:`_cover_cuts`), from scratch: its solution and reduced costs drive the search."""
    n = len(probe.cols)
    u = int(incumbent.sum())
    rows = _rows(inst, probe, lb, ub, targets=True)
    A, lo, hi = rows
    relaxed = _highs(
        np.ones(n), False, A, lo, hi, probe.lower, probe.upper, incumbent, time_limit, relax=True
    )
    if relaxed.status != "optimal":
        return lb, rows, relaxed
    lb = max(lb, int(np.ceil(relaxed.value - 1e-6)))
    if lb >= u:
        return lb, rows, relaxed
    cut_rows = _with_cuts(A, lo, hi, _cover_cuts(inst, probe))
    A, lo, hi = cut_rows
    tighter = _highs(
        np.ones(n), False, A, lo, hi, probe.lower, probe.upper, None, time_limit, relax=True
    )
    if tighter.status != "optimal":
        return lb, rows, relaxed
    return max(lb, int(np.ceil(tighter.value - 1e-6))), cut_rows, tighter


def _tie_break(
    inst: Instance, probe: _Reduced, x: np.ndarray, t0: float, time_limit: float
) -> tuple[np.ndarray, int]:
    """Among coalitions of ``x``'s size meeting every constraint, the one with the largest
    weighted coverage (``x`` itself when no search is needed); and the nodes searched.

    The size path's ladder again: ``x`` is kept when it meets an upper bound (the best
    ``k`` allowed countries, then the LP relaxation); otherwise reduced-cost fixing
    against ``x`` leaves the countries that could be in a strictly better coalition, and
    their subsets are enumerated when few, else HiGHS searches them.
    """
    k = int(x.sum())
    c = inst.w @ probe.S
    red = _fix_dominated(probe, k)  # a dominated member can be swapped, coverage kept
    x = _earlier_twins(inst, probe, red, x)
    z = float(c[x].sum())
    if z >= _coverage_upper_bound(inst, red, k) - 1e-12:
        return x, 0
    A, lo, hi = _rows(inst, red, k, k, targets=True)
    col_lo, col_hi = red.lower.copy(), red.upper.copy()
    # minimise -coverage, so the reduced-cost argument reads as on the size path
    lp = _highs(-c, False, A, lo, hi, col_lo, col_hi, None, time_limit, relax=True)
    if lp.status == "optimal" and lp.x is not None and lp.duals is not None:
        if z >= -lp.value - 1e-12:
            return x, 0
        d, xl, cut = lp.duals, lp.x, -z - 1e-12  # a better coalition costs below -z
        col_hi[(d > 0) & (xl <= 1e-9) & (lp.value + d > cut)] = 0.0
        col_lo[(d < 0) & (xl >= 1 - 1e-9) & (lp.value - d > cut)] = 1.0
        if np.any(col_lo > col_hi):
            return x, 0
    # fixed countries are substituted out, so the search sees only those in question
    fixed = col_lo == col_hi
    keep = ~fixed
    shift = A[:, fixed] @ col_lo[fixed] if fixed.any() else np.zeros(A.shape[0])
    A2 = A[:, keep]
    live = _live_rows(A2)
    if np.any(lo[~live] - shift[~live] > 1e-9) or np.any(hi[~live] - shift[~live] < -1e-9):
        return x, 0  # no coalition left that could beat x
    kk = int(keep.sum())
    rows = A2[live]
    y = col_lo > 0.5
    decided, subset = _best_subset(
        rows if isinstance(rows, np.ndarray) else rows.toarray(),
        (lo - shift)[live],
        (hi - shift)[live],
        c[keep],
        kk,
    )
    nodes = 0
    if decided:
        if subset is None:
            return x, 0
        y[np.flatnonzero(keep)[subset]] = True
    else:
        left = time_limit - (time.perf_counter() - t0)
        res = _highs(
            c[keep],
            True,
            rows,
            (lo - shift)[live],
            (hi - shift)[live],
            np.zeros(kk),
            np.ones(kk),
            None,
            max(left, 1.0),
            presolve=True,
        )
        if res.x is None or res.status != "optimal":
            return x, 0
        y[keep] = res.x > 0.5
        nodes = res.nodes
    if float(c[y].sum()) > z and int(y.sum()) == k and _feasible_mask(inst, red, y):
        return y, nodes
    return x, 0


def _earlier_twins(inst: Instance, probe: _Reduced, red: _Reduced, x: np.ndarray) -> np.ndarray:
    """``x`` with each member fixed out for an exact twin (equal shares: the earlier id
    dominates) swapped for that twin, so that equal answers come out the same way every
    time; ``x`` unchanged if the swap breaks a constraint."""
    out = x & (red.upper == 0)
    if not out.any():
        return x
    tied = {j for pair in probe.forbidden for j in pair}
    y = x.copy()
    for i in np.flatnonzero(out).tolist():
        twin = ~y & (red.upper > 0) & np.all(probe.S[:, [i]] == probe.S, axis=0)
        twin[i:] = False
        twin[list(tied)] = False
        if twin.any():
            y[i], y[int(np.argmax(twin))] = False, True
    return y if _feasible_mask(inst, probe, y) else x


def _best_subset(
    rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, value: np.ndarray, k: int
) -> tuple[bool, np.ndarray | None]:
    """The set of columns (of ``k``) with lo <= rows @ x <= hi of the largest ``value``.

    Every subset at once, by doubling; ``(False, None)`` if there are too many,
    ``(True, None)`` if none is feasible.
    """
    r = rows.shape[0]
    if (1 << k) * r > _DOUBLING_CELLS:
        return False, None
    sums = np.zeros((1, r))
    vals = np.zeros(1)
    for j in range(k):  # subset index bit j <=> column j chosen
        sums = np.concatenate([sums, sums + rows[:, j]])
        vals = np.concatenate([vals, vals + value[j]])
    ok = np.all(sums >= lo - 1e-12, axis=1) & np.all(sums <= hi + 1e-12, axis=1)
    if not ok.any():
        return True, None
    hits = np.flatnonzero(ok)
    best = int(hits[np.argmax(vals[hits])])
    return True, np.flatnonzero((best >> np.arange(k)) & 1)


def _drop_idle(inst: Instance, red: _Reduced, x: np.ndarray) -> np.ndarray:
    """Remove members that add nothing (zero share, not needed as a partner)."""
    for j in np.flatnonzero(x & (red.lower == 0)):
        if np.any(red.S[:, j] > 0):
            continue
        x[j] = False
        if not _feasible_mask(inst, red, x):
            x[j] = True
    return x


def reach_limits(inst: Instance, *, time_limit: float = 10.0) -> np.ndarray:
    """For each table, the most any coalition allowed by the constraints can cover.

    Size limits and other tables' targets are ignored; include, exclude, forbidden pairs
    and "within existing" are kept. Without pair or partner constraints this is just the
    sum of the allowed countries' shares.

    >>> inst = Instance(("AAA", "BBB"), np.array([[0.5, 0.3]]), targets=(0.9,),
    ...                 exclude=frozenset({"BBB"}))
    >>> reach_limits(inst).round(2).tolist()
    [0.5]
    """
    free = replace(inst, targets=None, objective="coverage", max_size=len(inst.ids))
    red = _reduce(free)
    if red is None:
        return np.zeros(inst.m)
    if not red.forbidden and red.partners is None:
        return red.S[:, red.upper > 0].sum(axis=1)
    out = np.zeros(inst.m)
    for t in range(inst.m):
        w = tuple(1.0 if k == t else 0.0 for k in range(inst.m))
        sol = solve(replace(free, weights=w), time_limit=time_limit)
        out[t] = sol.coverage[t] if sol.feasible else 0.0
    return out


def frontier(
    inst: Instance, max_size: int, *, time_limit: float = 60.0
) -> list[tuple[int, Solution]]:
    """For k = 1..max_size, the best weighted coverage with at most k members.

    The size-versus-impact curve. Targets in ``inst`` are ignored; the other constraints
    hold. Each solve is warm-started by the previous one's greedy incumbent.
    ``time_limit`` is the budget of the whole curve: a step that finds it spent gets a
    moment only, and says so in its status (``time_limit`` or ``heuristic``).

    >>> inst = Instance(("AAA", "BBB", "CCC"), np.array([[0.5, 0.3, 0.2]]),
    ...                 objective="coverage", max_size=3)
    >>> [round(s.weighted, 2) for _, s in frontier(inst, 3)]
    [0.5, 0.8, 1.0]
    """
    out: list[tuple[int, Solution]] = []
    base = replace(inst, targets=None, objective="coverage")
    t0 = time.perf_counter()
    for k in range(1, max_size + 1):
        left = max(time_limit - (time.perf_counter() - t0), _MIN_STEP)
        out.append((k, solve(replace(base, max_size=k), time_limit=left)))
    return out


#: The least time a frontier step gets once the curve's budget is spent (seconds).
_MIN_STEP = 0.05


def best_swap(inst: Instance, members: Sequence[str]) -> tuple[str, str, float] | None:
    """The single swap (one member out, one non-member in) that raises weighted coverage
    the most, as ``(out, in, gain)``; None if no swap helps.

    Respects exclude, include (an included member is never swapped out) and forbidden
    pairs; "within existing" is not imposed on a hypothetical swap.

    >>> inst = Instance(("AAA", "BBB", "CCC"), np.array([[0.5, 0.3, 0.2]]),
    ...                 objective="coverage", max_size=2)
    >>> best_swap(inst, ["BBB", "CCC"])
    ('CCC', 'AAA', 0.3)
    """
    c = inst.w @ inst.shares
    pos = {x: j for j, x in enumerate(inst.ids)}
    inside = set(members)
    best: tuple[str, str, float] | None = None

    def value(x: str) -> float:
        return float(c[pos[x]]) if x in pos else 0.0

    outs = sorted((x for x in members if x not in inst.include), key=value)
    ins = sorted(
        (x for x in inst.ids if x not in inside and x not in inst.exclude),
        key=lambda x: -value(x),
    )
    for o in outs:
        c_out = value(o)
        rest = inside - {o}
        for i in ins:
            gain = value(i) - c_out
            if gain <= TOL or (best is not None and gain <= best[2]):
                break
            if any((a == i and b in rest) or (b == i and a in rest) for a, b in inst.forbidden):
                continue
            best = (o, i, round(gain, 12))
            break
    return best


def brute_force(inst: Instance) -> Solution:
    """The answer by enumerating every subset (small instances only, for tests).

    Shares no code with :func:`solve`. Size objective: the fewest members, then the
    largest weighted coverage; coverage objective: the largest weighted coverage.

    >>> inst = Instance(("AAA", "BBB", "CCC"), np.array([[0.5, 0.3, 0.2]]), targets=(0.75,))
    >>> brute_force(inst).members
    ('AAA', 'BBB')
    """
    t0 = time.perf_counter()
    n = len(inst.ids)
    if n > 20:
        raise ValueError("brute force is for at most 20 countries")
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
    ok = np.ones(len(masks), dtype=bool)
    pos = {c: j for j, c in enumerate(inst.ids)}
    for c in inst.include:
        ok &= masks[:, pos[c]] if c in pos else False
    for c in inst.exclude:
        if c in pos:
            ok &= ~masks[:, pos[c]]
    for a, b in inst.forbidden:
        if a in pos and b in pos:
            ok &= ~(masks[:, pos[a]] & masks[:, pos[b]])
    if inst.partners is not None:
        knows = np.zeros((n, n), dtype=bool)
        for c, nb in inst.partners.items():
            for p in nb:
                if c in pos and p in pos and c != p:
                    knows[pos[c], pos[p]] = knows[pos[p], pos[c]] = True
        for j in range(n):
            has = masks[:, knows[j]].any(axis=1)
            ok &= ~masks[:, j] | has
    size = masks.sum(axis=1)
    if inst.max_size is not None:
        ok &= size <= inst.max_size
    cov = masks.astype(float) @ inst.shares.T
    if inst.targets is not None:
        ok &= np.all(cov >= inst.tau - TOL, axis=1)
    if not ok.any():
        return _infeasible(inst, t0, "brute_force")
    weighted = cov @ inst.w
    if inst.objective == "size":
        k = size[ok].min()
        ok &= size == k
    best = int(np.flatnonzero(ok)[np.argmax(weighted[ok])])
    return _solution(inst, masks[best], "optimal", True, 0.0, t0, "brute_force")


# ============================================================================= dataset


@dataclass(frozen=True)
class Question:
    """A designer question in the dataset's terms (tables, ISO3 codes, a date).

    ``tables`` are capability tables (bundled, or read from a CSV by
    :mod:`minilat.capability_csv`); ``targets`` and ``weights`` pair with them in order.
    """

    tables: tuple[CapabilityTable, ...]
    targets: tuple[float, ...] | None = None
    weights: tuple[float, ...] | None = None
    max_size: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    forbid_pairs: tuple[tuple[str, str], ...] = ()
    within_existing: bool = False
    as_of: _dt.date | None = None
    verified_only: bool = False
    time_limit: float = 60.0
    #: Under "within existing", count universal and near-universal bodies (the UN: see
    #: :data:`minilat.analysis.network.UNIVERSAL_MIN_STATES`) as existing cooperation too.
    universal: bool = False


def partners_on(
    ds: Dataset, as_of: _dt.date, *, verified_only: bool = False, universal: bool = False
) -> dict[str, frozenset[str]]:
    """Each participant's co-members: who shares at least one grouping with it on ``as_of``.

    Universal and near-universal bodies (the UN, and any grouping with
    :data:`~minilat.analysis.network.UNIVERSAL_MIN_STATES` or more member states, the rule
    the network uses) tie nearly every state to every other, so membership of them is not
    counted as existing cooperation unless ``universal``.

    >>> import datetime as dt
    >>> from minilat.dataset import load
    >>> ds = load()
    >>> "JPN" in partners_on(ds, dt.date(2024, 1, 1))["AUS"]
    True
    >>> "USA" in partners_on(ds, dt.date(2024, 1, 1)).get("PRK", frozenset())
    False
    >>> "USA" in partners_on(ds, dt.date(2024, 1, 1), universal=True)["PRK"]
    True
    """
    from minilat.analysis.network import universal_bodies

    skip = frozenset() if universal else universal_bodies(ds, as_of)
    out: dict[str, set[str]] = {}
    for g in ds.groupings.values():
        if g.id in skip:
            continue
        ms = {m.participant for m in g.members_on(as_of, verified_only=verified_only)}
        for p in ms:
            out.setdefault(p, set()).update(ms - {p})
    return {p: frozenset(v) for p, v in out.items()}


def _check(q: Question) -> None:
    m = len(q.tables)
    if m == 0:
        raise BadInput("no capability table given", hint="pass --table NAME (see `minilat tables`)")
    ids = [t.id for t in q.tables]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise BadInput(f"table {dup[0]!r} is given twice")
    if q.targets is not None:
        if len(q.targets) != m:
            raise BadInput(
                f"{len(q.targets)} target(s) for {m} table(s)",
                hint="give one --target per --table, in the same order",
            )
        for t, tau in zip(ids, q.targets, strict=True):
            if not 0 < tau <= 1:
                raise BadInput(
                    f"target {tau:g} for {t} is not a share", hint="use a number in (0, 1]"
                )
    if q.weights is not None:
        if len(q.weights) != m:
            raise BadInput(
                f"{len(q.weights)} weight(s) for {m} table(s)",
                hint="give one --weight per --table, in the same order",
            )
        if any(w < 0 or not np.isfinite(w) for w in q.weights) or sum(q.weights) <= 0:
            raise BadInput("weights must be non-negative and not all zero")
    if q.max_size is not None and q.max_size < 1:
        raise BadInput(f"--max-size {q.max_size} must be at least 1")
    if q.max_size is not None and len(set(q.include)) > q.max_size:
        raise BadInput(
            f"{len(set(q.include))} countries are included but --max-size is {q.max_size}",
            hint="raise --max-size or include fewer countries",
        )
    both = sorted(set(q.include) & set(q.exclude))
    if both:
        raise BadInput(f"{both[0]} is both included and excluded")
    for a, b in q.forbid_pairs:
        if a == b:
            raise BadInput(f"forbidden pair {a},{b} names the same country twice")


def _instance(ds: Dataset, q: Question, objective: Objective, max_size: int | None) -> Instance:
    shares = [t.shares(verified_only=q.verified_only) for t in q.tables]
    ids: set[str] = {p for s in shares for p in s} | set(q.include)
    partners: dict[str, frozenset[str]] | None = None
    if q.within_existing:
        partners = partners_on(
            ds, q.as_of or _dt.date.today(), verified_only=q.verified_only, universal=q.universal
        )
        ids |= {p for p in partners if p not in q.exclude}
    ordered = tuple(sorted(ids))
    S = np.array([[s.get(c, 0.0) for c in ordered] for s in shares], dtype=float)
    return Instance(
        ordered,
        S,
        targets=q.targets,
        weights=q.weights,
        objective=objective,
        max_size=max_size,
        include=frozenset(q.include),
        exclude=frozenset(q.exclude),
        forbidden=tuple(q.forbid_pairs),
        partners=partners,
    )


def _name(ds: Dataset, pid: str) -> str:
    try:
        return ds.participant(pid).name
    except NotFound:
        return pid


def _round(x: float) -> float:
    return round(float(x), 6)


def catalogue(ds: Dataset) -> dict[str, Any]:
    """The capability tables in ``ds``: unit, year, scope, rows and sources of each.

    >>> from minilat.dataset import load
    >>> "wafer_capacity" in [t["id"] for t in catalogue(load())["tables"]]
    True
    """
    rows = []
    for t in sorted(ds.capabilities.values(), key=lambda t: t.id):
        info = _table_info(ds, t, False)
        rows.append(
            {
                **info,
                "scope": t.scope,
                "rows": len(t.rows),
                "countries": sum(1 for r in t.rows if not r.is_region),
                "unverified_rows": sum(1 for r in t.rows if r.unverified),
                "note": t.note,
            }
        )
    return {"count": len(rows), "tables": rows}


def _table_info(ds: Dataset, t: CapabilityTable, verified_only: bool) -> dict[str, Any]:
    total = t.total
    region = sum(r.value for r in t.rows if r.is_region) / total
    unverified = sum(r.value for r in t.rows if r.unverified and not r.is_region) / total
    named = sum(r.value for r in t.rows) / total
    sources: list[dict[str, str | None]] = []
    for sid in t.sources:
        if sid in ds.sources:
            s = ds.sources[sid]
            sources.append({"id": sid, "title": s.title, "publisher": s.publisher, "url": s.url})
        else:
            sources.append({"id": sid, "title": t.scope, "publisher": "user-supplied", "url": None})
    return {
        "id": t.id,
        "name": t.name,
        "unit": t.unit,
        "measure": t.measure.value,
        "year": t.year or None,
        "regions": [r.participant for r in t.rows if r.is_region],
        "region_share": _round(region),
        "unattributed_share": _round(max(1.0 - named, 0.0)) if t.measure is Measure.SHARE else 0.0,
        "unverified_share_ignored": _round(unverified) if verified_only else 0.0,
        "sources": sources,
    }


def _answer(
    ds: Dataset, q: Question, inst: Instance, sol: Solution, infos: list[dict[str, Any]]
) -> dict[str, Any]:
    pos = {c: j for j, c in enumerate(inst.ids)}
    tables = []
    for t, (info, cov) in enumerate(zip(infos, sol.coverage, strict=True)):
        target = q.targets[t] if q.targets is not None else None
        tables.append(
            {
                **info,
                "target": target,
                "weight": _round(inst.w[t]),
                "coverage": _round(cov),
                "met": None if target is None else bool(cov >= target - TOL),
            }
        )
    return {
        "coalition": [
            {
                "id": c,
                "name": _name(ds, c),
                "shares": {q.tables[t].id: _round(inst.shares[t, pos[c]]) for t in range(inst.m)},
            }
            for c in sol.members
        ],
        "size": sol.size,
        "weighted_coverage": _round(sol.weighted),
        "tables": tables,
        "optimal": sol.optimal,
        "status": sol.status,
        "mip_gap": None if not np.isfinite(sol.gap) else _round(sol.gap),
        "method": sol.method,
        "nodes": sol.nodes,
        "solve_seconds": round(sol.seconds, 6),
    }


def _explain(ds: Dataset, q: Question, inst: Instance, infos: list[dict[str, Any]]) -> Infeasible:
    """Why no coalition answers ``q``: the first contradiction found, in one line."""
    inc = set(q.include)
    for a, b in q.forbid_pairs:
        if a in inc and b in inc:
            return Infeasible(
                f"{a} and {b} are both included but may not sit together (--forbid-pair)",
                hint="drop one of them from --include or the pair from --forbid-pair",
            )
    if inst.partners is not None:
        for c in sorted(inc):
            nb = inst.partners.get(c, frozenset()) - inst.exclude
            if not nb:
                return Infeasible(
                    f"{c} is included but shares no grouping with any allowed country"
                    f" as of {(q.as_of or _dt.date.today()).isoformat()} (--within-existing"
                    + (")" if q.universal else "; universal bodies such as the UN do not count)"),
                    hint="drop --within-existing, or choose another --as-of date"
                    + ("" if q.universal else ", or count universal bodies with --universal"),
                )
    if q.max_size is not None and len(inc) > q.max_size:
        return Infeasible(
            f"{len(inc)} countries are included but --max-size is {q.max_size}",
            hint="raise --max-size or include fewer countries",
        )
    parts: list[str] = []
    pos = {c: j for j, c in enumerate(inst.ids)}
    if q.targets is not None:
        reach = reach_limits(inst)
        for t, info in enumerate(infos):
            tau = q.targets[t]
            if reach[t] >= tau - TOL:
                continue
            tid = info["id"]
            lost = [c for c in sorted(q.exclude) if c in pos and inst.shares[t, pos[c]] > 0]
            # percentages, as a coalition that meets its targets is reported
            text = f"{tid}: at most {_percent(reach[t])} reachable"
            if lost:
                text += f" without {', '.join(lost)}"
            text += f", short of the {_percent(tau)} target by {_percent(tau - reach[t])}"
            extra = []
            if info["region_share"] > 0:
                extra.append(f"region rows ({_percent(info['region_share'])}) cannot be recruited")
            if info["unattributed_share"] > 1e-6:
                extra.append(
                    f"{_percent(info['unattributed_share'])} is not attributed by the source"
                )
            if info["unverified_share_ignored"] > 0:
                extra.append(
                    f"unverified rows ({_percent(info['unverified_share_ignored'])}) ignored"
                )
            if inst.forbidden or inst.partners is not None:
                extra.append("under the pair/partner constraints")
            parts.append(text + ("; " + "; ".join(extra) if extra else ""))
    if parts:
        return Infeasible(
            "no coalition meets every target — " + " | ".join(parts),
            hint="lower the target, allow excluded countries, or use a table that splits"
            " its regions into countries",
        )
    if q.max_size is not None:
        return Infeasible(
            f"no coalition of at most {q.max_size} members meets every target and constraint",
            hint="raise --max-size or lower a target",
        )
    return Infeasible(
        "each target is reachable on its own, but no coalition meets them all together"
        " under the constraints",
        hint="relax --forbid-pair, --within-existing or a target",
    )


def design(
    ds: Dataset,
    q: Question,
    *,
    frontier_size: int | None = None,
    compare: str | None = None,
) -> dict[str, Any]:
    """Answer a designer question; the one library call behind ``minilat design``.

    * ``compare`` (a grouping id): the grouping's members as of ``q.as_of`` against the
      optimal coalition of the same size — its Naim efficiency and the best single swap;
    * ``frontier_size``: the best coverage for k = 1..frontier_size and each step's gain;
    * ``q.max_size``: the best coalition of at most that many members;
    * otherwise: the smallest coalition meeting every target.

    Raises BadInput for a malformed question, NotFound for an unknown grouping and
    Infeasible (with the reason, e.g. which target is out of reach and by how much) when
    no coalition answers it.

    >>> from minilat.dataset import load
    >>> ds = load()
    >>> q = Question((ds.capability("wafer_capacity"),), targets=(0.5,))
    >>> r = design(ds, q)
    >>> r["optimal"], r["tables"][0]["met"], r["size"] <= 4
    (True, True, True)
    """
    _check(q)
    as_of = q.as_of or _dt.date.today()
    infos = [_table_info(ds, t, q.verified_only) for t in q.tables]
    head: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "constraints": {
            "include": list(q.include),
            "exclude": list(q.exclude),
            "forbid_pairs": [list(p) for p in q.forbid_pairs],
            "within_existing": q.within_existing,
            "universal": q.universal,
            "verified_only": q.verified_only,
            "max_size": q.max_size,
        },
    }
    if compare is not None:
        return {"mode": "compare", **head, **_compare(ds, q, compare, as_of, infos)}
    if frontier_size is not None:
        return {"mode": "frontier", **head, **_frontier_answer(ds, q, frontier_size, infos)}
    if q.max_size is not None:
        inst = _instance(ds, q, "coverage", q.max_size)
        mode = "max_coverage"
    else:
        if q.targets is None:
            raise BadInput(
                "give a --target for each --table (smallest coalition), or --max-size K",
            )
        inst = _instance(ds, q, "size", None)
        mode = "smallest"
    sol = solve(inst, time_limit=q.time_limit)
    if sol.status == "infeasible":
        raise _explain(ds, q, inst, infos)
    if not sol.members and sol.status != "optimal":
        raise Infeasible(f"the solver stopped ({sol.status}) before finding any coalition")
    out = {"mode": mode, **head, **_answer(ds, q, inst, sol, infos)}
    base = greedy(inst)
    out["greedy"] = (
        {"size": base.size, "weighted_coverage": _round(base.weighted)}
        if base.members or not inst.targets
        else None
    )
    return out


def _frontier_answer(
    ds: Dataset, q: Question, frontier_size: int, infos: list[dict[str, Any]]
) -> dict[str, Any]:
    """The frontier: the best coverage for k = 1..frontier_size and each step's gain."""
    if frontier_size < 1:
        raise BadInput(f"frontier size {frontier_size} must be at least 1")
    inst = _instance(ds, replace(q, targets=None), "coverage", frontier_size)
    steps = []
    prev = 0.0
    for k, sol in frontier(inst, frontier_size, time_limit=q.time_limit):
        if not sol.feasible or not sol.members:
            # "at most k" admits the empty coalition; it answers nothing, so say so
            steps.append({"k": k, "feasible": False, "status": sol.status})
            continue
        steps.append(
            {
                "k": k,
                "feasible": True,
                **_answer(ds, replace(q, targets=None), inst, sol, infos),
                "marginal_gain": _round(sol.weighted - prev),
            }
        )
        prev = sol.weighted
    if not any(s["feasible"] for s in steps):
        raise _explain(ds, replace(q, max_size=frontier_size), inst, infos)
    return {
        "tables": infos,
        "weights": [_round(w) for w in inst.w],
        "steps": steps,
        "all_optimal": all(s.get("optimal", True) for s in steps),
    }


def _unsplit(
    q: Question,
    members: Sequence[str],
    infos: list[dict[str, Any]],
) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]], list[str]]:
    """What the tables' region rows (and unattributed remainders) mean for ``members``.

    Returns, per table, the share credited to the grouping from region rows wholly inside
    it (:func:`minilat.analysis.region_rows.wholly_inside`) and the most the rows that may
    hold members without a row of their own could add; the per-table details; and one
    note per such member naming the rows that may hold it.
    """
    from minilat.analysis import region_rows

    m = len(q.tables)
    credit, extra = np.zeros(m), np.zeros(m)
    details: list[dict[str, Any]] = []
    notes: list[str] = []
    for t, table in enumerate(q.tables):
        shares = table.shares(verified_only=q.verified_only)
        named = {r.participant for r in table.rows if not r.is_region}
        region_ids = [r.participant for r in table.rows if r.is_region]
        total = table.total
        region_share = {
            r.participant: r.value / total for r in table.rows if r.is_region and total > 0
        }
        credited = [r for r in region_ids if region_rows.wholly_inside(r, members, named)]
        credit[t] = sum(region_share[r] for r in credited)
        rest = float(infos[t]["unattributed_share"])
        open_rows: dict[str, list[str]] = {}
        alike: dict[tuple[str, ...], list[str]] = {}  # members held by the same rows
        for c in members:
            if c in shares or c in named:
                continue
            where = [r for r in region_ids if r not in credited and region_rows.holds(r, c)]
            if rest > 1e-6:
                where.append("unattributed")
            for r in where:
                open_rows.setdefault(r, []).append(c)
            if where:
                alike.setdefault(tuple(where), []).append(c)
        for held_by, cs in alike.items():
            said = [
                f"inside {r} ({100 * region_share[r]:.1f}%, not split by country)"
                for r in held_by
                if r != "unattributed"
            ]
            if "unattributed" in held_by:
                said.append(f"in the {100 * rest:.1f}% the table attributes to no row")
            one = len(cs) == 1
            notes.append(
                f"{', '.join(cs)} {'has' if one else 'have'} no row of"
                f" {'its' if one else 'their'} own in {table.id}: the source reports"
                f" {'it' if one else 'them'}, if at all, {' or '.join(said)};"
                f" {'its' if one else 'their'} share there is unknown, not 0"
            )
        extra[t] = sum(region_share.get(r, rest) for r in open_rows)
        details.append(
            {
                "table": table.id,
                "credited_regions": credited,
                "unsplit": [
                    {
                        "row": r,
                        "share": _round(region_share.get(r, rest)),
                        "members": sorted(ms),
                    }
                    for r, ms in open_rows.items()
                ],
            }
        )
    for d in details:
        if d["credited_regions"]:
            notes.append(
                f"{d['table']}: {', '.join(d['credited_regions'])} lies wholly inside the"
                " grouping, so its share is credited to the grouping"
            )
    return credit, extra, details, notes


def _compare(
    ds: Dataset, q: Question, gid: str, as_of: _dt.date, infos: list[dict[str, Any]]
) -> dict[str, Any]:
    g = ds.grouping(gid)
    in_tables = {r.participant for t in q.tables for r in t.rows}
    members = sorted(
        {
            m.participant
            for m in g.members_on(as_of, verified_only=q.verified_only)
            if ds.is_state(m.participant) or m.participant in in_tables
        }
    )
    if not members:
        raise Infeasible(
            f"{g.id} has no member countries as of {as_of.isoformat()}",
            hint="choose another --as-of date",
        )
    from minilat.analysis.groupings import enumeration

    # a published head-count above the members the record names: the comparison is of
    # the listed members only, and the answer says so rather than judge the grouping
    partial = enumeration(ds, g, as_of)
    k = len(members)
    inst = _instance(ds, replace(q, targets=None), "coverage", k)
    credit, extra, unsplit, notes = _unsplit(q, members, infos)
    real_cov = inst.coverage(members) + credit
    upper_cov = np.minimum(real_cov + extra, 1.0)
    real_weighted = float(inst.w @ real_cov)
    upper_weighted = float(inst.w @ upper_cov)
    exact = bool(np.all(extra <= TOL))
    sol = solve(inst, time_limit=q.time_limit)
    if not sol.feasible:
        raise _explain(ds, replace(q, targets=None, max_size=k), inst, infos)
    optimal = _answer(ds, replace(q, targets=None), inst, sol, infos)
    optimal["coverage"] = {t["id"]: t["coverage"] for t in optimal.pop("tables")}
    optimal["max_size"] = k
    pos = {c: j for j, c in enumerate(inst.ids)}
    swap = best_swap(inst, members)
    if sol.weighted > 0:
        eff_range: list[float] | None = [
            _round(real_weighted / sol.weighted),
            _round(upper_weighted / sol.weighted),
        ]
    else:
        eff_range = None
    if partial is not None:
        notes.insert(
            0,
            f"{partial['text']} The figures here are those of the {k} listed, not of"
            f" {g.name}'s {partial['published']}: its Naim efficiency is not known.",
        )
    return {
        "grouping": {"id": g.id, "name": g.name_on(as_of)},
        # False when the record names fewer members than the grouping published: every
        # figure below is then of the listed members, and naim_efficiency is None
        "list_complete": partial is None,
        "enumeration": partial,
        "members": [
            {
                "id": c,
                "name": _name(ds, c),
                "shares": {
                    q.tables[t].id: _round(inst.shares[t, pos[c]]) if c in pos else 0.0
                    for t in range(inst.m)
                },
            }
            for c in members
        ],
        "size": k,
        # what the members' own rows (and region rows wholly inside the grouping) hold;
        # with coverage_exact false the true share may be up to coverage_upper
        "coverage": {q.tables[t].id: _round(real_cov[t]) for t in range(inst.m)},
        "coverage_upper": {q.tables[t].id: _round(upper_cov[t]) for t in range(inst.m)},
        "coverage_exact": exact,
        "weighted_coverage": _round(real_weighted),
        "weighted_coverage_upper": _round(upper_weighted),
        "unsplit": unsplit,
        "optimal_coalition": optimal,
        # None when the grouping's coverage is not known exactly: see the range
        "naim_efficiency": eff_range[0]
        if eff_range is not None and exact and partial is None
        else None,
        "naim_efficiency_range": eff_range,
        "best_swap": None
        if swap is None
        else {
            "out": swap[0],
            "out_name": _name(ds, swap[0]),
            "in": swap[1],
            "in_name": _name(ds, swap[1]),
            "gain": _round(swap[2]),
            "weighted_coverage_after": _round(real_weighted + swap[2]),
        },
        "tables": infos,
        "notes": notes,
    }
