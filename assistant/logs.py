"""Where the assistant's log messages go. Modules log to `logging.getLogger(__name__)`; the entry points (the
`assistant` CLI, `assistant eval`, ui.py) call configure(): INFO and above to stderr as plain lines, the message
only (progress, "No index yet: ..."); with --verbose also DEBUG, each line with its time, level and module."""
from __future__ import annotations

import argparse
import logging
import sys

ROOT = "assistant"
PLAIN = "%(message)s"
DETAILED = "%(asctime)s.%(msecs)03d %(levelname)s %(name)s: %(message)s"


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a message is logged (tests and servers replace it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure(verbose: bool = False) -> None:
    """Send the assistant's messages to stderr: INFO and up as plain lines, or everything, detailed (verbose).
    Calling it again replaces the earlier configuration."""
    logger = logging.getLogger(ROOT)
    for handler in [h for h in logger.handlers if isinstance(h, _Stderr)]:
        logger.removeHandler(handler)
    handler = _Stderr()
    handler.setFormatter(logging.Formatter(DETAILED, "%H:%M:%S") if verbose else logging.Formatter(PLAIN))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)


def add_verbose_flag(parser: argparse.ArgumentParser, **kwargs) -> None:
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show debug messages (what each step found and chose)", **kwargs)
