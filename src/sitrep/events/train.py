"""Train the sub-event classifier shipped in `model/` (`python -m sitrep.events.train`).

Learns from the `train` split (`sitrep.evaluation.split.split_of`) of the ACLED
notes, the CASE 2021 snippets and the GTD summaries whose attack type maps to an
ACLED sub-event (`gtd_attack_types.tsv`), parsed by the shared spaCy pipeline;
prints the `test` split figures and writes the weights plus
`model/sub_event.json` (data version: sha256 of each gold file, the split
counts, the seed). The settings (C, the parse weight, the event-type share, the
dataset weights) were chosen by 5-fold cross-validation on the train split;
`--cv 5` prints those figures (each train document predicted by the model fitted
on the other folds) and writes nothing; `--pipeline-cv 5` prints the same folds'
figures of the whole event coder (`code_events`, scored as `sitrep eval` scores
it), the ones to choose the orchestrator's thresholds by.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

import joblib
import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.svm import LinearSVC
from spacy.tokens import Doc

from sitrep.article import build_article
from sitrep.errors import DocumentError
from sitrep.evaluation.gold import GoldDocument, read_gold
from sitrep.evaluation.scoring import EventScorer, conventions_of
from sitrep.evaluation.split import split_of
from sitrep.events import code_events
from sitrep.events.classify import (
    LABEL_SEPARATOR,
    MODEL_PATH,
    NO_SUB_EVENT,
    SubEventModel,
    features,
    reported_label,
)
from sitrep.models import EVENT_TYPE_OF_SUB_EVENT, Article, DocumentResult, InputDocument
from sitrep.nlp import load_pipeline

SEED = 13
C = 0.5
# The event type's share of a sub-event's margin: a second classifier learns the
# event types (Battles, Riots...), and each sub-event adds this much of its type's
# margin, folded into one linear model. It keeps a doubtful note within its type.
EVENT_TYPE_SHARE = 0.5
DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "eval"
GOLD_FILES = ("acled.dev.jsonl", "case2021.dev.jsonl", "gtd.dev.jsonl")
# CASE is the register of news sentences, the one sitrep codes; it is small, so
# each snippet counts more than a coder's note or a GTD summary.
DATASET_WEIGHT = {"acled": 1.0, "case2021": 3.0, "gtd": 0.5}
GTD_TABLE = Path(__file__).with_name("gtd_attack_types.tsv")

Example = tuple[str, str, str, str]  # (dataset, id, text, label)


def _gtd_labels() -> dict[str, str]:
    rows = GTD_TABLE.read_text(encoding="utf-8").splitlines()
    return dict(
        tuple(row.split("\t")[:2])  # type: ignore[misc]
        for row in rows
        if row and not row.startswith("#")
    )


def _label(dataset: str, text: str, event: dict[str, object], gtd: dict[str, str]) -> str | None:
    if dataset == "gtd":
        label = gtd.get(str(event.get("source_type")))
        if label == "Remote explosive/landmine/IED" and "suicide" in text.lower():
            return "Suicide bomb"
        return label
    sub_event = event.get("sub_event_type")
    if sub_event:
        return str(sub_event)
    # CASE's non-ACLED classes are learned apart and reported as one.
    source = event.get("source_type")
    return f"{NO_SUB_EVENT}{LABEL_SEPARATOR}{source}" if dataset == "case2021" else NO_SUB_EVENT


def load_examples(eval_dir: Path) -> list[Example]:
    """Every labelled document of the gold files, train and test alike."""
    gtd = _gtd_labels()
    examples: list[Example] = []
    for name in GOLD_FILES:
        dataset = name.split(".")[0]
        for line in (eval_dir / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not row["events"]:
                continue
            label = _label(dataset, row["text"], row["events"][0], gtd)
            if label is not None:
                examples.append((dataset, row["id"], row["text"], label))
    return examples


def _event_type(label: str) -> str:
    return EVENT_TYPE_OF_SUB_EVENT.get(reported_label(label), NO_SUB_EVENT)


def _parse(texts: list[str]) -> list[Doc]:
    return list(load_pipeline().pipe(texts, batch_size=64))


def report(model: SubEventModel, test: list[Example]) -> dict[str, float]:
    """Test-split figures per dataset: accuracy, event-type accuracy, weighted/macro F1."""
    predicted = [label for label, _ in model.predict(_parse([text for _, _, text, _ in test]))]
    return dataset_figures(test, predicted)


def dataset_figures(examples: list[Example], predicted: list[str]) -> dict[str, float]:
    """Per dataset: accuracy, event-type accuracy, weighted/macro F1 of these predictions."""
    figures: dict[str, float] = {}
    for dataset in ("acled", "case2021", "gtd"):
        pairs = [
            (reported_label(example[3]), label)
            for example, label in zip(examples, predicted, strict=True)
            if example[0] == dataset
        ]
        if not pairs:
            continue
        gold, chosen = [g for g, _ in pairs], [p for _, p in pairs]
        figures[f"{dataset}.n"] = len(pairs)
        figures[f"{dataset}.sub_event_accuracy"] = accuracy_score(gold, chosen)
        figures[f"{dataset}.event_type_accuracy"] = accuracy_score(
            [_event_type(g) for g in gold], [_event_type(p) for p in chosen]
        )
        figures[f"{dataset}.weighted_f1"] = f1_score(
            gold, chosen, average="weighted", zero_division=0
        )
        figures[f"{dataset}.macro_f1"] = f1_score(gold, chosen, average="macro", zero_division=0)
    return figures


def fold_of(document_id: str, folds: int) -> int:
    """The cross-validation fold of a document: fixed by its id, like the split."""
    return int(hashlib.md5(document_id.encode("utf-8")).hexdigest()[:8], 16) % folds


def cross_validate(eval_dir: Path, folds: int) -> dict[str, float]:
    """k-fold figures within the train split: each train document predicted by the model
    fitted on the other folds (the honest train figures; the test split stays unseen)."""
    training = [e for e in load_examples(eval_dir) if split_of(e[1]) == "train"]
    docs = _parse([text for _, _, text, _ in training])
    predicted = [""] * len(training)
    for fold in range(folds):
        held = [i for i, example in enumerate(training) if fold_of(example[1], folds) == fold]
        kept = [i for i, example in enumerate(training) if fold_of(example[1], folds) != fold]
        model = fit_model([training[i] for i in kept], [docs[i] for i in kept])
        for i, (label, _) in zip(held, model.predict([docs[i] for i in held]), strict=True):
            predicted[i] = label
    return dataset_figures(training, predicted)


# The gold files whose train documents the pipeline cross-validation codes.
PIPELINE_GOLD_FILES = ("acled.dev.jsonl", "case2021.dev.jsonl")
# The figures of `sitrep eval` it prints: the types and the one label of a document.
PIPELINE_FIGURES = (
    "event_type accuracy",
    "sub_event_type accuracy",
    "sub-event macro-F1",
    "sub-event weighted F1",
    "fatalities exact",
)


def _train_articles(path: Path) -> list[tuple[GoldDocument, Article]]:
    """The train documents of a gold file with their articles (one that fails is left out)."""
    found = []
    for document in read_gold(path, lambda _: None):
        if split_of(document.id) != "train":
            continue
        published = document.published.isoformat() if document.published else None
        source = InputDocument(
            id=document.id, text=document.text or "", title=document.title, published=published
        )
        try:
            found.append((document, build_article(source)))
        except DocumentError:
            continue
    return found


def pipeline_cross_validate(eval_dir: Path, folds: int) -> dict[str, float]:
    """k-fold figures of the whole event coder within the train split: each ACLED and
    CASE train document coded by `code_events` with the model fitted on the other
    folds (the same folds as `cross_validate`), scored by `sitrep eval`'s scorer."""
    training = [e for e in load_examples(eval_dir) if split_of(e[1]) == "train"]
    docs = _parse([text for _, _, text, _ in training])
    models = [
        fit_model(
            [e for e in training if fold_of(e[1], folds) != fold],
            [d for e, d in zip(training, docs, strict=True) if fold_of(e[1], folds) != fold],
        )
        for fold in range(folds)
    ]
    figures: dict[str, float] = {}
    for name in PIPELINE_GOLD_FILES:
        dataset = name.split(".")[0]
        articles = _train_articles(eval_dir / name)
        bodies = _parse([article.body for _, article in articles])
        scorer = EventScorer(conventions_of(dataset))
        for (document, article), doc in zip(articles, bodies, strict=True):
            events = code_events(article, doc, models[fold_of(document.id, folds)])
            scorer.add(document, DocumentResult(id=document.id, article=article, events=events))
        for figure in scorer.figures():
            if figure.value is not None and figure.name.startswith(PIPELINE_FIGURES):
                figures[f"{dataset}.{figure.name}"] = figure.value
    return figures


def _learner() -> LinearSVC:
    return LinearSVC(C=C, class_weight="balanced", random_state=SEED, max_iter=5000)


def fit_model(training: list[Example], docs: list[Doc]) -> SubEventModel:
    """The sub-event model learned from these examples (`docs`: their parsed texts)."""
    matrix = features(docs)
    labels = [label for *_, label in training]
    weights = np.array([DATASET_WEIGHT[dataset] for dataset, *_ in training])
    sub_events = _learner().fit(matrix, labels, sample_weight=weights)
    event_types = _learner().fit(
        matrix, [_event_type(label) for label in labels], sample_weight=weights
    )
    type_row = {str(label): row for row, label in enumerate(event_types.classes_)}
    rows = [type_row[_event_type(str(label))] for label in sub_events.classes_]
    coef = sub_events.coef_ + EVENT_TYPE_SHARE * event_types.coef_[rows]
    intercept = sub_events.intercept_ + EVENT_TYPE_SHARE * event_types.intercept_[rows]
    return SubEventModel(
        classes=tuple(str(c) for c in sub_events.classes_),
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
    )


def train(eval_dir: Path) -> tuple[SubEventModel, dict[str, object]]:
    examples = load_examples(eval_dir)
    training = [example for example in examples if split_of(example[1]) == "train"]
    test = [example for example in examples if split_of(example[1]) == "test"]
    model = fit_model(training, _parse([text for _, _, text, _ in training]))
    version: dict[str, object] = {
        "seed": SEED,
        "learner": (
            f"LinearSVC(C={C}, class_weight=balanced) on sub-events plus {EVENT_TYPE_SHARE} x "
            "the same on event types; hashed word 1-2 + char 3-5 grams + spaCy parse features "
            "+ content lemma 1-2 grams + the same marked with the register (note, summary, news)"
        ),
        "spacy_pipeline": f"{load_pipeline().meta['name']} {load_pipeline().meta['version']}",
        "dataset_weight": DATASET_WEIGHT,
        "gold_files": {
            name: hashlib.sha256((eval_dir / name).read_bytes()).hexdigest() for name in GOLD_FILES
        },
        "split": "sitrep.evaluation.split.split_of: train only",
        "train_counts": dict(Counter(dataset for dataset, *_ in training)),
        "test_counts": dict(Counter(dataset for dataset, *_ in test)),
        "test_figures": report(model, test),
    }
    return model, version


def _print(prefix: str, figures: dict[str, float]) -> None:
    for name, value in figures.items():
        print(
            f"{prefix} {name}: {value:.3f}"
            if isinstance(value, float)
            else f"{prefix} {name}: {value}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--cv",
        type=int,
        metavar="K",
        help="print K-fold cross-validation figures within the train split; write no model",
    )
    parser.add_argument(
        "--pipeline-cv",
        type=int,
        metavar="K",
        help="print K-fold cross-validation figures of the whole event coder (ACLED, CASE "
        "train documents scored as `sitrep eval` scores them); write no model",
    )
    args = parser.parse_args()
    if args.cv:
        _print(f"cv{args.cv}", cross_validate(args.eval_dir, args.cv))
        return
    if args.pipeline_cv:
        figures = pipeline_cross_validate(args.eval_dir, args.pipeline_cv)
        _print(f"pipeline-cv{args.pipeline_cv}", figures)
        return
    model, version = train(args.eval_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(
        {"classes": list(model.classes), "coef": model.coef, "intercept": model.intercept},
        args.out,
        compress=3,
    )
    args.out.with_suffix(".json").write_text(json.dumps(version, indent=2) + "\n")
    _print("test", version["test_figures"])  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
