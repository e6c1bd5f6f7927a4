"""The network views: the full analysis, the drawing's graph, a country's ego network.

Each builds on :mod:`minilat.analysis.network` (sparse co-membership projection); the
drawing keeps each country's strongest ties so 200 countries stay readable.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from minilat.analysis.network import UNIVERSAL_MIN_STATES, universal_bodies
from minilat.dataset import Dataset
from minilat.errors import BadInput
from minilat.model import GroupingType
from minilat.web import optional
from minilat.web.library import types_on
from minilat.web.site import Site

__all__ = [
    "BACKBONE_TIES",
    "EGO_PARTNERS",
    "UNIVERSAL_MIN_STATES",
    "ego_network",
    "network",
    "network_graph",
    "static_layout",
    "universal_groupings",
]

_TYPES = frozenset(t.value for t in GroupingType)


def universal_groupings(site: Site, as_of: _dt.date) -> frozenset[str]:
    """The ids of the groupings with at least :data:`UNIVERSAL_MIN_STATES` member states
    on ``as_of`` (:func:`minilat.analysis.network.universal_bodies`, remembered per date)."""

    def compute(ds: Dataset) -> frozenset[str]:
        return universal_bodies(ds, as_of)

    return site.cached(("universal", as_of), compute)


def network(
    site: Site, as_of: _dt.date, type_: str | None = None, *, universal: bool = False
) -> dict[str, Any]:
    """The country co-membership graph at a date, optionally of one type of grouping; the
    universal bodies (:func:`universal_groupings`) left out unless ``universal``, as in the
    drawing (:func:`network_graph`) and a country's network place."""
    analyse = optional.require("network", "analyse")
    include: set[str] | frozenset[str] | None = None
    if type_:
        if type_ not in {t.value for t in GroupingType}:
            raise BadInput(
                f"unknown type {type_!r}", hint="one of " + ", ".join(t.value for t in GroupingType)
            )
        types = types_on(site, as_of)
        if types is None:
            raise optional.NotAvailable("filtering by type needs the typology, not available yet")
        include = {gid for gid, t in types.items() if t == type_}
    left_out: list[str] = []
    if not universal:
        excluded = universal_groupings(site, as_of)
        pool = set(site.ds.groupings) if include is None else include
        include, left_out = frozenset(pool - excluded), sorted(pool & excluded)
    # the analysis is shared by every view of the date: add to a copy of its top level
    result: dict[str, Any] = {
        **analyse(site.ds, as_of, include=include),
        "type": type_,
        "universal": universal,
        "universal_left_out": left_out,
    }
    return result


#: Each country's strongest ties drawn on the network page (all ties are in the API).
BACKBONE_TIES = 6


def network_graph(
    site: Site, as_of: _dt.date, type_: str | None = None, *, universal: bool = False
) -> dict[str, Any]:
    """What the network drawing needs: every country, and each one's strongest ties.

    Nodes carry ``groupings`` (how many it belongs to), ``degree`` (how many partners)
    and a ``community`` (Louvain, on the drawn ties) for colour. Edges are the union of
    each country's :data:`BACKBONE_TIES` strongest co-membership ties (Newman weights),
    so 200 countries stay readable; :func:`network` has every tie and the centralities.
    The universal bodies (:func:`universal_groupings`) are left out unless ``universal``;
    ``excluded`` names them, and ``degree`` (partners) follows the same choice.
    """
    net = optional.analysis("network")
    if net is None or not hasattr(net, "incidence"):
        raise optional.NotAvailable("the network analysis is not available yet")
    t = net.membership_arrays(site.ds)  # computed once per version of the dataset
    mask = None
    if type_:
        if type_ not in {x.value for x in GroupingType}:
            raise BadInput(
                f"unknown type {type_!r}", hint="one of " + ", ".join(x.value for x in GroupingType)
            )
        types = types_on(site, as_of) or {}
        mask = np.array([types.get(g) == type_ for g in t.groupings], dtype=bool)
    excluded = sorted(universal_groupings(site, as_of)) if not universal else []
    if excluded:
        keep = np.array([g not in excluded for g in t.groupings], dtype=bool)
        mask = keep if mask is None else mask & keep
    # the same incidence and projection as the network analysis of these groupings
    include = None if mask is None else frozenset(np.asarray(t.groupings)[mask].tolist())
    B, rows, W, shared = net.projected_on(
        site.ds, as_of, include=include, weighting="newman", states_only=True, verified_only=False
    )
    Bs = B[rows]
    pairs: dict[tuple[int, int], float] = {}
    for i in range(W.shape[0]):
        lo, hi = W.indptr[i], W.indptr[i + 1]
        cols, vals = W.indices[lo:hi], W.data[lo:hi]
        for k in np.argsort(-vals, kind="stable")[:BACKBONE_TIES]:
            j = int(cols[k])
            pairs[(min(i, j), max(i, j))] = float(vals[k])
    n = len(rows)
    if pairs:
        a, b = zip(*pairs, strict=True)
        v = list(pairs.values())
        Wb = sp.csr_array((v + v, (list(a) + list(b), list(b) + list(a))), shape=(n, n))
        labels = net.communities(Wb)
    else:
        labels = np.arange(n)
    ids = [t.participants[r] for r in rows]
    per = np.diff(Bs.indptr)
    deg = np.diff(shared.tocsr().indptr)
    nodes = [
        {
            "id": ids[i],
            "name": site.ds.participant(ids[i]).name,
            "groupings": int(per[i]),
            "degree": int(deg[i]),
            "community": int(labels[i]),
        }
        for i in range(n)
    ]
    nodes.sort(key=lambda d: (-d["groupings"], -d["degree"], d["id"]))
    return {
        "as_of": as_of.isoformat(),
        "type": type_,
        "universal": universal,
        "excluded": [{"id": g, "name": site.ds.groupings[g].name} for g in excluded],
        "universal_min_states": UNIVERSAL_MIN_STATES,
        "countries": n,
        "ties": int(shared.nnz // 2),
        "drawn_ties": len(pairs),
        "nodes": nodes,
        "edges": [
            {"a": ids[i], "b": ids[j], "weight": round(w, 4)} for (i, j), w in sorted(pairs.items())
        ],
    }


#: The static drawing's size (the page's SVG viewBox; the script redraws in the same box).
STATIC_SIZE = (1000, 700)


def static_layout(graph: dict[str, Any], iterations: int = 80) -> dict[str, Any]:
    """Positions for a drawing of ``graph`` (from :func:`network_graph`) that needs no
    JavaScript: a force layout (Fruchterman-Reingold, vectorised with numpy) started from
    a circle ordered by community, so the same graph always gets the same picture.

    Returns ``{"width", "height", "nodes": [{id, name, x, y, r, community, label}],
    "edges": [{x1, y1, x2, y2}]}``; labels go to the best-connected states where they
    do not overlap another label.
    """
    w, h = STATIC_SIZE
    nodes = graph["nodes"]
    n = len(nodes)
    if n == 0:
        return {"width": w, "height": h, "nodes": [], "edges": []}
    order = sorted(range(n), key=lambda i: (nodes[i]["community"], -nodes[i]["groupings"]))
    pos = np.zeros((n, 2))
    for k, i in enumerate(order):
        a = 2 * math.pi * k / n
        pos[i] = (w / 2 + 0.4 * w * math.cos(a), h / 2 + 0.4 * h * math.sin(a))
    index = {d["id"]: i for i, d in enumerate(nodes)}
    pairs = np.array([(index[e["a"]], index[e["b"]]) for e in graph["edges"]], dtype=int)
    k_opt = math.sqrt(w * h / n) * 0.8
    temp = w / 10
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 0.01)
        force = (delta / dist[:, :, None] * (k_opt**2 / dist)[:, :, None]).sum(axis=1)
        if len(pairs):
            d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dl = np.maximum(np.linalg.norm(d, axis=1), 0.01)
            pull = d / dl[:, None] * (dl**2 / k_opt)[:, None]
            np.add.at(force, pairs[:, 0], -pull)
            np.add.at(force, pairs[:, 1], pull)
        length = np.maximum(np.linalg.norm(force, axis=1), 0.01)
        pos += force / length[:, None] * np.minimum(length, temp)[:, None]
        pos[:, 0] = np.clip(pos[:, 0], 20, w - 20)
        pos[:, 1] = np.clip(pos[:, 1], 20, h - 20)
        temp *= 0.95
    # labels only where they fit: the best-connected first, none over another
    top: set[str] = set()
    boxes: list[tuple[float, float, float, float]] = []
    for i in sorted(range(n), key=lambda i: -nodes[i]["degree"])[:60]:
        r = 3 + 2.2 * math.sqrt(nodes[i]["groupings"])
        x0, y0 = pos[i, 0] + r + 2, pos[i, 1] - 7
        box = (x0, y0, x0 + 6.2 * len(nodes[i]["name"]), y0 + 11)
        if box[2] > w or any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes
        ):
            continue
        boxes.append(box)
        top.add(nodes[i]["id"])
    out_nodes = [
        {
            "id": d["id"],
            "name": d["name"],
            "x": round(float(pos[i, 0]), 1),
            "y": round(float(pos[i, 1]), 1),
            "r": round(3 + 2.2 * math.sqrt(d["groupings"]), 1),
            "community": d["community"] % 10,
            "label": d["id"] in top,
            "degree": d["degree"],
            "groupings": d["groupings"],
        }
        for i, d in enumerate(nodes)
    ]
    out_edges = [
        {
            "x1": round(float(pos[a, 0]), 1),
            "y1": round(float(pos[a, 1]), 1),
            "x2": round(float(pos[b, 0]), 1),
            "y2": round(float(pos[b, 1]), 1),
        }
        for a, b in pairs
    ]
    return {"width": w, "height": h, "nodes": out_nodes, "edges": out_edges}


#: How many closest partners a country's ego network draws.
EGO_PARTNERS = 12


def ego_network(
    site: Site, code: str, as_of: _dt.date, partners: Sequence[str]
) -> dict[str, Any] | None:
    """A country and ``partners`` (its closest partners, in their order: the caller passes
    the first :data:`EGO_PARTNERS` of :func:`minilat.analysis.countries.closest_partners`,
    so the drawing names the table's partners) laid out on a circle for an SVG drawing,
    with the ties among them; a line's width shows the tie's strength (Newman-weighted),
    its tooltip the shared groupings. None if the network analysis is missing."""
    net = optional.analysis("network")
    if net is None or not hasattr(net, "incidence"):
        return None
    t = net.membership_arrays(site.ds)  # computed once per version of the dataset
    if code not in t.participants:
        return None
    universal = universal_groupings(site, as_of)
    # the states' projection of the date without the universal bodies: computed once per
    # date and shared by every country page (and the network page) of that date
    projected, W, shared = net.projection_on(
        site.ds, as_of, include=frozenset(g for g in t.groupings if g not in universal)
    )
    ids = list(projected)
    if code not in ids:
        return None
    me = ids.index(code)
    index = {p: i for i, p in enumerate(ids)}
    top = [index[p] for p in partners if p in index and p != code]
    if not top:
        return None
    vals = W[me].toarray().ravel()[top]
    size, cx, cy, radius = 520, 260, 260, 190
    pos: dict[int, tuple[float, float]] = {me: (float(cx), float(cy))}
    for n, j in enumerate(top):
        angle = 2 * math.pi * n / len(top) - math.pi / 2
        pos[j] = (round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1))
    sub = [me, *top]
    wmax = float(vals.max()) or 1.0
    edges = []
    for a_i, a in enumerate(sub):
        for b in sub[a_i + 1 :]:
            w = float(W[a, b])
            if w > 0:
                edges.append(
                    {
                        "a": ids[a],
                        "b": ids[b],
                        "weight": round(w, 4),
                        "shared": int(shared[a, b]),
                        "x1": pos[a][0],
                        "y1": pos[a][1],
                        "x2": pos[b][0],
                        "y2": pos[b][1],
                        "width": round(0.5 + 4 * w / wmax, 2),
                        "ego": a == me,
                    }
                )
    nodes = [
        {
            "id": ids[j],
            "name": site.ds.participant(ids[j]).name,
            "x": pos[j][0],
            "y": pos[j][1],
            "center": j == me,
            "shared": 0 if j == me else int(shared[me, j]),
            "anchor": "middle" if j == me else ("start" if pos[j][0] >= cx else "end"),
            "lx": pos[j][0] if j == me else round(pos[j][0] + (12 if pos[j][0] >= cx else -12), 1),
        }
        for j in sub
    ]
    return {"size": size, "nodes": nodes, "edges": edges}
