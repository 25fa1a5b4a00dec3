"""The sub-event model's training script: the cross-validation folds and their figures."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

from sitrep.evaluation.split import split_of
from sitrep.events.train import dataset_figures, fold_of, pipeline_cross_validate


def test_a_documents_fold_is_fixed_by_its_id_and_every_fold_is_used() -> None:
    ids = [f"acled-{n}" for n in range(200)]
    folds = [fold_of(document_id, 5) for document_id in ids]
    assert folds == [fold_of(document_id, 5) for document_id in ids]
    assert set(folds) == {0, 1, 2, 3, 4}


def test_cross_validation_figures_are_per_dataset_and_report_none_as_one_label() -> None:
    examples = [
        ("case2021", "c1", "Talks were held.", "none:DIPLO"),
        ("case2021", "c2", "Gunmen shot a teacher.", "Attack"),
        ("acled", "a1", "Rebels and soldiers clashed.", "Armed clash"),
    ]
    figures = dataset_figures(examples, ["none", "Armed clash", "Armed clash"])
    assert figures["case2021.n"] == 2 and figures["acled.n"] == 1
    assert figures["case2021.sub_event_accuracy"] == 0.5
    assert figures["case2021.event_type_accuracy"] == 0.5
    assert figures["acled.sub_event_accuracy"] == 1.0
    assert "gtd.n" not in figures


def _train_ids(prefix: str, count: int) -> list[str]:
    ids = (f"{prefix}-{n}" for n in range(1000))
    return list(islice((i for i in ids if split_of(i) == "train"), count))


def _gold_file(path: Path, dataset: str, texts: list[tuple[str, str, str]]) -> None:
    ids = _train_ids(dataset, len(texts))
    rows = [
        {
            "id": document_id,
            "dataset": dataset,
            "text": text,
            "events": [{"event_type": event_type, "sub_event_type": sub_event_type}],
        }
        for document_id, (text, event_type, sub_event_type) in zip(ids, texts, strict=True)
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_pipeline_cross_validation_scores_the_coded_train_documents_as_eval_does(
    tmp_path: Path,
) -> None:
    towns = ["Kano", "Jos", "Kaduna", "Bauchi", "Gombe", "Yola"]
    clashes = [
        (f"On 3 May 2020, soldiers clashed with rebels near {town}.", "Battles", "Armed clash")
        for town in towns
    ]
    protests = [
        (
            f"On 3 May 2020, traders protested against taxes in {town}.",
            "Protests",
            "Peaceful protest",
        )
        for town in towns
    ]
    abductions = [
        (
            f"On 3 May 2020, gunmen kidnapped a farmer in {town}.",
            "Violence against civilians",
            "Abduction/forced disappearance",
        )
        for town in towns
    ]
    _gold_file(tmp_path / "acled.dev.jsonl", "acled", clashes + protests + abductions)
    _gold_file(
        tmp_path / "case2021.dev.jsonl", "case2021", clashes[:3] + protests[:3] + abductions[:3]
    )
    (tmp_path / "gtd.dev.jsonl").write_text("", encoding="utf-8")
    figures = pipeline_cross_validate(tmp_path, 2)
    assert figures["acled.event_type accuracy (matched pairs)"] == 1.0
    assert figures["case2021.sub-event weighted F1 (one label a document)"] == 1.0
