"""Every incident drawn individually on one canvas, from one compact columnar array.

A GeoJSON feature with a pre-rendered popup costs ~2.3 KB per incident and one Leaflet
layer object each; here an incident costs ~30 bytes of JSON (coordinates to 1e-4°, about
11 m, as integers; indexes into small text tables) and nothing per incident in the
browser but a few numbers. The layer projects and paints the points itself on a canvas
(Web Mercator math on typed arrays, one path per colour), and only when the view settles.
A click finds the nearest incident in JavaScript and builds its popup with ``textContent``:
nothing is pre-rendered, and no data string is ever parsed as HTML of the page.

The text tables hold ``html_text``-escaped strings (every text from data goes through it,
mapview.text); the browser decodes them in an inert DOMParser document and shows them as
text. The numeric columns go into the page as a JSON text for JSON.parse, the text
tables as a literal (point_overlays.HoistedPoints).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from folium.map import Layer
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from incidents.schema import GEO_PRECISION, TIME_PRECISION
from mapview.point_overlays import PALETTE, HoistedPoints
from mapview.style import CONTEXT_COLOUR, CONTEXT_OPACITY, CONTEXT_SIZE, EVENT_TYPE_COLOURS
from mapview.text import clip_text, html_text

COORDINATE_SCALE = 10_000  # 1e-4 degree, about 11 m at Kirkuk: finer than any place in a report
TEXT_CHARS = 200  # a place, sub-event type, actor or source in the popup
NOTE_CHARS = 120  # the popup's short note; the table and downloads have the whole text
# Notes are often one per incident: beyond this many distinct notes in a layer the popup
# says where the note is instead of sending them all (~NOTE_CHARS bytes each).
MAX_NOTES = 2_000
EPOCH = pd.Timestamp("1970-01-01")


def _codes(values: pd.Series, chars: int = TEXT_CHARS) -> tuple[list[int], list[str]]:
    """Each value's index into a table of the distinct values (escaped and clipped); -1 for a missing one."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    return codes.tolist(), [html_text(clip_text(str(u), chars)) for u in uniques]


def _days(dates: pd.Series) -> list[int]:
    """Days since 1970-01-01 of ISO dates; -1 for a missing or unreadable one.

    Each distinct date is parsed once: ten years are ~3,650 dates, whatever the incidents.
    """
    codes, uniques = pd.factorize(dates.astype("string"), use_na_sentinel=True)
    parsed = pd.to_datetime(pd.Series(uniques, dtype="string"), errors="coerce", format="%Y-%m-%d")
    days = np.append((parsed - EPOCH).dt.days.fillna(-1).astype(np.int64).to_numpy(), -1)  # [-1]: missing
    return days[codes].tolist()


def _texts(rows: pd.DataFrame, column: str) -> pd.Series:
    """A text column, or all missing when the frame lacks it (any field may be missing)."""
    return rows[column].astype("string") if column in rows else pd.Series(pd.NA, index=rows.index, dtype="string")


def _integers(values: pd.Series) -> list[int]:
    """Whole numbers; -1 for a missing one."""
    return pd.to_numeric(values, errors="coerce").fillna(-1).astype(np.int64).tolist()


def incident_points_json(incidents: pd.DataFrame) -> str:
    """The incidents with a point as one compact JSON object of columns and text tables.

    One object (as the browser sees it); the layer sends it in two parts (``incident_points_parts``).
    """
    numbers, texts = incident_points_parts(incidents)
    return numbers[:-1] + "," + texts[1:]


def incident_points_parts(incidents: pd.DataFrame) -> tuple[str, str]:
    """The incidents with a point as two compact JSON objects: the numeric columns, and the text tables.

    ``y``/``x``: latitude/longitude times COORDINATE_SCALE, as integers; ``c``: colour
    index into PALETTE (event type); ``k``: killed (-1 not stated); ``d``: days since
    1970 (-1 unknown); ``tp``: time precision; ``l``, ``s``: indexes into the ``places``
    and ``subtypes`` tables; ``a1``, ``a2``, ``src``, ``n``: into ``actors``, ``sources``
    and ``notes`` (notes clipped to NOTE_CHARS; none sent, and ``notes_left_out`` true,
    when the layer has more than MAX_NOTES distinct ones). Rows without a point are left out.
    """
    rows = incidents[incidents["latitude"].notna() & incidents["longitude"].notna()]
    type_index = {t: i for i, t in enumerate(EVENT_TYPE_COLOURS)}
    places, place_names = _codes(rows["location"])
    subtypes, subtype_names = _codes(rows["sub_event_type"])
    actor_codes, actor_names = _codes(pd.concat([_texts(rows, "actor1"), _texts(rows, "actor2")], ignore_index=True))
    sources, source_names = _codes(_texts(rows, "source"))
    notes = _texts(rows, "notes")
    notes_left_out = int(notes.nunique()) > MAX_NOTES
    note_codes, note_texts = ([-1] * len(rows), []) if notes_left_out else _codes(notes, NOTE_CHARS)
    columns = {
        "y": np.round(pd.to_numeric(rows["latitude"]).to_numpy(dtype=float) * COORDINATE_SCALE).astype(np.int64).tolist(),
        "x": np.round(pd.to_numeric(rows["longitude"]).to_numpy(dtype=float) * COORDINATE_SCALE).astype(np.int64).tolist(),
        "c": rows["event_type"].map(type_index).fillna(len(type_index)).astype(np.int64).tolist(),
        "k": _integers(rows["fatalities"]),
        "d": _days(rows["event_date"]),
        "tp": _integers(rows["time_precision"]),
        "l": places,
        "s": subtypes,
        "a1": actor_codes[: len(rows)],
        "a2": actor_codes[len(rows):],
        "src": sources,
        "n": note_codes,
        "notes_left_out": notes_left_out,
    }
    tables = {
        "places": place_names,
        "subtypes": subtype_names,
        "actors": actor_names,
        "sources": source_names,
        "notes": note_texts,
    }
    # htmlsafe: no "<", ">", "&" or "'" in the script, whatever the tables hold.
    return htmlsafe_json_dumps(columns, separators=(",", ":")), htmlsafe_json_dumps(tables, separators=(",", ":"))


class IncidentPoints(Layer):
    """One canvas layer of incidents: dots sized by the dead (``near=False``) or dashed
    uncertainty circles of ``radius_km`` (``near=True``); a click opens the nearest one's popup.
    ``muted`` draws context (incidents outside Kirkuk under a wider scope) grey, faint and smaller.

    ``window.kimRedraws`` counts the paints of every such layer (the browser benchmark and
    tests read it); ``layer.kimIncidentCount`` says how many incidents the layer holds.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
          if (!L.KimPoints) {
            var decoder = new DOMParser();
            var plain = function (escaped) { return decoder.parseFromString(escaped, "text/html").documentElement.textContent; };
            L.KimPoints = L.Layer.extend({
              initialize: function (data, options) {
                this.data = data; this.options = options; this.kimIncidentCount = data.y.length;
                var n = data.y.length, mx = new Float64Array(n), my = new Float64Array(n);
                for (var i = 0; i < n; i++) {
                  var lat = data.y[i] / {{ this.scale }}, sin = Math.sin(lat * Math.PI / 180);
                  mx[i] = (data.x[i] / {{ this.scale }} + 180) / 360;
                  my[i] = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
                }
                this.mx = mx; this.my = my;
              },
              onAdd: function (map) {
                this._map = map;
                this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-hide");
                this._canvas.style.pointerEvents = "none";
                if (!map.getPane(this.options.pane)) map.createPane(this.options.pane).style.zIndex = 450;  // above the districts, below popups
                map.getPane(this.options.pane).appendChild(this._canvas);
                this._onClick = this._click.bind(this);
                map.getContainer().addEventListener("click", this._onClick, true);  // before the districts' click-to-filter
                map.on("moveend zoomend resize viewreset", this._paint, this);
                this._paint();
              },
              onRemove: function (map) {
                map.off("moveend zoomend resize viewreset", this._paint, this);
                map.getContainer().removeEventListener("click", this._onClick, true);
                L.DomUtil.remove(this._canvas);
              },
              _radius: function (i) {
                if (this.options.near) {
                  var metresPerPixel = 40075016.686 * Math.cos(this.data.y[i] / {{ this.scale }} * Math.PI / 180) / Math.pow(2, this._map.getZoom() + 8);
                  return Math.max(3, this.options.radius_km * 1000 / metresPerPixel);
                }
                var k = this.data.k[i];
                return (4 + 2 * Math.sqrt(Math.max(k, 0)) * (this._map.getZoom() >= 11 ? 1 : 0.6)) * this.options.size;
              },
              _paint: function () {
                var map = this._map, size = map.getSize(), canvas = this._canvas, ratio = window.devicePixelRatio || 1;
                var topLeft = map.containerPointToLayerPoint([0, 0]);
                L.DomUtil.setPosition(canvas, topLeft);
                canvas.width = size.x * ratio; canvas.height = size.y * ratio;
                canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
                var ctx = canvas.getContext("2d"); ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
                var scale = 256 * Math.pow(2, map.getZoom()), origin = map.getPixelBounds().min;
                var d = this.data, n = d.y.length, palette = this.options.palette, near = this.options.near;
                var px = this._px = new Float32Array(n), py = this._py = new Float32Array(n);
                for (var i = 0; i < n; i++) { px[i] = this.mx[i] * scale - origin.x; py[i] = this.my[i] * scale - origin.y; }
                var many = n > 20000;
                ctx.lineWidth = near ? 1.5 : (many ? 0.5 : 1);
                if (near && !many) ctx.setLineDash([6, 4]);
                // Paths of at most PATH_ARCS circles: chromium rasterises one path of a colour's
                // 100,000s of circles in time that grows far faster than their number (20 s at 300,000).
                var PATH_ARCS = 2000, opacity = this.options.opacity, muted = this.options.muted;
                var flush = function (colour) {
                  ctx.fillStyle = palette[colour]; ctx.globalAlpha = (near ? 0.15 : 0.85) * opacity; ctx.fill();
                  ctx.strokeStyle = near || muted ? palette[colour] : "#222";
                  ctx.globalAlpha = (near ? 0.6 : 0.9) * opacity; ctx.stroke();
                };
                for (var colour = 0; colour < palette.length; colour++) {
                  ctx.beginPath();
                  var arcs = 0;
                  for (var j = 0; j < n; j++) {
                    if (d.c[j] !== colour) continue;
                    var x = px[j], y = py[j], r = this._radius(j);
                    if (x < -r || y < -r || x > size.x + r || y > size.y + r) continue;
                    ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
                    if (++arcs === PATH_ARCS) { flush(colour); ctx.beginPath(); arcs = 0; }
                  }
                  if (arcs) flush(colour);
                }
                window.kimRedraws = (window.kimRedraws || 0) + 1;
              },
              _nearest: function (point) {
                var best = -1, bestDistance = Infinity, d = this.data;
                for (var i = 0; i < d.y.length; i++) {
                  var dx = this._px[i] - point.x, dy = this._py[i] - point.y, distance = dx * dx + dy * dy;
                  var reach = this.options.near ? this._radius(i) : this._radius(i) + 3;
                  if (distance <= reach * reach && distance < bestDistance) { best = i; bestDistance = distance; }
                }
                return best;
              },
              _click: function (event) {
                if (!this._px || !this._map.hasLayer(this)) return;
                var i = this._nearest(this._map.mouseEventToContainerPoint(event));
                if (i < 0) return;
                event.stopPropagation();  // a click on an incident opens it; it does not filter to the district
                L.popup({maxWidth: 340, autoPanPaddingTopLeft: [10, 10]})
                  .setLatLng([this.data.y[i] / {{ this.scale }}, this.data.x[i] / {{ this.scale }}])
                  .setContent(this._popup(i)).openOn(this._map);
              },
              _popup: function (i) {
                var d = this.data, o = this.options, div = document.createElement("div"), table = document.createElement("table");
                div.className = "kim-popup";
                var date = d.d[i] < 0 ? "unknown" : new Date(d.d[i] * 86400000).toISOString().slice(0, 10);
                var rows = [
                  ["Date", date + " (" + (o.time_precisions[d.tp[i]] || "precision unknown") + ")"],
                  ["Type", (d.c[i] < o.types.length ? plain(o.types[d.c[i]]) : "unknown") + (d.s[i] >= 0 ? " / " + plain(d.subtypes[d.s[i]]) : "")],
                  ["Killed", d.k[i] < 0 ? "not stated" : String(d.k[i])],
                  ["Place", (d.l[i] >= 0 ? plain(d.places[d.l[i]]) : "") + " (" + o.precision + ")"],
                  ["Actors", [d.a1[i], d.a2[i]].filter(function (a) { return a >= 0; }).map(function (a) { return plain(d.actors[a]); }).join("; ") || "not stated"],
                  ["Source", d.src[i] >= 0 ? plain(d.sources[d.src[i]]) : "not stated"],
                  ["Note", d.n[i] >= 0 ? plain(d.notes[d.n[i]]) : (d.notes_left_out ? "in the table and the downloads" : "none")]
                ];
                rows.forEach(function (row) {
                  var tr = table.insertRow(), th = document.createElement("th");
                  th.textContent = row[0]; tr.appendChild(th); tr.insertCell().textContent = row[1];
                });
                div.appendChild(table);
                return div;
              }
            });
          }
          return new L.KimPoints({{ this.points.function_name }}(), {{ this.layer_options|tojson }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, incidents: pd.DataFrame, name: str, near: bool = False, radius_km: float = 5.0, show: bool = True, muted: bool = False
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "IncidentPoints"
        numbers, texts = incident_points_parts(incidents)
        self.points = HoistedPoints(numbers, texts_json=texts)
        self.add_child(self.points)
        self.scale = COORDINATE_SCALE
        self.layer_options = {
            "pane": "kimIncidents",
            "near": near,
            "radius_km": radius_km,
            # Muted (context outside Kirkuk): every type in one grey, fainter and smaller.
            "palette": [CONTEXT_COLOUR] * len(PALETTE) if muted else PALETTE,
            "muted": muted,
            "opacity": CONTEXT_OPACITY if muted else 1.0,
            "size": CONTEXT_SIZE if muted else 1.0,
            "types": [html_text(t) for t in EVENT_TYPE_COLOURS],
            "time_precisions": {str(k): v for k, v in TIME_PRECISION.items()},
            "precision": GEO_PRECISION[2 if near else 1],
        }
