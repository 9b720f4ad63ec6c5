"""A report's text as sentences: headlines apart from the body, the dateline, organisation names and roles.

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
    r"Directorate|Brigade|Regiment|Division|Mobili[sz]ation Forces|Mobili[sz]ation Units)\b"
    r"|\bKurdistan Region(?:'s|’s)? (?:Security (?:Agency|Council)|Government|Presidency)\b"
    r"|\bGeneral Directorate of [A-Z][\w ]+?(?=[,.;]| was| is| and)",
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
        sentences += split_body_line(text, line_start + lead, line_start + len(line.rstrip()), paragraph)
    return headlines, sentences


def split_body_line(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    """The sentences of one paragraph ``text[start:end]``, with offsets into ``text``.

    >>> [s.text for s in split_body_line("Gen. Ali said so. Two died.", 0, 27, 1)]
    ['Gen. Ali said so.', 'Two died.']
    """
    body = text[start:end]
    sentences = []
    cursor = 0
    ends = [m for m in _SENTENCE_END_RE.finditer(body) if not _ABBREVIATION_END_RE.search(body[: m.start() + 1])]
    for match in ends + [None]:
        cut = match.end() if match else len(body)
        piece = body[cursor:cut]
        if piece.strip():
            inner = len(piece) - len(piece.lstrip())
            begin = start + cursor + inner
            sentences.append(Sentence(begin, begin + len(piece.strip()), piece.strip(), paragraph))
        cursor = cut
    return sentences


def find_dateline(text: str) -> tuple[str | None, str]:
    """The dateline place of a report's first sentence ("KIRKUK —", "Kirkuk, Iraq (Reuters) -") and the text with it blanked.

    Blanking keeps every offset valid; the datelines themselves are :func:`reports.page.find_paragraph_dateline`'s.
    >>> find_dateline("KIRKUK — A bomb exploded.")[0]
    'KIRKUK'
    """
    from reports.page import find_paragraph_dateline  # reports.page splits its body with this module

    _, sentences = split_sentences(text)
    if not sentences:
        return None, text
    first = sentences[0]
    place, length = find_paragraph_dateline(first.text)
    if not length:
        return None, text
    return place, text[:first.start] + " " * length + text[first.start + length:]


def mask_organisations(text: str) -> str:
    """``text`` with organisation names blanked ("Kirkuk Operations Command"), offsets kept."""
    return _ORGANISATION_RE.sub(lambda m: " " * len(m.group(0)), text)


# Places named as someone's post, office, home or destination, not where the event was:
# "the militants' governor of Hawija", "who heads the party office in Chamchamal district",
# "a group based in Khalis", "came from Baiji", "the shepherds live in al-Hleiwa",
# "taken to Daquq Hospital", "named as Fakhri al-Abbasi", "fled to Sulaymaniyah", "our sources in Hawija".
_ROLE_RE = re.compile(
    r"\b(?:governor|wali|emir|mayor|chief|head|chairman|commander|chieftain|mukhtar|spokes(?:man|person|woman))\s+(?:of|for)\b"
    r"|\b(?:heads|headed|chairs|chaired)\b|\bwho (?:leads|led|runs|ran|commands|commanded)\b"
    r"|\b(?:based|stationed|headquartered)\s+in\b|\b(?:came|comes|come|hails?|hailed)\s+from\b"
    r"|\b(?:live|lives|lived|living|reside|resides|resided)\s+in\b"
    r"|\b(?:taken|transferred|rushed|moved|brought|admitted|evacuated)\s+(?:\w+\s+)?(?:to|into)\b"
    r"|\b(?:named|identified|called)\s+(?:him\s+|them\s+)?as\b|\bnamed\s+(?=[A-Z])"
    r"|\b(?:fled|flee|fleeing|escaped|displaced)\b"
    r"|\b(?:sources?|correspondents?|reporters?)\s+in\b"
    r"|\b[A-Z][\w'’-]+(?:\s+(?:emergency|general|teaching))?\s+[Hh]ospitals?\b",
)
# The words a role's object may hold besides names ("the KDP branch in Chamchamal district").
_ROLE_WORDS = frozenset(
    "the of in at to for from and a an al el village villages town city district sub-district subdistrict province "
    "governorate area region branch office council police station department directorate media center centre tribe "
    "hospital hospitals emergency general headquarters".split()
)
_ROLE_TOKEN_RE = re.compile(r"[^\s,;.:()\[\]“”\"]+|[,;.:()\[\]“”\"]")
_ROLE_MAX_WORDS = 8


def mask_roles(text: str) -> str:
    """``text`` with places in role phrases blanked ("governor of Hawija"), offsets kept.

    >>> mask_roles("The governor of Hawija was killed in Riyadh.").split()
    ['The', 'was', 'killed', 'in', 'Riyadh.']
    """
    chars = list(text)
    for match in _ROLE_RE.finditer(text):
        end = match.end()
        for count, token in enumerate(_ROLE_TOKEN_RE.finditer(text, match.end(), match.end() + 120)):
            word = token.group(0)
            named = word[0].isupper() or re.match(r"(?:al|el)[-‐]", word.lower()) or "\u0600" <= word[0] <= "\u06ff"
            if count >= _ROLE_MAX_WORDS or not (named or word.lower() in _ROLE_WORDS):
                break
            end = token.end()
        for i in range(match.start(), end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)
