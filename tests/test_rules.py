"""Loading the YAML rule set: the shipped rules, and one broken file per kind of error."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact.errors import RuleError, RuleErrors
from redact.rules import (AffixRule, AllowRule, FigureRule, GazetteerRule, LexiconRule, PatternRule,
                          PersonRule, Profile, RuleSet, TermRule, load_rules, read_list)

UPPER = "id: upper\nlabels:\n  PLACE: {style: fixed, placeholder: XX}\n"
LOWER = "id: lower\nlabels:\n  PLACE: {style: fixed, placeholder: xx}\n"
LEXICON = "rules:\n  - id: {id}\n    kind: lexicon\n    label: PLACE\n    terms: [沙溪]\n"
KEBAB = "id: String should match pattern '^[a-z0-9]+(-[a-z0-9]+)*$'"


def rules_dir(root: Path, files: dict[str, str], profiles: dict[str, str] | None = None,
              lexicons: dict[str, str] | None = None) -> Path:
    """A rules directory with the given rule files, profiles (default: upper) and lexicons."""
    (root / "profiles").mkdir(parents=True)
    for name, content in files.items():
        (root / name).write_text(content, encoding="utf-8")
    for name, content in (profiles if profiles is not None else {"upper.yaml": UPPER}).items():
        (root / "profiles" / name).write_text(content, encoding="utf-8")
    for name, content in (lexicons or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def errors_of(directory: Path) -> list[tuple[str, str | None, str]]:
    """Every RuleError as (path relative to the directory, rule id, reason)."""
    with pytest.raises(RuleErrors) as caught:
        load_rules(directory)
    return [(e.path.relative_to(directory).as_posix(), e.rule_id, e.reason) for e in caught.value.errors]


# ---------------------------------------------------------------- the shipped rules

def test_shipped_rules_load():
    """Fails while rules/lexicons/ is incomplete: every referenced lexicon file must exist."""
    ruleset = load_rules()
    assert isinstance(ruleset, RuleSet)
    ids = [rule.id for rule in ruleset.rules]
    assert len(ids) == len(set(ids))
    assert {"upper", "lower", "auto"} <= set(ruleset.profiles)
    assert {"division-gazetteer", "admin-suffix", "person-title", "figure-units", "mobile-phone",
            "leader-a"} <= set(ids)
    assert "浙江" in ruleset.allow_terms
    for rule in ruleset.rules:
        for field in ("terms_file", "file", "stop_file", "surnames_file", "titles_file"):
            value = getattr(rule, field, None)
            if value:
                assert Path(value).is_absolute() and Path(value).is_file(), (rule.id, field)


def test_shipped_profiles_mask_every_label():
    ruleset = load_rules()
    for name in ("upper", "lower"):
        profile = ruleset.profiles[name]
        assert set(profile.labels) >= {"PLACE", "ORG", "PERSON", "FIGURE", "CONTACT", "SECRET"}
    assert ruleset.profiles["auto"].auto.default == "upper"


# ---------------------------------------------------------------- a valid small rule set

def test_small_rule_set_loads(tmp_path):
    directory = rules_dir(tmp_path, {
        "places.yaml": ("rules:\n"
                        "  - id: landmarks\n    kind: lexicon\n    label: PLACE\n"
                        "    terms_file: lexicons/landmarks.txt\n    keep_suffixes: [大桥]\n"
                        "  - id: admin-suffix\n    kind: affix\n    label: PLACE\n    suffixes: [镇, 乡]\n"),
        "allow.yaml": "rules:\n  - id: national\n    kind: allow\n    terms: [浙江]\n"
                      "    terms_file: lexicons/allow.txt\n"
                      "  - id: models\n    kind: allow\n    phrases: true\n    terms: [延安精神]\n",
    }, profiles={"upper.yaml": UPPER, "lower.yaml": LOWER,
                 "auto.yaml": "id: auto\nauto:\n  default: upper\n  detect:\n    - {profile: lower, pattern: x}\n"},
        lexicons={"lexicons/landmarks.txt": "# comment\n腾云山大桥\n\n天姥\n", "lexicons/allow.txt": "中国\n"})
    ruleset = load_rules(directory)
    landmarks, affix = ruleset.rules  # files sorted: allow.yaml, places.yaml; allow rules are not rules
    assert isinstance(landmarks, LexiconRule) and isinstance(affix, AffixRule)
    assert landmarks.terms_file == str((directory / "lexicons" / "landmarks.txt").resolve())
    assert read_list(Path(landmarks.terms_file)) == ["腾云山大桥", "天姥"]
    assert ruleset.allow_terms == {"浙江": "national", "中国": "national", "延安精神": "models"}
    assert ruleset.allow_phrases == {"延安精神"}
    assert set(ruleset.profiles) == {"upper", "lower", "auto"}
    assert affix.score == 0.85 and affix.min_core == 2 and affix.reject_common_words


def test_extra_files_are_loaded_after_the_directory(tmp_path):
    directory = rules_dir(tmp_path / "rules", {"a.yaml": LEXICON.format(id="a")})
    extra = tmp_path / "local.yaml"
    extra.write_text(LEXICON.format(id="local"), encoding="utf-8")
    assert [r.id for r in load_rules(directory, [extra]).rules] == ["a", "local"]


@pytest.mark.parametrize(("model", "entry"), [
    (LexiconRule, dict(id="a", kind="lexicon", label="PLACE", terms=("沙溪",))),
    (GazetteerRule, dict(id="a", kind="gazetteer", label="PLACE", file="x.tsv", levels=("county",))),
    (AffixRule, dict(id="a", kind="affix", label="PLACE", suffixes=("镇",))),
    (PersonRule, dict(id="a", kind="person", label="PERSON", surnames_file="s", titles_file="t")),
    (FigureRule, dict(id="a", kind="figure", label="FIGURE", classes={"money": ("元",)})),
    (PatternRule, dict(id="a", kind="pattern", label="CONTACT", regex="[0-9]+")),
    (TermRule, dict(id="a", kind="term", label="TERM", layer="a", replacements={"习近平": "A"})),
    (AllowRule, dict(id="a", kind="allow", terms=("浙江",))),
    (Profile, dict(id="a", labels={"PLACE": {"style": "fixed", "placeholder": "XX"}})),
])
def test_rule_models_validate_directly(model, entry):
    assert model.model_validate(entry).id == "a"


# ---------------------------------------------------------------- one error of each kind

@pytest.mark.parametrize(("content", "expected"), [
    # invalid YAML, with its line
    ("rules:\n  - id: a\n    kind: lexicon\n   label: PLACE\n",
     [("a.yaml", None, "invalid YAML at line 4: expected <block end>, but found '<block mapping start>'")]),
    ("rules:\n\t- id: a\n",
     [("a.yaml", None, "invalid YAML at line 2: found character '\\t' that cannot start any token")]),
    # not a rule file
    ("rules: {}\n", [("a.yaml", None, "a rule file must be a mapping with one key, `rules`, holding a list")]),
    ("- id: a\n", [("a.yaml", None, "a rule file must be a mapping with one key, `rules`, holding a list")]),
    ("rules: []\nextra: 1\n", [("a.yaml", None, "a rule file must be a mapping with one key, `rules`, holding a list")]),
    ("rules:\n  - just a string\n", [("a.yaml", "#1", "a rule must be a mapping")]),
    # unknown key
    ("rules:\n  - id: a\n    kind: lexicon\n    label: PLACE\n    colour: red\n",
     [("a.yaml", "a", "colour: unknown key")]),
    # unknown kind, and a missing kind
    ("rules:\n  - id: a\n    kind: magic\n    label: PLACE\n",
     [("a.yaml", "a", "unknown kind 'magic'; expected one of lexicon, gazetteer, affix, person, figure, "
                      "pattern, term, organisation, allow, watch")]),
    ("rules:\n  - label: PLACE\n",
     [("a.yaml", "#1", "unknown kind None; expected one of lexicon, gazetteer, affix, person, figure, "
                       "pattern, term, organisation, allow, watch")]),
    # bad id (not kebab-case)
    ("rules:\n  - id: Bad_Id\n    kind: lexicon\n    label: PLACE\n", [("a.yaml", "Bad_Id", KEBAB)]),
    ("rules:\n  - id: double--dash\n    kind: lexicon\n    label: PLACE\n", [("a.yaml", "double--dash", KEBAB)]),
    ("rules:\n  - id: -lead\n    kind: lexicon\n    label: PLACE\n", [("a.yaml", "-lead", KEBAB)]),
    # missing required key
    ("rules:\n  - id: a\n    kind: affix\n    label: PLACE\n", [("a.yaml", "a", "suffixes: Field required")]),
    ("rules:\n  - id: a\n    kind: lexicon\n", [("a.yaml", "a", "label: Field required")]),
    ("rules:\n  - kind: lexicon\n    label: PLACE\n", [("a.yaml", "?", "id: Field required")]),
    # wrong values
    ("rules:\n  - id: a\n    kind: lexicon\n    label: TOWN\n",
     [("a.yaml", "a", "label: Input should be 'PLACE', 'PERSON', 'ORG', 'FIGURE', 'CONTACT', 'SECRET' or 'TERM'")]),
    ("rules:\n  - id: a\n    kind: lexicon\n    label: PLACE\n    score: 2\n",
     [("a.yaml", "a", "score: Input should be less than or equal to 1")]),
    # file not found (relative to the YAML file)
    ("rules:\n  - id: a\n    kind: lexicon\n    label: PLACE\n    terms_file: lexicons/none.txt\n",
     [("a.yaml", "a", "terms_file: file not found: lexicons/none.txt")]),
    ("rules:\n  - id: a\n    kind: person\n    label: PERSON\n    surnames_file: s.txt\n    titles_file: t.txt\n",
     [("a.yaml", "a", "surnames_file: file not found: s.txt"), ("a.yaml", "a", "titles_file: file not found: t.txt")]),
    ("rules:\n  - id: a\n    kind: allow\n    terms_file: lexicons/missing.txt\n",
     [("a.yaml", "a", "terms_file: file not found: lexicons/missing.txt")]),
    # invalid regex
    ("rules:\n  - id: a\n    kind: pattern\n    label: CONTACT\n    regex: '([0-9'\n",
     [("a.yaml", "a", "regex: Value error, invalid regular expression: unterminated character set at position 1")]),
    ("rules:\n  - id: a\n    kind: pattern\n    label: CONTACT\n    regex: '(?<=a+)b'\n",
     [("a.yaml", "a", "regex: Value error, invalid regular expression: look-behind requires fixed-width pattern")]),
])
def test_one_error(tmp_path, content, expected):
    assert errors_of(rules_dir(tmp_path, {"a.yaml": content})) == expected


def test_duplicate_id_across_files(tmp_path):
    directory = rules_dir(tmp_path, {"a.yaml": LEXICON.format(id="same"), "b.yaml": LEXICON.format(id="same")})
    assert errors_of(directory) == [("b.yaml", "same", f"duplicate rule id (also in {directory / 'a.yaml'})")]


def test_duplicate_id_in_one_file(tmp_path):
    content = LEXICON.format(id="same") + LEXICON.format(id="same").removeprefix("rules:\n")
    directory = rules_dir(tmp_path, {"a.yaml": content})
    assert errors_of(directory) == [("a.yaml", "same", f"duplicate rule id (also in {directory / 'a.yaml'})")]


def test_missing_rules_directory(tmp_path):
    with pytest.raises(RuleErrors) as caught:
        load_rules(tmp_path / "nowhere")
    [error] = caught.value.errors
    assert (error.path, error.rule_id, error.reason) == (tmp_path / "nowhere", None, "rules directory does not exist")


def test_unreadable_rule_file(tmp_path):
    directory = rules_dir(tmp_path, {})
    (directory / "a.yaml").write_bytes(b"rules: [\xff]\n")
    [(path, rule_id, reason)] = errors_of(directory)
    assert (path, rule_id) == ("a.yaml", None)
    assert reason.startswith("cannot read: 'utf-8' codec can't decode byte 0xff")


def test_several_errors_in_several_files_reported_at_once(tmp_path):
    directory = rules_dir(tmp_path, {
        "a.yaml": ("rules:\n"
                   "  - id: ok\n    kind: lexicon\n    label: PLACE\n    terms: [沙溪]\n"
                   "  - id: Bad\n    kind: lexicon\n    label: PLACE\n"
                   "  - id: colour\n    kind: lexicon\n    label: PLACE\n    colour: red\n"),
        "b.yaml": "rules:\n  - id: ok\n    kind: lexicon\n    label: PLACE\n",
        "c.yaml": "rules: [\n",
        "d.yaml": ("rules:\n"
                   "  - id: regex\n    kind: pattern\n    label: CONTACT\n    regex: '('\n"
                   "  - id: magic\n    kind: magic\n"
                   "  - id: file\n    kind: gazetteer\n    label: PLACE\n    file: none.tsv\n    levels: [county]\n"),
    }, profiles={"upper.yaml": UPPER + "colour: red\n",
                 "auto.yaml": "id: auto\nauto:\n  default: upper\n  detect:\n    - {profile: nosuch, pattern: x}\n"})
    errors = errors_of(directory)
    # in file order; the profile checks come last
    expected = [
        ("a.yaml", "Bad", KEBAB),
        ("a.yaml", "colour", "colour: unknown key"),
        ("b.yaml", "ok", f"duplicate rule id (also in {directory / 'a.yaml'})"),
        ("c.yaml", None, "invalid YAML at line 2: expected the node content, but found '<stream end>'"),
        ("d.yaml", "magic", "unknown kind 'magic'; expected one of lexicon, gazetteer, affix, person, figure, "
                            "pattern, term, organisation, allow, watch"),
        ("d.yaml", "regex", "regex: Value error, invalid regular expression: missing ), unterminated subpattern "
                            "at position 0"),
        ("d.yaml", "file", "file: file not found: none.tsv"),
        ("profiles/upper.yaml", "upper", "colour: unknown key"),
        # upper failed to load, so auto's default is unknown too
        ("profiles/auto.yaml", "auto", "auto: 'upper' is not a concrete profile"),
        ("profiles/auto.yaml", "auto", "auto: 'nosuch' is not a concrete profile"),
    ]
    assert errors == expected
    with pytest.raises(RuleErrors) as caught:
        load_rules(directory)
    assert str(caught.value).startswith(f"{len(expected)} rule error(s): ")
    assert all(isinstance(e, RuleError) for e in caught.value.errors)


# ---------------------------------------------------------------- profiles

@pytest.mark.parametrize(("profiles", "expected"), [
    ({"upper.yaml": UPPER, "auto.yaml": "id: auto\nauto:\n  default: nosuch\n"},
     [("profiles/auto.yaml", "auto", "auto: 'nosuch' is not a concrete profile")]),
    ({"upper.yaml": UPPER, "auto.yaml": "id: auto\nauto:\n  default: upper\n  detect:\n"
                                        "    - {profile: lower, pattern: x}\n"},
     [("profiles/auto.yaml", "auto", "auto: 'lower' is not a concrete profile")]),
    # auto cannot name itself, nor another auto profile
    ({"upper.yaml": UPPER, "auto.yaml": "id: auto\nauto:\n  default: auto\n"},
     [("profiles/auto.yaml", "auto", "auto: 'auto' is not a concrete profile")]),
    # the error names the file the profile came from, even when it is not called <id>.yaml
    ({"upper.yaml": UPPER, "mine.yaml": "id: auto\nauto:\n  default: nosuch\n"},
     [("profiles/mine.yaml", "auto", "auto: 'nosuch' is not a concrete profile")]),
    ({"upper.yaml": UPPER + "colour: red\n"}, [("profiles/upper.yaml", "upper", "colour: unknown key")]),
    ({"upper.yaml": "id: upper\nlabels:\n  PLACE: {style: stars, placeholder: '*'}\n"},
     [("profiles/upper.yaml", "upper",
       "labels.PLACE.style: Input should be 'fixed', 'per_char' or 'per_digit'")]),
    ({"upper.yaml": "id: upper\nlabels:\n  PLACE: {style: fixed, placeholder: ''}\n"},
     [("profiles/upper.yaml", "upper", "labels.PLACE.placeholder: String should have at least 1 character")]),
    ({"upper.yaml": "id: upper\nthreshold: 1.5\n"},
     [("profiles/upper.yaml", "upper", "threshold: Input should be less than or equal to 1")]),
    ({"upper.yaml": "- id: upper\n"}, [("profiles/upper.yaml", None, "a profile must be a mapping")]),
    ({"upper.yaml": "id: upper\n  labels: x\n"},
     [("profiles/upper.yaml", None, "invalid YAML at line 2: mapping values are not allowed here")]),
    ({"upper.yaml": UPPER, "copy.yaml": UPPER},
     [("profiles/upper.yaml", "upper", "duplicate profile id (also in {dir}/profiles/copy.yaml)")]),
])
def test_profile_errors(tmp_path, profiles, expected):
    directory = rules_dir(tmp_path, {"a.yaml": LEXICON.format(id="a")}, profiles=profiles)
    expected = [(p, i, r.replace("{dir}", str(directory))) for p, i, r in expected]
    assert errors_of(directory) == expected


def test_profile_without_auto_is_concrete(tmp_path):
    directory = rules_dir(tmp_path, {}, profiles={"upper.yaml": UPPER, "lower.yaml": LOWER})
    profiles = load_rules(directory).profiles
    assert profiles["upper"].auto is None and profiles["upper"].threshold == 0.5
    assert profiles["upper"].labels["PLACE"].placeholder == "XX"
