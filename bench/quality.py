"""Ours vs. llama-index (its defaults, and tuned to our chunk size, top-k and prompt budget) on a scenario's corpus
and golden set: retrieval, answers, citations, abstention, latency.

  retrieval   our hybrid retriever (top-k passages) vs. each baseline retriever, all scored at k=5;
  extractive  our extractive backend vs. each baseline's retriever-only query engine, its top chunk as "answer";
  local LLM   every pipeline answering with the SAME local model (one loaded GGUF) on a subset of single-turn
              cases, each warmed the same way (one untimed warm-up question) before its timed cases.
All scoring uses assistant.eval (the harness): must_include groups, quote-in-passage retrieval hits, and
citation checks against the source text. The baselines' refusals are detected by our own abstention rule.
"""
from __future__ import annotations

import time
from pathlib import Path

from assistant.answer import Answer
from assistant.backends import StreamsChat
from assistant.engine import Engine
from assistant.eval import load_golden
from assistant.eval.metrics import aggregate
from assistant.eval.runner import DocumentCache, run_case, score_turn
from assistant.pipeline import generate
from assistant.settings import Settings

from .baseline import DEFAULT, Baseline, looks_like_refusal, make_llm, quoted_spans, tuned
from .common import ForeignCpu, Timer, log, summary_ms
from .scenario import Scenario

K = 5
WARM_UP_QUESTION = "What are these documents about?"  # asked once, untimed, by every pipeline before its cases


def _excerpts_label(engine) -> str:
    budget = generate.excerpt_budget(engine.backend, engine.settings)
    unit = "char" if "excerpt_measure" not in budget else "token"
    return f"{budget['excerpt_budget']}-{unit} excerpts"


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


def run(work: Path, scenario: Scenario, local_cases: int = 40, retrieval_rounds: int = 3,
        foreign: ForeignCpu | None = None, **settings_overrides) -> dict:
    """settings_overrides: Settings fields for both pipelines (e.g. max_tokens for a short smoke test)."""
    cases = load_golden(scenario.golden)
    single = [c for c in cases if not c.multi_turn]
    multi = [c for c in cases if c.multi_turn]
    settings = Settings.load(config_file=None, corpus_dir=scenario.corpus_dir, index_dir=scenario.index_dir,
                             backend="extractive", data_dir=work / "data", **settings_overrides)
    recipes = [DEFAULT, tuned(settings)]
    out: dict = {"k": K, "scenario": scenario.describe(), "recipes": {r.name: r.describe() for r in recipes}}
    engine = Engine(settings)
    log(f"ours: {'opening' if scenario.index_given else 'building'} the index of {scenario.corpus_dir}")
    with Timer() as t:
        engine.ensure_index()
    out["ours_index_s"] = round(t.seconds, 2)
    out["ours_chunks"] = len(engine.index.chunks)
    out["documents"] = len(engine.index.docs)
    docs = DocumentCache(engine)
    doc_texts = {d: engine.index.doc_text(d) for d in engine.index.docs}

    bases: dict[str, Baseline] = {}
    for recipe in recipes:
        log(f"baseline: building the llama-index {recipe.name} index")
        embed = next(iter(bases.values())).embed_model if bases else None
        bases[recipe.name] = Baseline(scenario.corpus_dir, work / f"baseline-{recipe.name}", recipe, embed)
    out["baselines"] = {name: {"build_s": round(b.build_s, 2), "chunks": b.chunks, "top_k": b.top_k}
                        for name, b in bases.items()}

    questions = [t.question for c in cases for t in c.turns]
    out["retrieval_latency"], out["context_chars"] = _retrieval_latency(engine, bases, questions, retrieval_rounds)
    out["context_chars"]["corpus_chars"] = sum(len(t or "") for t in doc_texts.values())

    # --- extractive pair (deterministic, no LLM), all golden cases ---
    log(f"ours (extractive): {len(cases)} golden cases from {scenario.golden.name}")
    ours_results = [run_case(engine, case, top_k=K, documents=docs) for case in cases]
    single_ids, multi_ids = {c.id for c in single}, {c.id for c in multi}

    def pick(results, ids):
        return [r for r in results if r["id"] in ids]

    out["extractive"] = {"ours": _metrics(pick(ours_results, single_ids), doc_texts),
                         "ours_multi_turn": _metrics(pick(ours_results, multi_ids), doc_texts),
                         "ours_e2e_latency": summary_ms(t["latency_ms"] for r in ours_results for t in r["turns"])}
    out["retrieval"] = {"ours": {k: out["extractive"]["ours"][k] for k in ("hit_at_k", "mrr")}}
    out["cases"] = {"ours_extractive": ours_results}
    for name, base in bases.items():
        log(f"baseline {name} (retriever-only query engine): the same cases, each turn alone (no chat memory)")
        top_chunk, top5 = _baseline_extractive(base, cases, docs)
        out["extractive"][f"baseline_{name}"] = _metrics(pick(top_chunk, single_ids), doc_texts)
        out["extractive"][f"baseline_{name}_multi_turn"] = _metrics(pick(top_chunk, multi_ids), doc_texts)
        out["extractive"][f"baseline_{name}_e2e_latency"] = summary_ms(
            t["latency_ms"] for r in top_chunk for t in r["turns"])
        scored = aggregate(pick(top5, single_ids))
        out["retrieval"][f"baseline_{name}"] = {"hit_at_k": scored["hit_at_k"], "mrr": scored["mrr"]}
        out["cases"][f"baseline_{name}_no_llm"] = top_chunk
    out["retrieval"]["scored_turns"] = out["extractive"]["ours"]["counts"]["retrieval_scored_turns"]

    # --- local LLM comparison: the same loaded model answers for every pipeline ---
    if local_cases > 0:
        first_window = len(foreign.windows) if foreign else 0
        out["local"] = _local_comparison(engine, bases, pick_subset(single, local_cases), docs, doc_texts,
                                         out["ours_index_s"])
        if foreign:
            foreign.sample()
            out["local"]["foreign_cpu"] = foreign.summary(first_window)
        out["cases"].update(out["local"].pop("cases", {}))
    return out


def _retrieval_latency(engine: Engine, bases: dict[str, Baseline], questions: list[str],
                       rounds: int) -> tuple[dict, dict]:
    """Warm, the same questions for all; and the mean characters of what each retrieves."""
    top_k = engine.settings.top_k
    engine._retriever.retrieve(questions[0], top_k)
    for base in bases.values():
        base.retriever.retrieve(questions[0])
    ours_ms: list[float] = []
    base_ms: dict[str, list[float]] = {name: [] for name in bases}
    for _ in range(rounds):
        for q in questions:
            with Timer() as t:
                engine._retriever.retrieve(q, top_k)
            ours_ms.append(t.ms)
            for name, base in bases.items():
                with Timer() as t:
                    base.retriever.retrieve(q)
                base_ms[name].append(t.ms)
    latency = {"queries": len(questions), "rounds": rounds, "ours": summary_ms(ours_ms)}
    latency.update({f"baseline_{name}": summary_ms(ms) for name, ms in base_ms.items()})
    context = {"ours_mean": _mean_chars(sum(len(p.text) for p in engine._retriever.retrieve(q, top_k).passages)
                                        for q in questions)}
    for name, base in bases.items():
        context[f"baseline_{name}_mean"] = _mean_chars(
            sum(len(n.node.get_content()) for n in base.retriever.retrieve(q)) for q in questions)
    return latency, context


def _mean_chars(values) -> int:
    values = list(values)
    return round(sum(values) / len(values)) if values else 0


def _baseline_extractive(base: Baseline, cases, docs) -> tuple[list[dict], list[dict]]:
    """Per case: its top chunk as the answer (timed), and its top-5 retrieval scored at k=5."""
    retriever5 = base.index.as_retriever(similarity_top_k=K)
    top_chunk, top5 = [], []
    for case in cases:
        turns, rturns = [], []
        for spec in case.turns:
            with Timer() as t:
                response = base.no_text_engine.query(spec.question)
            passages = base.passages(response.source_nodes)
            answer = _baseline_answer(spec.question, passages[0].text if passages else "", not passages, passages,
                                      f"llama-index {base.recipe.name} (no LLM: top chunk)", "none")
            turns.append(score_turn(spec, answer, t.ms, None, docs, base.top_k))
            found = base.passages(retriever5.retrieve(spec.question))
            rturns.append(score_turn(spec, _baseline_answer(spec.question, "", False, found, "", ""), 0, None, docs, K))
        top_chunk.append(_case_result(case, turns))
        top5.append(_case_result(case, rturns))
    return top_chunk, top5


def _ask_ours(engine: Engine, question: str) -> tuple[Answer | None, float | None, float]:
    """The answer, seconds to the first text the user sees (a draft's first token, or the final answer when no
    draft is shown: a refusal before the model, an extractive answer), seconds in all."""
    answer, first = None, None
    with Timer() as t:
        for event in engine.session().ask_stream(question, top_k=engine.settings.top_k):
            if event.kind in ("token", "final") and first is None:
                first = time.perf_counter() - t.start
            if event.kind == "final":
                answer = event.answer
    return answer, first, t.seconds


def _ask_baseline(base: Baseline, question: str) -> tuple[str, list, float, float]:
    """The streamed text, the source nodes, seconds to the first non-empty delta (the end, when none), seconds
    in all."""
    text, first = "", None
    with Timer() as t:
        response = base.llm_engine.query(question)
        for piece in response.response_gen:
            if piece and first is None:
                first = time.perf_counter() - t.start
            text += piece
    return text, response.source_nodes, t.seconds if first is None else first, t.seconds


def _local_comparison(engine: Engine, bases: dict[str, Baseline], subset, docs, doc_texts, index_s: float) -> dict:
    """index_s: how long ours took to build or open its index."""
    engine.set_backend("local")
    with Timer() as loading:
        llm = engine.backend
    if not isinstance(llm, StreamsChat) or llm.name != "local":
        engine.set_backend("extractive")
        return {"available": False, "notices": list(engine.notices)}
    result: dict = {"available": True, "model": engine.model_name, "load_s": round(loading.seconds, 1),
                    "cases_ids": [c.id for c in subset], "max_tokens": engine.settings.max_tokens,
                    "warm_up_question": WARM_UP_QUESTION, "pipelines": {}}
    wrapped = make_llm(llm, engine.settings.max_tokens, engine.settings.n_ctx)
    for base in bases.values():
        base.attach_llm(wrapped)

    # Each pipeline answers all its cases in a row, as one app would (llama.cpp reuses the KV cache of the prompt
    # prefix it shares with the previous question), after the same warm-up: one untimed question of its own.
    runs: dict[str, list[dict]] = {}
    log("local, ours: start-up (restores or reads the fixed prompts; embeds the corpus's sentences once) "
        "and warm-up question")
    prefill_s = engine.warm_up()
    _, _, warm_s = _ask_ours(engine, WARM_UP_QUESTION)
    result["pipelines"]["ours"] = {"index_s": index_s, "model_ready_s": round(loading.seconds + prefill_s, 2),
                                   "warm_up_s": round(warm_s, 2),
                                   "corpus_in_prompt": engine._corpus is not None,
                                   "prompt": _excerpts_label(engine) if engine._corpus is None
                                   else "the whole corpus, cached"}
    runs["ours"], model_first = [], []
    for i, case in enumerate(subset, start=1):
        log(f"local, ours {i}/{len(subset)}: {case.id}")
        answer, first, seconds = _ask_ours(engine, case.turns[0].question)
        turn = score_turn(case.turns[0], answer, seconds * 1e3, None, docs, K)
        turn["ttft_ms"] = round(first * 1e3, 1) if first is not None else None
        runs["ours"].append(_case_result(case, [turn]))
        if answer is not None and "first_token" in answer.timings_ms:
            model_first.append(answer.timings_ms["first_token"] + answer.timings_ms.get("retrieve", 0)
                               + answer.timings_ms.get("condense", 0))
    result["pipelines"]["ours"]["model_first_token"] = summary_ms(model_first)
    for name, base in bases.items():
        log(f"local, baseline {name}: warm-up question")
        _, _, _, warm_s = _ask_baseline(base, WARM_UP_QUESTION)
        result["pipelines"][name] = {"index_s": round(base.build_s, 2), "model_ready_s": round(loading.seconds, 2),
                                     "warm_up_s": round(warm_s, 2),
                                     "prompt": f"top-{base.top_k} chunks" + (
                                         f" cut to {base.recipe.context_chars} chars" if base.recipe.context_chars
                                         else " whole")}
        runs[name] = []
        for i, case in enumerate(subset, start=1):
            log(f"local, baseline {name} {i}/{len(subset)}: {case.id}")
            spec = case.turns[0]
            text, nodes, first, seconds = _ask_baseline(base, spec.question)
            answer = _baseline_answer(spec.question, text.strip(), looks_like_refusal(text), base.passages(nodes),
                                      f"llama-index {name} query engine", engine.model_name)
            turn = score_turn(spec, answer, seconds * 1e3, None, docs, base.top_k)
            turn["ttft_ms"] = round(first * 1e3, 1)
            runs[name].append(_case_result(case, [turn]))
    engine.set_backend("extractive")

    for name, results in runs.items():
        turns = [r["turns"][0] for r in results]
        result["pipelines"][name].update({
            "metrics": _metrics(results, doc_texts),
            "ttft": summary_ms(t["ttft_ms"] for t in turns if t["ttft_ms"] is not None),
            "full_answer": summary_ms(t["latency_ms"] for t in turns),
            "abstentions": _abstentions(turns)})
    result["rows"] = [{"id": case.id, **{name: _row(runs[name][i]["turns"][0]) for name in runs}}
                      for i, case in enumerate(subset)]
    result["cases"] = {f"{name}_local": results for name, results in runs.items()}
    return result


def _abstentions(turns: list[dict]) -> dict:
    return {"abstained": sum(t["abstained"] for t in turns),
            "on_answerable": sum(t["abstained"] and t["expected_answerable"] for t in turns),
            "on_unanswerable": sum(t["abstained"] and not t["expected_answerable"] for t in turns),
            "unanswerable": sum(not t["expected_answerable"] for t in turns)}


def _row(turn: dict) -> dict:
    if turn["expected_answerable"]:
        verdict = "abstained" if turn["abstained"] else ("correct" if turn["correct"] else "wrong")
    else:
        verdict = "abstained (right)" if turn["abstained"] else "answered (should abstain)"
    return {"verdict": verdict, "ttft_ms": turn["ttft_ms"], "full_ms": turn["latency_ms"], "said": turn["answer"][:160]}
