from sitrep.evaluation.split import split_of


def test_split_is_stable_and_about_one_fifth() -> None:
    ids = [f"doc-{n}" for n in range(5000)]
    splits = [split_of(i) for i in ids]
    assert splits == [split_of(i) for i in ids]
    share = splits.count("test") / len(splits)
    assert 0.17 < share < 0.23
