"""The indicator catalogue (`indicators.yaml` beside this module), compiled for the extractor and
the database: indicators with their phrasings, and the discourse vocabulary (topics, subjects,
subsets, periods) the extractor's mechanisms read."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

import yaml

from ingest.text.trie import trie_pattern

from .literals import required


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern
    weight: int
    requires: frozenset[str] = frozenset()
    bare: bool = False  # a bare verb: counts only while the indicator's topic is current
    words: frozenset[str] | None = None  # a match contains one of these (literals.required)


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    unit: str
    kind: str                    # count / rate / amount
    core: bool
    definition: str
    topic: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()
    after: tuple[re.Pattern, ...] = ()
    context: re.Pattern | None = None
    exclude: re.Pattern | None = None
    exclude_sentence: re.Pattern | None = None   # must not occur in the sentence before the figure
    exclude_topics: frozenset[str] = frozenset()
    absence: tuple[str, ...] = ()
    kinds: re.Pattern | None = None    # the kinds a total sums (撤销, 变更…): one counted alone is a part
    after_words: frozenset[str] | None = frozenset()   # what an `after` match needs (None: anything)
    min_value: Decimal | None = None   # plausible range (indicators.yaml `ranges` / `range`)
    max_value: Decimal | None = None

    @property
    def family(self) -> str:
        return self.code.split(".")[0]

    def plausible(self, value: Decimal) -> bool:
        return ((self.min_value is None or value >= self.min_value)
                and (self.max_value is None or value <= self.max_value))


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    topic_words: dict[str, str]          # literal word -> topic
    topic_pattern: re.Pattern            # every topic word, longest first
    party_topics: frozenset[str]
    party_roles: tuple[re.Pattern, ...]  # each with a (?P<subject>...) group
    subjects: dict[str, re.Pattern]      # self / area / part
    area_words: re.Pattern
    subsets: re.Pattern
    scope_subsets: re.Pattern
    periods: dict[str, re.Pattern]       # cumulative / prior / current
    prior_value: re.Pattern
    filler: re.Pattern
    bare_gap: re.Pattern
    target_words: re.Pattern
    future_words: re.Pattern
    change_words: re.Pattern
    absence_patterns: tuple[re.Pattern, ...]
    not_parts: re.Pattern | None = None   # a 其中 item that is still a catalogue total (其中，一审813件)
    cues: dict[str, re.Pattern] = field(default_factory=dict)   # risk words confidence reads
    court: dict = field(default_factory=dict)
    province_names: frozenset[str] = frozenset()   # 河南, 内蒙古: provinces by their short names       # court_statistics: subject, instance, first, indicators
    threshold_after: re.Pattern | None = None
    counted_other: re.Pattern | None = None   # another noun the figure counts (5个方面)
    names_a_body: re.Pattern | None = None    # a phrase that names a body (法律咨询委员会)
    own_object: re.Pattern | None = None      # a noun of the figure's own (14名执法人员)
    from_value: re.Pattern | None = None
    status_totals: re.Pattern | None = None
    absence_not: re.Pattern | None = None
    topic_documents: tuple = ()     # (title pattern, families its figures are limited to)
    received_words: re.Pattern | None = None
    to_after: re.Pattern | None = None
    narrative_once: re.Pattern | None = None
    narrative_units: frozenset[str] = frozenset()
    continuations: re.Pattern | None = None   # a clause that goes on with the outcome of the one before
    subject_lead: re.Pattern | None = None    # what may stand before a subset that is the sentence's subject
    quoted_plan: re.Pattern | None = None     # the word before a quoted requirement


def _union(sets) -> frozenset[str] | None:
    out: set[str] = set()
    for words in sets:
        if words is None:
            return None
        out |= words
    return frozenset(out)


def _compile(text: str | None, shorthand: dict[str, str]) -> re.Pattern | None:
    if not text:
        return None
    for key, value in shorthand.items():
        text = text.replace("{" + key + "}", value)
    return re.compile(text)


def _indicator(item: dict, sh: dict[str, str], ranges: dict) -> Indicator:
    triggers = tuple(
        Trigger(p, int(t.get("weight", 2)),
                frozenset(t["requires"].split("|")) if t.get("requires") else frozenset(), bool(t.get("bare")),
                required(p))
        for t in item.get("triggers", []) for p in [_compile(t["re"], sh)])
    after = tuple(_compile(a, sh) for a in item.get("after", []))
    bounds = item.get("range") or ranges.get(item["unit"])
    return Indicator(
        code=item["code"], name_zh=item["name_zh"], unit=item["unit"], kind=item["kind"],
        core=bool(item["core"]), definition=item["definition"], topic=item.get("topic"),
        numerator=item.get("numerator"), denominator=item.get("denominator"),
        units=item.get("units") or ({"%": "%"} if item["kind"] == "rate" else {}),
        triggers=triggers,
        after=after, after_words=_union(required(a) for a in after),
        context=_compile(item.get("context"), sh),
        exclude=_compile(item.get("exclude"), sh),
        exclude_sentence=_compile(item.get("exclude_sentence"), sh),
        exclude_topics=frozenset(item.get("exclude_topics", [])),
        absence=tuple(item.get("absence", [])),
        kinds=_compile(item.get("kinds"), sh),
        min_value=_bound(bounds, 0), max_value=_bound(bounds, 1),
    )


def _bound(bounds, i: int) -> Decimal | None:
    return None if bounds is None or bounds[i] is None else Decimal(str(bounds[i]))


@lru_cache(maxsize=1)
def load() -> Catalogue:
    raw = yaml.safe_load(resources.files("ingest.extract").joinpath("indicators.yaml").read_text(encoding="utf-8"))
    sh = raw.get("shorthand", {})
    indicators = {i.code: i for i in (_indicator(item, sh, raw.get("ranges", {})) for item in raw["indicators"])}
    words = {w: topic for topic, ws in raw["topics"].items() for w in ws}
    topic_pattern = re.compile(trie_pattern(words))
    return Catalogue(
        indicators=indicators,
        topic_words=words,
        topic_pattern=topic_pattern,
        party_topics=frozenset(raw["party_topics"]),
        party_roles=tuple(re.compile(p) for p in raw["party_roles"]),
        subjects={k: re.compile(v) for k, v in raw["subjects"].items()},
        area_words=re.compile(raw["area_words"]),
        subsets=re.compile("|".join(f"(?:{p})" for p in raw["subsets"])),
        scope_subsets=re.compile(raw["scope_subsets"]),
        periods={k: re.compile(v) for k, v in raw["periods"].items()},
        continuations=re.compile(raw["continuations"]) if raw.get("continuations") else None,
        subject_lead=re.compile(raw["subject_lead"]) if raw.get("subject_lead") else None,
        prior_value=re.compile(raw["prior_value"]),
        filler=re.compile(raw["filler"]),
        bare_gap=re.compile(raw["bare_gap"]),
        target_words=re.compile(raw["target_words"]),
        future_words=re.compile(raw["future_words"]),
        quoted_plan=re.compile(raw["quoted_plan"]) if raw.get("quoted_plan") else None,
        change_words=re.compile(raw["change_words"]),
        absence_patterns=tuple(re.compile(p) for p in raw["absence_patterns"]),
        not_parts=re.compile(raw["not_parts"]) if raw.get("not_parts") else None,
        cues={k: re.compile(v) for k, v in (raw.get("cues") or {}).items()},
        court=_court(raw.get("court_statistics"), raw.get("province_names") or []),
        province_names=frozenset(raw.get("province_names") or ()),
        threshold_after=re.compile(raw["threshold_after"]) if raw.get("threshold_after") else None,
        counted_other=re.compile(raw["counted_other"]) if raw.get("counted_other") else None,
        names_a_body=re.compile(raw["names_a_body"]) if raw.get("names_a_body") else None,
        own_object=re.compile(raw["own_object"]) if raw.get("own_object") else None,
        from_value=re.compile(raw["from_value"]) if raw.get("from_value") else None,
        status_totals=re.compile(raw["status_totals"]) if raw.get("status_totals") else None,
        absence_not=re.compile(raw["absence_not"]) if raw.get("absence_not") else None,
        topic_documents=tuple((re.compile(k), frozenset(v)) for k, v in (raw.get("topic_documents") or {}).items()),
        received_words=re.compile(raw["received_words"]) if raw.get("received_words") else None,
        to_after=re.compile(raw["to_after"]) if raw.get("to_after") else None,
        narrative_once=re.compile(raw["narrative_once"]) if raw.get("narrative_once") else None,
        narrative_units=frozenset(raw.get("narrative_units") or ()),
    )


def _court(raw: dict | None, provinces: list[str]) -> dict:
    if not raw:
        return {}
    subject = raw["subject"].replace("{provinces}", "|".join(provinces))
    return {"subject": re.compile(subject), "instance": re.compile(raw["instance"]),
            "first": raw["first"], "indicators": frozenset(raw["indicators"]),
            "first_by_default": frozenset(raw.get("first_by_default") or ())}


def rows() -> list[dict]:
    """Catalogue rows for core.indicator. min_value / max_value: the plausible range (Decimal,
    None when open)."""
    return [{"code": i.code, "family": i.family, "name_zh": i.name_zh, "unit": i.unit, "kind": i.kind,
             "core": i.core, "numerator": i.numerator, "denominator": i.denominator,
             "definition": i.definition, "min_value": i.min_value, "max_value": i.max_value}
            for i in load().indicators.values()]
