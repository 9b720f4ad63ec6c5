"""Text from data, made safe for the HTML of maps: the one escape every popup, tooltip,
label and legend uses.

Beyond ``html.escape``, the characters that mean something to the places our HTML
travels through are written as character references, which a browser shows as the same
characters: backtick, ``$`` and backslash (folium puts popup HTML inside a JavaScript
template literal, where `` ` `` ends it and ``${...}`` runs code), and braces (Jinja's
``{{ }}``, ``{% %}``, ``{# #}``).
"""
from __future__ import annotations

import html

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
