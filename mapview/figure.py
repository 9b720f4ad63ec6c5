"""The page every map of ours renders into: rendered text is never compiled as a template again.

branca renders each element's macro, then wraps the output in ``Element(text)``, which
compiles that text as a new Jinja template and renders it a second time. Data reaches
the first pass as values (JSON, escaped HTML), so any ``{{ }}``, ``{% %}`` or ``{# #}`` in
an incident's notes or place name became code in the second pass: it ran on the server,
or broke the page with a TemplateSyntaxError. ``DataSafeFigure`` keeps the first pass and
drops the second, at the one place every element's output goes through: the figure's
header, html and script slots. Streamlit-folium, exports and tests all render through it.

branca also compiled every such wrapper's text as a template when it was made, whether or
not it was ever rendered: a tenth of a second per run at any size, for text that the slots
then keep verbatim. ``DeferredTemplate`` compiles an element's template text only when it is
first used.
"""
from __future__ import annotations

import branca.element
from branca.element import Element, Figure
from jinja2 import Template


class DeferredTemplate:
    """A Jinja template from text, compiled when it is first used (render, module, ...)."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: Template | None = None

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # copy, pickle and friends ask; the text is not compiled for them
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = Template(self._source)
        return getattr(self._compiled, name)


# branca's Element(template) and its unpickling make templates through this name; the class
# templates written in our modules and folium's are compiled at import as before.
branca.element.Template = DeferredTemplate


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
