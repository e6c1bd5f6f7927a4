"""Which groupings a news article is about: names matched in GDELT's GKG, with a guard
against names that are also common words.

**The rule.** An article (one GKG 2.1 record) is matched to a grouping when one of the
grouping's names occurs, as whole words and ignoring case, in the article's organisations
(``V2Organizations``) or its page title (``<PAGE_TITLE>`` in ``Extras``), and:

1. the name is *distinctive*: at least three words ("Quadrilateral Security Dialogue",
   "Three Seas Initiative"); or
2. for any other name (acronyms and short names: "Quad", "Chip 4", "G7", "AUKUS",
   "Clean Network"), the article's locations (``V2Locations``, FIPS 10-4 country codes
   mapped to ISO) name **at least two states that have been members** of the grouping
   (in any period: news of a past member is still news of the grouping).

Names written in capitals in the record ("BRICS", "AUKUS", "DIANA", "G7") must also be
in capitals in a title ("Brics and mortar" is not BRICS); GKG organisation names are
lower case, so there case is ignored.

So "quad" in an article about quad bikes in Queensland (one member state) is not a Quad
mention, and "Quad" in a report placing Japan and India is. The guard trades recall for
precision: an article that names "the Quad" but is placed in one country only is missed.
The measured precision and recall are in docs/monitor.md.

>>> m = Matcher([Target("quad", ("Quadrilateral Security Dialogue", "Quad"),
...                      frozenset({"AUS", "IND", "JPN", "USA"}))])
>>> [x.grouping for x in m.match(orgs=["quad"], title="", places={"AUS"})]
[]
>>> [x.evidence for x in m.match(orgs=["quad"], title="", places={"JPN", "IND"})]
['name "Quad" + members IND, JPN']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from minilat import countries
from minilat.model import Grouping

__all__ = ["Match", "Matcher", "Target", "is_distinctive", "targets_from_dataset"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _norm(text: str) -> str:
    """Lower case, words separated by single spaces, padded for whole-word search."""
    return _words(text.lower())


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text)) + " "


def _capitals(name: str) -> bool:
    """A name written in capitals (an acronym): BRICS, G7, AUKUS, I2U2."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_distinctive(name: str) -> bool:
    """True when a name is safe to match alone: at least three words.

    >>> is_distinctive("Quadrilateral Security Dialogue"), is_distinctive("Chip 4")
    (True, False)
    """
    return len(_WORD.findall(name)) >= 3


@dataclass(frozen=True)
class Target:
    """A grouping as the matcher sees it: its id, its names and its member states (ISO3)."""

    grouping: str
    names: tuple[str, ...]
    members: frozenset[str]


@dataclass(frozen=True)
class Match:
    """One article-to-grouping match, with the evidence that decided it."""

    grouping: str
    evidence: str


class Matcher:
    """Match articles to groupings by the rule in this module's docstring."""

    def __init__(self, targets: Iterable[Target]) -> None:
        self._targets: list[tuple[Target, list[tuple[str, str, str | None, bool]]]] = []
        for t in targets:
            names = []
            for n in dict.fromkeys(t.names):
                key = _norm(n)
                if key.strip():
                    exact = _words(n) if _capitals(n) else None
                    names.append((n, key, exact, is_distinctive(n)))
            if names:
                self._targets.append((t, names))
        # A quick pre-filter: the first word of every name; most articles name none.
        self._first_words = {key.split()[0] for _, ns in self._targets for _, key, _, _ in ns}

    def match(self, *, orgs: Sequence[str], title: str, places: set[str]) -> list[Match]:
        """The groupings an article is about.

        ``orgs`` are its organisation names, ``title`` its page title, ``places`` the
        ISO3 codes of the countries it is placed in.
        """
        low_title = _norm(title)
        low_orgs = " ".join(_norm(o) for o in orgs)
        if not set((low_title + low_orgs).split()) & self._first_words:
            return []
        title_words = _words(title)
        out: list[Match] = []
        for t, names in self._targets:
            found = [
                (n, distinct)
                for n, key, exact, distinct in names
                if key in low_orgs or (exact in title_words if exact else key in low_title)
            ]
            if not found:
                continue
            strong = [n for n, d in found if d]
            if strong:
                out.append(Match(t.grouping, f'name "{strong[0]}"'))
                continue
            present = sorted(places & t.members)
            if len(present) >= 2:
                why = f'name "{found[0][0]}" + members {", ".join(present)}'
                out.append(Match(t.grouping, why))
        return out


def targets_from_dataset(groupings: Iterable[Grouping]) -> list[Target]:
    """Matcher targets for the groupings of a dataset: every name and every state that has
    held an active role in the grouping.

    >>> from minilat.dataset import load
    >>> t = {x.grouping: x for x in targets_from_dataset(load().groupings.values())}
    >>> sorted(t["quad"].members)
    ['AUS', 'IND', 'JPN', 'USA']
    """
    out = []
    for g in groupings:
        states = frozenset(
            m.participant
            for m in g.memberships
            if m.active_role and countries.is_state_code(m.participant)
        )
        out.append(Target(g.id, tuple(g.all_names()), states))
    return out
