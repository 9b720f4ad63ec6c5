"""Text from data, made inert and short for display: the one HTML escape every popup,
tooltip, label and legend of a map uses; markdown escaping for Streamlit's headings and
notes; clipping for popups, tooltips and tables.

Beyond ``html.escape``, the HTML escape writes the characters that mean something to the
places our HTML travels through as character references, which a browser shows as the
same characters: backtick, ``$`` and backslash (folium puts popup HTML inside a JavaScript
template literal, where `` ` `` ends it and ``${...}`` runs code), and braces (Jinja's
``{{ }}``, ``{% %}``, ``{# #}``). Text is stored whole; only what a page shows is clipped.
No Streamlit here: pages call these before they put data into st.subheader, st.error,
st.caption and the like.
"""
from __future__ import annotations

import html
import re
import string

import pandas as pd

_REFERENCES = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def html_text(value: object) -> str:
    """Escaped HTML text of a value; empty for a missing value.

    >>> html_text("<b>{{ 7*7 }}</b> `${x}`")
    '&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt; &#96;&#36;&#123;x&#125;&#96;'
    >>> html_text(None), html_text(float("nan")), html_text(3)
    ('', '', '3')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True).translate(_REFERENCES)


ELLIPSIS = "…"
# Every ASCII punctuation character may be backslash-escaped in CommonMark, and each of
# these can start markup somewhere ([links](), ![images](), *emphasis*, <html>, `code`,
# # headings, > quotes, 1. lists, | tables, ~~strike~~, $maths$, :colour[text] in Streamlit,
# &entities;). Escaping them all leaves none to interpret.
_MARKDOWN_SIGNIFICANT = re.compile("([" + re.escape(string.punctuation) + "])")
_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")
# GitHub-flavoured markdown (Streamlit's) links bare URLs, www. names and e-mail addresses,
# and Streamlit turns :shortcodes: into emoji and icons, all on the parsed text, where a
# backslash no longer counts. An invisible WORD JOINER after every ":", "@" and "www"
# breaks each of those patterns and shows nothing.
WORD_JOINER = "\u2060"
_LINK_PATTERN_STARTS = re.compile(r"(:|@|www)", re.IGNORECASE)
_JOINED = re.compile(r"(:|@|www)" + WORD_JOINER, re.IGNORECASE)
# A table cell shows this much of a long text; the export has all of it.
TABLE_CELL_CHARS = 300


def escape_markdown(text: object) -> str:
    """``text`` as markdown that shows exactly those characters: links, images, emphasis
    and HTML in data stay plain text, and a URL in it is not made a link.

    >>> print(escape_markdown("[click](x.example) **bold** <b>"))
    \\[click\\]\\(x\\.example\\) \\*\\*bold\\*\\* \\<b\\>
    >>> escape_markdown("http://x") == "http\\\\:" + WORD_JOINER + "\\\\/\\\\/x"
    True
    """
    escaped = _MARKDOWN_SIGNIFICANT.sub(r"\\\1", str(text))
    return _LINK_PATTERN_STARTS.sub(r"\1" + WORD_JOINER, escaped)


def unescape_markdown(markdown: str) -> str:
    """The text an escaped string shows (what escape_markdown was given).

    >>> unescape_markdown(escape_markdown("a [b](c) *d*"))
    'a [b](c) *d*'
    """
    return _ESCAPED.sub(r"\1", _JOINED.sub(r"\1", markdown))


def clip_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with an ellipsis.

    >>> clip_text("Daquq", 10), clip_text("a long note", 6)
    ('Daquq', 'a lon…')
    """
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + ELLIPSIS


def clip_text_columns(frame: pd.DataFrame, limit: int = TABLE_CELL_CHARS) -> pd.DataFrame:
    """A copy of ``frame`` for display, each text cell cut to ``limit`` characters.

    >>> len(clip_text_columns(pd.DataFrame({"notes": ["x" * 400, None], "n": [1, 2]})).at[0, "notes"])
    300
    """
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_string_dtype(values) or values.dtype == object:
            long = values.map(lambda v: isinstance(v, str) and len(v) > limit).astype(bool)
            if long.any():
                shown[column] = values.mask(long, values[long].map(lambda v: clip_text(v, limit)))
    return shown
