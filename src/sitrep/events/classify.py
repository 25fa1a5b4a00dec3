"""The learned sub-event classifier: ACLED sub-event type (or `none`) of a text.

A linear model over hashed word and character n-grams plus features of the spaCy
parse (each verb's lemma, negation, and the heads of its subject, object and
prepositional arguments, also as a participant class of
`participant_classes.tsv`) and the content lemmas marked with the text's register
(`register`: a coder's note, a GTD summary, a news sentence), trained by
`python -m sitrep.events.train` and shipped as `model/sub_event.joblib`. The
orchestrator asks it for the sub-event type of each violence or protest happening
(reading a short note whole, a long story's sentences one at a time), and the
explicit phrases of `plover.py` type it where the model does not find them far less likely.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn import config_context
from sklearn.feature_extraction.text import HashingVectorizer
from spacy.tokens import Doc, Span, Token

MODEL_PATH = Path(__file__).with_name("model") / "sub_event.joblib"
PARTICIPANT_CLASSES = Path(__file__).with_name("participant_classes.tsv")
NO_SUB_EVENT = "none"
# Labels the model learns apart but reports as one: `none:DIPLO`, `none:ORG_CRIME`...
# are all `none` (CASE's five non-ACLED classes have little in common).
LABEL_SEPARATOR = ":"
HASHED_FEATURES = 2**16
PARSE_FEATURES = 2**15
LEMMA_FEATURES = 2**15
REGISTER_FEATURES = 2**15
FEATURES = 2 * HASHED_FEATURES + PARSE_FEATURES + LEMMA_FEATURES + REGISTER_FEATURES
# Weight of the register block: the content lemmas again, each marked with the text's
# register (a coder's note, a GTD summary, a news sentence), so the model learns what
# a word means in each register apart from what it means in all of them.
REGISTER_WEIGHT = 1.0
# Weight of the parse block beside the two n-gram blocks (each L2-normalised).
PARSE_WEIGHT = 0.7
# Softmax temperature over the linear margins.
MARGIN_SCALE = 2.0

# ACLED notes open with the date and close with a size tag; news snippets
# never do, so both are removed to keep the two registers alike.
_NOTE_DATE = re.compile(r"^\s*(?:on|around|between|during)?\s*\d{1,2}\s+\w+\s+\d{4},?\s*", re.I)
_GTD_DATE = re.compile(r"^\s*\d{2}/\d{2}/\d{4}:\s*")
_SIZE_TAG = re.compile(r"\[size=[^\]]*\]", re.I)
_DIGITS = re.compile(r"\d")

# Dependency relations of a verb's arguments, by the role they give.
_ARGUMENT_ROLES = {"nsubj": "subj", "agent": "subj", "nsubjpass": "obj", "dobj": "obj"}
# A noun's prepositional arguments that tell who took part ("an attack on the
# police", "clashes between soldiers and rebels").
_NOUN_PREPOSITIONS = frozenset({"on", "against", "between", "with", "by", "at", "in"})
# Heads that stand for the noun after their 'of' ("a member of the security forces").
_PARTITIVES = frozenset(
    {"member", "one", "some", "number", "several", "dozen", "hundred", "group", "unit", "team"}
)


def normalise(text: str) -> str:
    """The text as the n-grams see it: no note date or size tag, digits folded."""
    text = _SIZE_TAG.sub(" ", _GTD_DATE.sub("", _NOTE_DATE.sub("", text)))
    return _DIGITS.sub("0", text.lower())


def register(text: str) -> str:
    """The register a text is written in: `note` (ACLED), `summary` (GTD) or `news`."""
    if _NOTE_DATE.match(text) or _SIZE_TAG.search(text):
        return "note"
    return "summary" if _GTD_DATE.match(text) else "news"


def register_tokens(span: Doc | Span) -> list[str]:
    """The register alone and before each content lemma (`news`, `news|shoot`)."""
    kind = register(span.text)
    return [kind, *(f"{kind}|{lemma}" for lemma in lemma_tokens(span))]


@lru_cache(maxsize=1)
def participant_classes() -> dict[str, str]:
    """Lemma → participant class (ARMED, CIVILIAN, CROWD) of `participant_classes.tsv`."""
    rows = PARTICIPANT_CLASSES.read_text(encoding="utf-8").splitlines()
    pairs = (row.split("\t") for row in rows if row and not row.startswith("#"))
    return {pair[0]: pair[1] for pair in pairs}


def _argument_head(token: Token) -> Token | None:
    """The noun an argument names: an agent's object, the noun after a partitive."""
    if token.dep_ == "agent":
        pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        token = pobj
    if token.lemma_.lower() in _PARTITIVES or token.like_num:
        of = next(
            (
                g
                for c in token.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
            ),
            None,
        )
        if of is not None:
            return of
    return token


def _arguments(token: Token) -> list[tuple[str, Token]]:
    """(role, head noun) of each argument of a verb or event noun."""
    found: list[tuple[str, Token]] = []
    for child in token.children:
        role = _ARGUMENT_ROLES.get(child.dep_)
        if role is not None and token.pos_ == "VERB":
            head = _argument_head(child)
        elif child.dep_ == "prep" and (token.pos_ == "VERB" or child.lower_ in _NOUN_PREPOSITIONS):
            role = child.lower_
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            head = _argument_head(pobj) if pobj is not None else None
        else:
            continue
        if head is not None:
            found.append((role, head))
    return found


def lemma_tokens(span: Doc | Span) -> list[str]:
    """The lemmas of the text's content words and each pair of neighbours among them
    ('shoot kill', 'police officer' whatever the inflection or the words between)."""
    lemmas = [token.lemma_.lower() for token in span if token.is_alpha and not token.is_stop]
    return [*lemmas, *(f"{a} {b}" for a, b in pairwise(lemmas))]


def parse_tokens(span: Doc | Span) -> list[str]:
    """The parse features of a text: `v:lemma`, `neg:lemma`, `lemma>role:head` and
    `lemma>role:CLASS`, `role:CLASS` for each verb and event noun."""
    classes = participant_classes()
    tokens: list[str] = []
    for token in span:
        if token.pos_ not in ("VERB", "NOUN"):
            continue
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB":
            tokens.append("v:" + lemma)
            if any(child.dep_ == "neg" for child in token.children):
                tokens.append("neg:" + lemma)
        for role, head in _arguments(token):
            head_lemma = head.lemma_.lower()
            tokens.append(f"{lemma}>{role}:{head_lemma}")
            kind = classes.get(head_lemma) or ("ORG" if head.ent_type_ in ("NORP", "ORG") else None)
            if kind is not None:
                tokens.extend((f"{lemma}>{role}:{kind}", f"{role}:{kind}"))
    return tokens


_WORDS = HashingVectorizer(
    n_features=HASHED_FEATURES,
    ngram_range=(1, 2),
    alternate_sign=False,
    norm="l2",
    dtype=np.float32,
    token_pattern=r"(?u)\b\w+\b",
)
_CHARS = HashingVectorizer(
    n_features=HASHED_FEATURES,
    analyzer="char_wb",
    ngram_range=(3, 5),
    alternate_sign=False,
    norm="l2",
    dtype=np.float32,
)


def _token_hasher(n_features: int) -> HashingVectorizer:
    """Hashes lists of ready-made feature tokens (`lemma_tokens`, `parse_tokens`)."""
    return HashingVectorizer(
        n_features=n_features,
        analyzer=lambda tokens: tokens,
        alternate_sign=False,
        norm="l2",
        dtype=np.float32,
    )


_LEMMAS = _token_hasher(LEMMA_FEATURES)
_PARSE = _token_hasher(PARSE_FEATURES)
_REGISTER = _token_hasher(REGISTER_FEATURES)


def features(spans: Sequence[Doc | Span]) -> sparse.csr_matrix:
    """Hashed word 1-2-grams and character 3-5-grams of the normalised texts, the
    parse features of `parse_tokens`, the content lemmas of `lemma_tokens` and the
    same marked with the register (`register_tokens`)."""
    cleaned = [normalise(span.text) for span in spans]
    # The vectorizers' settings are fixed above: checking them at every call would
    # cost a fifth of the time.
    with config_context(skip_parameter_validation=True):
        parsed = _PARSE.transform([parse_tokens(span) for span in spans])
        blocks = [_WORDS.transform(cleaned), _CHARS.transform(cleaned)]
        lemmas = _LEMMAS.transform([lemma_tokens(span) for span in spans])
        registers = _REGISTER.transform([register_tokens(span) for span in spans])
    return sparse.hstack(
        [
            *blocks,
            parsed * np.float32(PARSE_WEIGHT),
            lemmas,
            registers * np.float32(REGISTER_WEIGHT),
        ]
    ).tocsr()


def reported_label(label: str) -> str:
    """The label a learned class is reported as (`none:DIPLO` → `none`)."""
    return label.split(LABEL_SEPARATOR, 1)[0]


@dataclass(frozen=True)
class SubEventModel:
    """Weights of a one-vs-rest linear classifier, stored as float32 to stay small."""

    classes: tuple[str, ...]
    coef: Any  # float32 array (classes x features)
    intercept: Any  # float32 array (classes,)
    # The weights as (features x classes) in row order, made once: a sparse row times
    # it reads only the rows of the text's features (the transposed view would be
    # copied whole at every call).
    by_feature: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_feature", np.ascontiguousarray(self.coef.T))

    def scores(self, spans: Sequence[Doc | Span]) -> np.ndarray:
        matrix = features(spans)
        result: np.ndarray = np.asarray(matrix @ self.by_feature) + self.intercept
        return result

    def rank(self, spans: Sequence[Doc | Span]) -> list[list[tuple[str, float]]]:
        """For each text, every reported label with its probability (a softmax over the
        margins, summed over the classes reported alike), best first."""
        if not spans:
            return []
        reported = [reported_label(label) for label in self.classes]
        rankings = []
        for row in self.scores(spans):
            probabilities = np.exp((row - row.max()) * MARGIN_SCALE)
            probabilities /= probabilities.sum()
            merged: dict[str, float] = {}
            for label, probability in zip(reported, probabilities, strict=True):
                merged[label] = merged.get(label, 0.0) + float(probability)
            rankings.append(sorted(merged.items(), key=lambda item: -item[1]))
        return rankings

    def predict(self, spans: Sequence[Doc | Span]) -> list[tuple[str, float]]:
        """The best label of each text and its probability."""
        return [ranking[0] for ranking in self.rank(spans)]


@lru_cache(maxsize=1)
def load_model() -> SubEventModel:
    """The shipped model, loaded once per process."""
    stored = joblib.load(MODEL_PATH)
    return SubEventModel(
        classes=tuple(stored["classes"]), coef=stored["coef"], intercept=stored["intercept"]
    )


def classify_sub_event(spans: Sequence[Doc | Span]) -> list[tuple[str, float]]:
    """ACLED sub-event type (or `none`) and confidence for each parsed text."""
    return load_model().predict(spans)
