"""Theme, CSS and the small page script (marker clicks, copy buttons) for the chat app."""
from __future__ import annotations

import gradio as gr

SYSTEM_FONTS: list[gr.themes.Font | str] = [
    gr.themes.Font("ui-sans-serif"), gr.themes.Font("system-ui"), gr.themes.Font("Segoe UI"),
    gr.themes.Font("Helvetica Neue"), gr.themes.Font("Arial"), "sans-serif"]
MONO_FONTS: list[gr.themes.Font | str] = [
    gr.themes.Font("ui-monospace"), gr.themes.Font("SFMono-Regular"), gr.themes.Font("Menlo"), "monospace"]


def theme() -> gr.themes.Base:
    # Local fonts only: the app must work offline.
    return gr.themes.Soft(primary_hue="indigo", secondary_hue="slate", neutral_hue="slate",
                          font=SYSTEM_FONTS, font_mono=MONO_FONTS, radius_size="md")


CSS = r"""
.gradio-container { max-width: 1680px !important; }
.app-header { display: flex; align-items: baseline; flex-wrap: wrap; gap: 6px 18px; padding: 4px 2px 2px; }
.app-header .brand { font-size: 1.35rem; font-weight: 700; letter-spacing: -0.01em; }
.app-header .brand-mark { color: var(--color-accent); }
.app-header .tagline { color: var(--body-text-color-subdued); }
.app-header .chips { margin-left: auto; display: flex; gap: 8px; flex-wrap: wrap; }
.chip { font-size: 0.78rem; padding: 3px 10px; border-radius: 999px; background: var(--background-fill-secondary);
        border: 1px solid var(--border-color-primary); color: var(--body-text-color-subdued); }
.notice { border: 1px solid #f0c36d; background: #fff8e6; color: #6b4e00; border-radius: 8px;
          padding: 8px 12px; font-size: 0.9rem; }
.notice ul { margin: 4px 0 0 18px; padding: 0; }
.dark .notice { background: #3a2f10; color: #f6dc9c; }

/* chat */
#chat .q-text { white-space: normal; }
#chat .answer-text { line-height: 1.6; }
#chat .answer-text.draft { opacity: 0.75; white-space: pre-wrap; }
#chat .answer-text p { margin: 0 0 0.6em; } #chat .answer-text p:last-child { margin-bottom: 0; }
#chat .answer-text ul, #chat .answer-text ol { margin: 0.2em 0 0.6em 1.4em; padding: 0; }
#chat .answer-text li { margin: 0.15em 0; }
/* thumbs only under finished answers */
#chat .message-row:has(.answer.pending, .answer.error, .answer.stopped) + .message-buttons { display: none; }
#feedback-box { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 8px 12px; }
.feedback-for { font-size: 0.9rem; }
.q-count { font-size: 0.78rem; color: var(--body-text-color-subdued); margin: -8px 0 0 4px; }
.q-count.over { color: #b42318; font-weight: 600; }
.skip-link { position: absolute; left: 8px; top: -60px; z-index: 1000; padding: 8px 14px; border-radius: 8px;
             background: var(--color-accent); color: white; font-weight: 600; text-decoration: none; }
.skip-link:focus { top: 8px; }
#chat a.cite { display: inline-block; text-decoration: none; font-weight: 600; font-size: 0.8em;
               padding: 0 4px; margin: 0 1px; border-radius: 5px; vertical-align: 1px;
               color: var(--color-accent); background: var(--color-accent-soft); cursor: pointer; }
#chat a.cite:hover, #chat a.cite:focus { background: var(--color-accent); color: white; }
#chat .answer.abstained { border-left: 3px solid var(--body-text-color-subdued); padding-left: 10px; }
#chat .abstain-icon { font-weight: 700; }
#chat .answer-hint { font-size: 0.85rem; color: var(--body-text-color-subdued); margin-top: 4px; }
#chat .answer-note { font-size: 0.85rem; margin-top: 6px; padding: 4px 8px; border-left: 3px solid #f0c36d;
                     background: #fff8e6; color: #6b4e00; border-radius: 4px; }
#chat .answer-foot { display: flex; align-items: center; gap: 10px; margin-top: 8px; font-size: 0.78rem;
                     color: var(--body-text-color-subdued); }
#chat button.copy-answer { font-size: 0.78rem; padding: 1px 10px; border-radius: 6px; cursor: pointer;
                           border: 1px solid var(--border-color-primary); background: var(--background-fill-primary); }
#chat button.copy-answer:hover { border-color: var(--color-accent); }
#chat .answer.error .answer-text { color: #b42318; }
#chat .answer.stopped .answer-text { color: var(--body-text-color-subdued); font-style: italic; }
#chat .pending-status { color: var(--body-text-color-subdued); font-size: 0.9rem; }
.dots i { display: inline-block; width: 6px; height: 6px; margin-right: 3px; border-radius: 50%;
          background: var(--color-accent); animation: blink 1.2s infinite ease-in-out; }
.dots i:nth-child(2) { animation-delay: 0.2s; } .dots i:nth-child(3) { animation-delay: 0.4s; }
@keyframes blink { 0%, 80%, 100% { opacity: 0.2; } 40% { opacity: 1; } }
.cite-demo { font-weight: 600; color: var(--color-accent); }
.intro { text-align: left; max-width: 620px; margin: 0 auto; }
.intro h2 { font-size: 1.25rem; margin-bottom: 6px; }
.intro-docs { margin: 4px 0 8px 18px; } .intro-title { font-weight: 600; }
.intro-by, .intro-how { color: var(--body-text-color-subdued); }
.intro-summary { font-size: 0.9rem; margin-top: 2px; }
.examples-label { font-size: 0.8rem; color: var(--body-text-color-subdued); margin: -6px 0 -10px 2px; }
#examples-row { gap: 6px; flex-wrap: wrap; }
#examples-row > button { flex: 1 1 calc(50% - 6px) !important; min-width: 0 !important; max-width: calc(50% - 3px);
                         white-space: normal; text-align: left; justify-content: flex-start; font-weight: 400;
                         font-size: 0.8rem !important; padding: 4px 12px !important; border-radius: 10px !important; }

/* sources */
#sources-panel { max-height: calc(100vh - 170px); overflow-y: auto; padding-right: 4px; }
.src-empty { padding: 18px; border: 1px dashed var(--border-color-primary); border-radius: 10px;
             color: var(--body-text-color-subdued); }
.src-empty-title { font-weight: 700; color: var(--body-text-color); margin-bottom: 4px; }
.src-turn details { margin-bottom: 10px; }
.src-turn summary { cursor: pointer; display: flex; gap: 8px; align-items: baseline; padding: 6px 4px;
                    font-weight: 600; list-style: none; }
.src-turn summary::-webkit-details-marker { display: none; }
.src-turn summary::before { content: "▸"; color: var(--body-text-color-subdued); }
.src-turn details[open] > summary::before { content: "▾"; }
.turn-q { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.turn-count { font-weight: 400; font-size: 0.8rem; color: var(--body-text-color-subdued); white-space: nowrap; }
.src-none, .src-searching { padding: 10px 12px; border-radius: 8px; background: var(--background-fill-secondary);
                            color: var(--body-text-color-subdued); }
.start-here { max-width: 1100px; }
.sh-doc { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 14px; margin: 10px 0; }
.sh-doc h3 { margin: 0 0 4px 0; }
.sh-meta, .sh-where { color: var(--body-text-color-subdued); font-size: 0.9em; }
.sh-facts { list-style: none; padding-left: 0; }
.sh-facts li { margin: 6px 0; }
.sh-quote { margin: 0; padding-left: 10px; border-left: 3px solid var(--color-accent-soft); }
.sh-facts .open-doc, .quiz-result .open-doc { font-size: 0.85em; padding: 0 8px; margin-left: 6px; }
.quiz-right { color: #15803d; font-weight: 600; }
.quiz-wrong { color: #b45309; font-weight: 600; }
.evaluator table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
.evaluator td, .evaluator th { border-bottom: 1px solid var(--border-color-primary); padding: 3px 8px;
  text-align: left; }
.evaluator td.num { text-align: right; font-variant-numeric: tabular-nums; }
.evaluator caption { text-align: left; font-weight: 600; }
.src-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 10px 12px;
            margin: 0 0 10px; background: var(--background-fill-primary); scroll-margin: 12px;
            transition: box-shadow 0.3s, border-color 0.3s; }
.src-card.flash { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft); }
.src-head { display: flex; gap: 10px; align-items: flex-start; }
.src-badge { flex: 0 0 auto; min-width: 24px; height: 24px; border-radius: 6px; display: inline-flex;
             align-items: center; justify-content: center; font-weight: 700; font-size: 0.8rem;
             background: var(--color-accent); color: white; }
.src-title { font-weight: 600; line-height: 1.3; }
.src-meta { font-size: 0.78rem; color: var(--body-text-color-subdued); margin-top: 2px; }
.src-passage { white-space: pre-wrap; font-size: 0.9rem; line-height: 1.55; margin: 8px 0 6px;
               padding: 8px 10px; border-left: 3px solid var(--border-color-primary);
               background: var(--background-fill-secondary); border-radius: 0 6px 6px 0; }
.src-passage.folded .src-window.cut-start::before { content: "… "; }
.src-passage.folded .src-window.cut-end::after { content: " …"; }
.src-actions button.src-expand { font-size: 0.8rem; padding: 2px 10px; border-radius: 6px; cursor: pointer;
                                 border: 1px solid var(--border-color-primary);
                                 background: var(--background-fill-primary); }
mark.src-quote, mark.cited { background: #fde68a; color: inherit; padding: 1px 0; border-radius: 2px; }
.dark mark.src-quote, .dark mark.cited { background: #7c5e10; }
mark.cited.active { background: #fbbf24; outline: 2px solid #f59e0b; }
.src-actions { display: flex; gap: 12px; align-items: center; font-size: 0.8rem; flex-wrap: wrap; }
.src-actions .verified { color: #067647; }
.src-actions .unverified { color: #b42318; }
.src-actions button.open-doc { font-size: 0.8rem; padding: 2px 10px; border-radius: 6px; cursor: pointer;
                               border: 1px solid var(--border-color-primary);
                               background: var(--background-fill-primary); }
.src-actions button.open-doc:hover { border-color: var(--color-accent); color: var(--color-accent); }
a.ext-link { color: var(--color-accent); text-decoration: none; }
a.ext-link:hover { text-decoration: underline; }

/* document viewer */
.doc-view { border: 1px solid var(--border-color-primary); border-radius: 10px; overflow: hidden; }
.doc-head { padding: 12px 16px; background: var(--background-fill-secondary);
            border-bottom: 1px solid var(--border-color-primary); }
.doc-title { font-size: 1.15rem; font-weight: 700; }
.doc-meta { color: var(--body-text-color-subdued); font-size: 0.85rem; margin-top: 2px; }
.doc-links { display: flex; gap: 14px; font-size: 0.85rem; margin-top: 4px; }
.doc-size, .doc-hint { color: var(--body-text-color-subdued); font-size: 0.85rem; }
.doc-text { position: relative; white-space: pre-wrap; line-height: 1.65; padding: 14px 18px;
            max-height: calc(100vh - 260px); overflow-y: auto; font-size: 0.95rem; }
.doc-empty { padding: 24px; color: var(--body-text-color-subdued); }

/* documents table, upload progress */
.docs-summary { font-size: 0.85rem; color: var(--body-text-color-subdued); margin-bottom: 6px; }
.docs-scroll { max-height: 360px; overflow: auto; border: 1px solid var(--border-color-primary); border-radius: 10px; }
.docs-table { width: 100%; border-collapse: collapse; font-size: 0.88rem; }
.docs-table th { position: sticky; top: 0; background: var(--background-fill-secondary); text-align: left;
                 padding: 6px 10px; font-weight: 600; }
.docs-table td { padding: 6px 10px; border-top: 1px solid var(--border-color-primary); vertical-align: top; }
.docs-table .num { text-align: right; }
.docs-table td:last-child { white-space: nowrap; }
.docs-table button.doc-open { all: unset; cursor: pointer; font-weight: 600; color: var(--color-accent); }
.docs-table button.doc-open:hover, .docs-table button.doc-open:focus-visible { text-decoration: underline; }
.docs-table .doc-id { font-size: 0.75rem; color: var(--body-text-color-subdued); }
.ingest-status { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; font-size: 0.9rem; margin: 6px 0; }
.ingest-status progress { width: 240px; }
.ingest-status[data-state="failed"] .ingest-message { color: #b42318; }
.ingest-problems { flex-basis: 100%; margin: 0 0 0 18px; color: #b42318; }
.side-note { font-size: 0.8rem; color: var(--body-text-color-subdued); }
footer { visibility: visible; }
"""

# Delegated listeners, so they survive Gradio re-rendering the chat and the sources panel.
HEAD = r"""
<script>
(() => {
  if (window.__assistantUi) return;
  window.__assistantUi = true;
  function showSource(id) {
    const card = document.getElementById(id);
    if (!card) return false;
    const details = card.closest("details");
    if (details && !details.open) details.open = true;
    document.querySelectorAll(".src-card.flash").forEach(el => el.classList.remove("flash"));
    card.classList.add("flash");
    card.scrollIntoView({block: "nearest", behavior: "smooth"});
    setTimeout(() => card.classList.remove("flash"), 2500);
    return true;
  }
  async function copyText(text) {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {
      const area = document.createElement("textarea");
      area.value = text; document.body.appendChild(area); area.select();
      const ok = document.execCommand("copy"); area.remove(); return ok;
    }
  }
  document.addEventListener("click", async (event) => {
    const cite = event.target.closest("a.cite");
    if (cite) {
      event.preventDefault();
      event.stopPropagation();
      showSource((cite.getAttribute("href") || "").replace(/^#/, ""));
      return;
    }
    const expand = event.target.closest("button.src-expand");
    if (expand) {
      const passage = expand.closest(".src-card").querySelector(".src-passage");
      const open = passage.classList.toggle("folded") === false;
      passage.querySelectorAll(".src-more").forEach(el => { el.hidden = !open; });
      expand.setAttribute("aria-expanded", String(open));
      expand.textContent = open ? "Show less" : "Show the whole passage";
      return;
    }
    const copy = event.target.closest("button.copy-answer");
    if (copy) {
      event.preventDefault();
      const holder = copy.closest(".answer");
      const text = holder ? holder.querySelector(".copy-text").textContent : "";
      const ok = await copyText(text);
      copy.textContent = ok ? "Copied" : "Copy failed";
      setTimeout(() => { copy.textContent = "Copy"; }, 1500);
    }
  }, true);

  // Long questions: a live counter, and a clear refusal instead of a silent cut (the text stays in the box).
  function questionBox() { return document.querySelector("#question textarea"); }
  function tooLong() {
    const box = questionBox(), counter = document.querySelector(".q-count");
    if (!box || !counter) return false;
    const limit = Number(counter.dataset.limit), length = box.value.length, over = length > limit;
    counter.querySelector(".q-count-n").textContent = length.toLocaleString("en-US");
    counter.classList.toggle("over", over);
    const note = counter.querySelector(".q-count-over");
    note.hidden = !over;
    note.textContent = over ? ` — too long to ask: shorten it by ${(length - limit).toLocaleString("en-US")} ` +
                              "characters (nothing you typed is lost)." : "";
    return over;
  }
  document.addEventListener("input", (event) => { if (event.target === questionBox()) tooLong(); }, true);
  setInterval(tooLong, 500);  // also after the app itself sets the box (cleared after a question)
  document.addEventListener("keydown", (event) => {
    if (event.target === questionBox() && event.key === "Enter" && !event.shiftKey && tooLong()) {
      event.preventDefault(); event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", (event) => {
    if (event.target.closest("#question button.submit-button") && tooLong()) {
      event.preventDefault(); event.stopImmediatePropagation();
    }
  }, true);

  // Keyboard and phone: a skip link to the question box; the settings sidebar starts closed on a narrow
  // screen, and while closed its controls are out of the Tab order.
  const skip = document.createElement("a");
  skip.href = "#question"; skip.className = "skip-link"; skip.textContent = "Skip to chat";
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    const tab = document.querySelector("#tabs button[role=tab][aria-controls*=chat], #tabs button[role=tab]");
    if (tab && tab.getAttribute("aria-selected") !== "true") tab.click();
    setTimeout(() => { const box = questionBox(); if (box) box.focus(); }, 50);
  });
  let userToggled = false, closedAt = 0;
  document.addEventListener("click", (event) => {
    if (event.isTrusted && event.target.closest("#sidebar .toggle-button")) userToggled = true;
  }, true);
  function settleSidebar() {
    const sidebar = document.getElementById("sidebar");
    if (!sidebar) return;
    // gradio opens it (and may open it again while the page starts): close it until the user opens it.
    const now = performance.now();
    if (!userToggled && sidebar.classList.contains("open") && now - closedAt > 300 &&
        window.matchMedia("(max-width: 768px)").matches) {
      closedAt = now;
      sidebar.querySelector(".toggle-button").click();
    }
    const content = sidebar.querySelector(".sidebar-content");
    if (content) content.inert = !sidebar.classList.contains("open");
  }

  // Screen readers: gradio labels each message with its raw HTML; label it with its text instead.
  function labelMessages() {
    document.querySelectorAll("#chat [data-testid=user][aria-label], #chat [data-testid=bot][aria-label]")
      .forEach((el) => {
        const who = el.dataset.testid === "user" ? "Your question" : "Assistant's answer";
        const content = el.querySelector(".message-content") || el;
        const label = `${who}: ${(content.innerText || content.textContent).replace(/\s+/g, " ").trim()}`;
        if (el.getAttribute("aria-label") !== label) el.setAttribute("aria-label", label);
      });
  }
  function start() {
    document.body.prepend(skip);
    new MutationObserver(() => { settleSidebar(); labelMessages(); })
      .observe(document.body, {subtree: true, childList: true, attributes: true,
                               attributeFilter: ["aria-label", "class"]});
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
</script>
"""

# Runs inside the sources panel: "Read in document" asks the server to open the viewer.
SOURCES_JS = r"""
element.addEventListener('click', (event) => {
  const button = event.target.closest('button.open-doc');
  if (!button) return;
  trigger('click', {doc_id: button.dataset.doc, start: Number(button.dataset.start), end: Number(button.dataset.end)});
});
"""

# Runs inside the document viewer: bring the active highlight into view after each update.
VIEWER_JS = r"""
const reveal = () => setTimeout(() => {
  const mark = element.querySelector('#doc-active');
  if (mark) mark.scrollIntoView({block: 'center'});
}, 120);
watch('value', reveal);
reveal();
"""
