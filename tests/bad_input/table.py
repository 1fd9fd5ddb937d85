"""The bad-input table, tests/bad_input/cases.tsv: one row per bad input,
two columns per layer (the call or option that gives it, and what that
layer answers). Read by the documentation generator and by the Python and
command checkers; the C, C++, Rust and Go checkers read the file
themselves."""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases.tsv")

# Each layer's call column and its answer column, in the table's order.
LAYERS = [
    ("c", "C setter"),
    ("cpp", "C++ method"),
    ("rust", "Rust builder"),
    ("go", "Go option"),
    ("python", "Python"),
    ("spec", "spec"),
    ("cli", "backoff command"),
]

# A layer that cannot express the input: its call and its answer.
CANNOT = "–"
# A layer that takes the input without an error.
ACCEPTED = "ok"


def rows(path=CASES):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return list(reader)


def answer(cell):
    """An answer cell as (kind, message): "std::invalid_argument: text" is
    ("std::invalid_argument", "text"); "ok" is ("ok", None)."""
    kind, sep, message = cell.partition(": ")
    return kind, (message if sep else None)


def cases(layer, path=CASES):
    """(row id, call, answer cell) for each row the layer can express."""
    return [(r["id"], r[layer], r[layer + "_error"]) for r in rows(path)
            if r[layer] != CANNOT]
