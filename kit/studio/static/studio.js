// kit studio: the page. Plain JavaScript, no library, nothing loaded from elsewhere.
//
// Every text that comes from a catalog or a campaign is put into the page as text
// (textContent, value), never as markup: a translation holding <script> shows as typed.
// Saving, checks and the preview go to the server under this page's own address, which
// carries the session's token. A module: strict, deferred, and the page's own words come
// from words.js.
import { WORDS } from "./words.js";

const CHECK_DELAY = 40;  // ms after a keystroke: checks are quick, show them at once
const SAVE_DELAY = 500;  // ms of quiet before saving...
const SAVE_MAX_WAIT = 1200;  // ...but never later than this after the first unsaved key
// ms from a keystroke to the poster's redraw: at once when no redraw is under way (the
// check runs beside it); while one is, the newest text follows it, and the texts typed
// in between are never drawn.
const PREVIEW_DELAY = 0;
const POLL_EVERY = 1500;  // ms between looks for another program's change to the file
const TYPING_GROUP = 1500;  // keystrokes closer than this undo together

const S = {
  info: null, msgs: new Map(), order: [], focusId: null, filter: "all", audience: "",
  size: "", undo: [], typing: null, shown: new Set(), saveError: null,
  lang: (navigator.language || "en").toLowerCase().startsWith("ja") ? "ja" : "en",
};
const painters = [];

function t(key, args = {}) {
  let s = WORDS[S.lang][key] ?? WORDS.en[key] ?? key;
  for (const [k, v] of Object.entries(args)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

// Words that change with the page language: painted now and again on each switch.
function words(fn) { painters.push(fn); fn(); }

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) node.append(c);
  return node;
}

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const init = body === undefined ? { cache: "no-store" } : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    return { ok: false, status: 0, data: { error: String(e) } };
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await response.json() : await response.blob();
  return { ok: response.ok, status: response.status, data, headers: response.headers };
}

// ---- one message ------------------------------------------------------------------------

class Msg {
  constructor(data) {
    this.d = data;
    this.live = { findings: data.findings, widths: data.widths, ruby: data.ruby };
    this.dirty = false; this.saving = false; this.saveAgain = false; this.reviewAgain = null;
    this.conflict = null;
    this.retries = 0;  // saves in a row that got no answer
    this.posterError = null; this.checkSeq = 0; this.firstDirtyAt = 0;
    this.timers = {};
    this.areas = [];
    this.build();
  }

  get id() { return this.d.id; }
  get editable() { return this.d.status !== "absent"; }
  forms() { return this.areas.map((a) => a.value); }

  status() {
    if (!this.editable) return "absent";
    if (this.dirty) return this.forms().every((f) => f) ? "draft" : "untranslated";
    return this.d.status;
  }

  hasProblems() { return this.live.findings.length > 0 || !!this.posterError || !!this.conflict; }

  build() {
    const d = this.d, info = S.info;
    this.badge = el("span", { class: "badge" });
    this.where = el("span", { class: "where" });
    this.card = el("article", { class: "msg", id: `m-${d.id}`, "data-id": d.id },
      el("header", {}, el("h4", {}, el("code", { text: d.id })), this.badge, this.where));
    const source = el("div", { class: "source", lang: "en", dir: "ltr" });
    const k1 = el("span", { class: "k" }), k2 = el("span", { class: "k" });
    source.append(el("p", {}, k1, " ", el("span", { class: "src", text: d.source })));
    if (d.source_plural) {
      source.append(el("p", {}, k2, " ", el("span", { class: "src", text: d.source_plural })));
    }
    words(() => {
      k1.textContent = t("english") + ":";
      k2.textContent = t("englishPlural") + ":";
    });
    this.card.append(source);
    const extras = [["previousSource", d.previous_source, "en"], ["note", d.note, "en"],
                    ["comment", d.comment, null]];
    for (const [key, text, lang] of extras) {
      if (!text) continue;
      const k = el("span", { class: "k" });
      words(() => { k.textContent = t(key) + ":"; });
      this.card.append(el("p", { class: key }, k, " ", el("span", { lang, text })));
    }
    if (!this.editable) {
      const p = el("p", { class: "absent" });
      words(() => { p.textContent = t("absentHelp", { locale: info.locale }); });
      this.card.append(p);
      this.paint();
      return;
    }
    if (d.args.length) {
      const group = el("div", { class: "chips", role: "group" });
      words(() => group.setAttribute("aria-label", t("placeholders")));
      for (const a of d.args) {
        const chip = el("button", { type: "button", class: "chip", text: `{${a.name}}` });
        words(() => { chip.title = t("chipTitle", { name: a.name, value: a.value }); });
        chip.addEventListener("mousedown", (e) => e.preventDefault());  // keep the caret
        chip.addEventListener("click", () => this.insert(`{${a.name}}`));
        group.append(chip);
      }
      this.card.append(group);
    }
    if (info.easy) {  // Easy Japanese gives kanji their readings
      const add = el("button", { type: "button", class: "chip" });
      add.addEventListener("mousedown", (e) => e.preventDefault());
      add.addEventListener("click", () => this.addReading());
      words(() => { add.textContent = t("addReading"); });
      this.card.append(el("div", { class: "chips" }, add));
    }
    if (info.dictionary) {  // furigana suggested from UniDic, put in the box as a draft
      const suggest = el("button", { type: "button", class: "chip" });
      suggest.addEventListener("click", () => this.suggestReadings());
      words(() => { suggest.textContent = t("suggestReadings"); });
      this.suggestedNote = el("p", { class: "hint", role: "status" });
      this.card.append(el("div", { class: "chips" }, suggest), this.suggestedNote);
    }
    this.meters = []; this.counts = []; this.rubies = []; this.reads = [];
    d.forms.forEach((text, i) => {
      const areaId = `t-${d.id}-${i}`;
      const lab = el("label", { for: areaId });
      const area = el("textarea", { id: areaId, lang: info.lang, dir: info.dir, rows: 3,
                                    "aria-describedby": `c-${d.id}-${i} f-${d.id}` });
      area.value = text;
      const meter = el("meter", { min: 0, max: d.budget, low: d.budget, high: d.budget,
                                  optimum: 0, value: 0 });
      const count = el("span", { id: `c-${d.id}-${i}`, class: "count" });
      const reads = el("span", { class: "count reads" });
      const ruby = el("p", { class: "ruby", lang: info.lang, dir: info.dir, hidden: true });
      const form = el("div", { class: "form" }, lab, area,
                      el("div", { class: "meter" }, meter, count, reads), ruby);
      const plural = d.plural && d.plural.forms[i];
      words(() => {
        const examples = plural && plural.examples.join(", ") + (plural.more ? ", …" : "");
        lab.textContent = plural ? t("formOf", { id: d.id, category: plural.category, examples })
          : t("translationOf", { id: d.id });
        meter.setAttribute("aria-label", t("meterLabel", { id: d.id }));
        ruby.setAttribute("aria-label", t("rubyLabel"));
      });
      if (plural && d.plural.used === i) {
        const used = el("p", { class: "hint" });
        words(() => { used.textContent = t("formUsed", { n: d.plural.n }); });
        form.insertBefore(used, area);
      }
      area.addEventListener("input", () => this.onInput());
      area.addEventListener("focus", () => focusMessage(this));
      area.addEventListener("keydown", (e) => onKey(e, this));
      this.areas.push(area);
      this.meters.push(meter);
      this.counts.push(count);
      this.reads.push(reads);
      this.rubies.push(ruby);
      this.card.append(form);
    });
    this.conflictBox = el("div", { class: "conflict", role: "alert", hidden: true });
    this.findings = el("ul", { class: "findings", id: `f-${d.id}`, "aria-live": "polite" });
    this.posterBox = el("p", { class: "poster-error", role: "alert", hidden: true });
    this.reviewButton = el("button", { type: "button", class: "review" });
    this.reviewWhy = el("span", { class: "hint" });
    this.reviewButton.addEventListener("click", () => this.review(this.status() !== "reviewed"));
    this.card.append(this.conflictBox, this.findings, this.posterBox,
                     el("div", { class: "actions" }, this.reviewButton, this.reviewWhy));
    this.card.addEventListener("focusout", (e) => {
      if (!this.card.contains(e.relatedTarget)) applyFilter();
    });
    words(() => this.paint());
  }

  paint() {
    const status = this.status();
    this.card.dataset.status = status;
    this.badge.className = `badge ${status}`;
    this.badge.textContent = t(`status_${status}`);
    this.where.textContent = S.shown.size === 0 ? ""
      : S.shown.has(this.id) ? t("onPoster") : t("notOnPoster");
    if (!this.editable) return;
    const widths = this.live.widths, budget = this.d.budget;
    widths.forEach((w, i) => {
      if (!this.meters[i]) return;
      this.meters[i].max = Math.max(budget, w);
      this.meters[i].value = w;
      this.counts[i].textContent = w > budget
        ? t("columnsOver", { width: w, budget, over: w - budget })
        : t("columns", { width: w, budget });
      this.counts[i].classList.toggle("over", w > budget);
    });
    (this.live.readability || []).forEach((r, i) => {
      const box = this.reads[i];
      if (!box) return;
      box.textContent = !r ? "" : t("readsAt", { score: r.score.toFixed(2),
        level: S.lang === "ja" ? r.level : r.level_en })
        + (r.target_level ? t("readsTarget", { target: r.target_level }) : "") + " · "
        + t("longest", { longest: r.longest_sentence })
        + (r.target_sentence ? t("longestTarget", { target: r.target_sentence }) : "");
      box.classList.toggle("over", !!r && ((r.target_level && r.score < r.target_level)
        || (r.target_sentence && r.longest_sentence > r.target_sentence)));
    });
    this.live.ruby.forEach((segments, i) => {
      const box = this.rubies[i];
      if (!box) return;
      box.hidden = !segments;
      box.replaceChildren(...(segments || []).map(([base, reading]) => reading
        ? el("ruby", {}, base, el("rp", { text: "（" }), el("rt", { text: reading }),
             el("rp", { text: "）" }))
        : document.createTextNode(base)));
    });
    // Redrawn only when they change: the list is a live region, read out on each change.
    const said = S.lang + JSON.stringify(this.live.findings);
    if (said !== this.findingsSaid) {
      this.findingsSaid = said;
      this.findings.replaceChildren(...(this.live.findings.length ? this.live.findings.map((f) =>
        el("li", { class: f.severity }, el("strong", { text: t(`severity_${f.severity}`) + ": " }),
           f.message, el("span", { class: "code", text: ` (${f.code})` })))
        : [el("li", { class: "ok", text: t("noProblems") })]));
    }
    this.posterBox.hidden = !this.posterError;
    this.posterBox.textContent = this.posterError
      ? t("posterError", { error: this.posterError }) : "";
    const errors = this.live.findings.some((f) => f.severity === "error");
    const complete = this.forms().every((f) => f);
    this.reviewButton.textContent = status === "reviewed" ? t("backToDraft") : t("markReviewed");
    this.reviewButton.disabled = status !== "reviewed" && (!complete || errors || !!this.conflict);
    this.reviewWhy.textContent = status === "reviewed" ? "" : !complete ? t("reviewNeedsText")
      : errors ? t("reviewNeedsFixes") : "";
    this.paintConflict();
  }

  paintConflict() {
    const c = this.conflict;
    this.conflictBox.hidden = !c;
    if (!c) { this.conflictBox.replaceChildren(); return; }
    const keep = el("button", { type: "button", text: t("keepMine") });
    const take = el("button", { type: "button", text: t("useTheirs") });
    keep.addEventListener("click", () => this.keepMine());
    take.addEventListener("click", () => this.useTheirs());
    this.conflictBox.replaceChildren(
      el("p", { text: t("conflict") }),
      el("p", { class: "k", text: t("theirs") }),
      ...c.forms.map((f) => el("p", { class: "theirs", lang: S.info.lang, dir: S.info.dir,
                                      text: f })),
      el("div", { class: "actions" }, keep, take));
  }

  setForms(forms) { forms.forEach((f, i) => { if (this.areas[i]) this.areas[i].value = f; }); }

  // Take the server's view of the message; the boxes change only if nothing is typed there.
  take(data) {
    this.d = data;
    if (!this.dirty) {
      this.setForms(data.forms);
      this.live = { findings: data.findings, widths: data.widths, ruby: data.ruby,
                    readability: data.readability };
    }
    this.paint();
  }

  onInput() {
    focusMessage(this);  // typing makes it current, even where no focus event came first
    const now = performance.now();
    if (!S.typing || S.typing.id !== this.id || now - S.typing.at > TYPING_GROUP) {
      pushUndo({ id: this.id, before: this.snapshotBefore });
    }
    S.typing = { id: this.id, at: now };
    this.snapshotBefore = { forms: this.forms(), reviewed: false };
    if (!this.dirty) { this.dirty = true; this.firstDirtyAt = now; }
    this.schedule("check", CHECK_DELAY, () => this.check());
    const wait = Math.min(SAVE_DELAY, Math.max(0, this.firstDirtyAt + SAVE_MAX_WAIT - now));
    this.schedule("save", wait, () => this.save());
    schedulePreview(PREVIEW_DELAY);
    this.paint();
    paintSaveStatus();
    paintProgress();
  }

  // What undo goes back to: the text before the next keystroke, and whether it was reviewed.
  get snapshotBefore() {
    return this._before ?? { forms: this.d.forms, reviewed: this.d.status === "reviewed" };
  }
  set snapshotBefore(v) { this._before = v; }

  schedule(name, delay, fn) {
    clearTimeout(this.timers[name]);
    this.timers[name] = setTimeout(fn, delay);
  }

  activeArea() {
    return this.areas.includes(document.activeElement) ? document.activeElement : this.areas[0];
  }

  insert(text) {
    const area = this.activeArea();
    area.focus();
    // execCommand keeps the box's own undo (Ctrl+Z) working; setRangeText where it cannot.
    if (!document.execCommand("insertText", false, text)) {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input"));
    }
  }

  addReading() {
    const area = this.activeArea();
    const base = area.value.slice(area.selectionStart, area.selectionEnd);
    this.insert(`｜${base}《》`);
    area.selectionStart = area.selectionEnd = area.selectionEnd - 1;  // into 《》
  }

  async suggestReadings() {
    const r = await api("api/furigana", { id: this.id, forms: this.forms() });
    if (!r.ok) return;
    this.suggestedNote.textContent = t("suggested", { count: r.data.count });
    r.data.forms.forEach((text, i) => {
      const area = this.areas[i];
      if (!area || area.value === text) return;
      area.focus();
      area.select();
      this.insert(text);  // as typed: undo takes it back, and it saves as a draft
    });
  }

  async check() {
    const seq = ++this.checkSeq;
    const r = await api("api/check", { id: this.id, forms: this.forms() });
    if (seq !== this.checkSeq || !r.ok) return;
    this.live = r.data;
    this.paint();
    paintProgress();
    performance.mark("kit-check");
  }

  async save(reviewed) {
    if (this.conflict) return;
    if (this.saving) {
      this.saveAgain = true;
      // A review (or its undo) made while a save is on its way is sent next, for the text
      // it was made on: without this it would be lost.
      if (reviewed !== undefined) this.reviewAgain = { reviewed, forms: this.forms() };
      return;
    }
    clearTimeout(this.timers.save);
    this.saving = true;
    const sent = this.forms();
    const body = { id: this.id, version: this.d.version, forms: sent };
    if (reviewed !== undefined) body.reviewed = reviewed;
    paintSaveStatus();
    const r = await api("api/message", body);
    this.saving = false;
    if (r.ok) {
      S.saveError = null;
      this.retries = 0;
      if (same(sent, this.forms())) this.dirty = false;
      else this.saveAgain = true;
      this.take(r.data);
      if (!this.dirty) this._before = null;
      schedulePreview(PREVIEW_DELAY);
    } else if (r.status === 409) {
      this.conflict = r.data.conflict;
      this.d = { ...this.d, version: this.conflict.version };
      this.paint();
    } else {
      S.saveError = r.data.error || `HTTP ${r.status}`;
      // The edit stays in the page until a save is confirmed. No answer at all (a reset
      // connection, a server busy with a burst of saves): again soon, then less often; a
      // save that did land meanwhile is answered as done. Otherwise the file may be back soon.
      const wait = r.status === 0 ? Math.min(2000, 200 * 2 ** this.retries++) : 2000;
      this.schedule("save", wait, () => this.save(reviewed));
    }
    paintSaveStatus();
    paintProgress();
    if (this.saveAgain) {
      const again = this.reviewAgain;
      this.saveAgain = false; this.reviewAgain = null;
      // Text typed after the click is a draft again, as when typed after a review saved.
      this.save(again && same(again.forms, this.forms()) ? again.reviewed : undefined);
    }
    return r.ok;
  }

  async review(reviewed) {
    pushUndo({ id: this.id,
               before: { forms: this.forms(), reviewed: this.status() === "reviewed" } });
    S.typing = null;
    this.dirty = true;
    return this.save(reviewed);
  }

  keepMine() {
    this.conflict = null;
    this.dirty = true;
    this.save();
  }

  useTheirs() {
    const theirs = this.conflict;
    this.conflict = null;
    this.dirty = false;
    this.take(theirs);
    schedulePreview(0);
    paintSaveStatus();
  }
}

function same(a, b) { return a.length === b.length && a.every((x, i) => x === b[i]); }

// ---- the page -----------------------------------------------------------------------------

function pushUndo(step) {
  S.undo.push(step);
  if (S.undo.length > 500) S.undo.shift();
  $("undo").disabled = false;
}

async function undo() {
  const step = S.undo.pop();
  $("undo").disabled = S.undo.length === 0;
  if (!step) { announce(t("undoNothing")); return; }
  const m = S.msgs.get(step.id);
  S.typing = null;
  m.setForms(step.before.forms);
  m._before = null;
  m.dirty = true;
  m.areas[0]?.focus();
  if (await m.save(step.before.reviewed)) m.check();
  announce(t("undone", { id: step.id }));
}

function announce(text) { $("save-status").textContent = text; }

function paintSaveStatus() {
  const all = [...S.msgs.values()];
  const box = $("save-status");
  box.classList.toggle("bad", !!S.saveError);
  if (S.saveError) box.textContent = t("saveFailed", { error: S.saveError });
  else if (all.some((m) => m.saving)) box.textContent = t("saveSaving");
  else if (all.some((m) => m.dirty || m.conflict)) box.textContent = t("saveUnsaved");
  else box.textContent = t("saveSaved");
}

function paintProgress() {
  const counts = { reviewed: 0, draft: 0, untranslated: 0, total: 0 };
  for (const m of S.msgs.values()) {
    if (!m.editable) continue;
    counts.total += 1;
    counts[m.status()] += 1;
  }
  $("progress").textContent = t("progress", counts);
}

function visibleMessages() {
  return S.order.map((id) => S.msgs.get(id)).filter((m) => m.editable && !m.card.hidden);
}

function applyFilter() {
  for (const m of S.msgs.values()) {
    const keep = m.card.contains(document.activeElement);  // never hide the box being typed in
    const status = m.status();
    m.card.hidden = !keep && (S.filter === "untranslated" ? status !== "untranslated"
      : S.filter === "draft" ? status !== "draft"
      : S.filter === "problems" ? !m.hasProblems() : false);
  }
  for (const group of document.querySelectorAll("#messages > section")) {
    group.hidden = ![...group.querySelectorAll("article")].some((a) => !a.hidden);
  }
}

function focusMessage(m) {
  if (S.focusId === m.id) return;
  const before = S.msgs.get(S.focusId);
  before?.card.classList.remove("current");
  S.focusId = m.id;
  S.typing = null;
  m.card.classList.add("current");
  schedulePreview(PREVIEW_DELAY);
}

function onKey(e, m) {
  if (e.key !== "Enter") return;
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    e.preventDefault();
    if (!m.reviewButton.disabled && m.status() !== "reviewed") m.review(true);
    move(m, 1);
  } else if (e.ctrlKey || e.metaKey) {
    e.preventDefault();
    move(m, e.shiftKey ? -1 : 1);
  }
}

function move(m, step) {
  const list = visibleMessages();
  const next = list[list.indexOf(m) + step];
  if (next) {
    next.areas[0].focus();
    next.card.scrollIntoView({ block: "nearest" });
  }
}

// ---- the poster ---------------------------------------------------------------------------

const P = { timer: null, busy: false, again: false, url: null };

function schedulePreview(delay) {
  clearTimeout(P.timer);
  P.timer = setTimeout(drawPreview, delay);
}

async function drawPreview() {
  if (P.busy) { P.again = true; return; }
  P.busy = true;
  const started = performance.now();
  const edits = [...S.msgs.values()].filter((m) => m.dirty && m.editable)
    .map((m) => ({ id: m.id, forms: m.forms() }));
  const focus = S.focusId;
  $("preview-status").textContent = t("previewDrawing");
  const r = await api("api/preview", { audience: S.audience, size: S.size, focus, edits });
  const img = $("preview");
  if (r.ok && r.data instanceof Blob) {
    const url = URL.createObjectURL(r.data);
    const loaded = new Image();
    loaded.src = url;
    try { await loaded.decode(); } catch (e) { /* shown as it is */ }
    img.src = url;
    if (P.url) URL.revokeObjectURL(P.url);
    P.url = url;
    img.classList.remove("stale");
    S.shown = new Set((r.headers.get("X-Kit-Shown") || "").split(" ").filter(Boolean));
    img.dataset.focus = focus || "";
    paintAlt();
    $("preview-error").hidden = true;
    for (const m of S.msgs.values()) {
      if (m.posterError) { m.posterError = null; }
      m.paint();
    }
    const ms = Math.round(performance.now() - started);
    $("preview-status").textContent = t("previewDrawn", { ms });
    performance.mark("kit-preview");
  } else {
    const error = r.data.error || `HTTP ${r.status}`;
    const m = S.msgs.get(r.data.msgid);
    if (m) { m.posterError = error; m.paint(); }
    img.classList.add("stale");
    $("preview-error").hidden = false;
    $("preview-error").textContent = t("previewFailed", { error: (m ? `${m.id}: ` : "") + error });
    $("preview-status").textContent = img.src ? t("previewStale") : "";
  }
  P.busy = false;
  if (P.again) { P.again = false; drawPreview(); }
}

function paintAlt() {
  const img = $("preview");
  const audience = S.info.audiences.find((a) => a.id === S.audience);
  const focus = img.dataset.focus;
  img.alt = t("previewAlt", { language: S.info.language_en,
                              audience: audience ? audience.name : S.audience,
                              size: S.size.toUpperCase() })
    + (focus ? t("previewFocus", { id: focus }) : "");
}

// ---- another program's change to the file -------------------------------------------------

async function poll() {
  const r = await api(`api/state?since=${S.info.revision}`);
  if (!r.ok) {
    if (r.data && r.data.disk) showBanner(r.data.error);
    return;
  }
  if (r.data.revision === S.info.revision) return;
  S.info.revision = r.data.revision;
  for (const data of r.data.messages) {
    const m = S.msgs.get(data.id);
    if (!m || data.version <= m.d.version) continue;  // not newer than what the page has
    if (m.dirty || m.saving) {
      m.conflict = data;
      m.d = { ...m.d, version: data.version };
      m.paint();
    } else {
      m.take(data);
    }
  }
  const changed = (r.data.notice && r.data.notice.changed.length) || 0;
  showBanner(changed ? t("diskChanged", { n: changed }) : t("diskChangedNone"));
  paintProgress();
  applyFilter();
  schedulePreview(0);
}

function showBanner(text) {
  $("banner-text").textContent = text;
  $("banner").hidden = false;
}

// ---- start --------------------------------------------------------------------------------

function setLanguage(lang) {
  S.lang = lang;
  document.documentElement.lang = lang;
  $("ui-lang").value = lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  painters.forEach((fn) => fn());
  paintSaveStatus();
  paintProgress();
  if ($("preview").dataset.focus !== undefined) paintAlt();
}

async function start() {
  const r = await api("api/state");
  if (!r.ok) {
    $("loading").textContent = r.data.error || `HTTP ${r.status}`;
    return;
  }
  const info = S.info = r.data;
  S.audience = info.audience;
  S.size = info.size;
  $("language").textContent = `— ${info.language} (${info.locale})`;
  $("language").lang = info.lang;
  $("file").textContent = info.file;
  document.title = `kit studio — ${info.language} (${info.locale})`;
  for (const a of info.audiences) $("audience").append(el("option", { value: a.id, text: a.name }));
  for (const s of info.sizes) $("size").append(el("option", { value: s, text: s.toUpperCase() }));
  $("audience").value = S.audience;
  $("size").value = S.size;
  const box = $("messages");
  box.replaceChildren();
  for (const section of info.sections) {
    const mine = info.messages.filter((m) => m.section === section.id);
    if (!mine.length) continue;
    const group = el("section", { "aria-labelledby": `s-${section.id}` },
      el("h3", { id: `s-${section.id}`, lang: "en", text: section.title }));
    for (const data of mine) {
      const m = new Msg(data);
      S.msgs.set(m.id, m);
      S.order.push(m.id);
      group.append(m.card);
    }
    box.append(group);
  }
  if (info.furigana) {
    const help = el("p", { class: "hint", id: "ruby-help" });
    words(() => { help.textContent = t("rubyHelp"); });
    $("keys").after(help);
  }
  $("undo").disabled = true;
  $("undo").addEventListener("click", undo);
  $("ui-lang").addEventListener("change", (e) => setLanguage(e.target.value));
  $("banner-close").addEventListener("click", () => { $("banner").hidden = true; });
  $("audience").addEventListener("change", (e) => {
    S.audience = e.target.value;
    schedulePreview(0);
  });
  $("size").addEventListener("change", (e) => {
    S.size = e.target.value;
    schedulePreview(0);
  });
  for (const radio of document.querySelectorAll("input[name=filter]")) {
    radio.addEventListener("change", (e) => { S.filter = e.target.value; applyFilter(); });
  }
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement;
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === "z" && !typing) {
      e.preventDefault();
      undo();
    }
  });
  window.addEventListener("beforeunload", (e) => {
    if ([...S.msgs.values()].some((m) => m.dirty || m.conflict)) e.preventDefault();
  });
  setLanguage(S.lang);
  setInterval(poll, POLL_EVERY);
  drawPreview();
}

start();
