#!/usr/bin/env python3
"""Writes docs/bad-input.md from cases.tsv. With --check FILE, fails when
FILE differs from what it would write (a meson test), so the document
cannot drift from the table the checkers run."""
import sys

import table

INTRO = """\
# Bad input through every layer

Generated from `tests/bad_input/cases.tsv` by `tests/bad_input/make_doc.py`;
do not edit by hand. Each row is one bad input; each layer gives the call
or option that expresses it, and what that layer answers. The same table
is run by a checker per layer (meson suite `bad-input`, and the Rust, Go
and Python suites), so this document says what the code does today.

How to read a cell:

- **C**: the `backoff_policy_*` setter (or `backoff_budget_new`,
  `backoff_parse_retry_after`) with its arguments after the policy, and
  the status it returns. On any error the policy is unchanged (its
  canonical spec formats the same before and after; checked).
- **C++**: the `backoff::Policy` method (or `backoff::Budget`,
  `backoff::parse_retry_after`) and the exception it throws, with its
  `what()`; the policy is unchanged (checked through `format()`).
- **Rust**: the `PolicyBuilder` method (or `Budget::new`,
  `Run::label`, `parse_retry_after`); the `Error`'s status and its
  `Display`. Times are `Duration`s given in seconds; `MAX` is
  `Duration::MAX`.
- **Go**: the `Option` given to `New` (or `NewBudget`,
  `ParseRetryAfter`) and the text of the error. Times are
  `time.Duration`s given in seconds; `Unlimited` is `backoff.Unlimited`.
- **Python**: the expression evaluated with `libbackoff`'s names, and the
  exception it raises (`ok`: accepted).
- **spec**: the text given to `backoff_policy_parse`, its status and
  error message (every binding's spec entry passes these on); the policy
  is unchanged (checked).
- **backoff command**: the options (before `-- true` unless a command
  is given; `{file}` is a scratch file), its exit status and a line of
  its stderr.

`nan` and `inf` are the floating-point values. `–`: the layer cannot
express the input (the notes say why); `ok`: the layer accepts it.
"""


def cell(text):
    return "`" + text.replace("|", "\\|") + "`" if text not in (
        table.CANNOT, table.ACCEPTED) else text


def summary(rows):
    """One line per input, one column per layer: the kind of answer only."""
    head = "| input | " + " | ".join(t for _, t in table.LAYERS) + " |\n"
    out = [head, "|---" * (len(table.LAYERS) + 1) + "|\n"]
    for row in rows:
        kinds = [table.answer(row[layer + "_error"])[0]
                 for layer, _ in table.LAYERS]
        out.append(f"| [{row['id']}](#{row['id']}) | " + " | ".join(kinds)
                   + " |\n")
    return "".join(out)


def render(path=table.CASES):
    rows = table.rows(path)
    out = [INTRO, "\n## Summary\n\n", summary(rows)]
    for row in rows:
        out.append(f"\n### {row['id']}\n\n{row['input'].capitalize()}.\n\n")
        out.append("| layer | call | answer |\n|---|---|---|\n")
        for layer, title in table.LAYERS:
            out.append(f"| {title} | {cell(row[layer])} | "
                       f"{cell(row[layer + '_error'])} |\n")
        if row["notes"]:
            out.append(f"\n{row['notes']}\n")
    return "".join(out)


def main(argv):
    fresh = render()
    if len(argv) == 3 and argv[1] == "--check":
        with open(argv[2], encoding="utf-8") as f:
            if f.read() != fresh:
                sys.exit(f"{argv[2]} is stale: run {argv[0]} > {argv[2]}")
        print(f"{argv[2]}: up to date")
    elif len(argv) == 1:
        sys.stdout.write(fresh)
    else:
        sys.exit(f"usage: {argv[0]} [--check FILE]")


if __name__ == "__main__":
    main(sys.argv)
