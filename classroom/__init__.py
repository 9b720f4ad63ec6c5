"""Maps taken into the classroom: the timeline as a video or GIF, the map as a print-ready PNG or PDF.

I/O at the edge: builds on mapview/ (the maps as standalone HTML), renders them in Debian's
chromium (browser.py) and encodes frames with ffmpeg (encoding.py); app/ and cli/ use it.
"""
