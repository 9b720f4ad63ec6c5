"""Cross-script keys: a Latin spelling and an Arabic or Sorani name meet on one consonant skeleton.

Most OpenStreetMap villages are named only in Arabic script (``عصرية``) while English reports
spell them in Latin letters (al-Asriya). Both sides are reduced to the same alphabet of
consonant classes; vowels (and the letters that write them: ``ا و ي ی ێ ۆ ە ة``, a e i o u
w y) are optional, so they are dropped from the skeleton and kept only in a second, vowelled
form that grades how close two skeleton-equal names are. The table is documented in
data/GAZETTEER.md ("Romanisation"):

=========  ==========================  ======================
class      Latin                       Arabic / Sorani
=========  ==========================  ======================
b          b p                         ب پ
t          t                           ت ط
z          z dh th zh                  ز ذ ث ظ ژ
j          j dj                        ج
C          ch tch (ç)                  چ
h          h (not after a final vowel) ح ه (not final) ھ
x          kh x                        خ
d          d                           د ض
r          r                           ر ڕ
s          s                           س ص
S          sh sch (ş)                  ش
k          q k g c ck gh (ğ)           ق ك ک گ غ
f          f ph v                      ف ڤ
l m n      l m n                       ل ڵ م ن
(vowel)    a e i o u w y               ا أ إ آ ى ة و ۆ ۇ ي ی ێ ې ە ع, final ه
(optional) a final h                    a final ح or ه
(dropped)  ' ` ʿ ʾ, the article al-    ء ئ ؤ, the article ال
=========  ==========================  ======================

Doubled classes count once (Qarra = Qara). Words that say "upper", "lower", "middle",
"big", "small", "new" or "old" after a village name (``سەروو``, ``العليا``) give a second key
without them, since reports usually leave them out.
"""
from __future__ import annotations

import re
from functools import lru_cache

from geo.gazetteer.normalize import fold, script_of

# Longer spellings first so that "tch" is not read as "t" + "ch".
_LATIN_CLASSES = (
    ("tch", "C"), ("sch", "S"), ("sh", "S"), ("ch", "C"), ("kh", "x"), ("gh", "k"), ("dh", "z"),
    ("th", "z"), ("zh", "z"), ("ph", "f"), ("dj", "j"), ("ck", "k"),
    ("q", "k"), ("g", "k"), ("c", "k"), ("p", "b"), ("v", "f"),
)
_LATIN_VOWELS = str.maketrans({"a": "a", "e": "a", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u"})
_ARABIC_CLASSES = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ز": "z", "ذ": "z", "ث": "z", "ظ": "z", "ژ": "z",
    "ج": "j", "چ": "C", "ح": "h", "ه": "h", "خ": "x", "د": "d", "ض": "d", "ر": "r", "س": "s",
    "ص": "s", "ش": "S", "ق": "k", "ك": "k", "گ": "k", "غ": "k", "ف": "f", "ڤ": "f", "ل": "l",
    "م": "m", "ن": "n",
    # vowels, written or implied: kept only in the vowelled form
    "ا": "a", "ى": "a", "و": "u", "ي": "i", "ع": "a",  # ayn: silent in Latin, a vowel carrier here
}
_VOWEL_CLASSES = set("aiu")
_SILENT = re.compile(r"[\u0621\u0626\u0624'`\u02bf\u02be]")  # hamza forms, marks
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_LATIN_H = re.compile(r"(?<=[aeiou])h$")
_LATIN_TRIBE = re.compile(r"^al(?=b[ou]$)")  # "Albu Mafraj": the tribe word Bu, its article fused
_QUALIFIER_WORDS_RAW = (
    "سەروو", "خواروو", "ناوەڕاست", "ژوورو", "ژێروو", "بچووک", "گەورە", "کۆن", "نوێ",
    "العليا", "السفلى", "الوسطى", "الكبير", "الكبيرة", "الصغير", "الصغيرة", "الجديدة", "القديمة",
    "عليا", "سفلى", "كبير", "صغير", "جديد", "قديم",
)


@lru_cache(maxsize=65536)
def _prepare(text: str) -> str:
    """fold() with the Sorani vowel ە kept apart from the consonant ه (fold merges them)."""
    return fold(text.replace("ە", "ا").replace("ھ", "ه"), proclitics=False)


_QUALIFIER_WORDS = frozenset(_prepare(w) for w in _QUALIFIER_WORDS_RAW)


def _latin_classes(token: str) -> str:
    """One Latin word as consonant classes, vowels as a/i/u."""
    token = _LATIN_TRIBE.sub("", _FINAL_LATIN_H.sub("", _SILENT.sub("", token)))
    for spelled, cls in _LATIN_CLASSES:
        token = token.replace(spelled, cls)
    return token.translate(_LATIN_VOWELS)


def _arabic_classes(token: str) -> str:
    """One Arabic-script word as consonant classes, vowels as a/i/u, a final ه as a vowel."""
    token = _SILENT.sub("", token)
    if len(token) > 2 and token.endswith("ه"):
        token = token[:-1] + "ا"
    return "".join(_ARABIC_CLASSES.get(ch, "") for ch in token)


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    """The folded words of a name, each as classes (vowels included); cached, names repeat."""
    words = []
    for token in _prepare(text).split():
        words.append(_arabic_classes(token) if script_of(token) == "arabic" else _latin_classes(token))
    return tuple(w for w in words if w)


def vowelled_form(text: str) -> str:
    """The name as classes with its vowels (a/i/u), doubled letters once: grades skeleton-equal names.

    >>> vowelled_form("al-Asriya"), vowelled_form("عصرية")
    ('asria', 'asria')
    """
    return _DOUBLED.sub(r"\1", "".join(_words(text)))


def skeleton(text: str) -> str:
    """The consonant skeleton of a name in either script: equal skeletons may be one name.

    >>> skeleton("Qara Salim") == skeleton("قەرەسالم") == "krslm"
    True
    >>> skeleton("Saydani Khwaru") == skeleton("سەیدانی خواروو")
    True
    """
    consonants = "".join(c for c in "".join(_words(text)) if c not in _VOWEL_CLASSES)
    # A final h is optional: Latin drops or writes it for ة and for ح alike (Sabah, Sabaa).
    return _DOUBLED.sub(r"\1", consonants).removesuffix("h")


def skeletons(text: str) -> tuple[str, ...]:
    """The skeleton of a name, and of the name without an upper/lower/big/small word after it.

    >>> skeletons("تەپەکوڕەی سەروو")
    ('tbkrsr', 'tbkr')
    """
    keys = [skeleton(text)]
    words = _prepare(text).split()
    kept = [w for w in words if w not in _QUALIFIER_WORDS]
    if kept and len(kept) < len(words):
        keys.append(skeleton(" ".join(kept)))
    return tuple(dict.fromkeys(k for k in keys if k))


def vowelled_forms(text: str) -> tuple[str, ...]:
    """The vowelled form of a name, and of the name without a qualifying word (as ``skeletons``)."""
    forms = [vowelled_form(text)]
    words = _prepare(text).split()
    kept = [w for w in words if w not in _QUALIFIER_WORDS]
    if kept and len(kept) < len(words):
        forms.append(vowelled_form(" ".join(kept)))
    return tuple(dict.fromkeys(f for f in forms if f))


__all__ = ["skeleton", "skeletons", "vowelled_form", "vowelled_forms"]
