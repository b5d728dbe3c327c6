"""The coder's knowledge files, loaded once and validated on load.

- ``data/taxonomy.yaml``  ACLED event types, their 25 sub-event types and the PLOVER mapping
- ``data/triggers.yaml``  event triggers, sub-type modifiers and modality cues
- ``data/actors.yaml``    the actor dictionary (named groups and generic nouns), user-extensible
- ``data/demonyms.yaml``  countries as ACLED names them, with demonyms and other names

Every loader raises :class:`~eventscope.errors.KnowledgeError` naming the file and the entry
at fault, so a user who extends the actor dictionary learns exactly what to fix.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import KnowledgeError
from ..records import ACLED_EVENT_TYPES, ACTOR_TYPES, PLOVER_TYPES

ACTORS_ENV = "EVENTSCOPE_ACTORS"


def data_path(name: str) -> Path:
    """Path of a knowledge file shipped in ``eventscope/data``."""
    return Path(str(resources.files("eventscope") / "data" / name))


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a knowledge file; errors name the file and what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read the knowledge file ({exc})") from exc
    try:
        # libyaml's safe loader when built in: the same data, ~10x faster to read
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping at the top level")
    return data


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise KnowledgeError(f"{where}: expected a list of strings, got {value!r}")
    out = [str(v).strip() for v in value]
    if any(not v for v in out):
        raise KnowledgeError(f"{where}: empty entry in {value!r}")
    return out


# --------------------------------------------------------------------------- taxonomy


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """ACLED event type of each sub-event type, and the PLOVER type of each."""

    event_type_of: dict[str, str]
    plover_of: dict[str, str]
    violent_types: frozenset[str]


@functools.lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    path = data_path("taxonomy.yaml")
    data = read_yaml(path)
    types = data.get("event_types")
    if not isinstance(types, dict):
        raise KnowledgeError(f"{path}: 'event_types' must be a mapping")
    event_type_of: dict[str, str] = {}
    plover_of: dict[str, str] = {}
    violent: set[str] = set()
    for etype, spec in types.items():
        if etype not in ACLED_EVENT_TYPES:
            raise KnowledgeError(f"{path}: unknown ACLED event type {etype!r}")
        if not isinstance(spec, dict) or not isinstance(spec.get("sub_event_types"), dict):
            raise KnowledgeError(f"{path}: {etype}: needs a 'sub_event_types' mapping")
        if spec.get("violent"):
            violent.add(etype)
        for sub, plover in spec["sub_event_types"].items():
            if plover not in PLOVER_TYPES:
                raise KnowledgeError(f"{path}: {etype} / {sub}: unknown PLOVER type {plover!r}")
            event_type_of[sub] = etype
            plover_of[sub] = plover
    if len(event_type_of) != 25:
        raise KnowledgeError(
            f"{path}: ACLED has 25 sub-event types, the file lists {len(event_type_of)}"
        )
    return Taxonomy(event_type_of, plover_of, frozenset(violent))


# --------------------------------------------------------------------------- triggers


@dataclass(frozen=True, slots=True)
class Triggers:
    """Trigger phrases by cue class, modifier phrases, and modality word sets."""

    triggers: dict[str, list[str]]
    modifiers: dict[str, list[str]]
    weak: frozenset[str]
    modal_aux: frozenset[str]
    habitual: frozenset[str]
    negators: frozenset[str]
    irrealis: frozenset[str]
    reference: frozenset[str]
    foiled: frozenset[str]
    # Fixed phrases holding a trigger word that report no event ("in exchange for").
    idioms: tuple[str, ...] = ()
    # Irrealis verbs that put only their complement in doubt, not their subject.
    complement_only: frozenset[str] = frozenset()
    # Verbs that make a weapon governed by them one that was not used: "an IED was found",
    # "police recovered grenades" (Disrupted weapons use).
    discovered: frozenset[str] = frozenset()


TRIGGER_CLASSES = (
    "protest",
    "riot",
    "mob",
    "clash",
    "attack",
    "kill",
    "air",
    "shelling",
    "ied",
    "grenade",
    "suicide",
    "chemical",
    "abduction",
    "sexual",
    "arrest",
    "looting",
    "change",
    "agreement",
    "hq",
    "regain",
    "overtake",
    "transfer",
    "disrupted",
    "seize",
    "other",
    "meeting",
    "assembly",
    "dispersal",
    "threat",
)
MODIFIER_CLASSES = (
    "intervention",
    "excessive",
    "small_arms",
    "harm",
    "at_protesters",
    "grievance",
    "death",
    "detention",
    "weapons",
    "remnant",
    "disaster",
    "diplomacy",
    "warning",
)


@functools.lru_cache(maxsize=1)
def load_triggers() -> Triggers:
    path = data_path("triggers.yaml")
    data = read_yaml(path)
    trig = data.get("triggers")
    mods = data.get("modifiers")
    modality = data.get("modality")
    if not isinstance(trig, dict) or not isinstance(mods, dict) or not isinstance(modality, dict):
        raise KnowledgeError(f"{path}: needs 'triggers', 'modifiers' and 'modality' mappings")
    for key in trig:
        if key not in TRIGGER_CLASSES:
            raise KnowledgeError(f"{path}: triggers: unknown cue class {key!r}")
    for key in mods:
        if key not in MODIFIER_CLASSES:
            raise KnowledgeError(f"{path}: modifiers: unknown modifier {key!r}")
    triggers = {k: _str_list(v, f"{path}: triggers.{k}") for k, v in trig.items()}
    modifiers = {k: _str_list(v, f"{path}: modifiers.{k}") for k, v in mods.items()}

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in _str_list(modality.get(key), f"{path}: modality.{key}"))

    weak = frozenset(w.lower() for w in _str_list(data.get("weak"), f"{path}: weak"))
    return Triggers(
        triggers,
        modifiers,
        weak,
        words("modal_aux"),
        words("habitual"),
        words("negators"),
        words("irrealis"),
        words("reference"),
        words("foiled"),
        tuple(_str_list(data.get("idioms") or [], f"{path}: idioms")),
        frozenset(
            w.lower()
            for w in _str_list(
                modality.get("complement_only") or [], f"{path}: modality.complement_only"
            )
        ),
        frozenset(
            w.lower()
            for w in _str_list(modality.get("discovered") or [], f"{path}: modality.discovered")
        ),
    )


# --------------------------------------------------------------------------- countries


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Countries:
    by_code: dict[str, Country]
    # lower-cased name, alias or demonym -> ISO code
    by_word: dict[str, str]
    # currency nouns ("dollar", "pound"): a country word before one names a currency, not a
    # place or a nationality ("the US dollar exchange rate" in a note about Lebanon)
    currencies: frozenset[str] = frozenset()

    def name(self, code: str | None) -> str | None:
        if code is None:
            return None
        c = self.by_code.get(code.upper())
        if c is not None:
            return c.name
        try:  # a country missing from the table still gets a name
            import pycountry

            found = pycountry.countries.get(alpha_2=code.upper())
        except (ImportError, LookupError):
            return None
        return getattr(found, "common_name", None) or getattr(found, "name", None)

    def code(self, name: str) -> str | None:
        """The ISO code of a country's name (the inverse of :meth:`name`), also for a country
        missing from the table ("Botswana")."""
        code = self.by_word.get(name.lower())
        if code is not None:
            return code
        try:
            import pycountry

            return str(pycountry.countries.lookup(name).alpha_2)
        except (ImportError, LookupError):
            return None


@functools.lru_cache(maxsize=1)
def load_countries() -> Countries:
    path = data_path("demonyms.yaml")
    data = read_yaml(path)
    rows = data.get("countries")
    if not isinstance(rows, list):
        raise KnowledgeError(f"{path}: 'countries' must be a list")
    by_code: dict[str, Country] = {}
    by_word: dict[str, str] = {}
    for i, row in enumerate(rows):
        where = f"{path}: countries[{i}]"
        if not isinstance(row, dict):
            raise KnowledgeError(f"{where}: expected a mapping")
        code, name = row.get("code"), row.get("name")
        if not isinstance(code, str) or len(code) != 2 or not isinstance(name, str):
            raise KnowledgeError(f"{where}: needs a 2-letter 'code' and a 'name'")
        c = Country(
            code.upper(),
            name,
            tuple(_str_list(row.get("demonyms"), f"{where} ({name}).demonyms")),
            tuple(_str_list(row.get("aliases"), f"{where} ({name}).aliases")),
        )
        by_code[c.code] = c
        for w in (c.name, *c.demonyms, *c.aliases):
            by_word.setdefault(w.lower(), c.code)
    currencies = _str_list(data.get("currencies", []), f"{path}: currencies")
    return Countries(by_code, by_word, frozenset(w.lower() for w in currencies))


# --------------------------------------------------------------------------- actors


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary entry: a named group or a generic noun class."""

    name: str  # ACLED-style name, or a template with {country}
    type: str
    aliases: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    country_suffix: bool = False
    countries: frozenset[str] = frozenset()
    generic: bool = False
    state: bool = False
    # generic nouns that name nobody in particular ("men", "a group of people"): as the
    # perpetrators of violence ACLED codes them as an unidentified armed group
    agent_name: str | None = None
    agent_type: str | None = None
    # the country whose state a named force belongs to: outside it, ACLED types the force
    # as External/Other forces
    home: str | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    entries: tuple[ActorEntry, ...] = field(default_factory=tuple)
    # nouns that head the name of an organisation ("initiative", "front"): a generic word
    # inside such a name ("the Children of Fire initiative") is no generic actor
    organisation_heads: frozenset[str] = frozenset()


def _parse_actor_file(path: Path) -> list[ActorEntry]:
    data = read_yaml(path)
    out: list[ActorEntry] = []
    groups = data.get("groups") or []
    generic = data.get("generic") or []
    if not isinstance(groups, list) or not isinstance(generic, list):
        raise KnowledgeError(f"{path}: 'groups' and 'generic' must be lists")
    for i, row in enumerate(groups):
        where = f"{path}: groups[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise KnowledgeError(f"{where}: each group needs a 'name'")
        where = f"{where} ({row['name']})"
        atype = row.get("type")
        if atype not in ACTOR_TYPES:
            raise KnowledgeError(f"{where}: 'type' must be one of {', '.join(ACTOR_TYPES)}")
        aliases = tuple(a.lower() for a in _str_list(row.get("aliases"), f"{where}.aliases"))
        exact = tuple(_str_list(row.get("exact"), f"{where}.exact"))
        if not aliases and not exact:
            raise KnowledgeError(f"{where}: needs at least one alias")
        countries = frozenset(c.upper() for c in _str_list(row.get("countries"), where))
        home = row.get("home")
        if home is not None and (not isinstance(home, str) or len(home) != 2):
            raise KnowledgeError(f"{where}: 'home' must be a 2-letter country code")
        out.append(
            ActorEntry(
                row["name"],
                atype,
                aliases,
                exact,
                bool(row.get("country_suffix")),
                countries,
                home=home.upper() if home else None,
                source=str(path),
            )
        )
    for i, row in enumerate(generic):
        where = f"{path}: generic[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("template"), str):
            raise KnowledgeError(f"{where}: each generic class needs a 'template'")
        template = row["template"]
        if "{" in template.replace("{country}", ""):
            raise KnowledgeError(f"{where}: the only placeholder a template may use is {{country}}")
        atype = row.get("type")
        if atype not in ACTOR_TYPES:
            raise KnowledgeError(f"{where}: 'type' must be one of {', '.join(ACTOR_TYPES)}")
        words = tuple(w.lower() for w in _str_list(row.get("words"), f"{where}.words"))
        if not words:
            raise KnowledgeError(f"{where}: needs 'words'")
        agent_name = row.get("as_agent")
        agent_type = row.get("as_agent_type")
        if (agent_name is None) != (agent_type is None) or (
            agent_type is not None and agent_type not in ACTOR_TYPES
        ):
            raise KnowledgeError(
                f"{where}: 'as_agent' and 'as_agent_type' go together (an ACLED actor type)"
            )
        out.append(
            ActorEntry(
                row["template"],
                atype,
                words,
                generic=True,
                state=bool(row.get("state")),
                agent_name=agent_name,
                agent_type=agent_type,
                source=str(path),
            )
        )
    return out


@functools.lru_cache(maxsize=8)
def load_actors(user_path: str | None = None) -> ActorDictionary:
    """The shipped dictionary, then a user file (argument, else ``$EVENTSCOPE_ACTORS``)."""
    path = data_path("actors.yaml")
    entries = _parse_actor_file(path)
    heads = _str_list(read_yaml(path).get("organisation_heads"), f"{path}: organisation_heads")
    extra = user_path or os.environ.get(ACTORS_ENV)
    if extra:
        p = Path(extra)
        if not p.exists():
            raise KnowledgeError(
                f"{p}: the user actor dictionary does not exist (set by "
                f"{'actors_path' if user_path else ACTORS_ENV})"
            )
        entries.extend(_parse_actor_file(p))
    return ActorDictionary(tuple(entries), frozenset(h.lower() for h in heads))
