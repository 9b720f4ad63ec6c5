"""Data is never markdown: a place name, a source or a CSV header shows as the text it is,
never as a live link, a remote image or emphasis, wherever a page puts it into a heading,
a caption or a message box."""
from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from mapview.text import escape_markdown, unescape_markdown
from tests.incident_rows import incident, run_page, store_with

HOSTILE = "[click](http://evil.example) ![x](http://evil.example/a.png) **bold** <b>x</b>"


def shows_verbatim(markdown: str, text: str) -> bool:
    """True when ``markdown`` holds ``text`` with every markdown character escaped, so it
    renders as exactly that text (CommonMark: an escaped punctuation mark is literal)."""
    return escape_markdown(text) in markdown and text in unescape_markdown(markdown)


def every_punctuation_is_escaped(markdown: str) -> bool:
    index = 0
    while index < len(markdown):
        if markdown[index] == "\\":
            index += 2
            continue
        if markdown[index] in string.punctuation:
            return False
        index += 1
    return True


@settings(max_examples=200, deadline=None)
@given(
    st.text()
    | st.text(alphabet=st.sampled_from(["w", "W", ":", "@", "\u2060", "\\", "[", ".", " "]))  # the characters escaping adds to
    | st.sampled_from([HOSTILE, "\\[x\\](y)", "a\\", "$x$ :red[y] `z` &lt; # h\n> q\n1. l", "a@b.example www.x.example :smile:"])
)
def test_escaped_text_keeps_its_characters_and_no_markup(text):
    escaped = escape_markdown(text)
    assert unescape_markdown(escaped) == text
    assert every_punctuation_is_escaped(escaped)


def test_a_place_name_in_the_story_heading_is_text(db_url):
    store_with(db_url, [incident(1, location=HOSTILE)])
    at = run_page("timeline")
    assert not at.exception, at.exception
    heading = at.subheader[0].value
    assert heading.startswith("1 of 1: 2024-07-14 · ") and shows_verbatim(heading, HOSTILE)


def test_source_and_actor_names_in_the_filter_caption_are_text(db_url):
    store_with(db_url, [incident(1, source=HOSTILE, actor1=HOSTILE + " group")])
    at = run_page("map")
    at.multiselect(key="sources").set_value([HOSTILE]).run()
    at.multiselect(key="actors").set_value([HOSTILE + " group"]).run()
    assert not at.exception, at.exception
    caption = at.caption[0].value
    assert shows_verbatim(caption, f"from {HOSTILE}") and shows_verbatim(caption, f"involving {HOSTILE} group")
    assert len(at.dataframe[0].value) == 1


def test_csv_header_names_in_the_import_error_are_text(db_url):
    at = run_page("data")
    at.file_uploader(key="import_file").upload("evil.csv", f"{HOSTILE}\nsome value\n".encode(), "text/csv").run()
    assert not at.exception, at.exception
    at.button(key="import_run").click().run()
    assert not at.exception, at.exception
    message = at.error[0].value
    assert "has no 'event_date'" in unescape_markdown(message) and shows_verbatim(message, HOSTILE)
