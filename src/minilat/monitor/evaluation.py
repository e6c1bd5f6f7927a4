"""Measure the matching rule: precision and recall on labelled articles.

Two labelled samples:

- **generated**: articles written by :mod:`~minilat.monitor.generator` from scenarios
  whose true subject is known (a grouping's full name; a short name with member states;
  a short name alone; a name used as a common word, "quad bike", "Chip 4 of the
  processor line"; unrelated news). Each match is labelled by rule from that truth.
- **hand**: realistic cases written by hand (``tests/fixtures/monitor/hand_labelled.tsv``),
  including traps a generator does not think of ("Brics and mortar", "a group of seven
  hikers", a football squad).

Precision = right matches / all matches; recall = right matches / all true
(article, grouping) pairs. docs/monitor.md records the figures.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from minilat.monitor.matching import Matcher, Target

__all__ = ["Case", "generated_cases", "hand_cases", "score"]


@dataclass(frozen=True)
class Case:
    """One labelled article: the groupings it is truly about, and what the matcher sees."""

    truth: frozenset[str]
    title: str
    orgs: tuple[str, ...]
    places: frozenset[str]
    origin: str
    scenario: str = ""


def generated_cases(targets: Sequence[Target], n: int, *, seed: int = 0) -> list[Case]:
    """``n`` generated articles, labelled by the scenario that wrote them."""
    from minilat.monitor.generator import _Writer

    w = _Writer(random.Random(seed), [t for t in targets if t.members], mess=False)
    out = []
    for i in range(n):
        art = w._article(f"g-{i}")
        out.append(
            Case(art.truth, art.title, tuple(w._orgs(art)), art.places, "generated",
                 art.scenario)
        )  # fmt: skip
    return out


def hand_cases(text: str) -> list[Case]:
    """Cases from the hand-labelled TSV (label, title, orgs ``;``, places ``,``)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("label\t"):
            continue
        label, title, orgs, places = line.split("\t")
        out.append(
            Case(
                frozenset() if label == "-" else frozenset({label}),
                title,
                tuple(o for o in orgs.split(";") if o),
                frozenset(p for p in places.split(",") if p),
                "hand",
            )
        )
    return out


def score(matcher: Matcher, cases: Iterable[Case]) -> dict[str, Any]:
    """Precision and recall of ``matcher`` on ``cases``, with the wrong matches listed."""
    tp = fp = fn = 0
    wrong: list[str] = []
    missed: list[str] = []
    for c in cases:
        got = {m.grouping for m in matcher.match(orgs=c.orgs, title=c.title, places=set(c.places))}
        tp += len(got & c.truth)
        fp += len(got - c.truth)
        fn += len(c.truth - got)
        wrong += [f"{g}: {c.title}" for g in sorted(got - c.truth)]
        missed += [f"{g}: {c.title}" for g in sorted(c.truth - got)]
    matches = tp + fp
    return {
        "matches": matches,
        "right": tp,
        "wrong": fp,
        "missed": fn,
        "precision": round(tp / matches, 3) if matches else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "wrong_matches": wrong,
        "missed_matches": missed,
    }
