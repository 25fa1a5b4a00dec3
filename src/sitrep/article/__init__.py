"""Article layer: title, dateline, chrome removal, publication date, hash, language.

`build_article` turns an `InputDocument` into the `Article` record that every
later stage reads; its `body` is the text all offsets point into.
"""

from __future__ import annotations

import hashlib
from datetime import date

from sitrep.models import Article, InputDocument


def build_article(document: InputDocument, today: date | None = None) -> Article:
    """Interface placeholder of the foundation issue: body is the raw text."""
    body = document.text.strip()
    digest = hashlib.sha256(" ".join(body.split()).lower().encode("utf-8")).hexdigest()
    return Article(title=document.title, body=body, content_hash=digest)
