"""The indicator catalogue (`data/indicators.yaml`), compiled for the extractor and the database."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern
    weight: int
    requires: str | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    unit: str
    kind: str                    # count / rate / amount
    core: bool
    definition: str
    numerator: str | None = None
    denominator: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()
    after: tuple[re.Pattern, ...] = ()
    context: re.Pattern | None = None
    exclude: re.Pattern | None = None
    exclude_sentence: re.Pattern | None = None
    absence: tuple[str, ...] = ()
    unitless: bool = False

    @property
    def family(self) -> str:
        return self.code.split(".")[0]


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    government_as_party: tuple[re.Pattern, ...]
    target_words: re.Pattern
    future_words: re.Pattern
    change_words: re.Pattern
    absence_patterns: tuple[re.Pattern, ...]


def _compile(text: str | None, shorthand: dict[str, str]) -> re.Pattern | None:
    if not text:
        return None
    for key, value in shorthand.items():
        text = text.replace("{" + key + "}", value)
    return re.compile(text)


@lru_cache(maxsize=1)
def load() -> Catalogue:
    raw = yaml.safe_load(resources.files("ingest").joinpath("data/indicators.yaml").read_text(encoding="utf-8"))
    sh = raw.get("shorthand", {})
    indicators = {}
    for item in raw["indicators"]:
        ind = Indicator(
            code=item["code"], name_zh=item["name_zh"], unit=item["unit"], kind=item["kind"],
            core=bool(item["core"]), definition=item["definition"],
            numerator=item.get("numerator"), denominator=item.get("denominator"),
            units=item.get("units") or ({"%": "%"} if item["kind"] == "rate" else {}),
            triggers=tuple(Trigger(_compile(t["re"], sh), int(t.get("weight", 2)), t.get("requires"))
                           for t in item.get("triggers", [])),
            after=tuple(_compile(a, sh) for a in item.get("after", [])),
            context=_compile(item.get("context"), sh),
            exclude=_compile(item.get("exclude"), sh),
            exclude_sentence=_compile(item.get("exclude_sentence"), sh),
            absence=tuple(item.get("absence", [])),
            unitless=bool(item.get("unitless", False)),
        )
        indicators[ind.code] = ind
    return Catalogue(
        indicators=indicators,
        government_as_party=tuple(re.compile(p) for p in raw["government_as_party"]),
        target_words=re.compile(raw["target_words"]),
        future_words=re.compile(raw["future_words"]),
        change_words=re.compile(raw["change_words"]),
        absence_patterns=tuple(re.compile(p) for p in raw["absence_patterns"]),
    )


def rows() -> list[dict]:
    """Catalogue rows for core.indicator."""
    return [{"code": i.code, "family": i.family, "name_zh": i.name_zh, "unit": i.unit, "kind": i.kind,
             "core": i.core, "numerator": i.numerator, "denominator": i.denominator,
             "definition": i.definition} for i in load().indicators.values()]
