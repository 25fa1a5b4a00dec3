"""The sub-event model's training script: the cross-validation folds and their figures."""

from __future__ import annotations

from sitrep.events.train import dataset_figures, fold_of


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
