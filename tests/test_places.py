"""Where an incident happened: "Kirkuk" read as city, surroundings or governorate; the anchor; homonyms; roads."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from geo.gazetteer import load_gazetteer
from reports.place_mentions import city_references, find_named_places, join_areas
from reports.places import Candidate, choose_place, is_kirkuk_name, kirkuk_sense, place_columns


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    "surface, sentence, report, sense",
    [
        ("Kirkuk", "a clash in Kirkuk on Wednesday night", "", "governorate"),
        ("Kirkuk province", "a bomb in Kirkuk province", "", "governorate"),
        ("north of Kirkuk", "an outpost north of Kirkuk", "", "surroundings"),
        ("on the outskirts of Kirkuk", "positions on the outskirts of Kirkuk", "the centre of Kirkuk city", "surroundings"),
        ("Kirkuk", "a bomb on a busy street in Kirkuk", "", "city"),  # a city site beside the name
        ("Kirkuk", "twin blasts hit Kirkuk", "Kirkuk, a city of a million people", "city"),  # the report calls it a city
        ("Kirkuk city", "twin blasts in Kirkuk city", "", "city"),
        ("southern Kirkuk", "a car market in southern Kirkuk", "the northern city of Kirkuk", "city part"),
        ("southern Kirkuk", "a village in southern Kirkuk", "", "governorate"),
    ],
)
def test_kirkuk_sense(surface, sentence, report, sense):
    assert kirkuk_sense(surface, sentence, report) == sense


def test_the_south_of_kirkuk_is_a_part_of_the_city_not_somewhere_south_of_it():
    assert kirkuk_sense("south of Kirkuk", "a shop in the south of Kirkuk", "a crowded city", "in the ") == "city part"


@pytest.mark.parametrize("surface, named", [("Kirkuk", True), ("Tamim", True), ("20 km south of Kirkuk", True), ("Daquq", False)])
def test_is_kirkuk_name(surface, named):
    assert is_kirkuk_name(surface) is named


def place(name, kind, adm1, adm2=None, adm3=None, lat=35.0, lon=44.0, precision=1):
    """A resolved place, shaped like geo.gazetteer.GeocodeResult."""
    return SimpleNamespace(name=name, kind=kind, adm1_pcode=adm1, adm2_pcode=adm2, adm3_pcode=adm3, admin1=adm1,
                           admin2=adm2, admin3=adm3, latitude=lat, longitude=lon, geo_precision=precision,
                           in_kirkuk=adm1 == "IQG13", matched=True)


def candidate(surface, result, level, order, sentence=0, tier=0, kirkuk=False):
    return Candidate(surface, result, level, tier, order, sentence, kirkuk)


VILLAGE_IN_SHWAN = place("Upper Saydan", "village", "IQG13", "IQG13Q04", "IQG13Q04N05", 35.60, 44.60)
QARA_HANJIR = place("Qura Hanjeer", "sub-district", "IQG13", "IQG13Q04", "IQG13Q04N07", 35.47, 44.63, 2)
KIRKUK_CITY = place("Kirkuk", "city", "IQG13", "IQG13Q04", "IQG13Q04N06", 35.47, 44.39)
DAQUQ = place("Daquq", "town", "IQG13", "IQG13Q02", "IQG13Q02N02", 35.14, 44.45)
QARA_TABE = place("Qara Tabe", "sub-district", "IQG10", "IQG10Q06", "IQG10Q06N03", 34.44, 44.89, 2)
KIRKUK_GOVERNORATE = place("Kirkuk", "governorate", "IQG13", precision=3)


def test_a_sub_district_the_sentence_names_wins_over_a_village_point_outside_it():
    chosen, reasons = choose_place([candidate("Upper Saydan village", VILLAGE_IN_SHWAN, 1, 0),
                                    candidate("Qara Hanjir sub-district", QARA_HANJIR, 2, 1)])
    assert chosen.result is QARA_HANJIR
    assert any("the named unit is kept" in r for r in reasons)


def test_kirkuk_is_only_the_container_when_another_place_of_the_governorate_is_named():
    chosen, _ = choose_place([candidate("Kirkuk", KIRKUK_CITY, 2, 0, kirkuk=True), candidate("Daquq", DAQUQ, 1, 1)])
    assert chosen.result is DAQUQ


def test_a_province_the_text_gives_to_a_town_never_overrides_the_boundaries():
    chosen, reasons = choose_place([candidate("Kirkuk province", KIRKUK_GOVERNORATE, 4, 0, kirkuk=True),
                                    candidate("Qara Tapa", QARA_TABE, 2, 1)])
    assert chosen.result is QARA_TABE
    assert any("the text puts Qara Tabe in Kirkuk" in r and "are kept" in r for r in reasons)


def test_the_headline_places_the_incident_only_when_the_body_does_not():
    body = candidate("Daquq", DAQUQ, 1, 0)
    headline = candidate("Kirkuk city", KIRKUK_CITY, 2, 1, tier=1, kirkuk=True)
    assert choose_place([headline, body])[0] is body
    assert choose_place([headline])[0] is headline


@pytest.mark.parametrize(
    "text, adm1, adm2",
    [
        ("Gunmen set up a checkpoint on the Hawija-Kirkuk road and stopped cars.", "IQG13", None),  # two districts
        ("Two bombs were found on the road between Hawija and Zab.", "IQG13", "IQG13Q01"),  # one district
    ],
)
def test_a_road_between_two_towns_is_the_area_they_share(gazetteer, text, adm1, adm2):
    (road,) = join_areas(text, sorted(gazetteer.find_mentions(text), key=lambda m: m.start))
    assert (road.result.kind, road.result.adm1_pcode, road.result.adm2_pcode) == ("road", adm1, adm2)
    assert place_columns(road.result)["adm2_pcode"] == adm2  # it becomes an incident's place like any other


def test_a_name_the_text_calls_a_place_is_looked_up_with_spelling_tolerance(gazetteer):
    text = "Militants attacked a farm. Qara Tabba, home to the farm, is a sub-district of the area."
    (found,) = find_named_places(text, gazetteer.find_mentions(text), gazetteer)
    assert (found.surface, found.result.adm3_pcode) == ("Qara Tabba", "IQG10Q06N03")


def test_a_village_is_never_taken_for_a_city_of_a_similar_name(gazetteer):
    text = "The body was left near Hilewa village."  # the gazetteer's nearest spelling is a city in Babil
    assert find_named_places(text, gazetteer.find_mentions(text), gazetteer) == []


def test_in_the_city_is_the_city_named_before_it(gazetteer):
    text = "Fighting raged south of Kirkuk. Later two bombers blew themselves up in the city."
    (city,) = city_references(text, sorted(gazetteer.find_mentions(text), key=lambda m: m.start))
    assert (city.surface, city.result.adm3_pcode) == ("Kirkuk city", "IQG13Q04N06")
