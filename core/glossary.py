"""The words and sources a reader needs: the glossary (``glossary.toml``) and the cited sources.

The glossary explains terms such as *KS complement*, *noise floor* or *DCR* in plain language;
pages show an entry as help beside the metrics it explains, and the HTML report prints them all
as an appendix. The sources are the ``[sources]`` table of ``policies.toml``: every ``[n]``
cited in a policy check's ``why``.

Example::

    help_for("privacy.nndr")  # -> "NNDR: Nearest-neighbour distance ratio: ..."
    load_sources()["5"].text  # -> "Anonymeter (Giomi et al., 2023, ..."
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.gate import POLICIES_FILE, SOURCES

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")
CITATION = re.compile(r"\[(\d+)\]")  # "kept [1][8]" -> "1", "8"


@dataclass(frozen=True)
class Term:
    """One glossary entry: the term, its explanation, and the metric keys it explains."""

    term: str
    text: str
    keys: tuple[str, ...] = ()
    sdtypes: tuple[str, ...] = ()  # the column types it explains a metric for; () = every type


@dataclass(frozen=True)
class Source:
    """One cited source ``[n]``: what it says and where to read it."""

    number: str
    text: str
    url: str | None = None


@cache
def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Term, ...]:
    """Every glossary term, in file order."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    return tuple(Term(term=name, text=body["text"], keys=tuple(body.get("keys", ())),
                      sdtypes=tuple(body.get("sdtypes", ())))
                 for name, body in raw.items())


def help_for(key: str, sdtype: str | None = None) -> str | None:
    """The glossary text of every term explaining metric ``key`` (None when there is none).

    With ``sdtype`` (a column's type), only the terms that explain the metric for that type:
    ``help_for("fidelity.column_shapes", "categorical")`` is the TV complement alone.
    """
    found = [f"{t.term}: {t.text}" for t in load_glossary() if key in t.keys
             and (sdtype is None or not t.sdtypes or sdtype in t.sdtypes)]
    return "\n\n".join(found) or None


def term_text(term: str) -> str:
    """The explanation of one term, e.g. ``term_text("Noise floor")``.

    Raises:
        KeyError: No such term (a bug in the caller: terms are written in code).
    """
    for t in load_glossary():
        if t.term == term:
            return t.text
    raise KeyError(f"There is no glossary term {term!r}; add it to {GLOSSARY_FILE.name}.")


@cache
def load_sources(path: Path = POLICIES_FILE) -> dict[str, Source]:
    """The cited sources by number (as text: ``"1"``), in file order."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh).get(SOURCES, {})
    return {str(n): Source(number=str(n), text=v["text"], url=v.get("url"))
            for n, v in raw.items()}


def cited(text: str) -> list[str]:
    """The source numbers cited in ``text``, in order, once each.

    Example: ``cited("a [2] b [1][2]")`` -> ``["2", "1"]``.
    """
    return list(dict.fromkeys(CITATION.findall(text)))
