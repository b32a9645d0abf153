"""Markdown tables and ratios, shared by the evaluation and benchmark reports."""
from __future__ import annotations


def md_cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def md_table(headers: list[str], rows=(), align: str = "") -> list[str]:
    """Header, rule and row lines; align holds one letter a column, "r" for right-aligned (default left)."""
    rule = "|" + "|".join("---:" if a == "r" else "---" for a in align.ljust(len(headers), "l")) + "|"
    return [md_row(headers), rule] + [md_row(row) for row in rows]


def ratio(value, base):
    """value / base to three places; None when either is unknown, infinity over a zero base."""
    if value is None or base is None:
        return None
    if base == 0:
        return None if value == 0 else float("inf")
    return round(value / base, 3)


def pct(share, digits: int = 1) -> str:
    return f"{100 * share:.{digits}f}%"
