"""Class schemes and colours of the choropleth."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapview.style import CHANGE_COLOURS, CHOROPLETH_COLOURS, change_colour, class_breaks, class_colour


@pytest.mark.parametrize(
    ("values", "scheme", "classes", "breaks"),
    [
        ([0, 1, 2, 3, 4], "quantiles", 4, [1.0, 2.0, 3.0, 4.0]),
        ([0, 0, 0], "quantiles", 4, []),
        ([5, 5, 5], "quantiles", 4, [5.0]),
        ([1, 1, 2, 10, 11, 50], "natural breaks", 3, [2.0, 11.0, 50.0]),
        ([1, 2, 3, 100], "natural breaks", 4, [1.0, 2.0, 3.0, 100.0]),
        ([1, 2, 3, 100], "natural breaks", 2, [3.0, 100.0]),
    ],
)
def test_class_breaks(values, scheme, classes, breaks):
    assert class_breaks(values, classes=classes, scheme=scheme) == breaks


def test_an_unknown_scheme_is_named():
    with pytest.raises(ValueError, match="quantiles"):
        class_breaks([1, 2], scheme="equal")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=40), st.sampled_from(["quantiles", "natural breaks"]))
def test_every_value_falls_in_a_class_whose_bound_covers_it(values, scheme):
    breaks = class_breaks(values, scheme=scheme)
    assert breaks == sorted(breaks)
    for value in values:
        colour = class_colour(value, breaks)
        assert colour in CHOROPLETH_COLOURS
        if value > 0:
            assert value <= breaks[-1]
            assert colour != CHOROPLETH_COLOURS[0]


@pytest.mark.parametrize(("change", "colour"), [(-5, CHANGE_COLOURS[0]), (-1, CHANGE_COLOURS[1]), (0, CHANGE_COLOURS[2]), (2, CHANGE_COLOURS[3]), (9, CHANGE_COLOURS[4])])
def test_change_colours_diverge_around_zero(change, colour):
    assert change_colour(change) == colour
