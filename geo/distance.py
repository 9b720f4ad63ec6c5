"""Great-circle distance, the one formula every part uses to decide "near"."""
from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0
# Two records this close can be one incident (DESIGN.md, "Sources and corroboration").
SAME_PLACE_KM = 10.0


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km between two WGS84 points (haversine; ample for tens of km).

    >>> round(great_circle_km(35.0, 44.0, 35.0, 44.1), 1)
    9.1
    """
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    h = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(h))
