"""A map as one standalone HTML file that opens offline: every script and style inlined.

Fonts and images that the styles refer to become data: URIs, so the file needs neither
the app nor the internet.
"""
from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import folium

from errors import SetupProblem
from mapview.assets import APP_VENDOR_URL, VENDOR_DIR

_SCRIPT_LINK = re.compile(r'<script src="(?P<url>[^"]+)"></script>')
_STYLE_LINK = re.compile(r'<link rel="stylesheet" href="(?P<url>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r'url\((?P<quote>["\']?)(?P<ref>[^)"\']+)(?P=quote)\)')


class ExportError(SetupProblem, RuntimeError):
    """The map links something that cannot be embedded."""


def _vendor_file(url: str, vendor_dir: Path, base_url: str) -> Path:
    if not url.startswith(base_url + "/"):
        raise ExportError(f"The map links {url}, which is not a local asset; it cannot open offline.")
    path = vendor_dir / url.removeprefix(base_url + "/")
    if not path.is_file():
        raise ExportError(f"{path} is missing; run: python -m mapview.assets install")
    return path


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_css(css: str, css_path: Path) -> str:
    """CSS with each relative url(...) replaced by a data: URI of the file it names."""
    # A font the stylesheet loads from the internet cannot load offline; our maps bring their own.
    css = re.sub(r"@font-face\s*\{[^}]*url\(['\"]?(?:https?:)?//[^}]*\}", "", css)

    def replace(match: re.Match[str]) -> str:
        ref = match.group("ref").split("?")[0].split("#")[0]
        if ref.startswith(("data:", "http:", "https:", "//")) or not ref:
            return match.group(0)
        target = (css_path.parent / ref).resolve()
        return f'url("{_data_uri(target)}")' if target.is_file() else match.group(0)

    return _CSS_URL.sub(replace, css)


def standalone_html(fmap: folium.Map, vendor_dir: Path = VENDOR_DIR, base_url: str = APP_VENDOR_URL) -> str:
    """The map's page with every local script and stylesheet embedded; raises ExportError for a remote link."""
    page = fmap.get_root().render()

    def script(match: re.Match[str]) -> str:
        code = _vendor_file(match.group("url"), vendor_dir, base_url).read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match[str]) -> str:
        path = _vendor_file(match.group("url"), vendor_dir, base_url)
        return "<style>" + inline_css(path.read_text(encoding="utf-8"), path) + "</style>"

    def asset_url(match: re.Match[str]) -> str:
        return f'url("{_data_uri(_vendor_file(match.group("url"), vendor_dir, base_url))}")'

    page = _SCRIPT_LINK.sub(script, page)
    page = _STYLE_LINK.sub(style, page)
    page = re.sub(r'url\("(?P<url>' + re.escape(base_url) + r'/[^"]+)"\)', asset_url, page)
    leftover = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    remote = [url for url in leftover if not url.startswith(("https://en.", "http://en."))]
    if re.search(r'<script[^>]+src="https?://', page) or re.search(r'<link[^>]+href="https?://', page):
        raise ExportError(f"The map still links remote files: {remote[:3]}")
    return page
