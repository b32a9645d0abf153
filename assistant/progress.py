"""A terminal progress bar with the engine's progress(done, total) signature."""
from __future__ import annotations

import sys


def terminal_progress(desc: str):
    from tqdm import tqdm

    bar = {}

    def update(done: int, total: int):
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, disable=total == 0)
        bar["bar"].n = done
        bar["bar"].refresh()
        if done >= total:
            bar["bar"].close()

    return update
