"""A news page as the extractor should read it: page chrome apart, the headline, the body.

Real reports arrive with the page around them: menus and language bars, site header
dates ("Sunday, September 22, 2024"), timestamps and bylines ("Updated at 8:37",
"by Example Staff, May 3, 2019"), photo captions with their own dates and
places ("File photo: ..."), agency codes, HTML fragments, repeated paragraphs, and a
dateline naming the newsroom ("ERBIL, Kurdistan Region –", "BAGHDAD (Reuters) -").
None of these states a fact of the incident. :func:`read_page` blanks them (with
spaces, so every offset into the text stays valid), picks the headline among the short
lines above the body, and splits the body into sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reports.dates import find_dates
from reports.sentences import Sentence, split_body_line

# A caption: words that only photo credits and captions use.
_CAPTION_RE = re.compile(
    r"\b(?:file photo|photo(?:graph)?s?\s*(?::|by|via|courtesy)|\(photo\b|\bphoto\)|photograph\b|archival photo|"
    r"representational (?:photo|image)|image courtesy|\bpixabay\b|facebook page|\(reuters photo\)|reuters photo|"
    r"afp photo|getty images)|/AFP\b|\[Reuters\]|^file\s*[–—-]|\bphoto:",
    re.IGNORECASE,
)
# Page furniture and sign-off lines.
_BOILERPLATE_RE = re.compile(
    r"^(?:read more\b|source:(?:\s*\S+){1,3}$|tags?:|translation by\b|advertisement$|share\b|related\b|a\+ a-|dark mode$|"
    r"written by\b|article date\b|last (?:update|modified)\b|updated\b|home\b.*>|◄|image\b)|"
    r"contributed (?:additional )?reporting|\bcomments?$|\bforum (?:views|replies)\b|^\W*\">",
    re.IGNORECASE,
)
_HTML_RE = re.compile(r"</?[a-z][^>]{0,200}>|^\s*\">", re.IGNORECASE)
# Agency and editor codes that close some wire items ("SH (P)/SR 1", "AmR (P) 1").
_AGENCY_CODE_RE = re.compile(r"\s+[A-Z][A-Za-z]{0,3}\s+\([A-Z]\)(?:/[A-Z]{1,3})?\s*\d\s*$")
_NUMERIC_DATE_RE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}\b|\b(?:19|20)\d{2}-\d{2}-\d{2}\b")
_TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\b|\b\d{3,4}\s*GMT\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,]*")
# Datelines at the start of a paragraph. The place is kept as a hint, never as the place.
_DATELINE_RES: tuple[tuple[re.Pattern[str], bool], ...] = (
    # An agency alone: "(AhlulBayt News Agency) -", "Shafaq News/"
    (re.compile(r"^\((?P<agency>[^()\n]{2,40})\)\s*(?:—|–|-)\s+"), True),
    (re.compile(r"^(?P<agency>[A-Z][\w]*(?:\s+[A-Z][\w]*){0,2})/\s+"), True),
    # "ERBIL, Kurdistan Region –", "BAGHDAD, Dec. 11 --", "KIRKUK, Iraq (AFP) - -", "SULAIMANI (ESTA) —",
    # "KIRKUK / IraqiNews.com:", "SULAIMANIYAH //", "LONDON:", "Baghdad:", "Kirkuk (IraqiNews.com)"
    (re.compile(
        r"^(?P<place>[A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]+){0,2})"
        r"(?:,\s*(?:[A-Z][\w.]*\s*){1,3}(?:\d{1,2})?)?"
        r"(?:\s*\((?P<agency>[^()\n]{1,40})\))?"
        r"\s*(?:—|–|--|-|//|/|:)(?:\s*-)?\s+(?:[A-Z][\w.]*(?:\.com)?:\s+)?"
    ), False),
    (re.compile(r"^(?P<place>[A-Z][A-Za-z'’.-]+(?:\s+[A-Z][A-Za-z'’.-]+){0,2})\s*\((?P<agency>[^()\n]{1,40})\)\s+"), False),
    # "( Salahuddin –", "( Kirkuk –", "Kirkuk (" (a dateline whose agency was cut out)
    (re.compile(r"^\(\s*(?P<place>[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){0,2})\s*(?:—|–|-)\s+"), True),
    (re.compile(r"^(?P<place>[A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){0,2})\s+\(\s+(?=[A-Z])"), True),
)
# What an agency in brackets after a dateline looks like ("Reuters", "IraqiNews.com", "Kurdistan 24").
_OUTLET_RE = re.compile(r"\.com|news|reuters|\bafp\b|\bap\b|\besta\b|agency|kurdistan ?24|rudaw|xinhua|\bnrt\b", re.IGNORECASE)
_MAX_DATELINE_CHARS = 70
CAPTION_MAX_WORDS = 10  # a one-sentence line this short above the first paragraph captions a photo
_DATELINE_PARAGRAPHS = 4  # a dateline opens one of the first paragraphs of the body
_STOPWORDS = frozenset(
    "a an the in of on at by to and or for with as is was were be been has have had said says after from near "
    "into over its their his her it this that who which than more least up while during amid".split()
)
_EVENT_WORD_RE = re.compile(
    r"\b(?:kill|attack|bomb|blast|explo|clash|strike|struck|ambush|dead|die|wound|injur|hurt|kidnap|abduct|"
    r"execut|shot|shoot|gunm|rocket|mortar|raid|seiz|stormed|martyr|assassinat|fight|battle|suicide|ied|landmine|"
    r"bodies|body|arrest|captur|occup|took over|hit\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Page:
    """A report read as a page: the text with chrome blanked, its headline, body sentences and datelines."""

    text: str
    headline: Sentence | None
    sentences: tuple[Sentence, ...]
    datelines: tuple[str, ...]
    chrome: tuple[str, ...]


def is_date_line(line: str) -> bool:
    """True for a line that is only a date, a time or a byline with a date ("Monday, 21 September 2020").

    >>> is_date_line("Tuesday, March 3, 2015; Page B2"), is_date_line("Two killed in Kirkuk on Monday")
    (True, False)
    """
    spans = [(d.start, d.end) for d in find_dates(line, None) if d.kind != "year"]
    spans += [m.span() for m in _NUMERIC_DATE_RE.finditer(line)] + [m.span() for m in _TIME_RE.finditer(line)]
    if not spans or _EVENT_WORD_RE.search(line):
        return False
    rest = line
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return len(_WORD_RE.findall(rest)) <= 5


def is_caption(line: str) -> bool:
    """True for a photo caption or credit ("Kirkuk city. (Photo: Kurdistan24)").

    >>> is_caption("File photo: Rudaw"), is_caption("Two soldiers were killed.")
    (True, False)
    """
    return len(line.split()) <= 45 and bool(_CAPTION_RE.search(line))


def is_chrome(line: str) -> bool:
    """True for a line of page chrome: a date line, a caption, a menu item, a sign-off."""
    words = _WORD_RE.findall(line)
    if not words:
        return True
    if is_date_line(line) or is_caption(line) or _BOILERPLATE_RE.search(line):
        return True
    if _HTML_RE.search(line) and len(words) <= 6:
        return True
    # Menu items and section labels ("Home", "Yahoo!", "World"): a few words naming no event.
    return len(words) <= 3 and not _EVENT_WORD_RE.search(line)


def _is_body(line: str) -> bool:
    """True for a paragraph of running text (it ends like a sentence, or is long and holds one)."""
    if re.search(r"[.!?:,;][”\"’')\]]*$", line) and not re.fullmatch(r"[^.!?]*[”\"’')\]]", line):
        return True
    return len(line.split()) >= 25 and bool(re.search(r"[.!?][”\"’')]*\s+[“\"‘(]?[A-Z]", line))


def _content_words(text: str) -> set[str]:
    """Lower-case word stems of a text, without function words (to compare a headline with the lede)."""
    stems = set()
    for word in _WORD_RE.findall(text.lower()):
        word = re.sub(r"['’]s$", "", word)
        if word in _STOPWORDS or len(word) < 2:
            continue
        for suffix in ("ings", "ing", "ed", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        stems.add(word)
    return stems


def choose_headline(candidates: list[Sentence], lede: str) -> Sentence | None:
    """The headline among the short lines above the body: the one that shares most words with the lede.

    A kicker, a sub-head or a ticker shares fewer words with the first paragraph than the
    headline does; with no line sharing two words, the first line that names an event.
    """
    lede_words = _content_words(lede)
    best, best_overlap = None, 1
    for candidate in candidates:
        overlap = len(_content_words(candidate.text) & lede_words)
        if overlap > best_overlap:
            best, best_overlap = candidate, overlap
    if best is not None:
        return best
    return next((c for c in candidates if _EVENT_WORD_RE.search(c.text) and len(c.text.split()) >= 3), None)


def find_paragraph_dateline(paragraph: str) -> tuple[str | None, int]:
    """The dateline place at the start of a paragraph (None for an agency alone) and its length.

    >>> find_paragraph_dateline("ERBIL, Kurdistan Region – A bomb went off.")
    ('ERBIL', 26)
    >>> find_paragraph_dateline("Two soldiers were killed - police said.")
    (None, 0)
    """
    for pattern, certain in _DATELINE_RES:
        match = pattern.match(paragraph)
        if not match or len(match.group(0)) > _MAX_DATELINE_CHARS or not paragraph[match.end():].strip():
            continue
        place = match.groupdict().get("place")
        if place and not certain and not _looks_like_dateline(match, paragraph):
            continue
        return (place.strip() if place else None), match.end()
    return None, 0


def _looks_like_dateline(match: re.Match[str], paragraph: str) -> bool:
    """A capitalised run before a dash is a dateline only when it reads like one (capitals, an agency, a comma)."""
    place, agency = match.group("place"), match.group("agency")
    if agency is not None:
        return place.isupper() or bool(_OUTLET_RE.search(agency))
    if place.isupper() or paragraph[match.end("place"):].startswith(","):
        return True
    return len(place.split()) <= 2 and bool(re.match(r"\s*(?:—|–|--|:|//|/|\s-)", paragraph[match.end("place"):]))


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if stripped:
            lines.append(_Line(offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw)
    return lines


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def _without_captions(sentences: list[Sentence]) -> list[Sentence]:
    """The body without the one-line captions above its first full paragraph ("A youth in Hawija executed ...")."""
    paragraphs: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence)
    first_full = next((n for n, group in paragraphs.items() if sum(len(s.text.split()) for s in group) >= 15), None)
    if first_full is None:
        return sentences
    captions = {n for n, group in paragraphs.items()
                if n < first_full and len(group) == 1 and len(group[0].text.split()) < CAPTION_MAX_WORDS}
    return [s for s in sentences if s.paragraph not in captions]


def read_page(text: str) -> Page:
    """The report's headline, body sentences and datelines, with page chrome blanked out."""
    chars = list(text)
    chrome: list[str] = []
    short: list[Sentence] = []
    body: list[_Line] = []
    seen: set[str] = set()
    for line in _lines(text):
        cleaned = _HTML_RE.sub(lambda m: " " * len(m.group(0)), line.text)
        if cleaned != line.text:
            _blank(chars, line.start, line.end)
            chars[line.start:line.end] = list(cleaned)
        stripped = cleaned.strip()
        key = re.sub(r"\W+", " ", stripped.lower()).strip()
        if not stripped or is_chrome(stripped) or key in seen:
            chrome.append(line.text)
            _blank(chars, line.start, line.end)
            continue
        seen.add(key)
        if _is_body(stripped):
            body.append(_Line(line.start + (len(cleaned) - len(cleaned.lstrip())), line.end, stripped))
        elif not body:
            short.append(Sentence(line.start, line.end, line.text, 0))
        else:
            chrome.append(line.text)  # a sub-head or a tag inside the body: it restates, it adds no fact
            _blank(chars, line.start, line.end)
    datelines: list[str] = []
    for line in body[:_DATELINE_PARAGRAPHS]:
        place, length = find_paragraph_dateline(line.text)
        if length:
            _blank(chars, line.start, line.start + length)
            if place:
                datelines.append(place)
    for line in body:
        code = _AGENCY_CODE_RE.search(line.text)
        if code:
            _blank(chars, line.start + code.start(), line.end)
    cleaned_text = "".join(chars)
    sentences: list[Sentence] = []
    for paragraph, line in enumerate(body, start=1):
        sentences += split_body_line(cleaned_text, line.start, line.end, paragraph)
    kept = _without_repeats(_without_captions(sentences))
    for dropped in set(sentences) - set(kept):
        _blank(chars, dropped.start, dropped.end)
        chrome.append(dropped.text)
    lede = " ".join(s.text for s in kept if s.paragraph == kept[0].paragraph) if kept else ""
    headline = choose_headline(short, lede) if short else None
    return Page("".join(chars), headline, tuple(kept), tuple(datelines), tuple(chrome))


def _without_repeats(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences without those a page prints twice (a summary above the dateline, a duplicated lede)."""
    seen: set[str] = set()
    kept = []
    for sentence in sentences:
        key = re.sub(r"\W+", " ", sentence.text.lower()).strip()
        if key not in seen:
            kept.append(sentence)
        seen.add(key)
    return kept
