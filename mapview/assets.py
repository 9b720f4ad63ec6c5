"""The browser assets the maps use, installed from the npm registry and served by the app.

Folium and its plugins link Leaflet, jQuery, Bootstrap and plugin files on public CDNs;
with no internet the map stays blank. ``install_assets`` puts pinned npm packages into
``static/vendor/`` (git-ignored; Streamlit serves it at ``/app/static/vendor/``), and
``use_local_assets`` points every element of a map at those copies.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import folium
from errors import SetupProblem

REPO_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO_ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
APP_VENDOR_URL = "/app/static/vendor"

# npm package -> (pinned version, the folders or files of it the maps need)
NPM_PACKAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "leaflet": ("1.9.4", ("dist",)),
    "jquery": ("3.7.1", ("dist/jquery.min.js",)),
    "bootstrap": ("5.3.8", ("dist/js/bootstrap.bundle.min.js", "dist/css/bootstrap.min.css")),
    "leaflet.awesome-markers": ("2.0.5", ("dist",)),
    "@fortawesome/fontawesome-free": ("6.7.2", ("css", "webfonts")),
    "leaflet.markercluster": ("1.5.3", ("dist",)),
    "leaflet.heat": ("0.2.0", ("dist",)),
    "jquery-ui": ("1.14.1", ("dist/jquery-ui.min.js",)),
    "iso8601-js-period": ("0.2.1", ("iso8601.js",)),
    "leaflet-timedimension": ("1.1.1", ("dist",)),
    "moment": ("2.30.1", ("min/moment.min.js",)),
    # Only for the Glyphicons font that leaflet-timedimension's play/pause buttons use.
    "bootstrap3": ("npm:bootstrap@3.4.1", ("dist/fonts",)),
}

# Folium's name of an asset -> our file under static/vendor/, or None where no map of
# ours needs it (Bootstrap 3 glyphicons, rotated awesome markers, code highlighting).
ASSET_FILES: dict[str, str | None] = {
    "leaflet": "leaflet/dist/leaflet.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    "jquery": "jquery/dist/jquery.min.js",
    "jquery3.7.1": "jquery/dist/jquery.min.js",
    "bootstrap": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap_css": "bootstrap/dist/css/bootstrap.min.css",
    "awesome_markers": "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
    "awesome_markers_css": "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
    "awesome_markers_font_css": "@fortawesome/fontawesome-free/css/all.min.css",
    "glyphicons_css": None,
    "awesome_rotate_css": None,
    "markerclusterjs": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "leaflet-heat.js": "leaflet.heat/dist/leaflet-heat.js",
    "jqueryui1.10.2": "jquery-ui/dist/jquery-ui.min.js",
    "iso8601": "iso8601-js-period/iso8601.js",
    "leaflet.timedimension": "leaflet-timedimension/dist/leaflet.timedimension.min.js",
    "leaflet.timedimension_css": "leaflet-timedimension/dist/leaflet.timedimension.control.local.css",
    "moment": "moment/min/moment.min.js",
    "highlight.js_css": None,
}


# Stylesheets that load fonts from a CDN: a copy with those URLs pointed at our files.
# (source, written copy, [(remote prefix, local prefix relative to the copy)])
LOCALIZED_CSS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "leaflet-timedimension/dist/leaflet.timedimension.control.css",
        "leaflet-timedimension/dist/leaflet.timedimension.control.local.css",
        (("//netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/", "../../bootstrap3/dist/fonts/"),),
    ),
)


class AssetsMissing(SetupProblem, FileNotFoundError):
    """The vendored browser assets are not installed."""


class UnvendoredAsset(KeyError):
    """A map element links a CDN asset that has no local copy."""


def missing_asset_files(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """The asset files the maps need that are not in ``vendor_dir``."""
    needed = sorted({f for f in ASSET_FILES.values() if f})
    return [f for f in needed if not (vendor_dir / f).is_file()]


def check_assets_installed(vendor_dir: Path = VENDOR_DIR) -> None:
    """Raise AssetsMissing, saying how to install them, unless every asset is in place."""
    missing = missing_asset_files(vendor_dir)
    if missing:
        raise AssetsMissing(
            f"{len(missing)} map asset file(s) are missing from {vendor_dir} "
            f"(first: {missing[0]}). Install them with: python -m mapview.assets install "
            "(needs npm and access to the npm registry; bash scripts/setup runs it)."
        )


def install_assets(vendor_dir: Path = VENDOR_DIR, npm: str = "npm") -> list[str]:
    """Install the pinned npm packages and copy the files the maps need into ``vendor_dir``.

    Returns the package specs installed. Needs ``npm`` and the npm registry.
    """
    if shutil.which(npm) is None:
        raise AssetsMissing(f"'{npm}' was not found; install Node.js and npm (Debian: apt-get install npm).")
    specs = [f"{name}@{version}" for name, (version, _) in NPM_PACKAGES.items()]  # "npm:" versions are aliases
    with tempfile.TemporaryDirectory(prefix="kirkuk-npm-") as prefix:
        print(f"Installing {len(specs)} npm packages for the maps ...", file=sys.stderr, flush=True)
        subprocess.run(
            [npm, "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, *specs],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        modules = Path(prefix) / "node_modules"
        for name, (_, parts) in NPM_PACKAGES.items():
            for part in parts:
                source, target = modules / name / part, vendor_dir / name / part
                target.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir():
                    shutil.copytree(source, target, dirs_exist_ok=True)
                else:
                    shutil.copy2(source, target)
    write_localized_css(vendor_dir)
    check_assets_installed(vendor_dir)
    return specs


def write_localized_css(vendor_dir: Path = VENDOR_DIR) -> None:
    """Write the LOCALIZED_CSS copies, whose font URLs point at our files, not a CDN."""
    for source, copy, replacements in LOCALIZED_CSS:
        css = (vendor_dir / source).read_text(encoding="utf-8")
        for remote, local in replacements:
            css = css.replace(remote, local)
        (vendor_dir / copy).write_text(css, encoding="utf-8")


def map_elements(element: object) -> Iterator[object]:
    """``element`` and everything under it in folium's element tree (the one walk of ``_children``)."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from map_elements(child)


def local_url(name: str, url: str, base_url: str = APP_VENDOR_URL) -> str | None:
    """Our URL for one of folium's asset names; None when no map of ours needs it."""
    if name not in ASSET_FILES:
        raise UnvendoredAsset(
            f"The map links {url} ({name!r}), which has no local copy. Add its npm package to "
            "NPM_PACKAGES and the file to ASSET_FILES in mapview/assets.py."
        )
    path = ASSET_FILES[name]
    return None if path is None else f"{base_url}/{path}"


def use_local_assets(fmap: folium.Map, base_url: str = APP_VENDOR_URL) -> folium.Map:
    """Point every asset link of ``fmap`` and its elements at the local copies (in place).

    Folium keeps the links as class attributes; this sets instance attributes, so other
    maps are not affected. Raises UnvendoredAsset for a link with no local copy.
    """
    for element in map_elements(fmap):
        for attribute in ("default_js", "default_css"):
            links = getattr(element, attribute, None)
            if not links:
                continue
            localized = [(name, local_url(name, url, base_url)) for name, url in links]
            setattr(element, attribute, [(name, url) for name, url in localized if url is not None])
    return fmap


def main(argv: list[str] | None = None) -> int:
    """``python -m mapview.assets install|check``."""
    parser = argparse.ArgumentParser(prog="python -m mapview.assets", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["install", "check"])
    parser.add_argument("--dir", type=Path, default=VENDOR_DIR, help="where to put the files (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            if not missing_asset_files(args.dir):
                print(f"Map assets already installed in {args.dir}.")
                return 0
            specs = install_assets(args.dir)
            print(f"Installed {len(specs)} packages into {args.dir}.")
        else:
            check_assets_installed(args.dir)
            print(f"All {len({f for f in ASSET_FILES.values() if f})} map asset files are in {args.dir}.")
    except (AssetsMissing, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
