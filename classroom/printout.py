"""The current map as a print-ready sheet: A4 landscape, as a PNG or a one-page PDF.

The analyst's map (mapview.incident_map.build_incident_map of the filtered incidents) in its
standalone HTML, framed with a title, the filter's caption and the dates it spans above, the
credits below, and the map's own legend and scale bar (Leaflet's L.control.scale) on it;
drawn by chromium with no network (classroom.browser).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import folium
import pandas as pd

from classroom.browser import offline_page
from classroom.sheet import DEFAULT_TITLE, credits_text, date_span, framed_map_page, sheet_css, still_map_options, text_block
from errors import BadInput
from mapview.export import standalone_html

PRINT_FORMATS = ("png", "pdf")
PRINT_MEDIA_TYPES = {"png": "image/png", "pdf": "application/pdf"}
# A4 landscape (297 x 210 mm) in CSS pixels of 96 per inch; the PNG's default is the same shape, larger.
A4_LANDSCAPE_PX = (1123, 794)
DEFAULT_PNG_SIZE = (1600, 1131)
# The PDF's map is a picture (the incidents are drawn on a canvas): two device pixels per CSS pixel keep it sharp.
PDF_SCALE = 2
MIN_SIDE_PX, MAX_SIDE_PX = 400, 6000


@dataclass(frozen=True)
class PrintOptions:
    """The sheet's title and caption (the filter in words), and the PNG's size in pixels."""

    title: str = DEFAULT_TITLE
    caption: str = ""
    width: int = DEFAULT_PNG_SIZE[0]
    height: int = DEFAULT_PNG_SIZE[1]

    def check(self) -> None:
        """BadInput for a PNG size that cannot be drawn."""
        for name, side in (("width", self.width), ("height", self.height)):
            if not MIN_SIDE_PX <= side <= MAX_SIDE_PX:
                raise BadInput(f"The print's {name} must be {MIN_SIDE_PX} to {MAX_SIDE_PX} pixels, not {side}.")


def print_format(path: Path) -> str:
    """The print format a file name asks for; BadInput for another.

    >>> print_format(Path("map.PDF"))
    'pdf'
    """
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PRINT_FORMATS:
        raise BadInput(f"A print is a .png or a .pdf file, not {path.name!r}.")
    return fmt


def print_page(
    fmap: folium.Map, incidents: pd.DataFrame, options: PrintOptions, printed_on: date | None = None, sheet_width_px: int = A4_LANDSCAPE_PX[0],
) -> str:
    """The map's standalone page framed as a sheet: title, caption and date span; the map; credits.

    The legend and the names on the map grow with ``sheet_width_px`` (as on A4 at 96 dpi at its
    smallest), so that a large PNG reads as the PDF does.
    """
    grow = max(1.0, sheet_width_px / A4_LANDSCAPE_PX[0])
    still_map_options(fmap.options)
    name = fmap.get_name()
    printed = (printed_on or date.today()).isoformat()
    header = (
        '<header class="kim-sheet-header kim-print-header">'
        + text_block("kim-title", options.title)
        + text_block("kim-caption", options.caption)
        + text_block("kim-span", date_span(incidents))
        + "</header>"
    )
    footer = (
        '<footer class="kim-sheet-footer kim-print-footer">'
        + text_block("kim-credits", credits_text(incidents))
        + text_block("kim-made", f"Kirkuk Incident Map · printed {printed}")
        + "</footer>"
    )
    css = sheet_css(name, legend_zoom=grow) + f"""
      .kim-label {{ font-size: {12 * grow:.1f}px; }}
      .leaflet-control-scale-line {{ font-size: {12 * grow:.1f}px; border-width: 0 2px 2px; }}
    """ + """
      @page { size: 297mm 210mm; margin: 0; }
      @media print { html, body { width: 297mm; height: 210mm; } }
      .kim-print-header { padding: 2.2vh 3vw 1.2vh; border-bottom: 2px solid #20242b; }
      .kim-title { font-size: 4.4vh; font-weight: bold; line-height: 1.15; }
      .kim-caption { font-size: 2.2vh; margin-top: 0.5vh; line-height: 1.25; }
      .kim-span { font-size: 1.9vh; color: #555; line-height: 1.25; }
      .kim-print-footer { display: flex; justify-content: space-between; gap: 2vw; padding: 0.9vh 3vw 1.4vh;
                          font-size: 1.45vh; line-height: 1.3; color: #333; border-top: 1px solid #999; }
      .kim-made { white-space: nowrap; }
      .leaflet-control-attribution { display: none; }
    """
    return framed_map_page(standalone_html(fmap), name, header, footer, css)


def print_bytes(fmap: folium.Map, incidents: pd.DataFrame, fmt: str, options: PrintOptions = PrintOptions()) -> bytes:
    """The sheet as PNG bytes of ``options``' size, or as a one-page A4 landscape PDF.

    ``fmap`` is the analyst's map of ``incidents`` (build it with ``tiles={}``: no base map
    can load offline). Raises BadInput for a bad format or size and ChromiumMissing.
    """
    if fmt not in PRINT_FORMATS:
        raise BadInput(f"A print is {' or '.join(PRINT_FORMATS)}, not {fmt!r}.")
    options.check()
    html = print_page(fmap, incidents, options, sheet_width_px=options.width if fmt == "png" else A4_LANDSCAPE_PX[0])
    if fmt == "png":
        with offline_page(html, options.width, options.height) as page:
            return page.screenshot(type="png")
    with offline_page(html, *A4_LANDSCAPE_PX, scale=PDF_SCALE) as page:
        return page.pdf(width="297mm", height="210mm", print_background=True, page_ranges="1",
                        margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})


@dataclass(frozen=True)
class PrintResult:
    """The file written, its size in bytes, and the seconds it took."""

    path: Path
    size_bytes: int
    seconds: float

    def summary(self) -> str:
        return f"{self.path} ({self.size_bytes / 1e6:.2f} MB) drawn in {self.seconds:.1f} s."


def export_print(fmap: folium.Map, incidents: pd.DataFrame, out: Path, options: PrintOptions = PrintOptions()) -> PrintResult:
    """The sheet written to ``out`` (.png or .pdf, from its suffix)."""
    fmt = print_format(out)
    started = time.perf_counter()
    data = print_bytes(fmap, incidents, fmt, options)
    out.write_bytes(data)
    return PrintResult(out, len(data), time.perf_counter() - started)
