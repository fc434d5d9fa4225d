"""Figure recognizer: every Arabic number, classified by what surrounds it.

Each number becomes one FIGURE candidate with a `figure_class` (money, magnitude, measure,
percent, count, date, year, ordinal, version, quoted_code, code, outline, number); the masking
profile decides which classes are masked. Numbers inside Latin tokens (`B2C`, `S2线`, `5A级`) are
class `code`, quoted policy numbers (`“14361”`) `quoted_code`, outline numbers (`1.`) `outline`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds
from redact.rules import FigureRule

NUMBER = re.compile(r"(?<![0-9０-９.．])[0-9０-９]+(?:[.．][0-9０-９]+)*")
LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
QUOTED_CODE = re.compile(r"[“\"「『]([0-9０-９+＋X]+)[”\"」』]")
YEAR = re.compile(r"(19|20)\d\d")
OUTLINE = re.compile(r"[.．、)）]")


class FigureRecognizer(RuleRecognizer):
    """Numbers with the unit class named in the rule (`money: [元, 万元, …]`)."""

    def __init__(self, rule: FigureRule) -> None:
        self.units = sorted(((unit, name) for name, units in rule.classes.items() for unit in units),
                            key=lambda pair: len(pair[0]), reverse=True)
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        quoted = {m.start(1) for m in QUOTED_CODE.finditer(text)}
        for match in NUMBER.finditer(text):
            start, end = match.span()
            figure_class, why = self.classify(text, start, end, start in quoted)
            yield Candidate(start, end, self.rule.score, why, figure_class=figure_class)

    def classify(self, text: str, start: int, end: int, quoted: bool) -> tuple[str, str]:
        """The class of the number at `text[start:end]` and a short reason."""
        number = text[start:end]
        before = text[start - 1] if start else ""
        after = text[end:end + 8]
        if LATIN.match(before) or LATIN.match(after[:1]):
            return "code", f"「{number}」 is part of a Latin token"
        if quoted:
            return "quoted_code", f"「{number}」 is a quoted code"
        if OUTLINE.match(text, end) and (start == 0 or text[start - 1] == "\n"):
            return "outline", f"「{number}」 numbers an outline item"
        following = after[:1]  # "" at the end of the text; `"" in "…"` would always be true
        if before == "第":
            return "ordinal", f"「{number}」 after 第"
        for unit, name in self.units:
            if after.startswith(unit):
                return name, f"「{number}」 followed by 「{unit}」"
        if following and following in "%％":
            return "percent", f"「{number}」 is a percentage"
        if YEAR.fullmatch(number) and (not following or following in "年-－—～~至/"):
            return "year", f"「{number}」 is a year"
        if following and following in "月日号时" or before == "月":
            return "date", f"「{number}」 is part of a date"
        if "." in number or "．" in number:
            return "version", f"「{number}」 has no unit"
        return "number", f"「{number}」 has no unit"
