"""The corpora the bench answers over: the bundled collection (report + related profiles), the report alone, or a
corpus given by path (e.g. all 256 Factbook profiles), with an existing index reused."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .common import CORPUS_DIR, PROJECT_ROOT, copy_corpus

REPORT_GOLDEN = PROJECT_ROOT / "eval" / "golden.jsonl"  # questions on the report alone
TEST_GOLDEN = PROJECT_ROOT / "eval" / "golden-test.jsonl"  # the held-out split, on report + related
NAMES = ("bundled", "report", "corpus")


class ScenarioError(ValueError):
    """A scenario that cannot run as asked (missing corpus or index); the message says what to do."""


@dataclass
class Scenario:
    name: str  # one of NAMES
    label: str  # for the report
    corpus_dir: Path
    index_dir: Path
    golden: Path
    index_given: bool = False  # an existing index, opened and never rebuilt by the bench

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "corpus": str(self.corpus_dir), "index": str(self.index_dir),
                "index_given": self.index_given, "golden": self.golden.name}


def make(name: str, work: Path, corpus: Path | None = None, index: Path | None = None,
         golden: Path | None = None) -> Scenario:
    """The scenario's corpus (a copy under work for the bundled ones) and index folder."""
    if name == "bundled":
        if not (CORPUS_DIR / "related" / "manifest.yaml").is_file():
            raise ScenarioError(f"{CORPUS_DIR / 'related'} is missing: the bundled scenario needs the related "
                                "sources (`assistant sources add factbook`, or copy corpus/related from a checkout)")
        dest = copy_corpus(work / "corpus-bundled", ignore=shutil.ignore_patterns("added"))
        return Scenario(name, "report + related sources", dest, work / "index-bundled", golden or TEST_GOLDEN)
    if name == "report":
        dest = copy_corpus(work / "corpus-report", ignore=shutil.ignore_patterns("related", "added"))
        return Scenario(name, "the report alone", dest, work / "index-report", golden or REPORT_GOLDEN)
    if name != "corpus":
        raise ScenarioError(f"unknown scenario {name!r}; choose from {', '.join(NAMES)}")
    if corpus is None or not corpus.is_dir():
        raise ScenarioError(f"--corpus {corpus}: not a folder (the corpus scenario needs --corpus DIR)")
    if index is not None and not (index / "state.json").is_file():
        raise ScenarioError(f"--index {index}: no built index there (no state.json); build it first "
                            f"(`assistant ingest` with ASSISTANT_CORPUS_DIR={corpus} ASSISTANT_INDEX_DIR={index}) "
                            "or leave --index out to build one in the work folder")
    return Scenario(name, f"{corpus.name} ({corpus})", corpus, index or work / "index-corpus", golden or TEST_GOLDEN,
                    index_given=index is not None)
