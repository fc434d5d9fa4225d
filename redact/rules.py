"""Load and validate the YAML rule set: recognizer rules, lexicons and masking profiles.

Every problem in every file is collected and raised at once as `RuleErrors`, each with its
file and rule id. Unknown keys are errors. This is the only module that imports yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from redact.errors import RuleError, RuleErrors, UsageError

Label = Literal["PLACE", "PERSON", "ORG", "FIGURE", "CONTACT", "SECRET", "TERM"]
RULE_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
# Reviewers' decisions (`redact review`), loaded after the rules directory when the file exists.
LOCAL_DECISIONS = Path("local") / "decisions.yaml"
DECISION_PREFIX = "decision-"
DECISION_KINDS = ("allow", "lexicon")
# A masking decision needs a label every profile masks by itself (FIGURE and TERM findings carry
# a figure class or a replacement that only their own rules give).
DECISION_LABELS = ("PLACE", "PERSON", "ORG", "CONTACT", "SECRET")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Rule(_Strict):
    id: Annotated[str, Field(pattern=RULE_ID)]
    label: Label
    score: Annotated[float, Field(ge=0, le=1)] = 0.85
    priority: int = 0
    description: str = ""


class AbbreviationContexts(_Strict):
    """Where a one-character abbreviation of a lexicon's place (美 = 美国) reads as a name."""

    link_words: tuple[str, ...] = ()  # after a run of abbreviations: 中美|两国, 杭甬|铁路
    before_words: tuple[str, ...] = ()  # 访|华, 抵|京
    after_words: tuple[str, ...] = ()  # 美|方, 日|军
    directions: tuple[str, ...] = ()  # part of a province: 浙|南, 滇|西
    state_words: tuple[str, ...] = ()  # after an abbreviation whose name the text spells out: 加|政府
    stop_terms: tuple[str, ...] = ()  # ordinary words made of abbreviations: 西方, 比方
    local_score: Annotated[float, Field(ge=0, le=1)] = 0.75  # names of prefectures (杭甬) and province parts


class LexiconRule(_Rule):
    """Fixed terms (inline or from a text file), matched on the raw string, longest first."""

    kind: Literal["lexicon"]
    terms: tuple[str, ...] = ()
    terms_file: str | None = None
    keep_suffixes: tuple[str, ...] = ()
    # When set, a two-character term must end a token, or be followed inside it by one of these (美国|人).
    attached_words: tuple[str, ...] = ()
    # One-character abbreviations of the terms (TSV: abbreviation, name, level, contexts).
    abbreviations_file: str | None = None
    abbreviations: AbbreviationContexts = AbbreviationContexts()
    # Terms recognised but never masked, kept by the rule with this reason rather than by the
    # allow-list, which would keep every finding of the same text (a village named 华沙).
    kept_terms_file: str | None = None
    kept_reason: str = "a term the rule keeps"
    # A transliterated name (a token of these characters, not an ordinary word) right after one of
    # `place_words` (首都|奥拉涅斯塔德, 城市|蒙特勒) is a place abroad: recognised and kept.
    transliteration_file: str | None = None
    place_words: tuple[str, ...] = ()
    place_word_reason: str = "a transliterated place name abroad"


class LocalitySettings(_Strict):
    """How the inferred home area of a document changes place scores (see redact/locality.py)."""

    villages_file: str | None = None
    home_score: Annotated[float, Field(ge=0, le=1)] = 0.95
    remote_short_score: Annotated[float, Field(ge=0, le=1)] = 0.4
    village_score: Annotated[float, Field(ge=0, le=1)] = 0.85
    abbreviation_score: Annotated[float, Field(ge=0, le=1)] = 0.7
    sibling_score: Annotated[float, Field(ge=0, le=1)] = 0.7
    generic_after: tuple[str, ...] = ()
    # Generic words that follow ordinary words as often as names (延伸段, 核心片区, 老旧小区): in a
    # list of places, a common word before one of them is no name.
    plain_generic: tuple[str, ...] = ()
    # A smaller place written right after its place (凤洋社|漕头李|区块): the words that may close
    # the place (社, 村), and the words for a plot or a village that close the smaller one.
    chain_links: tuple[str, ...] = ()
    chain_plots: tuple[str, ...] = ()
    # A larger place written right before a place (渡头洋|河滨公园) ends in one of these characters.
    chain_finals: str = ""


class RenamedSuffixes(_Strict):
    """The generic suffixes the divisions of one level bore over the years (counties: 县, 市, 区)."""

    level: Literal["county", "township"]
    suffixes: tuple[str, ...]


class GazetteerRule(_Rule):
    """Administrative divisions from a TSV file: name, short form, level, parent path."""

    kind: Literal["gazetteer"]
    file: str
    levels: tuple[Literal["province", "prefecture", "county", "township", "village"], ...]
    short_forms: bool = True
    short_score: Annotated[float, Field(ge=0, le=1)] = 0.75
    keep_suffixes: tuple[str, ...] = ()
    stop_file: str | None = None
    locality: LocalitySettings | None = None
    # One-character abbreviations of places (甬 = 宁波): the locality finds the home prefecture's.
    abbreviations_file: str | None = None
    # A short form may be followed inside its token by one of these (温州人, 廊坊籍).
    attached_words: tuple[str, ...] = ()
    # Generic words that end a division's own name and stay visible too (人民路街道 → XX路街道).
    street_suffixes: tuple[str, ...] = ()
    # A division's short form with another suffix its level bore names it too (澄海市 = 澄海区).
    renamed_suffixes: tuple[RenamedSuffixes, ...] = ()
    # Counties named by one character (歙县, 芒市) count with these suffixes, unless the character
    # is a frequent word of its own (和县, 新县).
    one_character_suffixes: tuple[str, ...] = ()


class OrdinaryWordNames(_Strict):
    """Where an ordinary word before a suffix still names something (宝丰路, 胜利街): the segmenter
    keeps word and suffix as one token, and a word of the context speaks of that kind of place."""

    suffixes: tuple[str, ...]
    after: tuple[str, ...] = ()  # 宝丰路|交通分流, 敦睦路|（…）
    before: tuple[str, ...] = ()  # 位于|胜利街
    # Districts named after their street (和平路片区): right after the suffix, they make even a
    # stop-listed word a street's name, and the segmenter may glue the suffix to them (和平|路片区).
    districts: tuple[str, ...] = ()
    score: Annotated[float, Field(ge=0, le=1)] = 0.6


class AffixRule(_Rule):
    """A proper name recognised by the generic word that follows it (`…镇`, `…大桥`)."""

    kind: Literal["affix"]
    suffixes: tuple[str, ...]
    min_core: Annotated[int, Field(ge=1)] = 2
    max_core: Annotated[int, Field(ge=1)] = 4
    stop_file: str | None = None
    stop_terms: tuple[str, ...] = ()
    stop_prefixes: tuple[str, ...] = ()
    stop_follow: tuple[str, ...] = ()
    stop_endings: tuple[str, ...] = ()
    reject_common_words: bool = True
    ordinary_word_names: OrdinaryWordNames | None = None
    # Suffixes that name a place whatever word precedes them (前湾新区): a rare dictionary word
    # (used fewer than `rare_word_frequency` times) before them is a name, not an ordinary word.
    rare_word_suffixes: tuple[str, ...] = ()
    rare_word_frequency: Annotated[int, Field(ge=1)] = 20
    # Verbs of a slogan that builds up a place (生态立镇, 旅游兴村, 科技强县): a common word and one of
    # them before the suffix is no name.
    slogan_verbs: tuple[str, ...] = ()


class OrganisationRule(_Rule):
    """An organisation found by its generic word (`…局`, `…公司`, `…大学`); its findings are the
    proper-name parts before that word (place names, firm names), never the generic words."""

    kind: Literal["organisation"]
    suffixes: tuple[str, ...] = ()
    place_score: Annotated[float, Field(ge=0, le=1)] = 0.96  # a proper part that is a place name
    places_file: str | None = None  # administrative divisions TSV (which words are places)
    national_file: str | None = None  # whole names of national bodies: never split
    national_score: Annotated[float, Field(ge=0, le=1)] | None = None  # set: they are findings too
    famous_file: str | None = None  # famous bodies (北大, 海尔): never split, found whole and kept by the rule
    coarse_file: str | None = None  # qualifiers too coarse to identify anyone (国家, 中央)
    world_file: str | None = None  # countries and world places: coarse too
    stop_file: str | None = None
    stop_follow: tuple[str, ...] = ()
    # Suffixes naming a body only after a place written with its admin suffix (温州市政府, not 日本政府).
    place_suffixes: tuple[str, ...] = ()
    max_generic: Annotated[int, Field(ge=0)] = 4  # generic words between the name and the suffix
    max_name: Annotated[int, Field(ge=2)] = 8
    names_only: bool = False  # only a proper name names the body (恒达科技), never a place or qualifier
    # Set: the unknown names listed before `等5家…公司` are firms too (恒达、赛孚等3家企业).
    enumeration_score: Annotated[float, Field(ge=0, le=1)] | None = None
    # A list holding a masked firm (XX集团、微品致远, or XX、安通等…企业) names firms: its other items are
    # firms at `enumeration_score`. These end a placeholder firm's name.
    firm_list_endings: tuple[str, ...] = ()
    # Set: a body named by its function alone (市委, 人事部, 省公安厅) is found whole at this score and
    # kept: recognised and reported, nothing to mask.
    generic_score: Annotated[float, Field(ge=0, le=1)] | None = None
    generic_needs_function: tuple[str, ...] = ()  # suffixes that need a function word (服务中心, not 市中心)
    generic_alone: tuple[str, ...] = ()  # suffixes that name a body alone (议会, 海军)
    quoted_names: bool = False  # a name in quotes right before the suffix names the body (“红双喜”公司)
    titles_file: str | None = None  # posts (常委) are no bodies


class PersonRule(_Rule):
    """People by surname + title, title + full name, full name + title."""

    kind: Literal["person"]
    surnames_file: str
    titles_file: str
    stop_file: str | None = None
    bare_name_score: Annotated[float, Field(ge=0, le=1)] = 0.0
    bare_name_surnames: Annotated[int, Field(ge=0)] = 150
    short_name_surnames: Annotated[int, Field(ge=0)] = 30  # surname + one character: only the most frequent
    # Untitled names (redact/recognizers/person_names.py): cue words on either side of a name and
    # the characters of transliterated foreign names.
    cue_score: Annotated[float, Field(ge=0, le=1)] = 0.3
    cues_before_file: str | None = None
    cues_after_file: str | None = None
    transliteration_file: str | None = None
    japanese_surnames: tuple[str, ...] = ()  # 村山 of 村山富市: a four-character name is Japanese
    places_file: str | None = None  # places spelled like a name (莫斯科, 阿根廷): never a person
    landmarks_file: str | None = None  # famous landmarks (钱塘江, 雁荡山): never a person
    divisions_file: str | None = None  # the gazetteer: its provinces and prefectures (石家庄) are no persons


class FigureRule(_Rule):
    """Numbers classified by the unit that follows them (money, measure, count …)."""

    kind: Literal["figure"]
    classes: dict[str, tuple[str, ...]]


class PatternRule(_Rule):
    """A regular expression; `group` selects the part that is masked."""

    kind: Literal["pattern"]
    regex: str
    group: int = 0
    validator: Literal["cn-id-checksum"] | None = None
    ignore_case: bool = False

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from exc
        return value


class TermRule(_Rule):
    """Sensitive terms with fixed replacements (`习近平`→`A`); used only when a profile asks."""

    kind: Literal["term"]
    layer: str
    replacements: dict[str, str]


class _TermList(_Strict):
    """A label-less list of terms, inline or from a text file."""

    id: Annotated[str, Field(pattern=RULE_ID)]
    terms: tuple[str, ...] = ()
    terms_file: str | None = None
    description: str = ""


class AllowRule(_TermList):
    """Terms that are never masked, whatever a recognizer says. With `phrases`, a name inside one
    of the terms is kept there too (延安 in 延安精神), though not where it stands alone."""

    kind: Literal["allow"]
    phrases: bool = False


class WatchRule(_TermList):
    """Terms never masked but reported as residual risks when they remain in the output."""

    kind: Literal["watch"]


Rule = (LexiconRule | GazetteerRule | AffixRule | PersonRule | FigureRule | PatternRule | TermRule
        | OrganisationRule)
RULE_KINDS: dict[str, type[BaseModel]] = {
    "lexicon": LexiconRule,
    "gazetteer": GazetteerRule,
    "affix": AffixRule,
    "person": PersonRule,
    "figure": FigureRule,
    "pattern": PatternRule,
    "term": TermRule,
    "organisation": OrganisationRule,
    "allow": AllowRule,
    "watch": WatchRule,
}


class LabelMask(_Strict):
    """How one label is written: a fixed placeholder, one character per character, or per digit."""

    style: Literal["fixed", "per_char", "per_digit"]
    placeholder: Annotated[str, Field(min_length=1)]


class AutoDetect(_Strict):
    pattern: str
    profile: str


class AutoLayer(_Strict):
    pattern: str
    layer: str


class AutoSettings(_Strict):
    default: str
    detect: tuple[AutoDetect, ...] = ()
    term_layers: tuple[AutoLayer, ...] = ()


class Profile(_Strict):
    """How findings are masked; rule files decide what is found."""

    id: Annotated[str, Field(pattern=RULE_ID)]
    description: str = ""
    threshold: Annotated[float, Field(ge=0, le=1)] = 0.5
    labels: dict[Label, LabelMask] = {}
    figure_classes: tuple[str, ...] = ()
    keep_reporting_years: bool = False
    term_layer: str | None = None
    auto: AutoSettings | None = None


class RuleSet(BaseModel):
    """Everything loaded from one rules directory."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    directory: Path
    rules: tuple[Rule, ...]
    allow_terms: dict[str, str]  # term → id of the (first) allow rule that lists it
    allow_phrases: frozenset[str] = frozenset()  # terms of allow rules with `phrases`
    profiles: dict[str, Profile]
    watch_terms: dict[str, str] = {}  # term → id of the watch rule
    sources: dict[str, Path] = {}  # rule id → the file that defines it
    decisions: Path | None = None  # the reviewers' decisions file loaded, if any

    def is_decision(self, rule_id: str) -> bool:
        return self.decisions is not None and self.sources.get(rule_id) == self.decisions

    def describe_rule(self, rule_id: str) -> str:
        """`decision decision-allow-3 (rules/local/decisions.yaml)`, or the plain rule id."""
        return f"decision {rule_id} ({self.decisions})" if self.is_decision(rule_id) else rule_id

    def allow_reasons(self) -> dict[str, str]:
        """Allow-listed term → which rule (or review decision) allows it, for near-miss reasons."""
        return {term: self.describe_rule(rule_id) for term, rule_id in self.allow_terms.items()}


def read_list(path: Path) -> list[str]:
    """Entries of a one-per-line text file; `#` starts a comment line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def decisions_file(rules_dir: Path | None, explicit: Path | None = None) -> Path | None:
    """The decisions file a run applies: `explicit`, else `RULES/local/decisions.yaml` if it exists."""
    if explicit is not None:
        return Path(explicit)
    default = Path(rules_dir or DEFAULT_RULES_DIR) / LOCAL_DECISIONS
    return default if default.is_file() else None


def load_rules(directory: Path | None = None, extra_files: Iterable[Path] = (),
               decisions: Path | None = None) -> RuleSet:
    """Load `*.yaml` rule files and `profiles/*.yaml` from `directory`, plus `extra_files`, plus a
    reviewers' `decisions` file (only `allow` and `lexicon` rules with `decision-…` ids)."""
    directory = Path(directory or DEFAULT_RULES_DIR)
    if not directory.is_dir():
        raise RuleErrors([RuleError(directory, None, "rules directory does not exist")])
    errors: list[RuleError] = []
    rules: list[Rule] = []
    allow: dict[str, str] = {}
    phrases: set[str] = set()
    watch: dict[str, str] = {}
    seen_ids: dict[str, Path] = {}
    files = [*sorted(directory.glob("*.yaml")), *extra_files]
    if decisions is not None:
        decisions = Path(decisions)
        if decisions.is_file():
            files.append(decisions)
        else:
            errors.append(RuleError(decisions, None, "decisions file does not exist"))
    for path in files:
        for entry in _rule_entries(path, errors):
            if path == decisions and not _is_decision_entry(entry, path, errors):
                continue
            parsed = _parse(RULE_KINDS.get(str(entry.get("kind"))), entry, path, errors)
            if parsed is None:
                continue
            if parsed.id in seen_ids:
                errors.append(RuleError(path, parsed.id, f"duplicate rule id (also in {seen_ids[parsed.id]})"))
                continue
            seen_ids[parsed.id] = path
            parsed = _resolve_files(parsed, path, errors)
            if isinstance(parsed, (AllowRule, WatchRule)):
                target = allow if isinstance(parsed, AllowRule) else watch
                terms = list(parsed.terms)
                if parsed.terms_file and Path(parsed.terms_file).is_file():  # missing: error recorded
                    terms += read_list(Path(parsed.terms_file))
                for term in terms:
                    target.setdefault(term, parsed.id)
                if isinstance(parsed, AllowRule) and parsed.phrases:
                    phrases.update(terms)
            else:
                rules.append(parsed)
    profiles = _load_profiles(directory / "profiles", errors)
    if errors:
        raise RuleErrors(errors)
    return RuleSet(directory=directory, rules=tuple(rules), allow_terms=allow, allow_phrases=frozenset(phrases),
                   profiles=profiles, watch_terms=watch, sources=seen_ids, decisions=decisions)


def _is_decision_entry(entry: dict, path: Path, errors: list[RuleError]) -> bool:
    """A decisions file holds only `allow` (unmask) and `lexicon` (mask) rules named `decision-…`."""
    rule_id = str(entry.get("id", "?"))
    if entry.get("kind") not in DECISION_KINDS:
        errors.append(RuleError(path, rule_id, f"a decisions file holds only {' and '.join(DECISION_KINDS)} "
                                               f"rules, not {entry.get('kind')!r}"))
        return False
    if not rule_id.startswith(DECISION_PREFIX):
        errors.append(RuleError(path, rule_id, f"id: a decision id starts with {DECISION_PREFIX!r}"))
        return False
    if entry.get("kind") == "lexicon" and entry.get("label") not in DECISION_LABELS:
        errors.append(RuleError(path, rule_id, f"label: a decision masks as one of {', '.join(DECISION_LABELS)}, "
                                               f"not {entry.get('label')!r}"))
        return False
    return True


def read_rule_entries(path: Path) -> list[dict]:
    """The raw rule mappings of one rule file (for tools that rewrite it); RuleErrors if malformed."""
    errors: list[RuleError] = []
    entries = _rule_entries(path, errors)
    if errors:
        raise RuleErrors(errors)
    return entries


def dump_rules(entries: list[dict], header: str = "") -> str:
    """A rule file holding `entries`, in the layout of the shipped files; `header` becomes comments."""
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    body = yaml.safe_dump({"rules": entries}, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=100)
    return comments + body


def check_writable_rule_path(path: Path, rules_dir: Path | None = None) -> None:
    """Refuse a decisions path among the shipped rules (outside `local/`) or among `rules_dir`'s
    own rule files, which would then be loaded twice."""
    target = Path(path).resolve()
    shipped = DEFAULT_RULES_DIR.resolve()
    if target.is_relative_to(shipped) and not target.is_relative_to(shipped / LOCAL_DECISIONS.parent):
        raise UsageError(f"{path}: refusing to write decisions into the shipped rules; "
                         f"use {shipped / LOCAL_DECISIONS} or a file outside {shipped}")
    if rules_dir is not None:
        directory = Path(rules_dir).resolve()
        if target.parent == directory or target.is_relative_to(directory / "profiles"):
            raise UsageError(f"{path}: a decisions file cannot be one of the rule files of {rules_dir}; "
                             f"use {directory / LOCAL_DECISIONS}")


def _read_yaml(path: Path, errors: list[RuleError]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(RuleError(path, None, f"cannot read: {exc}"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        errors.append(RuleError(path, None, f"invalid YAML{where}: {getattr(exc, 'problem', exc)}"))
    return None


def _rule_entries(path: Path, errors: list[RuleError]) -> list[dict]:
    data = _read_yaml(path, errors)
    if data is None:
        return []
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        errors.append(RuleError(path, None, "a rule file must be a mapping with one key, `rules`, holding a list"))
        return []
    entries = []
    for index, entry in enumerate(data["rules"]):
        if not isinstance(entry, dict):
            errors.append(RuleError(path, f"#{index + 1}", "a rule must be a mapping"))
        elif entry.get("kind") not in RULE_KINDS:
            errors.append(RuleError(path, str(entry.get("id", f"#{index + 1}")),
                                    f"unknown kind {entry.get('kind')!r}; expected one of {', '.join(RULE_KINDS)}"))
        else:
            entries.append(entry)
    return entries


def _parse(model: type[BaseModel] | None, entry: dict, path: Path, errors: list[RuleError]) -> Any:
    assert model is not None
    try:
        return model.model_validate(entry)
    except ValidationError as exc:
        rule_id = str(entry.get("id", "?"))
        for problem in exc.errors():
            field = ".".join(str(p) for p in problem["loc"]) or "rule"
            message = "unknown key" if problem["type"] == "extra_forbidden" else problem["msg"]
            errors.append(RuleError(path, rule_id, f"{field}: {message}"))
        return None


FILE_FIELDS = ("terms_file", "file", "stop_file", "surnames_file", "titles_file", "abbreviations_file",
               "cues_before_file", "cues_after_file", "transliteration_file",
               "places_file", "landmarks_file", "divisions_file", "national_file", "famous_file", "coarse_file", "world_file",
               "kept_terms_file")


def _resolve_files(rule: Any, path: Path, errors: list[RuleError]) -> Any:
    """Make the rule's file references absolute (relative to its YAML file) and check they exist."""
    update: dict[str, Any] = {}
    locality = getattr(rule, "locality", None)
    if locality is not None and locality.villages_file:
        target = (path.parent / locality.villages_file).resolve()
        if target.is_file():
            update["locality"] = locality.model_copy(update={"villages_file": str(target)})
        else:
            errors.append(RuleError(path, rule.id, f"locality.villages_file: file not found: {locality.villages_file}"))
    for field in FILE_FIELDS:
        relative = getattr(rule, field, None)
        if not relative:
            continue
        target = (path.parent / relative).resolve()
        if target.is_file():
            update[field] = str(target)
        else:
            errors.append(RuleError(path, rule.id, f"{field}: file not found: {relative}"))
    return rule.model_copy(update=update) if update else rule


def _load_profiles(directory: Path, errors: list[RuleError]) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    sources: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = _read_yaml(path, errors)
        if data is None:
            continue
        if not isinstance(data, dict):
            errors.append(RuleError(path, None, "a profile must be a mapping"))
            continue
        profile = _parse(Profile, data, path, errors)
        if profile is None:
            continue
        if profile.id in profiles:
            errors.append(RuleError(path, profile.id, f"duplicate profile id (also in {sources[profile.id]})"))
            continue
        profiles[profile.id] = profile
        sources[profile.id] = path
    for profile in profiles.values():
        if profile.auto:
            names = [profile.auto.default, *(d.profile for d in profile.auto.detect)]
            for name in names:
                if name not in profiles or profiles[name].auto:
                    errors.append(RuleError(sources[profile.id], profile.id,
                                            f"auto: {name!r} is not a concrete profile"))
    return profiles
