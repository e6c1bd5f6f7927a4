"""The participant x grouping network and the country co-membership projection.

The network is built on sparse matrices, never on per-edge Python loops, so it stays fast
when the data is large (see docs/benchmarks/network.md):

* the **incidence matrix** ``B`` (participants x groupings) holds 1 where a participant
  takes part (in an active role, see :data:`minilat.model.ACTIVE_ROLES`) in a grouping
  that is active on the date;
* the **co-membership projection** is ``W = B·D·Bᵀ`` with the diagonal removed, over the
  projected participants (states only by default). With ``weighting="newman"`` (the
  default) ``D = diag(1/(n_g - 1))`` where ``n_g`` is the number of projected members of
  grouping ``g``, so every grouping gives each of its members a total tie strength of 1
  however large it is (Newman 2001, *Phys. Rev. E* 64, 016132); with ``weighting="count"``
  ``D = I`` and a tie is the raw number of shared groupings. The raw count is always kept
  as ``shared``.

The core functions take plain arrays (participant index, grouping index, start and end
ordinals of each membership spell) so a benchmark can feed them a synthetic table;
:func:`analyse` is the convenience wrapper from a :class:`~minilat.dataset.Dataset`.
Communities and betweenness come from igraph (in C); networkx is used for exports.

>>> import numpy as np
>>> B = incidence(np.array([0, 1, 2, 0, 1]), np.array([0, 0, 0, 1, 1]),
...               np.array([0, 0, 0, 0, 0]), np.array([9, 9, 9, 9, 9]), day=5, shape=(3, 2))
>>> W, shared = project(B, weighting="count")
>>> shared.toarray().tolist()
[[0, 2, 1], [2, 0, 1], [1, 1, 0]]
"""

from __future__ import annotations

import datetime as _dt
import io
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from minilat import csvsafe
from minilat.dataset import Dataset
from minilat.errors import BadInput
from minilat.memo import shared
from minilat.vocab import WEIGHTINGS

if TYPE_CHECKING:  # networkx is imported where it is used: it is slow to import
    import networkx as nx

__all__ = [
    "OPEN",
    "UNIVERSAL_MIN_STATES",
    "Centralities",
    "MembershipArrays",
    "NetworkArrays",
    "Weighting",
    "analyse",
    "analyse_arrays",
    "analyse_projection",
    "as_dict",
    "betweenness",
    "bipartite_graph",
    "build",
    "centralities",
    "communities",
    "dynamic_graph",
    "eigenvector",
    "export",
    "grouping_overlap",
    "incidence",
    "membership_arrays",
    "participation",
    "project",
    "projected_on",
    "projection_graph",
    "projection_on",
    "universal_bodies",
    "without_universal",
]

#: End ordinal of a membership that has not ended (after every real date).
OPEN = _dt.date.max.toordinal() + 1

#: A grouping with at least this many member states on a date is a universal or
#: near-universal body (the UN; the IMF, the WTO or the ITU if added): it ties nearly every
#: state to every other, so the network drawing, partner counts and partner maps, and the
#: designer's "within existing" cooperation leave it out by default. 100 is just over half
#: of the UN's 193 members.
UNIVERSAL_MIN_STATES = 100


def universal_bodies(ds: Dataset, as_of: _dt.date) -> frozenset[str]:
    """The ids of the groupings with at least :data:`UNIVERSAL_MIN_STATES` member states
    on ``as_of``: the universal and near-universal bodies.

    >>> from minilat.dataset import load
    >>> "un" in universal_bodies(load(), _dt.date(2024, 1, 1))
    True
    """
    return frozenset(
        g.id
        for g in ds.groupings.values()
        if sum(ds.is_state(m.participant) for m in g.members_on(as_of)) >= UNIVERSAL_MIN_STATES
    )


def without_universal(
    ds: Dataset, as_of: _dt.date, include: Collection[str] | None = None
) -> tuple[frozenset[str], list[str]]:
    """The groupings to count by default: ``include`` (every grouping if None) without the
    universal bodies of ``as_of``; and the ids left out, sorted. Every face counts the
    network this way unless asked (``--universal``, ``?universal=true``): the web's
    drawing, a country's partners and network place, ``minilat network`` and the API.

    >>> from minilat.dataset import load
    >>> kept, out = without_universal(load(), _dt.date(2024, 1, 1), {"un", "quad"})
    >>> sorted(kept), out
    (['quad'], ['un'])
    """
    universal = universal_bodies(ds, as_of)
    pool = set(ds.groupings) if include is None else set(include)
    return frozenset(pool - universal), sorted(pool & universal)


Weighting = Literal["newman", "count"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Seed of the community detection, so the same data always gives the same communities.
SEED = 42
#: Above this many groupings the overlap is computed among the largest ones only.
OVERLAP_MAX_GROUPINGS = 5_000


# ------------------------------------------------------------------ the sparse core


def incidence(
    participant: IntArray,
    grouping: IntArray,
    start: IntArray,
    end: IntArray,
    *,
    day: int,
    shape: tuple[int, int],
    groupings_mask: BoolArray | None = None,
) -> sp.csr_array:
    """The binary participants x groupings matrix of spells holding on ``day``.

    A spell holds on ``day`` if ``start <= day < end`` (ordinals, end exclusive; use
    :data:`OPEN` for an open end). Several spells of one pair count once.

    >>> B = incidence(np.array([0, 1]), np.array([0, 0]), np.array([0, 5]),
    ...               np.array([OPEN, OPEN]), day=3, shape=(2, 1))
    >>> B.toarray().tolist()
    [[1], [0]]
    """
    keep = (start <= day) & (day < end)
    if groupings_mask is not None:
        keep &= groupings_mask[grouping]
    rows, cols = participant[keep], grouping[keep]
    B = sp.csr_array((np.ones(rows.size, dtype=np.int32), (rows, cols)), shape=shape)
    B.sum_duplicates()
    B.data[:] = 1
    return B


def project(
    B: sp.csr_array, *, weighting: Weighting = "newman"
) -> tuple[sp.csr_array, sp.csr_array]:
    """The co-membership projection of the rows of ``B``: ``(weights, shared counts)``.

    ``shared[i, j]`` is the number of groupings ``i`` and ``j`` share; ``weights`` is the same
    (``"count"``) or sums ``1/(n_g - 1)`` over the shared groupings (``"newman"``). Both are
    symmetric with an empty diagonal.

    >>> B = sp.csr_array(np.array([[1, 1], [1, 1], [1, 0]]))
    >>> W, shared = project(B)
    >>> W.toarray().tolist()
    [[0.0, 1.5, 0.5], [1.5, 0.0, 0.5], [0.5, 0.5, 0.0]]
    """
    if weighting not in WEIGHTINGS:
        raise BadInput(f"unknown weighting {weighting!r}", hint="use newman or count")
    Bf = sp.csr_array(B, dtype=np.float64, copy=True)  # float products are the fastest
    Bf.sum_duplicates()
    BT = Bf.T.tocsr()
    counts = (Bf @ BT).tocsr()
    counts.setdiag(0.0)
    counts.eliminate_zeros()
    counts.sort_indices()
    shared = counts.astype(np.int64, copy=True)  # exact: counts are small integers
    if weighting == "count":
        return counts, shared
    sizes = np.bincount(Bf.indices, weights=Bf.data, minlength=Bf.shape[1]).astype(float)
    scale = np.zeros_like(sizes)
    np.divide(1.0, sizes - 1.0, out=scale, where=sizes > 1)
    Bw = Bf.copy()
    Bw.data *= scale[Bw.indices]  # B·D: scale each grouping's column by 1/(n_g - 1)
    W = (Bw @ BT).tocsr()
    W.setdiag(0.0)
    W.eliminate_zeros()
    W.sort_indices()
    return W, shared


def eigenvector(W: sp.csr_array) -> FloatArray:
    """Eigenvector centrality of a weighted undirected graph, unit Euclidean norm.

    The Perron vector of ``W`` (as ``networkx.eigenvector_centrality_numpy``). On a
    disconnected graph it lives on the component with the largest leading eigenvalue.

    >>> np.round(eigenvector(sp.csr_array(np.array([[0., 1.], [1., 0.]]))), 4).tolist()
    [0.7071, 0.7071]
    """
    n = W.shape[0]
    if n == 0 or W.nnz == 0:
        return np.zeros(n)
    if n <= 8:  # ARPACK wants a few more rows than vectors
        _, vecs = np.linalg.eigh(W.toarray())
        v = vecs[:, -1]
    else:
        # ARPACK's Lanczos iteration on the sparse matrix: a few milliseconds where a dense
        # eigh of a 200 x 200 matrix takes 50 ms to a second when BLAS threads contend;
        # a fixed start vector makes it deterministic
        from scipy.sparse.linalg import eigsh

        _, vecs = eigsh(W.astype(np.float64), k=1, which="LA", v0=np.ones(n))
        v = vecs[:, 0]
    v = np.abs(v)
    v[v < 1e-12] = 0.0
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def betweenness(W: sp.csr_array, *, normalized: bool = True) -> FloatArray:
    """Weighted shortest-path betweenness, a tie of weight ``w`` being ``1/w`` long.

    Computed by igraph (Brandes' algorithm in C), which compares path lengths with a
    relative tolerance so that equally short paths share the credit as networkx splits
    it; normalised as ``networkx.betweenness_centrality(G, weight=..., normalized=True)``.

    >>> path = sp.csr_array(np.array([[0., 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> betweenness(path).tolist()
    [0.0, 1.0, 0.0]
    """
    n = W.shape[0]
    if n < 3 or W.nnz == 0:
        return np.zeros(n)
    g, w = _igraph(W)
    bc = np.asarray(g.betweenness(directed=False, weights=[1.0 / x for x in w]), dtype=float)
    # igraph counts each unordered pair once: networkx's normalisation is 2 / ((n-1)(n-2))
    return bc * 2.0 / ((n - 1) * (n - 2)) if normalized else bc


def _igraph(W: sp.csr_array) -> tuple[Any, list[float]]:
    """The undirected igraph graph of a symmetric weighted matrix, and its edge weights."""
    import igraph

    coo = sp.triu(W, k=1).tocoo()
    weights = coo.data.astype(float).tolist()
    g = igraph.Graph(n=W.shape[0], edges=list(zip(coo.row.tolist(), coo.col.tolist(), strict=True)))
    return g, weights


#: How much lower than networkx's Louvain the modularity of our communities may be on the
#: shipped data (docs/network.md; tests/test_network.py checks eight dates).
COMMUNITY_TOLERANCE = 0.01

#: igraph draws its random numbers from one generator per process: communities are found
#: under this lock, from a generator seeded afresh, so that they never depend on timing.
_IGRAPH_RNG = threading.Lock()


@dataclass(frozen=True)
class Centralities:
    """Per-node centralities of a weighted projection (arrays aligned with its rows)."""

    degree: IntArray
    strength: FloatArray
    eigenvector: FloatArray
    betweenness: FloatArray


def centralities(W: sp.csr_array) -> Centralities:
    """Degree (number of partners), strength (sum of tie weights), eigenvector, betweenness.

    >>> c = centralities(sp.csr_array(np.array([[0., 2, 0], [2, 0, 1], [0, 1, 0]])))
    >>> c.degree.tolist(), c.strength.tolist()
    ([1, 2, 1], [2.0, 3.0, 1.0])
    """
    W = sp.csr_array(W, dtype=np.float64)
    return Centralities(
        degree=np.diff(W.indptr).astype(np.int64),
        strength=np.asarray(W.sum(axis=1)).ravel(),
        eigenvector=eigenvector(W),
        betweenness=betweenness(W),
    )


def communities(W: sp.csr_array, *, seed: int = SEED) -> IntArray:
    """Louvain communities of the weighted projection: a label per node, 0 the largest.

    Uses igraph's multilevel (Louvain) modularity optimisation, in C, seeded afresh with
    ``seed`` on every call, so the same projection always gives the same labels; isolated
    nodes are communities of their own. It agrees with networkx's
    ``louvain_communities`` within the tolerance documented in docs/network.md.

    >>> communities(sp.csr_array(np.array([[0., 1, 0, 0], [1, 0, 0, 0],
    ...                                    [0, 0, 0, 1], [0, 0, 1, 0]]))).tolist()
    [0, 0, 1, 1]
    """
    import random

    import igraph

    n = W.shape[0]
    g, weights = _igraph(W)
    with _IGRAPH_RNG:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = g.community_multilevel(weights=weights).membership
        finally:
            igraph.set_random_number_generator(random)
    parts: dict[int, list[int]] = {}
    for node, c in enumerate(membership):
        parts.setdefault(c, []).append(node)
    ordered = sorted(parts.values(), key=lambda c: (-len(c), min(c)))
    labels = np.empty(n, dtype=np.int64)
    for i, c in enumerate(ordered):
        labels[c] = i
    return labels


def participation(W: sp.csr_array, labels: IntArray) -> tuple[FloatArray, FloatArray]:
    """Participation coefficient and outside share of each node's tie strength.

    The participation coefficient (Guimerà & Amaral 2005) is ``1 - Σ_c (s_ic / s_i)²``
    where ``s_ic`` is the strength of node ``i``'s ties into community ``c``: 0 when all its
    ties stay in one community, approaching 1 when they spread evenly over many. The
    outside share is the part of ``s_i`` going to other communities than its own.

    >>> W = sp.csr_array(np.array([[0., 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> pc, out = participation(W, np.array([0, 0, 1]))
    >>> pc.tolist(), out.tolist()
    ([0.0, 0.5, 0.0], [0.0, 0.5, 1.0])
    """
    n = W.shape[0]
    k = int(labels.max()) + 1 if n else 0
    C = sp.csr_array((np.ones(n), (np.arange(n), labels)), shape=(n, k))
    S = (sp.csr_array(W, dtype=np.float64) @ C).toarray()
    s = S.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(s[:, None] > 0, S / s[:, None], 0.0)
    pc = np.where(s > 0, 1.0 - (frac**2).sum(axis=1), 0.0)
    own = frac[np.arange(n), labels] if n else np.zeros(0)
    out = np.where(s > 0, 1.0 - own, 0.0)
    return pc, out


def grouping_overlap(
    B: sp.csr_array,
    *,
    top: int = 20,
    max_groupings: int = OVERLAP_MAX_GROUPINGS,
    block: int = 1_000,
) -> tuple[IntArray, IntArray, IntArray, FloatArray, int]:
    """The most overlapping pairs of groupings (columns of ``B``) by Jaccard similarity.

    Returns ``(a, b, shared, jaccard, considered)`` for the ``top`` pairs, best first
    (ties broken by more shared members, then by index). When more than ``max_groupings``
    groupings have members, only the ``max_groupings`` largest are compared (``considered``
    says how many were): the pairs of a very large table are too many to list. Intersections
    are dense matrix products over blocks of ``block`` groupings (exact for sets of fewer
    than 2**24 members), so memory stays near ``block x max_groupings`` numbers.

    >>> B = sp.csr_array(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]]))
    >>> a, b, shared, jac, n = grouping_overlap(B, top=2)
    >>> list(zip(a.tolist(), b.tolist(), shared.tolist(), jac.round(3).tolist()))
    [(0, 1, 2, 0.667), (1, 2, 2, 0.667)]
    """
    Bc = sp.csc_array(B)
    sizes = np.diff(Bc.indptr)
    cols = np.flatnonzero(sizes > 0)
    if cols.size > max_groupings:
        cols = np.sort(cols[np.argsort(-sizes[cols], kind="stable")[:max_groupings]])
    X = (Bc[:, cols] != 0).astype(np.float32).toarray()
    sz = sizes[cols].astype(np.float64)
    n = cols.size
    found: list[tuple[IntArray, IntArray, FloatArray, FloatArray]] = []
    for lo in range(0, n, block):
        hi = min(lo + block, n)
        inter = (X[:, lo:hi].T @ X).astype(np.float64)  # (hi - lo) x n
        ii = np.arange(lo, hi)[:, None]
        inter[np.arange(n)[None, :] <= ii] = 0.0  # keep i < j only
        jac = inter / (sz[lo:hi, None] + sz[None, :] - inter)
        flat = jac.ravel()
        hit = np.flatnonzero(flat > 0)
        if hit.size > top:
            cut = np.partition(flat[hit], hit.size - top)[hit.size - top]
            hit = hit[flat[hit] >= cut]
        r, c = np.divmod(hit, n)
        found.append((r + lo, c, inter.ravel()[hit], flat[hit]))
    if found:
        i, j, s, jac_all = (np.concatenate(x) for x in zip(*found, strict=True))
    else:
        i = j = np.zeros(0, dtype=np.int64)
        s = jac_all = np.zeros(0)
    pick = np.lexsort((j, i, -s, -jac_all))[:top]
    return (
        cols[i[pick]].astype(np.int64),
        cols[j[pick]].astype(np.int64),
        s[pick].round().astype(np.int64),
        jac_all[pick].astype(np.float64),
        int(n),
    )


@dataclass(frozen=True)
class NetworkArrays:
    """Everything the network analysis computes, as arrays over the active nodes."""

    nodes: IntArray  # participant index of each projection node
    B: sp.csr_array  # participants x groupings on the date (all participants)
    W: sp.csr_array  # projection weights, nodes x nodes
    shared: sp.csr_array  # shared groupings, nodes x nodes
    centralities: Centralities
    community: IntArray
    modularity: float
    participation: FloatArray
    outside_share: FloatArray
    components: int
    overlap: tuple[IntArray, IntArray, IntArray, FloatArray, int]


def analyse_arrays(
    participant: IntArray,
    grouping: IntArray,
    start: IntArray,
    end: IntArray,
    *,
    day: int,
    shape: tuple[int, int],
    projected: BoolArray | None = None,
    groupings_mask: BoolArray | None = None,
    weighting: Weighting = "newman",
    overlap_top: int = 20,
) -> NetworkArrays:
    """The whole network analysis on a plain membership table.

    ``projected`` marks the participants that enter the projection (all by default);
    ``groupings_mask`` the groupings to include. Nodes of the projection are the projected
    participants with at least one membership on ``day``.

    >>> r = analyse_arrays(np.array([0, 1, 1, 2]), np.array([0, 0, 1, 1]),
    ...                    np.zeros(4, dtype=np.int64), np.full(4, OPEN), day=1, shape=(3, 2))
    >>> r.centralities.betweenness.tolist()
    [0.0, 1.0, 0.0]
    """
    B = incidence(
        participant, grouping, start, end, day=day, shape=shape, groupings_mask=groupings_mask
    )
    return analyse_projection(B, *_projection(B, projected, weighting), overlap_top=overlap_top)


def analyse_projection(
    B: sp.csr_array,
    nodes: IntArray,
    W: sp.csr_array,
    shared: sp.csr_array,
    *,
    overlap_top: int = 20,
) -> NetworkArrays:
    """The analysis of an incidence matrix ``B`` whose projection is already made:
    ``nodes`` (the rows of ``B`` it ties), ``W`` and ``shared`` over them, as
    :func:`analyse_arrays` makes them. Callers that hold the projection already (the
    memoized :func:`build`) pass it through instead of computing it again.

    >>> B = sp.csr_array(np.array([[1, 0], [1, 1], [0, 1]]))
    >>> nodes = np.arange(3)
    >>> r = analyse_projection(B, nodes, *project(B))
    >>> r.centralities.betweenness.tolist()
    [0.0, 1.0, 0.0]
    """
    cent = centralities(W)
    labels = communities(W) if nodes.size else np.zeros(0, dtype=np.int64)
    pc, out = participation(W, labels)
    n_comp = int(connected_components(W, directed=False)[0]) if nodes.size else 0
    return NetworkArrays(
        nodes=nodes,
        B=B,
        W=W,
        shared=shared,
        centralities=cent,
        community=labels,
        modularity=_modularity(W, labels),
        participation=pc,
        outside_share=out,
        components=n_comp,
        overlap=grouping_overlap(B, top=overlap_top),
    )


def _projection(
    B: sp.csr_array, projected: BoolArray | None, weighting: Weighting
) -> tuple[IntArray, sp.csr_array, sp.csr_array]:
    """The rows of ``B`` that enter the projection (``projected`` ones with a membership
    on the date), and the projection ``W`` and ``shared`` over them."""
    active = np.diff(B.indptr) > 0
    if projected is not None:
        active &= projected
    nodes = np.flatnonzero(active).astype(np.int64)
    W, shared = project(B[nodes], weighting=weighting)
    return nodes, W, shared


def _modularity(W: sp.csr_array, labels: IntArray) -> float:
    """Newman's weighted modularity of a labelling, computed on the sparse matrix."""
    m2 = float(W.sum())
    if m2 == 0:
        return 0.0
    n = W.shape[0]
    k = int(labels.max()) + 1
    C = sp.csr_array((np.ones(n), (np.arange(n), labels)), shape=(n, k))
    inside = float((C.T @ W @ C).diagonal().sum())
    s = np.asarray(W.sum(axis=1)).ravel()
    tot = np.bincount(labels, weights=s, minlength=k)
    return inside / m2 - float((tot**2).sum()) / m2**2


# ------------------------------------------------------------------ from a dataset


@dataclass(frozen=True)
class MembershipArrays:
    """A dataset's membership spells as parallel arrays, with the labels they index.

    One row per participant x grouping x spell, the spell being a membership interval in
    an active role cut to the grouping's active periods.
    """

    participant: IntArray
    grouping: IntArray
    start: IntArray
    end: IntArray
    role: tuple[str, ...]
    participants: tuple[str, ...]
    groupings: tuple[str, ...]
    is_state: BoolArray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.groupings)


def _ordinal(d: Any) -> int:
    return OPEN if d is None else int(d.first_day().toordinal())


@shared("network.membership_arrays")
def membership_arrays(ds: Dataset, *, verified_only: bool = False) -> MembershipArrays:
    """Every active-role membership spell of the dataset as arrays.

    >>> from minilat.dataset import load
    >>> t = membership_arrays(load())
    >>> t.participant.size == t.grouping.size == len(t.role)
    True
    """
    gids = sorted(ds.groupings)
    pids = sorted(
        {m.participant for g in ds.groupings.values() for m in g.memberships if m.active_role}
    )
    gi = {g: i for i, g in enumerate(gids)}
    pi = {p: i for i, p in enumerate(pids)}
    rows: list[tuple[int, int, int, int]] = []
    roles: list[str] = []
    for gid in gids:
        g = ds.groupings[gid]
        periods = [(_ordinal(p.start), _ordinal(p.end)) for p in g.periods]
        for m in g.memberships:
            if not m.active_role or (verified_only and not m.verified):
                continue
            a, b = _ordinal(m.start), _ordinal(m.end)
            for p0, p1 in periods:
                lo, hi = max(a, p0), min(b, p1)
                if lo < hi:
                    rows.append((pi[m.participant], gi[gid], lo, hi))
                    roles.append(m.role.value)
    arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return MembershipArrays(
        participant=arr[:, 0].copy(),
        grouping=arr[:, 1].copy(),
        start=arr[:, 2].copy(),
        end=arr[:, 3].copy(),
        role=tuple(roles),
        participants=tuple(pids),
        groupings=tuple(gids),
        is_state=np.array([ds.participant(p).is_state for p in pids], dtype=bool),
    )


def _mask(t: MembershipArrays, include: Collection[str] | None) -> BoolArray | None:
    if include is None:
        return None
    keep = set(include)
    return np.array([g in keep for g in t.groupings], dtype=bool)


def _ranks(values: FloatArray) -> IntArray:
    """Competition ranks, 1 for the highest value (ties share the best rank)."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    r = np.round(values, 12)
    return (np.searchsorted(np.sort(-r), -r, side="left") + 1).astype(np.int64)


@shared("network.projected")
def projected_on(
    ds: Dataset,
    as_of: _dt.date,
    *,
    include: Collection[str] | None,
    weighting: Weighting,
    states_only: bool,
    verified_only: bool,
) -> tuple[sp.csr_array, IntArray, sp.csr_array, sp.csr_array]:
    """The incidence matrix of ``as_of`` and its projection ``(B, nodes, W, shared)``
    (``nodes``: the rows of ``B`` the projection ties), made once per dataset and
    arguments: :func:`projection_on` (the ties alone), :func:`build` (the whole analysis)
    and the network drawing take them from here. Every argument is required, so that one
    question always has one key in the memo.

    >>> from minilat.dataset import load
    >>> B, nodes, W, shared = projected_on(load(), _dt.date(2023, 1, 1), include={"quad"},
    ...     weighting="newman", states_only=True, verified_only=False)
    >>> len(nodes), int(B.sum()), int(shared.sum())
    (4, 4, 12)
    """
    t = membership_arrays(ds, verified_only=verified_only)
    B = incidence(
        t.participant,
        t.grouping,
        t.start,
        t.end,
        day=as_of.toordinal(),
        shape=t.shape,
        groupings_mask=_mask(t, include),
    )
    nodes, W, shared_ = _projection(B, t.is_state if states_only else None, weighting)
    return B, nodes, W.tocsr(), shared_.tocsr()


def projection_on(
    ds: Dataset,
    as_of: _dt.date,
    *,
    include: Collection[str] | None = None,
    weighting: Weighting = "newman",
    states_only: bool = True,
) -> tuple[tuple[str, ...], sp.csr_array, sp.csr_array]:
    """The co-membership projection on ``as_of`` alone (no centralities, no communities):
    the participants it ties (those with a membership on the date), ``W`` and ``shared``.
    Kept once per dataset and arguments, for drawings that need only the ties, and the same
    matrices :func:`build` analyses with these arguments (computed once for both).

    >>> from minilat.dataset import load
    >>> ids, W, shared = projection_on(load(), _dt.date(2023, 1, 1), include={"quad"})
    >>> ids, int(shared.toarray().max())
    (('AUS', 'IND', 'JPN', 'USA'), 1)
    """
    t = membership_arrays(ds)
    _, rows, W, shared_ = projected_on(
        ds,
        as_of,
        include=include,
        weighting=weighting,
        states_only=states_only,
        verified_only=False,
    )
    return tuple(t.participants[i] for i in rows), W, shared_


@shared("network.build")
def build(
    ds: Dataset,
    as_of: _dt.date,
    *,
    include: Collection[str] | None = None,
    weighting: Weighting = "newman",
    states_only: bool = True,
    verified_only: bool = False,
    overlap_top: int = 20,
) -> tuple[MembershipArrays, NetworkArrays]:
    """The network of the dataset on ``as_of`` as arrays (:func:`analyse` in plain data):
    the membership table and the analysis, computed once per dataset and arguments.

    >>> from minilat.dataset import load
    >>> t, r = build(load(), _dt.date(2023, 1, 1), include={"quad"})
    >>> sorted(t.participants[i] for i in r.nodes)
    ['AUS', 'IND', 'JPN', 'USA']
    """
    t = membership_arrays(ds, verified_only=verified_only)
    projected = projected_on(
        ds,
        as_of,
        include=include,
        weighting=weighting,
        states_only=states_only,
        verified_only=verified_only,
    )
    return t, analyse_projection(*projected, overlap_top=overlap_top)


def as_dict(
    r: NetworkArrays,
    participants: Sequence[str],
    groupings: Sequence[str],
    names: Sequence[str] | None = None,
    *,
    top_bridges: int = 10,
) -> dict[str, Any]:
    """The plain, JSON-ready form of an analysis (see :func:`analyse` for the keys)."""
    c = r.centralities
    labels = [participants[i] for i in r.nodes]
    shown = [names[i] for i in r.nodes] if names is not None else labels
    rank_s, rank_e, rank_b = _ranks(c.strength), _ranks(c.eigenvector), _ranks(c.betweenness)
    order = np.lexsort((np.arange(len(labels)), -c.eigenvector, -c.strength))
    per_node = np.diff(r.B.indptr)[r.nodes]
    nodes = [
        {
            "id": labels[i],
            "name": shown[i],
            "groupings": int(per_node[i]),
            "degree": int(c.degree[i]),
            "strength": round(float(c.strength[i]), 6),
            "eigenvector": round(float(c.eigenvector[i]), 6),
            "betweenness": round(float(c.betweenness[i]), 6),
            "community": int(r.community[i]),
            "participation": round(float(r.participation[i]), 6),
            "rank": {
                "strength": int(rank_s[i]),
                "eigenvector": int(rank_e[i]),
                "betweenness": int(rank_b[i]),
            },
        }
        for i in order.tolist()
    ]
    up, ups = _upper(r.W), _upper(r.shared)
    e_order = np.lexsort((up.col, up.row, -ups.data, -up.data))
    rows, cols = up.row.tolist(), up.col.tolist()
    weights, counts = up.data.tolist(), ups.data.tolist()
    edges = [
        {
            "a": labels[rows[k]],
            "b": labels[cols[k]],
            "shared": int(counts[k]),
            "weight": round(weights[k], 6),
        }
        for k in e_order.tolist()
    ]
    n_comm = int(r.community.max()) + 1 if r.community.size else 0
    comms = []
    for k in range(n_comm):
        idx = np.flatnonzero(r.community == k)
        idx = idx[np.lexsort((idx, -c.strength[idx]))]
        comms.append({"id": k, "size": int(idx.size), "members": [labels[i] for i in idx]})
    bridge_idx = _bridges(r.participation, c.betweenness)[:top_bridges]
    bridges = [
        {
            "id": labels[i],
            "name": shown[i],
            "community": int(r.community[i]),
            "participation": round(float(r.participation[i]), 6),
            "outside_share": round(float(r.outside_share[i]), 6),
            "betweenness": round(float(c.betweenness[i]), 6),
        }
        for i in bridge_idx.tolist()
    ]
    a, b, s, jac, considered = r.overlap
    n_pairs = len(labels) * (len(labels) - 1) // 2
    B = r.B
    return {
        "bipartite": {
            "participants": int((np.diff(B.indptr) > 0).sum()),
            "groupings": int((np.diff(B.tocsc().indptr) > 0).sum()),
            "memberships": int(B.nnz),
        },
        "projection": {
            "nodes": len(labels),
            "edges": len(edges),
            "density": round(len(edges) / n_pairs, 6) if n_pairs else 0.0,
            "components": r.components,
            "modularity": round(r.modularity, 6),
        },
        "nodes": nodes,
        "edges": edges,
        "communities": comms,
        "bridges": bridges,
        "overlap": {
            "considered": considered,
            "pairs": [
                {
                    "a": groupings[int(x)],
                    "b": groupings[int(y)],
                    "shared": int(n),
                    "jaccard": round(float(j), 6),
                }
                for x, y, n, j in zip(a, b, s, jac, strict=True)
            ],
        },
    }


def _bridges(participation: FloatArray, betweenness: FloatArray) -> IntArray:
    """Bridging nodes: participation above the median of tied nodes, by betweenness.

    A bridge has ties that are not confined to its own community (a participation
    coefficient above the median of the nodes that have ties) and sits on the shortest
    routes between others (betweenness); ties are broken by participation, then index.

    >>> pc = np.array([0.0, 0.6, 0.5, 0.1, 0.55])
    >>> _bridges(pc, np.array([0.9, 0.2, 0.4, 0.0, 0.3])).tolist()
    [4, 1]
    """
    tied = participation > 0
    if not tied.any():
        return np.zeros(0, dtype=np.int64)
    cut = float(np.median(participation[tied]))
    idx = np.flatnonzero((tied & (participation > cut)) | (participation == participation.max()))
    idx = idx[participation[idx] > 0]
    return idx[np.lexsort((idx, -participation[idx], -betweenness[idx]))].astype(np.int64)


def _upper(M: sp.csr_array) -> Any:
    """The strict upper triangle in canonical (row, column) order, as COO."""
    U = sp.csr_array(sp.triu(M, k=1))
    U.sort_indices()
    return U.tocoo()


@shared("network.analyse")
def analyse(
    ds: Dataset,
    as_of: _dt.date,
    *,
    include: Collection[str] | None = None,
    weighting: Weighting = "newman",
    states_only: bool = True,
    verified_only: bool = False,
) -> dict[str, Any]:
    """The co-membership network of the dataset on ``as_of``, as plain data.

    ``include`` limits the groupings (ids; all by default); ``states_only`` keeps non-state
    participants out of the projection (they stay in the bipartite counts);
    ``verified_only`` drops unverified memberships.

    Keys: ``as_of``, ``weighting``, ``states_only``, ``bipartite`` (counts), ``projection``
    (nodes, edges, density, components, modularity), ``nodes`` (per participant: groupings,
    degree, strength, eigenvector, betweenness, community, participation and ranks; most
    central first), ``edges`` (``shared`` groupings and ``weight``), ``communities``,
    ``bridges`` (participants whose ties spread across communities more than the median's,
    by betweenness) and ``overlap`` (the groupings with the most similar member sets).

    Computed once per dataset and arguments and shared by every caller
    (:mod:`minilat.memo`): do not change the answer; copy the top level to add to it.

    >>> from minilat.dataset import load
    >>> net = analyse(load(), _dt.date(2023, 1, 1), include={"quad", "aukus"})
    >>> [(e["a"], e["b"], e["shared"]) for e in net["edges"]][:1]
    [('AUS', 'USA', 2)]
    """
    t, r = build(
        ds,
        as_of,
        include=include,
        weighting=weighting,
        states_only=states_only,
        verified_only=verified_only,
    )
    names = [ds.participant(p).name for p in t.participants]
    d = as_dict(r, t.participants, t.groupings, names)
    return {
        "as_of": as_of.isoformat(),
        "weighting": weighting,
        "states_only": states_only,
        "verified_only": verified_only,
        "groupings_filter": sorted(include) if include is not None else None,
        **d,
    }


# ----------------------------------------------------------------------- exports


def bipartite_graph(
    ds: Dataset,
    as_of: _dt.date,
    *,
    include: Collection[str] | None = None,
    verified_only: bool = False,
) -> nx.Graph:
    """The participant x grouping graph on ``as_of`` (static), with names and roles.

    Participant nodes have ``bipartite=0``, grouping nodes ``bipartite=1``; an edge carries
    the participant's ``role`` on the date.
    """
    t = membership_arrays(ds, verified_only=verified_only)
    day = as_of.toordinal()
    keep = (t.start <= day) & (day < t.end)
    mask = _mask(t, include)
    if mask is not None:
        keep &= mask[t.grouping]
    import networkx as nx

    G = nx.Graph(name=f"minilat participant x grouping network, {as_of.isoformat()}")
    for k in np.flatnonzero(keep).tolist():
        p, g = t.participants[t.participant[k]], t.groupings[t.grouping[k]]
        _add_participant(G, ds, p)
        _add_grouping(G, ds, g)
        G.add_edge(p, g, role=t.role[k])
    return G


def _add_participant(G: nx.Graph, ds: Dataset, pid: str) -> None:
    if pid not in G:
        part = ds.participant(pid)
        G.add_node(pid, label=part.name, kind=part.kind.value, bipartite=0)


def _add_grouping(G: nx.Graph, ds: Dataset, gid: str) -> None:
    if gid not in G:
        g = ds.groupings[gid]
        G.add_node(gid, label=g.name, kind="grouping", bipartite=1, founded=g.founded.iso())


def projection_graph(
    ds: Dataset,
    as_of: _dt.date,
    *,
    include: Collection[str] | None = None,
    weighting: Weighting = "newman",
    states_only: bool = True,
    verified_only: bool = False,
) -> nx.Graph:
    """The co-membership projection on ``as_of`` with centralities as node attributes."""
    t, r = build(
        ds,
        as_of,
        include=include,
        weighting=weighting,
        states_only=states_only,
        verified_only=verified_only,
    )
    d = as_dict(r, t.participants, t.groupings)
    import networkx as nx

    G = nx.Graph(name=f"minilat co-membership projection ({weighting}), {as_of.isoformat()}")
    for n in d["nodes"]:
        G.add_node(
            n["id"],
            label=ds.participant(n["id"]).name,
            groupings=n["groupings"],
            degree=n["degree"],
            strength=n["strength"],
            eigenvector=n["eigenvector"],
            betweenness=n["betweenness"],
            community=n["community"],
            participation=n["participation"],
        )
    for e in d["edges"]:
        G.add_edge(e["a"], e["b"], weight=e["weight"], shared=e["shared"])
    return G


def dynamic_graph(
    ds: Dataset,
    *,
    include: Collection[str] | None = None,
    verified_only: bool = False,
) -> nx.Graph:
    """The participant x grouping graph over all time, with spells for Gephi's timeline.

    Each edge carries the ``spells`` (first day, last day; both inclusive, as GEXF reads
    them) during which the participant took part; each grouping node its active periods;
    each participant node the span of its memberships. An open spell has no end.
    """
    t = membership_arrays(ds, verified_only=verified_only)
    mask = _mask(t, include)
    import networkx as nx

    G = nx.Graph(name="minilat participant x grouping network over time")
    for k in range(t.participant.size):
        if mask is not None and not mask[t.grouping[k]]:
            continue
        p, g = t.participants[t.participant[k]], t.groupings[t.grouping[k]]
        _add_participant(G, ds, p)
        if g not in G:
            _add_grouping(G, ds, g)
            G.nodes[g]["spells"] = [
                (p0.start.first_day().isoformat(), _last_day(p0.end))
                for p0 in ds.groupings[g].periods
            ]
        spell = (_dt.date.fromordinal(int(t.start[k])).isoformat(), _last_day_ord(int(t.end[k])))
        if G.has_edge(p, g):
            G.edges[p, g]["spells"].append(spell)
            G.edges[p, g]["role"] = t.role[k]
        else:
            G.add_edge(p, g, role=t.role[k], spells=[spell])
    for p, data in G.nodes(data=True):
        if data["bipartite"] == 0:
            spells = sorted(
                (s for e in G.edges(p, data=True) for s in e[2]["spells"]),
                key=lambda s: (s[0], s[1] or "9999-12-31"),
            )
            data["spells"] = _merge(spells)
    return G


def _last_day(d: Any) -> str | None:
    return None if d is None else (d.first_day() - _dt.timedelta(days=1)).isoformat()


def _last_day_ord(end: int) -> str | None:
    return None if end >= OPEN else _dt.date.fromordinal(end - 1).isoformat()


def _merge(spells: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Union of inclusive ISO-date spells (sorted by start); None is an open end."""
    out: list[tuple[str, str | None]] = []
    for s, e in spells:
        if out:
            ps, pe = out[-1]
            if pe is None:
                continue
            nxt = (_dt.date.fromisoformat(pe) + _dt.timedelta(days=1)).isoformat()
            if s <= nxt:
                out[-1] = (ps, None if e is None else max(pe, e))
                continue
        out.append((s, e))
    return out


def export(
    ds: Dataset,
    as_of: _dt.date,
    fmt: str,
    *,
    graph: str = "bipartite",
    include: Collection[str] | None = None,
    weighting: Weighting = "newman",
    states_only: bool = True,
    verified_only: bool = False,
) -> str:
    """The network as text in ``fmt`` (``graphml``, ``gexf`` or ``csv``).

    GEXF is always the dynamic bipartite graph (membership spells, so Gephi can play it
    over time); GraphML and CSV are static on ``as_of``, of the ``bipartite`` graph or the
    ``projection``. The CSV is an edge list.

    >>> from minilat.dataset import load
    >>> text = export(load(), _dt.date(2023, 1, 1), "csv", include={"aukus"})
    >>> text.splitlines()[:2]
    ['participant,grouping,role', 'AUS,aukus,founding_member']
    """
    import networkx as nx

    if fmt not in ("graphml", "gexf", "csv"):
        raise BadInput(f"unknown export format {fmt!r}", hint="use graphml, gexf or csv")
    if graph not in ("bipartite", "projection"):
        raise BadInput(f"unknown graph {graph!r}", hint="use bipartite or projection")
    if fmt == "gexf":
        if graph != "bipartite":
            raise BadInput(
                "GEXF export is the dynamic bipartite graph",
                hint="use --export graphml or csv for the projection",
            )
        G = dynamic_graph(ds, include=include, verified_only=verified_only)
        return "\n".join(nx.generate_gexf(G, version="1.2draft")) + "\n"
    if graph == "bipartite":
        G = bipartite_graph(ds, as_of, include=include, verified_only=verified_only)
    else:
        G = projection_graph(
            ds,
            as_of,
            include=include,
            weighting=weighting,
            states_only=states_only,
            verified_only=verified_only,
        )
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(G)) + "\n"
    return _edge_csv(G, graph)


def _edge_csv(G: nx.Graph, graph: str) -> str:
    buf = io.StringIO()
    w = csvsafe.writer(buf, lineterminator="\n")
    if graph == "bipartite":
        w.writerow(["participant", "grouping", "role"])
        rows: list[list[str]] = []
        for u, v, data in G.edges(data=True):
            p, g = (u, v) if G.nodes[u]["bipartite"] == 0 else (v, u)
            rows.append([p, g, data["role"]])
        rows.sort(key=lambda r: (r[1], r[0]))
        w.writerows(rows)
    else:
        w.writerow(["source", "target", "shared", "weight"])
        edges: list[list[Any]] = [
            [*sorted((u, v)), d["shared"], d["weight"]] for u, v, d in G.edges(data=True)
        ]
        edges.sort(key=lambda r: (-float(r[3]), r[0], r[1]))
        w.writerows(edges)
    return buf.getvalue()
