"""What the engine returns: an Answer, and the events of a streamed one."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from .citations import Citation
from .retrieval import Passage

ABSTAIN_TEXT = "The sources in this corpus do not cover that question, so I cannot answer it from them."


@dataclass
class Answer:
    question: str
    standalone_question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    backend: str = ""
    model: str = ""
    notices: list[str] = field(default_factory=list)
    timings_ms: dict = field(default_factory=dict)
    prompt: dict = field(default_factory=dict)  # an LLM's prompt size: messages, chars, est_tokens (empty: none)

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [p.to_json() for p in self.passages],
            "backend": self.backend,
            "model": self.model,
            "notices": self.notices,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "prompt": self.prompt,
        }


    @classmethod
    def from_json(cls, data: dict) -> Answer:
        """An answer as to_json() wrote it (a saved conversation's turn); its quotes are checked again when shown."""
        cited = {f.name for f in fields(Citation)}
        return cls(
            question=str(data.get("question", "")), standalone_question=str(data.get("standalone_question", "")),
            text=str(data.get("answer", "")), abstained=bool(data.get("abstained", False)),
            citations=[Citation(**{k: v for k, v in c.items() if k in cited}) for c in data.get("citations", [])],
            passages=[Passage.from_json(p) for p in data.get("retrieved", [])],
            backend=str(data.get("backend", "")), model=str(data.get("model", "")),
            notices=list(data.get("notices", [])), timings_ms=dict(data.get("timings_ms", {})),
            prompt=dict(data.get("prompt", {})))


@dataclass
class Event:
    """kind: "status" (text), "token" (text), "final" (answer)."""
    kind: str
    text: str = ""
    answer: Answer | None = None
