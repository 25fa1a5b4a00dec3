"""`sitrep eval`: score the pipeline against the gold files of ../shared/eval/.

gold.py reads the files, runner.py runs the stages over them in a stream,
scoring.py adds up per dataset with the pure functions of metrics.py (names.py
normalises names with the tables in data/), and cli/evaluate.py prints the
tables. split.py is the fixed train/test split every learner shares. The
scoring rules are written out in README.md beside this file.
"""
