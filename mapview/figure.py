"""The page every map of ours renders into: rendered text is never compiled as a template again.

branca renders each element's macro, then wraps the output in ``Element(text)``, which
compiles that text as a new Jinja template and renders it a second time. Data reaches
the first pass as values (JSON, escaped HTML), so any ``{{ }}``, ``{% %}`` or ``{# #}`` in
an incident's notes or place name became code in the second pass: it ran on the server,
or broke the page with a TemplateSyntaxError. ``DataSafeFigure`` keeps the first pass and
drops the second, at the one place every element's output goes through: the figure's
header, html and script slots. Streamlit-folium, exports and tests all render through it.
"""
from __future__ import annotations

from branca.element import Element, Figure


class VerbatimText(Element):
    """Text that goes into the page as it is, never through a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "VerbatimText"
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


class VerbatimSlot(Element):
    """A figure's header, html or script: an ``Element(text)`` added here keeps its text verbatim.

    Subclasses of Element (links, our own elements) render as they always do; only the
    plain wrapper that branca and folium put around already rendered output is replaced.
    """

    def add_child(self, child: Element, name: str | None = None, index: int | None = None) -> Element:
        if type(child) is Element and child._template_str is not None:
            child = VerbatimText(child._template_str)
        return super().add_child(child, name=name, index=index)


class DataSafeFigure(Figure):
    """A branca Figure whose slots keep rendered output verbatim (see the module's docstring)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        for slot in ("header", "html", "script"):
            replacement = VerbatimSlot()
            replacement._parent = self
            setattr(self, slot, replacement)
        self.header.add_child(VerbatimText('<meta http-equiv="content-type" content="text/html; charset=UTF-8" />'), name="meta_http")


def in_data_safe_figure(element: Element) -> Element:
    """``element`` moved into a new DataSafeFigure (a folium.Map makes a plain Figure of its own)."""
    DataSafeFigure().add_child(element)
    return element
