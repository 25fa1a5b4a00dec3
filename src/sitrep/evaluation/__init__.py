"""`sitrep eval`: score the pipeline against the gold files of ../shared/eval/."""
