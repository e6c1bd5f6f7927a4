"""Where a source comes from: the original publisher, a copy of it, or a wiki.

The sourcing rule asks for the ORIGINAL publisher's page. Some pages are cited anyway
because the original is gone or unreachable: such a source is a **copy** and must name
its original in ``copy_of`` (the original's address and why the copy is cited). A
**wiki** (Wikipedia and its mirrors) may support a fact but must never be its only
source.

This module classifies a source's address and reports, over a whole dataset:

* every copy (a source with ``copy_of``, or whose address is a known mirror, aggregator,
  archive copy or bare IP address), and the copies that do not name their original;
* every fact whose only sources are wikis (or copies of wikis).

:func:`source_problems` turns these into :class:`~minilat.errors.Problem` lines that
``minilat validate`` prints as warnings (``--strict`` makes them errors).

>>> kind_of_url("https://en.wikipedia.org/wiki/Quad")
'wiki'
>>> kind_of_url("https://menafn.com/1234/quad-summit")
'copy'
>>> kind_of_url("http://3.127.128.221/news/1")
'copy'
>>> kind_of_url("https://www.mea.gov.in/bilateral-documents.htm")
'original'
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

__all__ = [
    "COPY_HOSTS",
    "COPY_SHARE_LIMIT",
    "WIKI_HOSTS",
    "SourceReport",
    "kind_of_source",
    "kind_of_url",
    "report",
]

SourceKind = Literal["original", "copy", "wiki"]

#: The largest share of a dataset's sources that may be copies (issue 14: "copies are at most
#: 5% of sources"). Above it, ``minilat validate --strict`` fails even if every copy names its
#: original.
COPY_SHARE_LIMIT = 0.05

#: Wikis, encyclopaedias built from them and their mirrors (a host or any subdomain).
WIKI_HOSTS = frozenset(
    {
        "wikipedia.org",
        "wikimili.com",
        "wikisum.wiki",
        "wikiwand.com",
        "infogalactic.com",
        "liquisearch.com",
        "fandom.com",
        "frwiki.wiki",
        "enwikipedia.net",
        "memim.com",
        "iiab.me",
        "kiwix.haohe.fun",
        "kiwix.casplantje.nl",
        "encyclopedia.com",
        "referenceforbusiness.com",
        "askvity.info",
        "factsinbrief.com",
        "gktoday.in",
        "edurev.in",
        "indiaquizzes.com",
        "gyaankosh.com",
        "todayshistory.org",
    }
)

#: Republishers, aggregators, document-sharing sites, scraped or archived copies and
#: machine-generated mirrors: what they show was first published somewhere else.
COPY_HOSTS = frozenset(
    {
        "menafn.com",
        "miragenews.com",
        "einpresswire.com",
        "einnews.com",
        "finanznachrichten.de",
        "express-press-release.net",
        "particle.news",
        "vuink.com",
        "blogspot.com",
        "newsdrum.in",
        "lapost.us",
        "globebanner.com",
        "zazoom.it",
        "firmseek.com",
        "core-prod.cambridgecore.org",
        "uat.taylorfrancis.com",
        "dosfan.lib.uic.edu",
        "nordot.app",
        "comparemela.com",
        "newsflash.one",
        "allthe.news",
        "inkl.com",
        "docslib.org",
        "fdocuments.net",
        "pdfslide.us",
        "relayto.com",
        "pubt.io",
        "lists.ghserv.net",
        "cuevanamovies.net",
        "sxfx.eu.org",
        "azurewebsites.net",
        "webharvest.gov",
        "ndhadeliver.natlib.govt.nz",
        "rssing.com",
        "filesoo.com",
        "castbox.fm",
        "pling.zinioapps.com",
        "line-apps.com",
        "news.hanna-ai.com",
        "multiplatform.ai",
        "sage-tips.com",
        "europesays.com",
        "bbcworldnewstoday.com",
        "breakingnewsinternational.com",
        "besttoinvestnews.com",
        "noticiasmundonet.com.br",
        "upstx.gustya.com",
        "fresh.yiaap.com",
        "review.clateway.com",
        "mindcraft.top",
        "opoyi.com",
        "squawknews.com",
        "newsclue.org",
        "devdiscourse.com",
        "news-pravda.com",
        "relief.unboundmedicine.com",
        "capeverde.fivesixgroup.com",
        "medcon.org.cn",
        "dicasblogger.com",
        "blog.paperpanda.app",
        "love-europe.com",
        "campuslately.com",
        "eduexpertisehub.com",
        "kampuspedia.com",
        "profilpelajar.com",
        "7-star.net",
        "lcdpart.cn",
        "szbxnet.com",
        "rosamarinalake.com",
        "wired-gov.net",
        "sustainabilitank.info",
        "everycrsreport.com",
        "nuclearfiles.org",
        "archive.pnnd.org",
    }
)


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def _matches(host: str, hosts: frozenset[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in hosts for i in range(len(parts)))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def kind_of_url(url: str) -> SourceKind:
    """``wiki``, ``copy`` (a known mirror, aggregator or a bare IP address) or
    ``original`` (every other address: the publisher is presumed to be the original)."""
    host = _host(url)
    if _matches(host, WIKI_HOSTS) or "wiki" in host.split(".")[0]:
        return "wiki"
    if _is_ip(host) or _matches(host, COPY_HOSTS):
        return "copy"
    return "original"


def kind_of_source(url: str, copy_of: str | None) -> SourceKind:
    """A source's kind: its address's, except that naming an original makes it a copy.

    >>> kind_of_source("https://example.org/a", "https://www.gov.uk/b")
    'copy'
    >>> kind_of_source("https://en.wikipedia.org/wiki/X", None)
    'wiki'
    """
    kind = kind_of_url(url)
    if copy_of and kind == "original":
        return "copy"
    return kind


@dataclass(frozen=True)
class SourceReport:
    """The dataset's sources by kind, and the facts that lean on wikis alone.

    ``copies``: ids of copies (with or without ``copy_of``); ``unnamed_copies``: copies
    that do not name their original; ``wikis``: ids of wiki sources; ``wiki_only``:
    ``(grouping id, fact path)`` of each fact whose every source is a wiki.
    """

    total: int
    copies: tuple[str, ...]
    unnamed_copies: tuple[str, ...]
    wikis: tuple[str, ...]
    wiki_only: tuple[tuple[str, str], ...]

    @property
    def copy_share(self) -> float:
        """Copies as a share of all sources (0 when there are none)."""
        return len(self.copies) / self.total if self.total else 0.0

    @property
    def too_many_copies(self) -> bool:
        """Whether copies exceed :data:`COPY_SHARE_LIMIT` of all sources."""
        return self.copy_share > COPY_SHARE_LIMIT


def report(
    sources: Mapping[str, tuple[str, str | None]],
    facts: Iterable[tuple[str, str, tuple[str, ...]]],
) -> SourceReport:
    """Classify ``sources`` (id -> (url, copy_of)) and find the wiki-only ``facts``
    (grouping id, fact path, source ids).

    >>> r = report(
    ...     {"a": ("https://en.wikipedia.org/wiki/A", None),
    ...      "b": ("https://menafn.com/x", None),
    ...      "c": ("https://www.gov.uk/x", None)},
    ...     [("g", "themes", ("a",)), ("g", "website", ("a", "c"))],
    ... )
    >>> r.copies, r.unnamed_copies, r.wiki_only
    (('b',), ('b',), (('g', 'themes'),))
    """
    kinds = {sid: kind_of_source(url, copy_of) for sid, (url, copy_of) in sources.items()}
    copies = tuple(sorted(s for s, k in kinds.items() if k == "copy"))
    unnamed = tuple(s for s in copies if not sources[s][1])
    wikis = tuple(sorted(s for s, k in kinds.items() if k == "wiki"))
    wiki_only = tuple(
        (gid, path)
        for gid, path, sids in facts
        if sids and all(kinds.get(s) == "wiki" for s in sids)
    )
    return SourceReport(len(sources), copies, unnamed, wikis, wiki_only)
