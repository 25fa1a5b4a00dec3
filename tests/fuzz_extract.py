"""Coverage-guided fuzz target (atheris) for `sitrep.extract`.

Run by tests/test_fuzz.py for a bounded time; by hand:
    python tests/fuzz_extract.py -max_total_time=600
Any exception, or a result that breaks tests/invariants.py, is a finding.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).parent))

with atheris.instrument_imports(include=["sitrep"]):
    from sitrep import extract

from invariants import check_result

MAX_INPUT = 20_000


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(MAX_INPUT)
    published = "2021-07-29" if provider.ConsumeBool() else None
    result = extract(text, published=published)
    check_result(result)


def main() -> None:
    extract("warm-up: load the pipeline once before fuzzing.")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
