"""The gazetteer on spellings reports use: a table of (spelling, expected place, precision).

Every string here was written for this test (no text copied from news). Ids are the
gazetteer's own: COD-AB pcodes for admin units, ``gn:`` GeoNames ids, ``osm:`` OSM ids,
``ref:``/``ed:`` slugs for the other rows.
"""
from __future__ import annotations

import time

import pytest

from geo.gazetteer import FUZZY_MIN_RATIO, Gazetteer, GeocodeResult, load_gazetteer

KIRKUK_CITY = "gn:94787"
HAWIJA = "gn:390188"
DAQUQ = "gn:90220"
DIBIS = "gn:97001"
TAZA = "gn:90199"
ALTUN_KUPRI = "ref:altun-kupri"
TUZ = "gn:90026"
LILAN = "IQG13Q04N02"
QARAHANJIR = "IQG13Q04N07"

# (query, expected place id, expected geo_precision)
PAIRS = [
    # --- the spellings ---------------------------------------------------------
    ("Qarahanjir", QARAHANJIR, 2), ("Qara Hanjir", QARAHANJIR, 2), ("Qarah Hanjeer", QARAHANJIR, 2),
    ("Qura Hanjeer", QARAHANJIR, 2), ("قرة هنجير", QARAHANJIR, 2), ("qara-hanjir", QARAHANJIR, 2),
    ("QARAHANJEER", QARAHANJIR, 2), ("Qara Hanjeer", QARAHANJIR, 2),
    ("Laylan", LILAN, 2), ("Leilan", LILAN, 2), ("Lilan", LILAN, 2), ("ليلان", LILAN, 2),
    ("Lailan", LILAN, 2), ("Laylān", LILAN, 2),
    ("Altun Kupri", ALTUN_KUPRI, 1), ("Altun Qupri", ALTUN_KUPRI, 1), ("Prde", ALTUN_KUPRI, 1),
    ("Pirde", ALTUN_KUPRI, 1), ("Altınköprü", ALTUN_KUPRI, 1), ("Altin Kopru", ALTUN_KUPRI, 1),
    ("Alton Kopri", ALTUN_KUPRI, 1), ("پردێ", ALTUN_KUPRI, 1), ("التون كوبري", ALTUN_KUPRI, 1),
    ("Daquq", DAQUQ, 1), ("Dakuk", DAQUQ, 1), ("Daqouq", DAQUQ, 1), ("Tawuq", DAQUQ, 1),
    ("Dāqūq", DAQUQ, 1), ("Tauq", DAQUQ, 1), ("داقوق", DAQUQ, 1), ("داقووق", DAQUQ, 1),
    ("Hawija", HAWIJA, 1), ("Huwayjah", HAWIJA, 1), ("Al-Hawiga", HAWIJA, 1), ("Al Hawijah", HAWIJA, 1),
    ("Haweeja", HAWIJA, 1), ("Al-Ḥawīja", HAWIJA, 1), ("الحويجة", HAWIJA, 1), ("حويجه", HAWIJA, 1),
    ("حەویجە", HAWIJA, 1),
    # --- Kirkuk: city, district, governorate ----------------------------------------------
    ("Kirkuk", KIRKUK_CITY, 1), ("Kerkuk", KIRKUK_CITY, 1), ("Kerkük", KIRKUK_CITY, 1),
    ("Karkuk", KIRKUK_CITY, 1), ("Kirkouk", KIRKUK_CITY, 1), ("Kirkuk city", KIRKUK_CITY, 1),
    ("كركوك", KIRKUK_CITY, 1), ("کەرکووک", KIRKUK_CITY, 1), ("کرکوک", KIRKUK_CITY, 1),
    ("Kirkuk province", "IQG13", 3), ("Kirkuk Governorate", "IQG13", 3), ("Kirkuk governorate", "IQG13", 3),
    ("the province of Kirkuk", "IQG13", 3), ("محافظة كركوك", "IQG13", 3), ("Tamim province", "IQG13", 3),
    ("پارێزگای کەرکووک", "IQG13", 3),
    ("Kirkuk district", "IQG13Q04", 3), ("قضاء كركوك", "IQG13Q04", 3),
    # --- districts and sub-districts -----------------------------------------------------
    ("Hawija district", "IQG13Q01", 3), ("Al-Hawiga district", "IQG13Q01", 3), ("قضاء الحويجة", "IQG13Q01", 3),
    ("Daquq district", "IQG13Q02", 3), ("Tawuq district", "IQG13Q02", 3), ("Dibis district", "IQG13Q03", 3),
    ("Dibs district", "IQG13Q03", 3), ("the district of Hawija", "IQG13Q01", 3),
    ("Laylan district", LILAN, 2), ("Leilan sub-district", LILAN, 2), ("ناحية ليلان", LILAN, 2),
    ("the Qarahanjir sub-district", QARAHANJIR, 2), ("the Qarahanjir sub-district of Kirkuk", QARAHANJIR, 2),
    ("Qara Hanjir subdistrict", QARAHANJIR, 2), ("Nahiyat Qara Hanjir", QARAHANJIR, 2),
    ("ناحية قرة هنجير", QARAHANJIR, 2),
    ("Yaijy", "IQG13Q04N04", 2), ("Yayci", "IQG13Q04N04", 2), ("Yaychi", "IQG13Q04N04", 2),
    ("يايجي", "IQG13Q04N04", 2),
    ("Shwan", "IQG13Q04N05", 2), ("Schwan", "IQG13Q04N05", 2), ("شوان", "IQG13Q04N05", 2),
    ("Sarkran", "IQG13Q03N01", 2), ("Sargaran", "IQG13Q03N01", 2), ("سركران", "IQG13Q03N01", 2),
    ("Al-Rashad", "IQG13Q02N01", 2), ("Rashad", "IQG13Q02N01", 2), ("الرشاد", "IQG13Q02N01", 2),
    ("Al-Multaka", "IQG13Q04N03", 2), ("Multaqa", "IQG13Q04N03", 2), ("الملتقى", "IQG13Q04N03", 2),
    ("Markaz Kirkuk", "IQG13Q04N06", 2), ("Markaz Al-Hawiga", "IQG13Q01N01", 2),
    ("Hawija sub-district", "IQG13Q01N01", 2), ("Markaz Daquq", "IQG13Q02N02", 2),
    ("Taza sub-district", "IQG13Q04N01", 2), ("Altun Kupri sub-district", "IQG13Q03N03", 2),
    ("Al-Zab sub-district", "IQG13Q01N02", 2), ("Al-Abbasi sub-district", "IQG13Q01N04", 2),
    ("Al-Riyadh sub-district", "IQG13Q01N03", 2),
    # --- seat towns and other towns ------------------------------------------------------
    ("Dibis", DIBIS, 1), ("Dibs", DIBIS, 1), ("Dubiz", DIBIS, 1), ("دبس", DIBIS, 1),
    ("Taza Khurmatu", TAZA, 1), ("Taza", TAZA, 1), ("Tazah Khurmatu", TAZA, 1), ("تازة خورماتو", TAZA, 1),
    ("Taza Khormato", TAZA, 1),
    ("Al-Riyadh", "gn:98697", 1), ("Ar Riyāḑ", "gn:98697", 1), ("Al-Abbasi", "gn:95224", 1),
    ("Abbasi", "gn:95224", 1), ("العباسي", "gn:95224", 1), ("Al-Zab", "ref:zab", 1), ("Az-Zab", "ref:zab", 1),
    ("Mulla Abdullah", "osm:11169757061", 1), ("Mullah Abdulla", "osm:11169757061", 1),
    ("Maktab Khalid", "osm:7477618209", 1), ("Bashir", "ref:bashir", 1), ("Beshir", "ref:bashir", 1),
    ("the village of Bashir", "ref:bashir", 1), ("Qoshqaya", "osm:8740566574", 1),
    # --- sites, fields, landmarks, nature ------------------------------------------------
    ("K-1", "ref:k-1-air-base", 1), ("K1 base", "ref:k-1-air-base", 1), ("K-1 Air Base", "ref:k-1-air-base", 1),
    ("Kirkuk Air Base", "ref:kirkuk-international-airport", 1),
    ("Kirkuk airport", "ref:kirkuk-international-airport", 1), ("FOB Warrior", "ref:kirkuk-international-airport", 1),
    ("Baba Gurgur", "ref:baba-gurgur", 1), ("Babagurgur", "ref:baba-gurgur", 1),
    ("Baba Gurgur oil field", "ref:baba-gurgur", 1), ("بابا كركر", "ref:baba-gurgur", 1),
    ("Kirkuk Citadel", "ref:kirkuk-citadel", 1), ("قلعة كركوك", "ref:kirkuk-citadel", 1),
    ("Hamrin", "ref:hamrin-mountains", 2), ("Jabal Hamrin", "ref:hamrin-mountains", 2),
    ("Himreen", "ref:hamrin-mountains", 2), ("Hamrin mountains", "ref:hamrin-mountains", 2),
    ("جبل حمرين", "ref:hamrin-mountains", 2),
    ("Wadi al-Shay", "ref:wadi-shay", 2), ("Wadi Al Shai", "ref:wadi-shay", 2), ("Tea Valley", "ref:wadi-shay", 2),
    ("Wadi Zghaytun", "ref:wadi-zghaytun", 2), ("Zaghaiton Valley", "ref:wadi-zghaytun", 2),
    ("Bai Hassan oil field", "ref:bai-hassan-oil-field", 2), ("Jambur oil field", "ref:jambur-oil-field", 3),
    ("Khabbaz oil field", "ref:khabbaz-oil-field", 2), ("Avana Dome", "ref:avana-dome", 3),
    # --- neighbourhoods -------------------------------------------------------------------
    ("Wasiti", "ref:wasiti", 2), ("Shorja", "ref:shorja", 2), ("Domiz", "ref:domiz", 2),
    ("Tis'in", "ref:tisin", 2), ("Tisin", "ref:tisin", 2), ("Rahimawa", "ed:rahimawa", 2),
    ("Imam Qasim", "ed:imam-qasim", 2),
    # --- misspellings (phonetic key or fuzzy) --------------------------------------------
    ("Kirkok", KIRKUK_CITY, 1), ("Kirkukk", KIRKUK_CITY, 1), ("Kirkuuk", KIRKUK_CITY, 1),
    ("Hawijja", HAWIJA, 1), ("Hawiija", HAWIJA, 1), ("Huwaija", HAWIJA, 1), ("Daqooq", DAQUQ, 1),
    ("Daquuq", DAQUQ, 1), ("Qarahanjiir", QARAHANJIR, 2), ("Qarahanjer", QARAHANJIR, 2),
    ("Altun Kupry", ALTUN_KUPRI, 1), ("Altoun Koupri", ALTUN_KUPRI, 1), ("Tuz Khurmatoo", TUZ, 1),
    ("Chamchamall", "gn:97417", 1), ("Makhmoor", "gn:93818", 1), ("Hamriin", "ref:hamrin-mountains", 2),
    ("Wadi al-Shaay", "ref:wadi-shay", 2), ("Mula Abdulla", "osm:11169757061", 1), ("Daquqq", DAQUQ, 1),
    ("Kirkuik", KIRKUK_CITY, 1), ("Altun Kopri", ALTUN_KUPRI, 1),
    # --- directional phrases: reference place, lower precision ---------------------------
    ("south of Kirkuk", KIRKUK_CITY, 2), ("20 km west of Hawija", HAWIJA, 2),
    ("on the outskirts of Daquq", DAQUQ, 2), ("near Laylan", LILAN, 2), ("southern Kirkuk", KIRKUK_CITY, 2),
    ("5 miles south-west of Dibis", DIBIS, 2), ("north-east of Taza", TAZA, 2), ("outskirts of Hawija", HAWIJA, 2),
    ("close to Altun Kupri", ALTUN_KUPRI, 2), ("west of Kirkuk", KIRKUK_CITY, 2),
    ("Daquq outskirts", DAQUQ, 2), ("جنوب كركوك", KIRKUK_CITY, 2), ("قرب الحويجة", HAWIJA, 2),
    ("south of Kirkuk province", "IQG13", 3), ("near the Hamrin mountains", "ref:hamrin-mountains", 2),
    ("12 kilometres north of Daquq", DAQUQ, 2), ("in the vicinity of Dibis", DIBIS, 2),
    # --- outside Kirkuk: resolve as outside, never into Kirkuk ---------------------------
    ("Tuz Khurmatu", TUZ, 1), ("Tuz Khormato", TUZ, 1), ("Tuz", TUZ, 1), ("Tooz", TUZ, 1),
    ("طوز خورماتو", TUZ, 1), ("Tuz Khurmatu district", "IQG16Q07", 3),
    ("Sulaiman Bek", "ref:sulaiman-bek", 2), ("Sulaiman Beg", "ref:sulaiman-bek", 2),
    ("Suleiman Bek", "ref:sulaiman-bek", 2), ("سليمان بيك", "ref:sulaiman-bek", 2),
    ("Amerli", "ref:amirli", 1), ("Amirli", "ref:amirli", 1), ("آمرلي", "ref:amirli", 1),
    ("Makhmur", "gn:93818", 1), ("Makhmour", "gn:93818", 1), ("مخمور", "gn:93818", 1),
    ("Chamchamal", "gn:97417", 1), ("Chemchemal", "gn:97417", 1), ("چەمچەماڵ", "gn:97417", 1),
    ("Kifri", "gn:94298", 1), ("كفري", "gn:94298", 1), ("Koysinjaq", "gn:94220", 1), ("Koya", None, None),
    ("Baiji", "gn:97783", 1), ("Shorsh", "gn:13631406", 1), ("Dukan", "gn:96953", 1),
    ("Ash Sharqat", "gn:91057", 1), ("Sharqat", "gn:91057", 1), ("Yankjah", "osm:2488469595", 1),
    ("Al-Fatha", "osm:2489272609", 1), ("Erbil", "gn:95446", 1), ("Mosul", "gn:99072", 1),
    ("Baghdad", "gn:98182", 1), ("Tikrit", "gn:90150", 1), ("Sulaymaniyah", "gn:98463", 1),
    ("Erbil province", "IQG11", 3), ("Salahuddin", "IQG16", 3), ("Salah al-Din province", "IQG16", 3),
    ("Diyala province", "IQG10", 3),
    # --- nonsense and ordinary words: no match at all -------------------------------------
    ("Blorfington", None, None), ("Xyzzyq", None, None), ("qwertyuiop", None, None), ("said", None, None),
    ("Iraq", None, None), ("forces", None, None), ("Police", None, None), ("Zanzibar", None, None),
    ("Mordor", None, None), ("the", None, None), ("", None, None), ("Springfield", None, None),
    ("Atlantis", None, None), ("Wednesday", None, None), ("Peshmerga", None, None), ("كلمة", None, None),
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_at_least_150_pairs():
    assert len(PAIRS) >= 150


@pytest.mark.parametrize(("query", "expected", "precision"), PAIRS, ids=[p[0] or "<empty>" for p in PAIRS])
def test_geocode_table(gazetteer: Gazetteer, query: str, expected: str | None, precision: int | None):
    result = gazetteer.geocode(query)
    if expected is None:
        assert not result.matched, f"{query!r} should match nothing, got {result.name} ({result.place_id})"
        assert result.reason
        return
    assert result.matched, result.reason
    assert result.place_id == expected, f"{query!r} -> {result.place_id} {result.name}; alternatives {result.alternatives}"
    assert result.geo_precision == precision, result.reason


def test_accuracy_on_pairs(gazetteer: Gazetteer):
    """The summary figure quoted in the README: share of pairs resolved exactly as expected."""
    right = sum(
        (gazetteer.geocode(q).place_id == e) if e else (not gazetteer.geocode(q).matched) for q, e, _ in PAIRS
    )
    assert right / len(PAIRS) >= 0.98


@pytest.mark.parametrize("query", ["Tuz Khurmatu", "Sulaiman Bek", "Amerli", "Makhmur", "Chamchamal", "Kifri",
                                   "Tikrit", "Erbil", "Yankjah", "Tuz Khormatoo"])
def test_outside_places_never_resolve_into_kirkuk(gazetteer: Gazetteer, query: str):
    result = gazetteer.geocode(query)
    assert result.matched and result.in_kirkuk is False


def test_result_fields_for_a_town(gazetteer: Gazetteer):
    result = gazetteer.geocode("Daquq")
    assert (result.adm1_pcode, result.adm2_pcode, result.adm3_pcode) == ("IQG13", "IQG13Q02", "IQG13Q02N02")
    assert (result.admin2, result.admin3) == ("Daquq", "Markaz Daquq")
    assert result.in_kirkuk is True and result.score == 1.0
    assert 35.0 < result.latitude < 35.3 and 44.3 < result.longitude < 44.6


def test_governorate_has_no_finer_units(gazetteer: Gazetteer):
    result = gazetteer.geocode("Kirkuk province")
    assert (result.geo_precision, result.adm1_pcode, result.adm2_pcode, result.adm3_pcode) == (3, "IQG13", None, None)


def test_context_says_province(gazetteer: Gazetteer):
    result = gazetteer.geocode("Kirkuk", context="Gunmen attacked a patrol in Kirkuk province late on Sunday.")
    assert result.place_id == "IQG13" and result.geo_precision == 3


def test_context_without_province_keeps_the_city(gazetteer: Gazetteer):
    result = gazetteer.geocode("Kirkuk", context="A shop was bombed in central Kirkuk.")
    assert result.place_id == KIRKUK_CITY


def test_context_district_settles_a_homonym(gazetteer: Gazetteer):
    near_tuz = gazetteer.geocode("Chardaghli", context="The village lies near Tuz Khurmatu and Amerli.")
    near_taza = gazetteer.geocode("Chardaghli", context="The village lies near Taza in Kirkuk district.")
    assert near_tuz.place_id == "osm:2489308018" and near_tuz.in_kirkuk is False
    assert near_taza.place_id == "osm:2488265408" and near_taza.in_kirkuk is True


def test_context_kind_word_prefers_the_oil_field(gazetteer: Gazetteer):
    result = gazetteer.geocode("Bai Hassan", context="Fire broke out at a well of the Bai Hassan field.")
    assert result.place_id == "ref:bai-hassan-oil-field"
    assert gazetteer.geocode("Bai Hassan", context="Residents of the village of Bai Hassan fled.").kind == "village"


def test_directional_phrase_keeps_the_reference_point(gazetteer: Gazetteer):
    plain, shifted = gazetteer.geocode("Hawija"), gazetteer.geocode("20 km west of Hawija")
    assert (shifted.latitude, shifted.longitude, shifted.adm3_pcode) == (plain.latitude, plain.longitude, plain.adm3_pcode)
    assert shifted.geo_precision == 2 and "20 km" in shifted.reason


def test_ambiguous_name_lists_the_other_candidate(gazetteer: Gazetteer):
    result = gazetteer.geocode("Chardaghli")
    assert "Chardaghli (Tuz)" in [c.name for c in result.alternatives]
    assert "ambiguous" in result.reason


def test_not_found_is_data_with_closest_names(gazetteer: Gazetteer):
    result = gazetteer.geocode("Kirkuk-ish Blorfville")
    assert isinstance(result, GeocodeResult) and not result.matched
    assert "closest" in result.reason and result.to_dict()["error"] == result.reason


def test_fuzzy_scores_rank_below_exact(gazetteer: Gazetteer):
    assert gazetteer.geocode("Chamchamall").score < gazetteer.geocode("Chamchamal").score
    assert 0 < FUZZY_MIN_RATIO < 100


def test_to_dict_has_the_cli_fields(gazetteer: Gazetteer):
    keys = set(gazetteer.geocode("Qara Hanjir").to_dict())
    assert {"query", "name", "kind", "latitude", "longitude", "geo_precision", "adm1_pcode", "adm2_pcode",
            "adm3_pcode", "admin2", "admin3", "in_kirkuk", "score", "alternatives"} <= keys


# ---- find_mentions --------------------------------------------------------------------------

MENTION_CASES = [
    ("Gunmen attacked a checkpoint 20 km west of Hawija on Monday.", [("20 km west of Hawija", HAWIJA, 2)]),
    ("A roadside bomb hit the Qarahanjir sub-district of Kirkuk.",
     [("Qarahanjir sub-district of Kirkuk", QARAHANJIR, 2)]),
    ("Raids continued in Kirkuk province and on the outskirts of Daquq.",
     [("Kirkuk province", "IQG13", 3), ("on the outskirts of Daquq", DAQUQ, 2)]),
    ("Police said security forces in Iraq made arrests.", []),
    ("Envoys flew to Riyadh on Monday.", []),
    ("Farmers in the town of Riyadh and in Riyadh sub-district lost crops.",
     [("the town of Riyadh", "gn:98697", 1), ("Riyadh sub-district", "IQG13Q01N03", 2)]),
    ("The Interior Ministry told Al Sumaria that Daesh remnants and Peshmerga units met on Friday.", []),
    ("قالت مصادر في الشرطة ان قوة من الجيش وصلت الى المنطقة بعد الهجوم", []),
    ("هێزەکانی پێشمەرگە و سوپای عێراق لە نزیک گوندەکان هەڵمەتێکیان ئەنجامدا", []),
    ("Farmers in Laylan district reported a fire.", [("Laylan district", LILAN, 2)]),
    ("Shelling near Tuz Khurmatu and in Kirkuk city.",
     [("near Tuz Khurmatu", TUZ, 2), ("Kirkuk city", KIRKUK_CITY, 1)]),
    ("Kirkuk's Daquq district was quiet.", [("Daquq district", "IQG13Q02", 3)]),
    ("عبوة ناسفة في ناحية ليلان وقرب الحويجة", [("ناحية ليلان", LILAN, 2), ("قرب الحويجة", HAWIJA, 2)]),
    ("The K-1 base and the Baba Gurgur oil field were guarded.",
     [("K-1 base", "ref:k-1-air-base", 1), ("Baba Gurgur oil field", "ref:baba-gurgur", 1)]),
    ("Militants hid in Wadi al-Shay, south of Kirkuk.",
     [("Wadi al-Shay", "ref:wadi-shay", 2), ("south of Kirkuk", KIRKUK_CITY, 2)]),
]


@pytest.mark.parametrize(("text", "expected"), MENTION_CASES, ids=[c[0][:30] for c in MENTION_CASES])
def test_find_mentions(gazetteer: Gazetteer, text: str, expected: list):
    mentions = gazetteer.find_mentions(text)
    got = [(m.surface, m.result.place_id, m.result.geo_precision) for m in mentions]
    assert got == expected
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.surface


def test_find_mentions_are_ordered_and_do_not_overlap(gazetteer: Gazetteer):
    text = "From Kirkuk to Daquq, Taza and Tuz Khurmatu; then Hawija, Dibis and Altun Kupri."
    mentions = gazetteer.find_mentions(text)
    assert len(mentions) == 7
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


def test_find_mentions_settles_homonyms_from_the_same_text(gazetteer: Gazetteer):
    mentions = gazetteer.find_mentions("Mortars fell on Chardaghli, a village close to Amerli and Tuz Khurmatu.")
    assert mentions[0].result.place_id == "osm:2489308018"


def test_find_mentions_is_fast(gazetteer: Gazetteer):
    text = " ".join(c[0] for c in MENTION_CASES) * 20  # about 2,000 words
    start = time.perf_counter()
    gazetteer.find_mentions(text)
    assert time.perf_counter() - start < 1.0


def test_directions_doctests_pass():
    import doctest

    from geo.gazetteer import directions

    assert doctest.testmod(directions).failed == 0
