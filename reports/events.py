"""Event type, sub-event type and actors from the words of report sentences.

A table of cues per ACLED sub-event type and per actor of our documented list
(incidents.schema.ACTORS). The cue tables are the documentation: an analyst who sees a
wrong type can find the word that caused it here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.schema import ACTORS, EVENT_TYPES

# (event_type, sub_event_type, cue regex), in priority order: when an incident's sentences
# hold several cues, the first row that matches decides (ground fighting outranks the air
# strike that preceded it; a bomb outranks the shooting after it).
SUB_EVENT_CUES: tuple[tuple[str, str, str], ...] = (
    ("Explosions/Remote violence", "Suicide bomb", r"suicide (?:bomb|attack|vest|belt|car)|blew (?:himself|themselves) up"),
    # A defused or found bomb is not an explosion: this row sits above the explosive one.
    ("Strategic developments", "Other",
     r"defused|dismantled|(?:found|seized|discovered|cleared) (?:\w+ ){0,3}(?:ieds?|explosive devices|bombs|mines|landmines)"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED",
     r"\bieds?\b|improvised explosive|roadside bomb|\bbomb(?:s|ings?)?\b|explosive device|landmine|land mine|\bmines?\b(?! of)|car bomb|"
     r"sticky bomb|booby[- ]trap|bomb (?:exploded|went off|blast)|(?:explosion|blast) (?:hit|struck|ripped|killed|wounded|targeted)|"
     r"\b(?:exploded|detonated)\b"),
    ("Battles", "Armed clash",
     r"\bclash(?:ed|es)?\b|gunfight|firefight|fire ?fight|exchange of fire|exchanged fire|ground combat|\bfighting\b|"
     r"\bengaged\b|ambush(?:ed)?|attacked (?:a|an|the|their|its) (?:\w+ ){0,3}(?:checkpoint|post|patrol|position|outpost|base|convoy|unit|headquarters)|"
     r"attack on (?:a|an|the|their|its) (?:\w+ ){0,3}(?:checkpoint|post|patrol|position|outpost|base|convoy|unit)|stormed|"
     r"opened fire on (?:a|an|the|their|its) (?:\w+ ){0,3}(?:checkpoint|post|patrol|soldiers|troops|forces|police)|sniper|"
     r"\bfought\b|fighting back|fought back|repelled|repulsed|beat back|drove (?:them|the attackers|the militants) (?:off|away)|"
     r"traded fire|\bbattl(?:ed|ing)\b"),
    # Armed groups taking villages ("seized Dibis", "occupied two villages"); a government retaking them is a battle too.
    ("Battles", "Non-state actor overtakes territory",
     r"\b(?:seiz(?:ed|ing|e)|took over|take over|taken over|overran|occupied)\b(?: \w+){0,4} (?:villages?|towns?|areas?|region|district)\b|"
     r"\bseizing it\b|\b(?:seized|occupied) [A-Z]\w+"),
    ("Explosions/Remote violence", "Air/drone strike",
     r"air ?strikes?|air raids?|drone strikes?|warplanes?|aircraft|f-16|helicopter|air forces? (?:bombed|bombarded|struck|targeted)|"
     r"bombarded|air and ground strikes|aerial|\bstrikes? (?:by|from) (?:a |the )?(?:drone|jet|plane)"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack",
     r"mortar|rockets?|shell(?:ing|ed|s)\b|artillery|katyusha|missiles?"),
    ("Explosions/Remote violence", "Grenade", r"grenade"),
    ("Violence against civilians", "Abduction/forced disappearance", r"kidnap|abduct"),
    ("Violence against civilians", "Attack",
     r"(?:shot|killed|executed|beheaded|attacked|murdered|gunned down) (?:\w+ ){0,3}(?:civilians?|shepherds?|farmers?|villagers?|"
     r"residents?|truffle|mukhtar|man|woman|child|family|workers?|herders?|driver)|assassinat|gunned down|shot dead|murdered|execution|"
     r"opened fire on (?:a|an|the|their|his|her) (?:\w+ ){0,2}(?:car|house|home|shop|vehicle|family)"),
    ("Strategic developments", "Arrests",
     r"\barrest(?:ed|s)?\b|\bcaptured\b|\bdetained\b|apprehended|taken into custody|rounded up"),
    ("Strategic developments", "Looting/property destruction",
     r"set (?:fire|ablaze)|burn(?:ed|t) (?:\w+ ){0,3}(?:crops|fields|houses|homes|wheat|barley)|looted|destroyed (?:\w+ ){0,3}(?:towers?|homes?|houses?|crops)|blew up (?:a|an|the) (?:\w+ ){0,2}(?:tower|pylon|house|home|well)"),
    ("Strategic developments", "Other",
     r"defused|dismantled|seized (?:a|an|the)? ?(?:weapons|arms|cache)|weapons cache|arms cache|found (?:a|an|the) (?:\w+ ){0,2}(?:cache|tunnel|hideout)|"
     r"destroyed (?:a|an|the)? ?(?:\w+ ){0,2}(?:hideouts?|tunnels?|caves?)|bodies (?:were )?(?:found|recovered)|(?:found|recovered) (?:the )?bod(?:y|ies)|mass grave|"
     r"(?:found|discovered|recovered) (?:\w+ ){0,3}(?:bodies|corpses?)|(?:body|corpse) (?:\w+ ){0,6}(?:was|has been) (?:found|discovered)"),
    # Last resort: an army or security operation that killed or captured people was a fight, and so
    # was an attack or raid of unnamed means (on civilians it becomes an attack on civilians below).
    ("Battles", "Armed clash",
     r"\b(?:military|army|security|joint|counter-?terrorism|combing|clearance|airdrop) operation|\bairdrop\b|"
     r"\bkill(?:ed|ing) (?:\w+ ){0,2}(?:isis|daesh|militants|terrorists|jihadists)\b|"
     r"\b(?:attack|attacked|assault(?:ed)?|raid(?:ed)?|ambush(?:ed)?)\b"),
)
assert all(sub in EVENT_TYPES[kind] for kind, sub, _ in SUB_EVENT_CUES)

# The actor list of DESIGN.md with the words reports use for each; first match wins, so the
# specific branches come before "Iraqi security forces".
ACTOR_CUES: tuple[tuple[str, str], ...] = (
    ("Islamic State", r"\bisis\b|\bisil\b|\bdaesh\b|islamic state|\bIS\b|jihadist|terrorist"),
    ("Kurdistan Region Security (Asayish)", r"asayish|asayesh|kurdistan region(?:'s|’s)? security|kurdish security|kurdish commando|counter-terrorism (?:group|department) of the kurdistan"),
    ("Peshmerga", r"peshmerga"),
    ("Popular Mobilization Forces", r"popular mobili[sz]ation|\bpmf\b|\bpmu\b|hashd"),
    ("Iraqi Counter-Terrorism Service", r"counter[- ]terrorism service|\bcts\b|counter[- ]terrorism forces"),
    ("Iraqi Federal Police", r"federal police"),
    ("Iraqi Air Force", r"iraqi air forces?|air force|warplanes?|f-16|army aviation"),
    ("Iraqi Army", r"iraqi army|\barmy\b|soldiers?|\btroops\b|brigade|\bdivision\b"),
    ("Iraqi security forces",
     r"iraqi (?:security )?forces|security forces|\bpolice(?:man|men)?\b|operations command|intelligence (?:service|agency|directorate|cell)|"
     r"falcons|joint operations|iraqi authorities|security personnel|iraqi government forces|national security service"),
    ("Civilians", r"civilians?|shepherds?|farmers?|villagers?|residents?|truffle|mukhtar|herders?|children|family|families|workers?"),
    ("Unidentified armed group", r"gunm[ae]n|unidentified (?:attackers|assailants|armed|men)|unknown (?:attackers|assailants|gunmen)|armed men|assailants"),
)
assert all(actor in ACTORS for actor, _ in ACTOR_CUES)
STATE_ACTORS = frozenset(a for a, _ in ACTOR_CUES if a not in ("Islamic State", "Civilians", "Unidentified armed group"))
NON_STATE_ARMED = frozenset({"Islamic State", "Unidentified armed group"})

# Clauses that report what someone said, vowed or estimated rather than what happened.
STATEMENT_CUES = (
    r"\b(?:said|says|say|stated|stressed|vowed|reiterated|announced|added|noted|told|according to|confirmed|statement|read|"
    r"estimated|estimates|warned|called (?:for|on)|urged|pledged|declared|claimed responsibility|quoted|reported|"
    r"condemned|praised|denied|explained|continue to|continues to|capable of|are capable|is capable)\b"
)
_STATEMENT_RE = re.compile(STATEMENT_CUES, re.IGNORECASE)
# Words that show a clause reports an event even when it also holds a statement verb.
_HAPPENED_RE = re.compile(
    r"\b(?:killed|wounded|injured|martyred|died|dead|clash(?:ed|es)?|attacked|exploded|detonated|struck|bombarded|"
    r"arrested|captured|detained|kidnapped|abducted|ambushed|shot|fired|stormed|recovered|defused|destroyed|set fire|"
    r"targeted|engaged|hit|raided|bombed|blast|explosion|airstrike|air strike|drone strike|"
    r"executed|beheaded|assassinated|assaulted|(?:cost|claimed|took) the lives?|murdered|gunned down|slain|lost (?:their|his|her) li(?:ves|fe)|perished|"
    r"went off|blew up|seize[sd]?|seizing|torch(?:ed|ing)|set (?:\w+ ){0,3}(?:alight|ablaze|on fire)|setting (?:\w+ ){0,3}alight|"
    r"slipped (?:\w+ ){0,4}into|infiltrated|broke into|set off (?:his|their|an?|the) (?:\w+ )?(?:explosives?|bombs?|vests?|belts?|charges?|device)|"
    r"(?:mounted|staged|carried out|conducted|launched) (?:a |an |the |two |three |several )?(?:\w+ )?"
    r"(?:attacks?|assaults?|raids?|ambush(?:es)?|operations?|strikes?|offensive)|"
    r"(?:attack|blast|explosion|bombing|clash(?:es)?|incident|ambush|strike|shooting|fighting) (?:\w+ ){0,2}"
    r"(?:took place|happened|occurred)|overran|occupied|shelled|took over (?:a |the |two |several )?(?:\w+ )?(?:villages?|towns?|areas?|region)|"
    r"(?:found|discovered|recovered) (?:the )?(?:\w+ ){0,3}(?:bod(?:y|ies)|corpses?|remains)|"
    r"(?:bod(?:y|ies)|corpses?) (?:\w+ ){0,6}(?:was|were|has been|have been) (?:found|discovered|recovered))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventType:
    """An incident's ACLED type and sub-type and the cue words that chose them."""

    event_type: str
    sub_event_type: str
    cues: tuple[str, ...]


def sub_event_cues(text: str) -> list[tuple[str, str, str]]:
    """Every (event_type, sub_event_type, matched words) whose cue occurs in ``text``, in priority order.

    >>> [s for _, s, _ in sub_event_cues("ISIS fighters clashed with troops after an air strike")]
    ['Armed clash', 'Air/drone strike']
    """
    found = []
    for event_type, sub_event_type, pattern in SUB_EVENT_CUES:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            found.append((event_type, sub_event_type, match.group(0)))
    return found


def happened(text: str) -> bool:
    """True when ``text`` describes something that happened (a violent or security event)."""
    return bool(_HAPPENED_RE.search(text)) or bool(sub_event_cues(text))


def is_statement(clause: str) -> bool:
    """True when a clause only reports speech, opinion or estimates (it yields no event).

    >>> is_statement("the agency vowed"), is_statement("two soldiers were killed")
    (True, False)
    """
    return bool(_STATEMENT_RE.search(clause)) and not _HAPPENED_RE.search(clause)


def find_actors(text: str) -> list[str]:
    """The documented actors ``text`` names, in the order of their first mention.

    >>> find_actors("Iraqi forces recovered the bodies of four ISIS fighters")
    ['Iraqi security forces', 'Islamic State']
    """
    spans: list[tuple[int, int, str]] = []
    for actor, pattern in ACTOR_CUES:
        flags = 0 if actor == "Islamic State" else re.IGNORECASE
        for match in re.finditer(pattern if actor != "Islamic State" else _case_insensitive_except_is(pattern), text, flags):
            if not any(match.start() < e and s < match.end() for s, e, _ in spans):
                spans.append((match.start(), match.end(), actor))
    ordered = [actor for _, _, actor in sorted(spans)]
    return list(dict.fromkeys(ordered))


def _case_insensitive_except_is(pattern: str) -> str:
    # "IS" is only the group when capitalised; the other alternatives ignore case.
    parts = [p for p in pattern.split("|") if p != r"\bIS\b"]
    return "(?i:" + "|".join(parts) + r")|\bIS\b"


_GROUND_FIGHT_RE = re.compile(
    r"\b(?:clash(?:es)?|fighting|gun ?battles?|firefights?|gunfire|stormed|storming|snipers?)\b[^.]{0,80}"
    r"|\b(?:using|with|and)\s+(?:\w+\s+){0,3}(?:suicide bombers|car bombs)\b[^.]{0,60}\b(?:clash(?:es)?|fighting)\b",
    re.IGNORECASE,
)


def classify_event(text: str, *, killed_civilians: bool = False) -> EventType:
    """The ACLED type of the event ``text`` describes; "Strategic developments/Other" when no cue matches.

    >>> classify_event("ISIS militants attacked an army checkpoint").sub_event_type
    'Armed clash'
    """
    cues = sub_event_cues(text)
    actors = find_actors(text)
    if cues:
        event_type, sub_event_type, _ = cues[0]
        # Bombs opening an assault that goes on as ground fighting ("stormed the post with car bombs,
        # then fought the guards for hours") are a battle, not a bombing.
        if event_type == "Explosions/Remote violence" and _GROUND_FIGHT_RE.search(text):
            event_type, sub_event_type = "Battles", "Armed clash"
        # Armed people attacking unarmed people is violence against civilians, not a battle.
        armed_sides = [a for a in actors if a != "Civilians"]
        if sub_event_type == "Armed clash" and "Civilians" in actors and not (set(armed_sides) & STATE_ACTORS):
            event_type, sub_event_type = "Violence against civilians", "Attack"
        if sub_event_type == "Other" and killed_civilians:
            event_type, sub_event_type = "Violence against civilians", "Attack"
        return EventType(event_type, sub_event_type, tuple(c for _, _, c in cues))
    if killed_civilians:
        return EventType("Violence against civilians", "Attack", ())
    return EventType("Strategic developments", "Other", ())


def choose_actors(event: EventType, actors: list[str]) -> tuple[str | None, str | None]:
    """actor1 and actor2 for an event, following ACLED's habits.

    Explosions and attacks on civilians are coded with the attacker first (an
    unidentified armed group when the report names none); air strikes, battles and
    arrests with the first named side first.
    """
    state = [a for a in actors if a in STATE_ACTORS]
    armed = [a for a in actors if a in NON_STATE_ARMED]
    civilians = "Civilians" if "Civilians" in actors else None
    if event.event_type == "Violence against civilians":
        return (armed[0] if armed else "Unidentified armed group"), "Civilians"
    if event.sub_event_type in ("Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Shelling/artillery/missile attack"):
        attacker = armed[0] if armed else "Unidentified armed group"
        target = state[0] if state else civilians
        return attacker, target
    if event.sub_event_type == "Air/drone strike":
        return (state[0] if state else "Iraqi security forces"), (armed[0] if armed else civilians)
    if event.sub_event_type in ("Arrests",):
        return (state[0] if state else "Iraqi security forces"), (armed[0] if armed else None)
    first = next((a for a in actors if a != "Civilians"), None)
    if first is None:
        return None, None
    other = next((a for a in actors if a != first and (a in STATE_ACTORS) != (first in STATE_ACTORS)), None)
    return first, other or (civilians if first in NON_STATE_ARMED else None)
