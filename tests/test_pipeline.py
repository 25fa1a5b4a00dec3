from sitrep import extract


def test_extract_returns_document_with_body() -> None:
    result = extract("Two rockets were fired at the Green Zone.", id="x")
    assert result.id == "x"
    assert result.article.body == "Two rockets were fired at the Green Zone."
