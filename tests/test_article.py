"""Article layer: title, chrome removal, body, publication date, hash and language."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.article import MAX_BODY_CHARS, build_article
from sitrep.article.body import content_hash
from sitrep.errors import DocumentError
from sitrep.models import Article, InputDocument

TODAY = date(2026, 11, 28)


def article(text: str, **fields: str | None) -> Article:
    return build_article(InputDocument(id="t", text=text, **fields), today=TODAY)


def test_seed_story_article(seed_story_text: str) -> None:
    built = article(seed_story_text)
    assert built.title == "Two rockets fired near US embassy in Baghdad: security source"
    assert built.dateline is not None
    assert (built.dateline.place, built.dateline.agency, built.dateline.date_text) == (
        "Baghdad",
        "NNN-AGENCIES",
        "July 29",
    )
    assert built.published == date(2021, 7, 29)
    assert built.published_inferred is True
    assert built.language == "en"
    # the body opens on the dateline and ends with the last paragraph and its sign-off
    assert built.body.startswith("BAGHDAD, July 29 (NNN-AGENCIES) — Two rockets were fired")
    assert built.body.endswith("purely nominal. — NNN-AGENCIES")
    assert built.body.count("\n\n") == 10  # eleven paragraphs
    for chrome in ("sharing button", "administrator", "Related Articles", "Two rockets fired near"):
        assert chrome not in built.body
    assert built.removed == [
        "facebook sharing button",
        "twitter sharing button",
        "messenger sharing button",
        "whatsapp sharing button",
        "sharethis sharing button",
        "administrator",
        "Related Articles",
    ]


def test_headline_needs_a_blank_line_after_it() -> None:
    assert article("Rockets hit base\nThe base was hit overnight.").title is None
    assert article("Rockets hit base\n\nThe base was hit overnight.").title == "Rockets hit base"


def test_a_sentence_is_not_a_headline() -> None:
    built = article("The base was hit overnight.\n\nNo one was hurt.")
    assert built.title is None
    assert built.body.startswith("The base was hit overnight.")


def test_an_introduction_ending_in_a_colon_is_not_a_headline() -> None:
    text = "The Times said in an editorial on Monday, Oct. 26:\n\nThe murder is a depraved act."
    assert article(text).title is None


def test_a_dateline_line_is_not_a_headline() -> None:
    built = article("WASHINGTON _\n\nThe Senate voted on Tuesday to approve the bill.")
    assert built.title is None
    assert built.dateline is not None and built.dateline.place == "Washington"


def test_the_only_line_is_never_a_headline() -> None:
    assert article("Rockets hit base").body == "Rockets hit base"


def test_a_given_title_repeated_on_the_first_line_leaves_the_body() -> None:
    built = article("Rockets hit base\nThe base was hit overnight.", title="Rockets  hit base")
    assert built.title == "Rockets  hit base"
    assert built.body == "The base was hit overnight."


def test_a_given_title_does_not_remove_a_different_first_line() -> None:
    built = article("The base was hit overnight.", title="Rockets hit base")
    assert built.body == "The base was hit overnight."


@pytest.mark.parametrize(
    "chrome",
    [
        "By John Smith",
        "By JANE DOE and Ali Hassan, Reuters",
        "admin",
        "We use cookies to give you the best experience. By using this site you accept them.",
        "Accept all cookies",
        "Subscribe to our newsletter",
        "Already a subscriber? Log in here",
        "Share this article",
        "Advertisement",
        "* * *",
    ],
)
def test_chrome_lines_are_removed_and_listed(chrome: str) -> None:
    text = f"Troops fired on a crowd on Friday.\n\n{chrome}\n\nSeven people were hurt."
    built = article(text)
    assert built.body == "Troops fired on a crowd on Friday.\n\nSeven people were hurt."
    assert built.removed == [chrome]


@pytest.mark.parametrize(
    "sentence",
    [
        "By Thursday, the fighting had ended.",
        "Police said the attackers used cookies laced with poison, an unusual method.",
        "Share prices fell in Nairobi after the attack.",
        "The ad hoc committee met on Monday.",
    ],
)
def test_news_sentences_that_look_like_cues_stay(sentence: str) -> None:
    text = f"Troops fired on a crowd on Friday.\n\n{sentence}"
    assert article(text).removed == []


def test_repeated_short_lines_are_navigation() -> None:
    text = "World\nPolitics\n\nTroops fired on a crowd on Friday.\n\nWorld\nPolitics\n"
    built = article(text)
    assert built.body == "Troops fired on a crowd on Friday."
    assert built.removed == ["World", "Politics", "World", "Politics"]


def test_related_articles_block_at_the_end_is_cut_whole() -> None:
    story = "\n\n".join(f"Paragraph {n} of the story about the clashes." for n in range(6))
    text = f"{story}\n\nRelated Stories:\nArmy retakes town\nFloods in the south\n"
    built = article(text)
    assert built.body == story
    assert built.removed == ["Related Stories:", "Army retakes town", "Floods in the south"]


def test_related_cue_near_the_top_removes_only_its_line() -> None:
    story = "\n\n".join(f"Paragraph {n} of the story about the clashes." for n in range(6))
    built = article(f"More\n\n{story}")
    assert built.body == story
    assert built.removed == ["More"]


def test_hard_wrapped_wire_paragraphs_are_joined() -> None:
    text = (
        "   SAN SALVADOR, 3 JAN 90 -- [TEXT] THE ARCE BATTALION COMMAND HAS REPORTED\n"
        "THAT ABOUT 50 PEASANTS HAVE BEEN KIDNAPPED BY TERRORISTS OF THE FMLN IN\n"
        "SAN MIGUEL DEPARTMENT.  THE SOURCE ADDED THAT THEY WERE TAKEN AWAY\n"
        "BY THE TERRORISTS.\n"
        "\n"
        "   MEANWHILE, THREE SUBVERSIVES WERE KILLED.\n"
    )
    built = article(text)
    assert built.body == (
        "SAN SALVADOR, 3 JAN 90 -- [TEXT] THE ARCE BATTALION COMMAND HAS REPORTED THAT ABOUT 50 "
        "PEASANTS HAVE BEEN KIDNAPPED BY TERRORISTS OF THE FMLN IN SAN MIGUEL DEPARTMENT. THE "
        "SOURCE ADDED THAT THEY WERE TAKEN AWAY BY THE TERRORISTS.\n\n"
        "MEANWHILE, THREE SUBVERSIVES WERE KILLED."
    )
    assert built.removed == []  # "BY THE TERRORISTS." is wrapped text, not a byline
    assert built.published == date(1990, 1, 3)
    assert built.published_inferred is False
    assert built.language == "en"


def test_short_lines_of_a_paragraph_keep_their_newlines() -> None:
    assert (
        article("Casualties:\nKilled: 4\nWounded: 9").body == "Casualties:\nKilled: 4\nWounded: 9"
    )


def test_caller_published_wins_over_the_dateline() -> None:
    built = article("BAGHDAD, July 29 (NNN) — Rockets hit early Thursday.", published="2020-01-02")
    assert (built.published, built.published_inferred) == (date(2020, 1, 2), False)


def test_full_iso_published_is_read_as_its_day() -> None:
    assert article("Text.", published="2021-07-29T23:10:00+03:00").published == date(2021, 7, 29)


def test_unreadable_published_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="published 'last week' is not a date"):
        article("Text.", published="last week")


def test_dateline_without_weekday_takes_the_latest_year_not_after_today() -> None:
    built = article("KABUL, Dec. 25 (Wire) — A bomb exploded at a market.")
    assert (built.published, built.published_inferred) == (date(2025, 12, 25), True)


def test_weekday_comes_from_the_lead_when_the_dateline_stands_alone() -> None:
    built = article("KABUL, July 29 (Wire) —\n\nA bomb exploded on Thursday at a market.")
    assert (built.published, built.published_inferred) == (date(2021, 7, 29), True)


def test_weekday_in_later_paragraphs_is_not_the_datelines_day() -> None:
    text = (
        "KABUL, July 29 (Wire) — A bomb exploded at a market.\n\nOn Saturday, police arrested two."
    )
    assert article(text).published == date(2026, 7, 29)


def test_no_dateline_and_no_caller_date_leaves_published_unknown() -> None:
    built = article("A bomb exploded at a market on Thursday.")
    assert (built.published, built.published_inferred, built.dateline) == (None, False, None)


def test_content_hash_ignores_case_and_spacing() -> None:
    first = article("Rockets  hit the BASE.\n\nNo one was hurt.")
    second = article("rockets hit the base.\nNo one   was hurt.")
    assert (
        first.content_hash
        == second.content_hash
        == content_hash("rockets hit the base. no one was hurt.")
    )
    assert first.content_hash != article("Rockets hit the base.").content_hash


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Two rockets were fired at the fortified zone early on Thursday, officials said.", "en"),
        (
            "Dos cohetes fueron disparados contra la zona fortificada el jueves, dijeron fuentes.",
            "es",
        ),
        (
            "Deux roquettes ont été tirées jeudi sur la zone fortifiée, selon une source.",
            "fr",
        ),
        ("TWO ROCKETS WERE FIRED AT THE FORTIFIED ZONE EARLY ON THURSDAY, OFFICIALS SAID.", "en"),
    ],
)
def test_language_is_detected_deterministically(text: str, language: str) -> None:
    assert [article(text).language for _ in range(3)] == [language] * 3


def test_too_little_text_has_no_language() -> None:
    assert article("12 killed").language is None


def test_text_with_nothing_but_chrome_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="no article text"):
        article("facebook sharing button\n\nadministrator\n")


def test_body_longer_than_spacy_allows_is_a_document_error() -> None:
    paragraph = "Troops fired on a crowd on Friday. " * 40 + "\n\n"
    text = paragraph * (MAX_BODY_CHARS // len(paragraph) + 1)
    with pytest.raises(DocumentError, match="text too long for one article"):
        article(text)
