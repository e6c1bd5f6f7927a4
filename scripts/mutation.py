"""Mutation testing of the core modules with mutmut (`make mutation`; docs/testing.md).

    .venv/bin/python scripts/mutation.py [GROUP ...] [--children N] [--only PATTERN ...]

Each group of core modules is mutated on its own, against only the test files that
exercise it (a mutant of the model is not run against the web suite): the repository's
``src``, ``tests``, ``docs`` and ``pyproject.toml`` are copied to ``.mutation/<group>/``, mutmut's
settings are written there (every other module listed in ``do_not_mutate``), and
``mutmut run`` runs under ``nice -n 10``. Heavy tests (``-m "not heavy"``: PostgreSQL, Spark,
a browser) are left out, as in the quick loop: the editorial tests run on SQLite only. The
script prints one line per group (mutants,
killed, survived, no test, timeouts, score = killed / mutants, counting timeouts as
killed) and writes each group's surviving mutants to ``.mutation/<group>/survivors.txt``
(``mutmut show NAME`` in that folder shows one).

``--only`` mutates only the functions whose mutant names match a pattern (fnmatch, e.g.
``'minilat.store.xǁStoreǁgrouping_ids*'``), to bound a run over a large module; the score
then counts those mutants only.

It is slow (minutes per group on 2 cores) and is not part of CI; the scores and the
reasons for every survivor kept are recorded in docs/testing.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"

#: group -> (modules under src/minilat, test files run against their mutants)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "model": (("model.py",), ("tests/test_model.py", "tests/test_boundaries.py")),
    "store": (
        ("store.py",),
        ("tests/test_store.py", "tests/test_boundaries.py", "tests/test_search.py"),
    ),
    "typology": (
        ("analysis/typology.py",),
        ("tests/test_typology.py", "tests/test_boundaries.py"),
    ),
    "characteristics": (
        ("analysis/characteristics.py",),
        ("tests/test_characteristics.py", "tests/test_boundaries.py"),
    ),
    "scorecard": (("analysis/scorecard.py",), ("tests/test_scorecard.py",)),
    "countries": (("analysis/countries.py",), ("tests/test_countries.py",)),
    "designer": (
        ("analysis/coalition.py",),
        ("tests/test_coalition.py", "tests/test_designer_rules.py"),
    ),
    "capability_csv": (
        ("capability_csv.py",),
        ("tests/test_capability_csv.py", "tests/test_coalition_cli.py"),
    ),
    "dataset": (
        ("dataset.py",),
        (
            "tests/test_validation.py",
            "tests/test_reader.py",
            "tests/test_life_schema.py",
            "tests/test_provenance.py",
        ),
    ),
    "edits": (
        ("editorial/edits.py",),
        ("tests/test_edits.py", "tests/test_edit_rules.py", "tests/test_sync.py"),
    ),
    "feeds": (("web/feeds.py",), ("tests/test_feeds.py", "tests/test_boundaries.py")),
    "export": (("export.py",), ("tests/test_export.py", "tests/test_cli.py")),
}

_STATUS = re.compile(r"^\s*(minilat\.\S+): (.+)$")


def _config(modules: tuple[str, ...], tests: tuple[str, ...], pyproject: str) -> str:
    """``pyproject.toml`` for the copy: ``src`` first on pytest's path (the mutants, not
    the editable install) and mutmut's settings for this group."""
    text = pyproject.replace('pythonpath = ["tests"]', 'pythonpath = ["src", "tests"]')
    keep = {f"src/minilat/{m}" for m in modules}
    others = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "src/minilat").rglob("*.py")
        if p.relative_to(ROOT).as_posix() not in keep
    )
    quoted = ", ".join(f'"{x}"' for x in others)
    selected = ", ".join(f'"{t}"' for t in tests)
    return (
        text
        + "\n[tool.mutmut]\n"
        + 'source_paths = ["src/minilat/"]\n'
        + f"do_not_mutate = [{quoted}]\n"
        + f"pytest_add_cli_args_test_selection = [{selected}]\n"
        + 'also_copy = ["docs"]\n'
        + 'pytest_add_cli_args = ["-m", "not heavy"]\n'
    )


def run_group(name: str, children: int, only: tuple[str, ...] = ()) -> dict[str, int]:
    modules, tests = GROUPS[name]
    work = WORK / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for sub in ("src", "tests", "docs"):
        shutil.copytree(ROOT / sub, work / sub, ignore=shutil.ignore_patterns("__pycache__"))
    (work / "pyproject.toml").write_text(
        _config(modules, tests, (ROOT / "pyproject.toml").read_text())
    )
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    subprocess.run(
        ["nice", "-n", "10", mutmut, "run", "--max-children", str(children), *only],
        cwd=work,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    out = subprocess.run(
        [mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True
    ).stdout
    counts: dict[str, int] = {}
    survivors = []
    for line in out.splitlines():
        m = _STATUS.match(line)
        if m and (not only or any(fnmatch.fnmatchcase(m.group(1), p) for p in only)):
            status = m.group(2).strip()
            counts[status] = counts.get(status, 0) + 1
            if status in ("survived", "no tests"):
                survivors.append(f"{m.group(1)}: {status}")
    (work / "survivors.txt").write_text("\n".join(survivors) + "\n")
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("groups", nargs="*", help=f"default: all of {', '.join(GROUPS)}")
    ap.add_argument("--children", type=int, default=2)
    ap.add_argument("--only", nargs="+", default=[], metavar="PATTERN", help="mutant names")
    args = ap.parse_args()
    unknown = set(args.groups) - set(GROUPS)
    if unknown:
        ap.error(f"unknown group(s) {', '.join(sorted(unknown))}: choose from {', '.join(GROUPS)}")
    args.groups = args.groups or list(GROUPS)
    print(f"{'group':<10} {'mutants':>8} {'killed':>7} {'survived':>9} {'no test':>8} score")
    for name in args.groups:
        c = run_group(name, args.children, tuple(args.only))
        total = sum(c.values())
        killed = c.get("killed", 0) + c.get("timeout", 0)
        score = killed / total if total else float("nan")
        print(
            f"{name:<10} {total:>8} {killed:>7} {c.get('survived', 0):>9}"
            f" {c.get('no tests', 0):>8} {score:6.1%}",
            flush=True,
        )


if __name__ == "__main__":
    main()
