"""The co-membership network: hand-built networks with known answers, and exports re-read."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite

from minilat.analysis import network as net
from minilat.dataset import Dataset
from minilat.errors import BadInput
from minilat.model import Grouping, Participant, ParticipantKind, Source

# ------------------------------------------------------------------ test datasets


def grouping(
    gid: str,
    members: list[tuple[str, str, str, str | None]],
    *,
    start: str = "2000",
    end: str | None = None,
    themes: tuple[str, ...] = ("ai",),
    verified: bool = True,
) -> Grouping:
    """A grouping from (participant, role, start, end) rows, every fact sourced."""
    ev: dict[str, Any] = {"sources": ["s"]} if verified else {"unverified": True, "note": "x"}
    return Grouping.model_validate(
        {
            "id": gid,
            "name": gid.upper(),
            "periods": [{"start": start, "end": end, "sources": ["s"]}],
            "themes": {"value": list(themes), "sources": ["s"]},
            "memberships": [
                {"participant": p, "role": r, "start": s, "end": e, **ev} for p, r, s, e in members
            ],
        }
    )


def dataset(*gs: Grouping) -> Dataset:
    eu = Participant(id="eu", name="European Union", kind=ParticipantKind.SUPRANATIONAL)
    src = Source(id="s", title="t", publisher="p", url="https://example.org", accessed="2024-01-01")
    return Dataset(groupings={g.id: g for g in gs}, participants={"eu": eu}, sources={"s": src})


def members(*codes: str, start: str = "2000") -> list[tuple[str, str, str, str | None]]:
    return [(c, "member", start, None) for c in codes]


def small() -> Dataset:
    """g1 = {AUS, BRA, CAN}, g2 = {AUS, BRA}, g3 = {CAN, DNK} (+ the EU), all from 2000."""
    return dataset(
        grouping("g1", members("AUS", "BRA", "CAN")),
        grouping("g2", members("AUS", "BRA")),
        grouping("g3", [*members("CAN", "DNK"), ("eu", "member", "2000", None)]),
    )


DAY = dt.date(2020, 1, 1)


def matrix(rows: list[list[float]]) -> sp.csr_array:
    return sp.csr_array(np.array(rows, dtype=float))


# --------------------------------------------------------------------- projection


def test_projection_count_and_newman_on_a_hand_built_network() -> None:
    # participants A, B, C, D; groupings g1 = {A, B, C}, g2 = {A, B}, g3 = {C, D}
    B = sp.csr_array(np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]]))
    W, shared = net.project(B, weighting="count")
    assert shared.toarray().tolist() == [[0, 2, 1, 0], [2, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]]
    assert np.array_equal(W.toarray(), shared.toarray())
    W, shared = net.project(B, weighting="newman")
    expected = [[0, 1.5, 0.5, 0], [1.5, 0, 0.5, 0], [0.5, 0.5, 0, 1], [0, 0, 1, 0]]
    assert np.allclose(W.toarray(), expected)
    # with Newman's weights each grouping gives each of its members a strength of 1
    assert np.allclose(W.sum(axis=1), [2, 2, 2, 1])


def test_projection_rejects_an_unknown_weighting() -> None:
    with pytest.raises(BadInput):
        net.project(sp.csr_array(np.eye(2)), weighting="jaccard")  # type: ignore[arg-type]


def test_incidence_respects_the_date_and_open_ends() -> None:
    p = np.array([0, 1, 2])
    g = np.array([0, 0, 0])
    start = np.array([10, 20, 10])
    end = np.array([net.OPEN, net.OPEN, 20])
    at = {}
    for d in (9, 10, 19, 20):
        at[d] = net.incidence(p, g, start, end, day=d, shape=(3, 1)).toarray().ravel().tolist()
    assert at[9] == [0, 0, 0]
    assert at[10] == [1, 0, 1]
    assert at[19] == [1, 0, 1]
    assert at[20] == [1, 1, 0]  # the end day is excluded, the start day included


def test_incidence_counts_repeated_spells_once_and_filters_groupings() -> None:
    p, g = np.array([0, 0, 1]), np.array([0, 0, 1])
    s, e = np.array([0, 0, 0]), np.array([9, 9, 9])
    B = net.incidence(p, g, s, e, day=1, shape=(2, 2))
    assert B.toarray().tolist() == [[1, 0], [0, 1]]
    B = net.incidence(p, g, s, e, day=1, shape=(2, 2), groupings_mask=np.array([False, True]))
    assert B.toarray().tolist() == [[0, 0], [0, 1]]


def _table(seed: int, n_p: int = 30, n_g: int = 60) -> tuple[Any, ...]:
    rng = np.random.default_rng(seed)
    rows = [
        (int(q), gi)
        for gi in range(n_g)
        for q in rng.choice(n_p, size=int(rng.integers(1, 8)), replace=False)
    ]
    p = np.array([r[0] for r in rows], dtype=np.int64)
    g = np.array([r[1] for r in rows], dtype=np.int64)
    s = rng.integers(0, 10, p.size).astype(np.int64)
    e = s + rng.integers(1, 10, p.size)
    return p, g, s, e, n_p, n_g


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_projection_matches_networkx_weighted_projected_graph(seed: int) -> None:
    p, g, s, e, n_p, n_g = _table(seed)
    B = net.incidence(p, g, s, e, day=5, shape=(n_p, n_g))
    _, shared = net.project(B, weighting="count")
    G = nx.Graph()
    G.add_nodes_from(range(n_p), bipartite=0)
    G.add_nodes_from((f"g{j}" for j in range(n_g)), bipartite=1)
    coo = B.tocoo()
    G.add_edges_from(zip(coo.row.tolist(), (f"g{j}" for j in coo.col.tolist()), strict=True))
    P = bipartite.weighted_projected_graph(G, range(n_p))
    ref = nx.to_scipy_sparse_array(P, nodelist=range(n_p), weight="weight")
    assert np.array_equal(shared.toarray(), ref.toarray())


# -------------------------------------------------------------------- centralities


def test_centralities_of_a_hand_built_network() -> None:
    # count projection of the network above: A-B 2, A-C 1, B-C 1, C-D 1
    W = matrix([[0, 2, 1, 0], [2, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]])
    c = net.centralities(W)
    assert c.degree.tolist() == [2, 2, 3, 1]
    assert c.strength.tolist() == [3, 3, 3, 1]
    # C lies on the only shortest paths A-D and B-D: 2 of the 3 pairs not touching it
    assert np.allclose(c.betweenness, [0, 0, 2 / 3, 0])
    assert np.isclose(np.linalg.norm(c.eigenvector), 1.0)
    assert c.eigenvector.argmax() in (0, 1) and c.eigenvector.argmin() == 3


def test_star_and_path_betweenness() -> None:
    star = matrix([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]])
    assert np.allclose(net.betweenness(star), [1, 0, 0, 0])
    path = matrix([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    assert np.allclose(net.betweenness(path), [0, 2 / 3, 2 / 3, 0])
    assert np.allclose(net.betweenness(path, normalized=False), [0, 2, 2, 0])


def test_betweenness_splits_ties_like_networkx() -> None:
    cycle = matrix([[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0]])
    assert np.allclose(net.betweenness(cycle), [1 / 6] * 4)


def test_betweenness_on_disconnected_and_tiny_graphs() -> None:
    two = matrix(
        [[0, 1, 0, 0, 0], [1, 0, 1, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 1, 0]]
    )
    G = nx.from_numpy_array(two.toarray())
    ref = nx.betweenness_centrality(G)
    assert np.allclose(net.betweenness(two), [ref[i] for i in range(5)])
    assert net.betweenness(matrix([[0, 1], [1, 0]])).tolist() == [0, 0]
    assert net.eigenvector(matrix([[0, 0], [0, 0]])).tolist() == [0, 0]


@st.composite
def weighted_graphs(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(3, 9))
    w = draw(st.lists(st.sampled_from([0, 0, 1, 2, 3, 0.5]), min_size=n * n, max_size=n * n))
    A = np.array(w, dtype=float).reshape(n, n)
    A = np.triu(A, 1)
    return A + A.T


@settings(max_examples=60, deadline=None)
@given(weighted_graphs())
def test_betweenness_and_eigenvector_match_networkx(A: np.ndarray) -> None:
    W = sp.csr_array(A)
    G = nx.from_numpy_array(A)
    for *_, d in G.edges(data=True):  # exact lengths, so networkx sees every true tie
        d["distance"] = 1 / Fraction(d["weight"])
    ref = nx.betweenness_centrality(G, weight="distance", normalized=True)
    assert np.allclose(net.betweenness(W), [ref[i] for i in range(len(A))], atol=1e-9)
    if G.number_of_edges() and nx.is_connected(G):
        ev = nx.eigenvector_centrality_numpy(G, weight="weight")
        assert np.allclose(net.eigenvector(W), [ev[i] for i in range(len(A))], atol=1e-6)


def test_communities_find_two_cliques_joined_by_a_bridge() -> None:
    A = np.zeros((8, 8))
    for block in (range(4), range(4, 8)):
        for i in block:
            for j in block:
                if i != j:
                    A[i, j] = 1
    A[3, 4] = A[4, 3] = 1
    W = sp.csr_array(A)
    labels = net.communities(W)
    assert len(set(labels[:4].tolist())) == 1 and len(set(labels[4:].tolist())) == 1
    assert labels[0] != labels[7]
    assert np.array_equal(labels, net.communities(W))  # seeded: the same every time
    pc, out = net.participation(W, labels)
    assert pc.argmax() in (3, 4) and out[0] == 0
    assert np.isclose(pc[3], 1 - (3 / 4) ** 2 - (1 / 4) ** 2)
    assert net._bridges(pc, net.betweenness(W)).tolist() == [3, 4]
    ref = nx.community.modularity(
        nx.from_numpy_array(A), [set(np.flatnonzero(labels == k)) for k in (0, 1)]
    )
    assert np.isclose(net._modularity(W, labels), ref)


def test_grouping_overlap_by_jaccard() -> None:
    # columns: g0 = {0, 1}, g1 = {0, 1, 2}, g2 = {3}, g3 = {}
    B = sp.csr_array(np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]))
    a, b, shared, jac, considered = net.grouping_overlap(B)
    assert considered == 3
    assert list(zip(a.tolist(), b.tolist(), shared.tolist(), strict=True)) == [(0, 1, 2)]
    assert np.allclose(jac, [2 / 3])
    a, *_, considered = net.grouping_overlap(B, max_groupings=1)
    assert considered == 1 and a.size == 0


def test_grouping_overlap_blocks_give_the_same_answer() -> None:
    p, g, s, e, n_p, n_g = _table(5)
    B = net.incidence(p, g, s, e, day=5, shape=(n_p, n_g))
    one = net.grouping_overlap(B, top=30)
    blocked = net.grouping_overlap(B, top=30, block=7)
    for x, y in zip(one, blocked, strict=True):
        assert np.array_equal(np.asarray(x), np.asarray(y))


# ------------------------------------------------------------------ from a dataset


def test_analyse_a_dataset_states_only_by_default() -> None:
    d = net.analyse(small(), DAY, weighting="count")
    assert d["bipartite"] == {"participants": 5, "groupings": 3, "memberships": 8}
    assert {n["id"] for n in d["nodes"]} == {"AUS", "BRA", "CAN", "DNK"}
    edges = {(e["a"], e["b"]): e["shared"] for e in d["edges"]}
    assert edges == {("AUS", "BRA"): 2, ("AUS", "CAN"): 1, ("BRA", "CAN"): 1, ("CAN", "DNK"): 1}
    can = next(n for n in d["nodes"] if n["id"] == "CAN")
    assert can["rank"]["betweenness"] == 1 and np.isclose(can["betweenness"], 2 / 3)
    assert can["degree"] == 3 and can["groupings"] == 2
    with_eu = net.analyse(small(), DAY, states_only=False)
    assert "eu" in {n["id"] for n in with_eu["nodes"]}


def test_analyse_newman_default_and_grouping_filter() -> None:
    d = net.analyse(small(), DAY)
    assert d["weighting"] == "newman"
    w = {(e["a"], e["b"]): e["weight"] for e in d["edges"]}
    assert w[("AUS", "BRA")] == 1.5 and w[("CAN", "DNK")] == 1.0
    only = net.analyse(small(), DAY, include={"g3"})
    assert [(e["a"], e["b"]) for e in only["edges"]] == [("CAN", "DNK")]
    assert only["groupings_filter"] == ["g3"]


def test_analyse_as_of_dates_and_membership_changes() -> None:
    ds = dataset(
        grouping(
            "g",
            [
                ("AUS", "founding_member", "2000", None),
                ("BRA", "member", "2005", "2010"),
                ("CAN", "observer", "2008", None),
                ("DNK", "suspended", "2000", None),
            ],
        ),
        grouping("late", members("AUS", "DNK", start="2015"), start="2015"),
        grouping("gone", members("BRA", "CAN"), end="2003"),
    )

    def ids(day: dt.date) -> list[str]:
        return sorted(n["id"] for n in net.analyse(ds, day)["nodes"])

    assert ids(dt.date(2001, 1, 1)) == ["AUS", "BRA", "CAN"]  # "gone" still active
    assert ids(dt.date(2004, 1, 1)) == ["AUS"]
    assert ids(dt.date(2009, 1, 1)) == ["AUS", "BRA", "CAN"]  # observers count
    assert ids(dt.date(2010, 1, 1)) == ["AUS", "CAN"]  # end day excluded
    assert ids(dt.date(2016, 1, 1)) == ["AUS", "CAN", "DNK"]  # suspended does not count


def test_verified_only_drops_unverified_memberships() -> None:
    ds = dataset(
        grouping("a", members("AUS", "BRA")),
        grouping("b", members("AUS", "CAN"), verified=False),
    )
    assert len(net.analyse(ds, DAY)["edges"]) == 2
    assert len(net.analyse(ds, DAY, verified_only=True)["edges"]) == 1


def test_analysis_is_deterministic_and_json_ready() -> None:
    a = net.analyse(small(), DAY)
    assert json.dumps(a) == json.dumps(net.analyse(small(), DAY))
    assert a["projection"]["components"] == 1
    assert a["overlap"]["pairs"][0] == {"a": "g1", "b": "g2", "shared": 2, "jaccard": 0.666667}


def test_projection_and_build_make_the_incidence_once_with_unchanged_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page drawing the ties (projection_on) and analysing the network (build) of one
    date shares one incidence matrix and projection; the answers equal the unshared path."""
    calls: list[int] = []
    real = net.incidence

    def counting(*args: Any, **kwargs: Any) -> sp.csr_array:
        calls.append(1)
        return real(*args, **kwargs)

    ds = small()
    t = net.membership_arrays(ds)
    include = frozenset({"g1", "g3"})
    monkeypatch.setattr(net, "incidence", counting)
    ids, W, shared = net.projection_on(ds, DAY, include=include)
    _, r = net.build(ds, DAY, include=include)
    assert len(calls) == 1
    monkeypatch.setattr(net, "incidence", real)
    alone = net.analyse_arrays(
        t.participant,
        t.grouping,
        t.start,
        t.end,
        day=DAY.toordinal(),
        shape=t.shape,
        projected=t.is_state,
        groupings_mask=np.array([g in include for g in t.groupings]),
    )
    assert ids == tuple(t.participants[i] for i in alone.nodes) == ("AUS", "BRA", "CAN", "DNK")
    assert (W != alone.W).nnz == 0 and (shared != alone.shared).nnz == 0
    assert (r.B != alone.B).nnz == 0 and np.array_equal(r.nodes, alone.nodes)
    assert np.array_equal(r.community, alone.community) and r.modularity == alone.modularity
    for field in ("degree", "strength", "eigenvector", "betweenness"):
        assert np.allclose(getattr(r.centralities, field), getattr(alone.centralities, field))
    assert all(np.array_equal(x, y) for x, y in zip(r.overlap, alone.overlap, strict=True))


def test_empty_network() -> None:
    d = net.analyse(small(), dt.date(1990, 1, 1))
    assert d["nodes"] == [] and d["edges"] == [] and d["communities"] == []
    assert d["projection"]["nodes"] == 0


# ------------------------------------------------------------------------ exports


def test_graphml_export_of_the_bipartite_graph_reads_back() -> None:
    text = net.export(small(), DAY, "graphml")
    G = nx.parse_graphml(text)
    assert G.number_of_nodes() == 8 and G.number_of_edges() == 8
    assert G.nodes["eu"]["kind"] == "supranational" and G.nodes["g1"]["bipartite"] == 1
    assert G.edges["AUS", "g1"]["role"] == "member"
    assert bipartite.is_bipartite(G)


def test_graphml_export_of_the_projection_reads_back() -> None:
    text = net.export(small(), DAY, "graphml", graph="projection", weighting="count")
    G = nx.parse_graphml(text)
    assert sorted(G.nodes) == ["AUS", "BRA", "CAN", "DNK"]
    assert G.edges["AUS", "BRA"]["shared"] == 2 and G.edges["AUS", "BRA"]["weight"] == 2.0
    assert np.isclose(G.nodes["CAN"]["betweenness"], 2 / 3, atol=1e-6)
    assert G.nodes["AUS"]["label"] == "Australia"


def test_gexf_export_is_dynamic_with_spells() -> None:
    ds = dataset(
        grouping(
            "q",
            [
                ("AUS", "member", "2007-05", "2008-02-05"),
                ("AUS", "member", "2017-11-12", None),
                ("IND", "member", "2017-11-12", None),
            ],
            start="2007-05",
        )
    )
    text = net.export(ds, DAY, "gexf")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    G = nx.read_gexf(io.BytesIO(text.encode()))
    # networkx's reader turns a missing end (an open spell) into the text "None"
    spells = G.edges["AUS", "q"]["spells"]
    assert spells == [("2007-05-01", "2008-02-04"), ("2017-11-12", "None")]
    assert G.nodes["IND"]["spells"] == [("2017-11-12", "None")]
    assert G.nodes["q"]["spells"] == [("2007-05-01", "None")]
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(text)
    open_spells = [s for s in root.iterfind(".//g:spell", ns) if "end" not in s.attrib]
    # open: the node q, the nodes AUS (second spell) and IND, the edges AUS-q and IND-q
    assert len(open_spells) == 5
    with pytest.raises(BadInput):
        net.export(ds, DAY, "gexf", graph="projection")


def test_csv_exports_are_edge_lists() -> None:
    rows = list(csv.reader(io.StringIO(net.export(small(), DAY, "csv"))))
    assert rows[0] == ["participant", "grouping", "role"] and len(rows) == 9
    assert ["eu", "g3", "member"] in rows
    rows = list(csv.reader(io.StringIO(net.export(small(), DAY, "csv", graph="projection"))))
    assert rows[0] == ["source", "target", "shared", "weight"]
    assert rows[1] == ["AUS", "BRA", "2", "1.5"]
    with pytest.raises(BadInput):
        net.export(small(), DAY, "dot")
    with pytest.raises(BadInput):
        net.export(small(), DAY, "csv", graph="tripartite")


def test_merge_spells() -> None:
    m = net._merge
    assert m([("2000-01-01", "2000-12-31"), ("2001-01-01", None)]) == [("2000-01-01", None)]
    assert m([("2000-01-01", "2000-06-30"), ("2001-01-01", "2001-02-01")]) == [
        ("2000-01-01", "2000-06-30"),
        ("2001-01-01", "2001-02-01"),
    ]
    assert m([("2000-01-01", None), ("2005-01-01", "2006-01-01")]) == [("2000-01-01", None)]


# ---------------------------------------------------------------------------- CLI


def test_cli_network_json(run: Callable[..., Result], mini_dir: Path) -> None:
    r = run("network", "--as-of", "2018-01-01", "--json", data=mini_dir)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["as_of"] == "2018-01-01" and d["states_only"] is True
    assert {n["id"] for n in d["nodes"]} >= {"USA", "JPN", "KOR", "CHN"}
    r = run("network", "--as-of", "2018-01-01", data=mini_dir)
    assert r.exit_code == 0 and "Co-membership network" in r.output


def test_cli_network_export(run: Callable[..., Result], mini_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "n.graphml"
    r = run("network", "--export", "graphml", "--out", str(out), data=mini_dir)
    assert r.exit_code == 0, r.output
    assert nx.read_graphml(out).number_of_nodes() > 0
    r = run("network", "--export", "gexf", "--out", "-", data=mini_dir)
    assert r.exit_code == 0 and "<spells>" in r.output
    r = run("network", "--export", "csv", data=mini_dir)
    assert r.exit_code == 2 and "--out" in r.output


def test_cli_network_type_filter(
    run: Callable[..., Result], mini_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minilat.cli import network as cli_network

    r = run("network", "--type", "nonsense", data=mini_dir)
    assert r.exit_code == 2 and "unknown type" in r.output
    monkeypatch.setattr(cli_network, "_types", lambda ds, day: {"alpha": "security_defence"})
    r = run("network", "--type", "security_defence", "--json", data=mini_dir)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["groupings_filter"] == ["alpha"]
    monkeypatch.setattr(cli_network, "_types", lambda ds, day: None)
    r = run("network", "--type", "security_defence", data=mini_dir)
    assert r.exit_code == 2 and "not available yet" in r.output


def test_graph_without_export_is_refused(run: Any) -> None:
    r = run("network", "--graph", "projection")
    assert r.exit_code == 2 and "--graph goes with --export" in r.output


@pytest.mark.parametrize("year", [1980, 1990, 2000, 2010, 2015, 2020, 2024, 2026])
def test_communities_agree_with_networkx_louvain_within_tolerance(year: int) -> None:
    """igraph's Louvain finds partitions as good as networkx's on the shipped data: the
    modularity within COMMUNITY_TOLERANCE (docs/network.md), most nodes placed alike."""
    import datetime as dt

    import networkx as nx

    from minilat.dataset import load

    _, r = net.build(load(), dt.date(year, 7, 1))
    coo = sp.triu(r.W, k=1).tocoo()
    G = nx.Graph()
    G.add_nodes_from(range(r.W.shape[0]))
    G.add_weighted_edges_from(
        zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
    )
    ref = nx.community.louvain_communities(G, weight="weight", seed=42)
    ref_labels = np.empty(r.W.shape[0], dtype=np.int64)
    for i, c in enumerate(ref):
        ref_labels[list(c)] = i
    ours = net._modularity(r.W, r.community)
    theirs = net._modularity(r.W, ref_labels)
    assert ours >= theirs - net.COMMUNITY_TOLERANCE
    assert np.isclose(ours, r.modularity)


@pytest.mark.parametrize("code", ["IND", "USA", "EST", "BRA"])
def test_every_face_counts_the_network_without_the_universal_bodies(
    run80: Callable[..., Result], bundled_client: Any, code: str
) -> None:
    """`minilat network` and /api/v1/network counted the UN (196 states, every leading
    state everyone's partner, India's strength 34.0) while `minilat country`, the web
    drawing and the country pages left it out (173 states, 33.0): one country, two
    strengths, no warning. Now every face leaves the universal bodies out unless asked,
    and a country's figures are the same wherever they are read."""
    day = "2026-11-28"
    cli = json.loads(run80("network", "--as-of", day, "--json").output)
    api = bundled_client.get("/api/v1/network", params={"as_of": day}).json()
    country = json.loads(run80("country", code, "--as-of", day, "--json").output)
    assert cli["universal_left_out"] == api["universal_left_out"] == ["un"]
    node = next(n for n in cli["nodes"] if n["id"] == code)
    assert node == next(n for n in api["nodes"] if n["id"] == code)
    assert node["strength"] == country["network"]["strength"]
    assert node["degree"] == country["network"]["degree"]
    assert cli["projection"]["nodes"] == country["network"]["of"]
    text = run80("network", "--as-of", day, "--top", "1").output
    assert "Left out: United Nations" in text and "--universal counts it" in text
    everything = json.loads(run80("network", "--as-of", day, "--universal", "--json").output)
    assert everything["universal_left_out"] == [] and everything["universal"] is True
    assert everything["projection"]["nodes"] > cli["projection"]["nodes"]
