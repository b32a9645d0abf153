"""Ours vs. the llama-index default recipe on the golden set: retrieval, answers, citations, abstention, latency.

Three honest pairs:
  retrieval   our hybrid retriever (top-5 passages) vs. the baseline retriever, both scored at k=5;
  extractive  our extractive backend vs. the baseline's retriever-only query engine, its top chunk as "answer";
  local LLM   both pipelines answering with the SAME local model (one loaded GGUF) on a subset of cases.
All scoring uses assistant.eval (the harness): must_include groups, quote-in-passage retrieval hits, and
citation checks against the source text.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant.answer import Answer
from assistant.backends import StreamsChat
from assistant.engine import Engine
from assistant.eval import load_golden
from assistant.eval.metrics import aggregate
from assistant.eval.runner import DocumentCache, run_case, score_turn
from assistant.settings import Settings

from .baseline import Baseline, looks_like_refusal, make_llm, quoted_spans
from .common import GOLDEN_PATH, Timer, copy_corpus, log, summary_ms

K = 5
SMALL_CHUNK, SMALL_OVERLAP = 200, 20  # tiktoken tokens: about our 180 MiniLM word pieces


def _case_result(case, turns: list[dict]) -> dict:
    failures = [f for t in turns for f in t["failures"]]
    return {"id": case.id, "question": case.question, "tags": case.tags, "answerable": case.answerable,
            "multi_turn": case.multi_turn, "line": case.line, "passed": not failures, "failures": failures,
            "latency_ms": round(sum(t["latency_ms"] for t in turns), 1), "turns": turns}


def _quote_audit(results: list[dict], doc_texts: dict[str, str]) -> dict:
    """Every quote a user would see: the citations, and any quoted span inside the answer text."""
    shown = verified = answers = answers_with_verified = 0
    for case in results:
        for turn in case["turns"]:
            if turn["abstained"]:
                continue
            answers += 1
            spans = [c["quote"] for c in turn["citations"]] + quoted_spans(turn["answer"])
            ok = [c["valid"] for c in turn["citations"]] + [
                any(s in text for text in doc_texts.values()) for s in quoted_spans(turn["answer"])]
            shown += len(spans)
            verified += sum(ok)
            answers_with_verified += any(ok)
    return {"quotes_shown": shown, "quotes_verified": verified, "unverified_quotes_shown": shown - verified,
            "answers": answers, "answers_with_verified_quote": answers_with_verified,
            "share_answers_with_verified_quote": round(answers_with_verified / answers, 4) if answers else None}


def _abstention_accuracy(results: list[dict]) -> float | None:
    turns = [t for c in results for t in c["turns"]]
    return round(sum(t["abstained"] == (not t["expected_answerable"]) for t in turns) / len(turns), 4) \
        if turns else None


def _metrics(results: list[dict], doc_texts) -> dict:
    metrics = aggregate(results) if results else {}
    metrics.pop("by_tag", None)
    metrics["abstention_accuracy"] = _abstention_accuracy(results)
    metrics["quotes"] = _quote_audit(results, doc_texts)
    answers = [len(t["answer"]) for c in results for t in c["turns"] if not t["abstained"]]
    metrics["mean_answer_chars"] = round(sum(answers) / len(answers)) if answers else None
    return metrics


def _baseline_answer(question: str, text: str, abstained: bool, passages, backend: str, model: str) -> Answer:
    return Answer(question=question, standalone_question=question, text=text, abstained=abstained, citations=[],
                  passages=passages, backend=backend, model=model)


def pick_subset(cases, n: int):
    """n single-turn cases spread over the golden set: about three answerable for each unanswerable one."""
    answerable = [c for c in cases if c.answerable]
    unanswerable = [c for c in cases if not c.answerable]
    n_un = max(1, round(n / 4)) if unanswerable else 0
    n_an = max(0, n - n_un)

    def spread(items, count):
        if count >= len(items):
            return list(items)
        return [items[int(i * len(items) / count)] for i in range(count)]

    return spread(answerable, n_an) + spread(unanswerable, n_un)


def run(work: Path, local_cases: int = 12, retrieval_rounds: int = 3, with_local: bool = True) -> dict:
    out: dict = {"k": K, "baseline_recipe": {
        "library": "llama-index-core", "splitter": "SentenceSplitter() defaults (chunk_size=1024, overlap=200)",
        "vector_store": "ChromaVectorStore (embedded PersistentClient)", "embedder": "HuggingFaceEmbedding, "
        "the same all-MiniLM-L6-v2 weights", "similarity_top_k": Baseline.top_k,
        "query_engine": "index.as_query_engine() defaults (compact synthesis, default QA prompt)"}}
    cases = load_golden(GOLDEN_PATH)
    single = [c for c in cases if not c.multi_turn]
    multi = [c for c in cases if c.multi_turn]
    corpus = copy_corpus(work / "corpus")
    settings = Settings.load(config_file=None, corpus_dir=corpus, index_dir=work / "index", backend="extractive",
                             feedback_path=work / "feedback.jsonl")
    engine = Engine(settings)
    with Timer() as t:
        engine.ensure_index()
    out["ours_build_s"] = round(t.seconds, 2)
    out["ours_chunks"] = len(engine.index.chunks)
    docs = DocumentCache(engine)
    doc_texts = {d: engine.index.doc_text(d) for d in engine.index.docs}

    log("baseline: building the llama-index default index")
    base = Baseline(corpus, work / "baseline")
    out["baseline_build_s"] = round(base.build_s, 2)
    out["baseline_chunks"] = base.chunks
    retriever5 = base.index.as_retriever(similarity_top_k=K)
    small5, out["baseline_small_chunks"] = base.small_chunk_retriever(SMALL_CHUNK, SMALL_OVERLAP, K)

    # --- retrieval latency, the same questions for both, warm ---
    questions = [t.question for c in cases for t in c.turns]
    engine._retriever.retrieve(questions[0], K)
    base.retriever.retrieve(questions[0])
    ours_ms, base_ms = [], []
    for _ in range(retrieval_rounds):
        for q in questions:
            with Timer() as t:
                engine._retriever.retrieve(q, K)
            ours_ms.append(t.ms)
            with Timer() as t:
                base.retriever.retrieve(q)
            base_ms.append(t.ms)
    ours_context = [sum(len(p.text) for p in engine._retriever.retrieve(q, K).passages) for q in questions]
    base_context = [sum(len(n.node.get_content()) for n in base.retriever.retrieve(q)) for q in questions]
    out["retrieval_latency"] = {"queries": len(questions), "rounds": retrieval_rounds,
                                "ours_hybrid_top5": summary_ms(ours_ms), "baseline_top2": summary_ms(base_ms)}
    out["context_chars"] = {"ours_top5_mean": round(sum(ours_context) / len(ours_context)),
                            "baseline_top2_mean": round(sum(base_context) / len(base_context)),
                            "corpus_chars": sum(len(t) for t in doc_texts.values())}

    # --- extractive pair (deterministic, no LLM), all golden cases ---
    log(f"ours (extractive): {len(cases)} golden cases")
    ours_results = [run_case(engine, case, top_k=K, documents=docs) for case in cases]
    log("baseline (retriever-only query engine): the same cases, each turn on its own (no chat memory)")
    base_results, base_retrieval, small_retrieval = [], [], []
    for case in cases:
        turns, rturns, sturns = [], [], []
        for spec in case.turns:
            with Timer() as t:
                response = base.no_text_engine.query(spec.question)
            passages = base.passages(response.source_nodes)
            answer = _baseline_answer(spec.question, passages[0].text if passages else "", not passages, passages,
                                      "llama-index (no LLM: top chunk)", "none")
            turns.append(score_turn(spec, answer, t.ms, None, docs, Baseline.top_k))
            top5 = base.passages(retriever5.retrieve(spec.question))
            rturns.append(score_turn(spec, _baseline_answer(spec.question, "", False, top5, "", ""), 0, None, docs, K))
            top5 = base.passages(small5.retrieve(spec.question))
            sturns.append(score_turn(spec, _baseline_answer(spec.question, "", False, top5, "", ""), 0, None, docs, K))
        base_results.append(_case_result(case, turns))
        base_retrieval.append(_case_result(case, rturns))
        small_retrieval.append(_case_result(case, sturns))
    single_ids = {c.id for c in single}
    def pick(results, ids):
        return [r for r in results if r["id"] in ids]
    multi_ids = {c.id for c in multi}
    out["extractive"] = {
        "ours": _metrics(pick(ours_results, single_ids), doc_texts),
        "baseline": _metrics(pick(base_results, single_ids), doc_texts),
        "ours_multi_turn": _metrics(pick(ours_results, multi_ids), doc_texts),
        "baseline_multi_turn": _metrics(pick(base_results, multi_ids), doc_texts),
        "ours_e2e_latency": summary_ms(t["latency_ms"] for r in ours_results for t in r["turns"]),
        "baseline_e2e_latency": summary_ms(t["latency_ms"] for r in base_results for t in r["turns"]),
    }
    base_r = aggregate(pick(base_retrieval, single_ids))
    small_r = aggregate(pick(small_retrieval, single_ids))
    out["retrieval"] = {
        "ours": {k: out["extractive"]["ours"][k] for k in ("hit_at_k", "mrr")},
        "baseline": {"hit_at_k": base_r["hit_at_k"], "mrr": base_r["mrr"]},
        "baseline_top2": {k: out["extractive"]["baseline"][k] for k in ("hit_at_k", "mrr")},
        "baseline_small_chunks": {k: small_r[k] for k in ("hit_at_k", "mrr")},
        "scored_turns": base_r["counts"]["retrieval_scored_turns"],
    }
    out["cases"] = {"ours_extractive": ours_results, "baseline_no_llm": base_results}

    # --- local LLM pair: the same loaded model answers for both pipelines ---
    if with_local and local_cases > 0:
        out["local"] = _local_pair(engine, base, pick_subset(single, local_cases), docs, doc_texts)
        out["cases"].update(out["local"].pop("cases", {}))
    return out


def _local_pair(engine: Engine, base: Baseline, subset, docs, doc_texts) -> dict:
    engine.set_backend("local")
    with Timer() as t:
        llm = engine.backend
    if not isinstance(llm, StreamsChat) or llm.name != "local":
        return {"available": False, "notices": list(engine.notices)}
    result = {"available": True, "model": engine.model_name, "load_s": round(t.seconds, 1),
              "cases_ids": [c.id for c in subset], "max_tokens": engine.settings.max_tokens}
    base.attach_llm(make_llm(llm, engine.settings.max_tokens, engine.settings.n_ctx))
    log("local model: warm-up (ours reads the corpus prompt into the model's cache)")
    result["warm_up_s"] = round(engine.warm_up(), 1)
    result["corpus_in_prompt"] = engine._corpus is not None

    # Each pipeline answers all its cases in a row, as one app would: llama.cpp then reuses the KV cache of
    # the prompt prefix it shares with the previous question (its own system prompt), for both alike.
    ours, theirs, ours_ttft, base_ttft, ours_raw_first = [], [], [], [], []
    for i, case in enumerate(subset, start=1):
        spec = case.turns[0]
        log(f"local, ours {i}/{len(subset)}: {case.id}")
        # ours: time to the first token event the user sees
        session = engine.session()
        answer, first = None, None
        with Timer() as t:
            for event in session.ask_stream(spec.question, top_k=K):
                if event.kind == "token" and first is None:
                    first = time.perf_counter() - t.start
                if event.kind == "final":
                    answer = event.answer
        turn = score_turn(spec, answer, t.ms, None, docs, K)
        turn["ttft_ms"] = round(first * 1e3, 1) if first is not None else None
        ours.append(_case_result(case, [turn]))
        if first is not None:
            ours_ttft.append(first * 1e3)
        if answer is not None and "first_token" in answer.timings_ms:
            ours_raw_first.append(answer.timings_ms["first_token"] + answer.timings_ms.get("retrieve", 0)
                                  + answer.timings_ms.get("condense", 0))
    "".join(llm.stream([{"role": "user", "content": "Say OK."}], 4))  # the baseline's warm-up
    for i, case in enumerate(subset, start=1):
        spec = case.turns[0]
        log(f"local, baseline {i}/{len(subset)}: {case.id}")
        # baseline: streaming default query engine, first non-empty delta
        text, first = "", None
        with Timer() as t:
            response = base.llm_engine.query(spec.question)
            for piece in response.response_gen:
                if piece and first is None:
                    first = time.perf_counter() - t.start
                text += piece
        passages = base.passages(response.source_nodes)
        answer = _baseline_answer(spec.question, text.strip(), looks_like_refusal(text), passages,
                                  "llama-index query engine", engine.model_name)
        turn = score_turn(spec, answer, t.ms, None, docs, Baseline.top_k)
        turn["ttft_ms"] = round(first * 1e3, 1) if first is not None else None
        theirs.append(_case_result(case, [turn]))
        if first is not None:
            base_ttft.append(first * 1e3)
    engine.set_backend("extractive")

    def verdict(turn):
        if turn["expected_answerable"]:
            return "abstained" if turn["abstained"] else ("correct" if turn["correct"] else "wrong")
        return "abstained (right)" if turn["abstained"] else "answered (should abstain)"

    result["rows"] = [{
        "id": o["id"], "ours": verdict(o["turns"][0]), "baseline": verdict(b["turns"][0]),
        "ours_ttft_ms": o["turns"][0]["ttft_ms"], "baseline_ttft_ms": b["turns"][0]["ttft_ms"],
        "ours_answer": o["turns"][0]["answer"][:160], "baseline_answer": b["turns"][0]["answer"][:160],
    } for o, b in zip(ours, theirs)]
    result.update({
        "ours": _metrics(ours, doc_texts), "baseline": _metrics(theirs, doc_texts),
        "ours_ttft": summary_ms(ours_ttft), "baseline_ttft": summary_ms(base_ttft),
        "ours_model_first_token": summary_ms(ours_raw_first),
        "ours_e2e_latency": summary_ms(t["latency_ms"] for r in ours for t in r["turns"]),
        "baseline_e2e_latency": summary_ms(t["latency_ms"] for r in theirs for t in r["turns"]),
        "cases": {"ours_local": ours, "baseline_local": theirs},
    })
    return result


def main_standalone(local_cases: int = 4) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp), local_cases=local_cases)
