"""A report's text as sentences: headlines apart from the body, the dateline, organisation names.

These are the first steps of :mod:`reports.extract`. Every function keeps offsets into
the original text valid (the dateline and organisation names are blanked with spaces,
not cut), so a place or date found later can be traced back to its sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Organisations named after places: their place names are not where the incident happened.
_ORGANISATION_RE = re.compile(
    r"\b(?:[A-Z][\w'-]+\s+){1,2}(?i:Operations Command|Operations|Police Command|Police Directorate|Police|"
    r"Governor(?:ate Council)?|Provincial Council|Security Committee|Health Directorate|University|Command|"
    r"Directorate|Brigade|Regiment|Division)\b"
    r"|\bKurdistan Region(?:'s|’s)? (?:Security (?:Agency|Council)|Government|Presidency)\b"
    r"|\bGeneral Directorate of [A-Z][\w ]+?(?=[,.;]| was| is| and)",
)
_DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z'’ -]{2,40}?)(?:,\s*(?:[A-Z][\w.]*\s*){1,3}\d{0,2})?\s*(?:\([^)]{1,40}\))?\s*(?:—|–|--|-)\s+"
)
_ABBREVIATIONS = r"(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Brig|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|St|U\.S|U\.N|approx|vs)"
_SENTENCE_END_RE = re.compile(r"[.!?][”\"’']?(?=\s+[“\"‘']?[A-Z0-9])")
_ABBREVIATION_END_RE = re.compile(rf"\b{_ABBREVIATIONS}\.$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a report with its position; headlines are kept apart from the body."""

    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str) -> tuple[list[str], list[Sentence]]:
    """The headline lines and the body sentences of a report, with offsets into ``text``.

    Lines without closing punctuation (kickers, headlines, sub-heads) are headlines:
    they repeat the body and must not create incidents of their own.
    """
    headlines: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    paragraph = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        line_start = offset
        offset += len(line)
        if not stripped:
            continue
        if not re.search(r"[.!?”\"’:)]$", stripped) and len(stripped.split()) < 25:
            headlines.append(stripped)
            continue
        paragraph += 1
        lead = len(line) - len(line.lstrip())
        body = line.rstrip()
        cursor = lead
        ends = [m for m in _SENTENCE_END_RE.finditer(body) if not _ABBREVIATION_END_RE.search(body[: m.start() + 1])]
        for match in ends + [None]:
            cut = match.end() if match else len(body)
            piece = body[cursor:cut]
            if piece.strip():
                inner = len(piece) - len(piece.lstrip())
                start = line_start + cursor + inner
                sentences.append(Sentence(start, start + len(piece.strip()), piece.strip(), paragraph))
            cursor = cut
    return headlines, sentences


def find_dateline(text: str) -> tuple[str | None, str]:
    """The dateline place ("KIRKUK —", "Kirkuk, Iraq (Reuters) -") and the text with it blanked.

    Blanking keeps every offset valid.
    >>> find_dateline("KIRKUK — A bomb exploded.")[0]
    'KIRKUK'
    """
    headlines, sentences = split_sentences(text)
    if not sentences:
        return None, text
    first = sentences[0]
    match = _DATELINE_RE.match(first.text)
    if not match or len(match.group(0)) > 60:
        return None, text
    start = first.start
    return match.group("place").strip(), text[:start] + " " * match.end() + text[start + match.end():]


def mask_organisations(text: str) -> str:
    """``text`` with organisation names blanked ("Kirkuk Operations Command"), offsets kept."""
    return _ORGANISATION_RE.sub(lambda m: " " * len(m.group(0)), text)
