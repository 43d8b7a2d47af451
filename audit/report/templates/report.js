(() => {
  "use strict";
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const behavior = reduced ? "auto" : "smooth";
  const pane = $("#filing");
  const column = $("#filing-pane");
  const info = $("#fig-info");
  const hlbar = $("#hl-bar");
  const boxes = $$("input[data-filter]");
  document.documentElement.classList.add("js");  // shows the controls that need this script
  $$("svg.deps .node").forEach((node) => { node.setAttribute("tabindex", "0"); });  // they do something only now
  const WORDS = { failed: "likely wrong", involved: "in a failing check", verified: "verified", unchecked: "unchecked" };
  const stateOf = (el) => ["failed", "involved", "verified", "unchecked"].find((c) => el.classList.contains(c)) || "unchecked";

  // -- filters by status and severity ------------------------------------------------------
  function applyFilters() {
    const on = { status: new Set(), severity: new Set() };
    boxes.forEach((box) => { if (box.checked) on[box.dataset.filter].add(box.value); });
    let shown = 0;
    $$(".finding").forEach((el) => {
      const visible = on.status.has(el.dataset.status) && on.severity.has(el.dataset.severity);
      el.hidden = !visible;
      if (visible) shown += 1;
    });
    $$(".group").forEach((group) => { group.hidden = !group.querySelector(".finding:not([hidden])"); });
    $("#shown").textContent = String(shown);
    $("#none-shown").hidden = shown > 0;
  }
  boxes.forEach((box) => box.addEventListener("change", applyFilters));
  $("#filters-reset").addEventListener("click", () => {
    boxes.forEach((box) => { box.checked = true; });
    applyFilters();
  });

  // -- figures in the filing ---------------------------------------------------------------
  const figure = (id) => document.getElementById("F-" + id);

  function clearHighlight() {
    $$(".fig.hl").forEach((el) => el.classList.remove("hl", "flash", "cur"));
    hlbar.hidden = true;
    stepping = null;
    $("#hl-step").hidden = true;
  }

  // -- narrow screens (the filing below the findings): a Locate, a step, a figure link or a figure's
  // address opens the filing as a modal dialog over the findings (the page behind it inert, Tab kept
  // inside); its Close button and Escape shut it and return focus to where the reader was. On a wide
  // screen the filing is a plain region beside the findings ------------------------------------------
  // a statement's sticky column headings: a jump to one of its rows or figures stops below them
  // (their height is the scroll margin of its rows; it changes with the width)
  function measureHeadings() {
    $$(".stmt", pane).forEach((stmt) => {
      stmt.style.setProperty("--head", `${$(".stmt-head", stmt).offsetHeight + 4}px`);
    });
  }
  measureHeadings();
  window.addEventListener("resize", measureHeadings);

  const narrowQuery = window.matchMedia("(max-width: 1100px)");
  const closer = $("#overlay-close");
  let returnTo = null;
  const overlayOpen = () => column.classList.contains("overlay");
  const behind = () => [...$$("body > *:not(script)"), ...$$("main.layout > *")]
    .filter((el) => el !== column && !el.contains(column));

  function openOverlay(from) {
    if (!narrowQuery.matches) return;
    returnTo = from || returnTo;
    column.classList.add("overlay");
    column.setAttribute("role", "dialog");
    column.setAttribute("aria-modal", "true");
    behind().forEach((el) => { el.inert = true; });
    document.documentElement.classList.add("overlay-open");
    measureHeadings();
    closer.hidden = false;
    closer.focus({ preventScroll: true });
  }

  function closeOverlay(refocus) {
    if (!overlayOpen()) return;
    column.classList.remove("overlay");
    column.removeAttribute("role");
    column.removeAttribute("aria-modal");
    behind().forEach((el) => { el.inert = false; });
    document.documentElement.classList.remove("overlay-open");
    measureHeadings();
    closer.hidden = true;
    const back = returnTo;
    returnTo = null;
    if (refocus && back && document.contains(back)) back.focus();
  }
  closer.addEventListener("click", () => closeOverlay(true));
  narrowQuery.addEventListener("change", () => { if (!narrowQuery.matches) closeOverlay(false); });

  function tabStops() {  // the open dialog's controls, in Tab order
    return $$("a[href], button, input, [tabindex]", column).filter((el) => el.tabIndex >= 0 && !el.disabled
      && el.getClientRects().length > 0);
  }
  document.addEventListener("keydown", (event) => {  // Tab and Shift+Tab wrap round inside the open dialog
    if (event.key !== "Tab" || !overlayOpen()) return;
    const stops = tabStops();
    if (!stops.length) return;
    const first = stops[0];
    const last = stops[stops.length - 1];
    const at = document.activeElement;
    if (event.shiftKey ? (at === first || !column.contains(at)) : (at === last || !column.contains(at))) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });
  document.addEventListener("focusin", (event) => {  // focus never stays behind the open dialog
    if (overlayOpen() && event.target instanceof Node && !column.contains(event.target)) closer.focus({ preventScroll: true });
  });

  // -- stepping through the figures of one check: "figure 1 of 2" with previous and next, beside
  // Locate (made here, not in the page: they do something only with this script) ----------------
  let stepping = null;  // { finding, els, i }

  function stepButton(dir) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.step = String(dir);
    button.setAttribute("aria-label", dir > 0 ? "Next figure of this check" : "Previous figure of this check");
    button.textContent = dir > 0 ? "\u25B8" : "\u25C2";
    return button;
  }
  $$(".finding .locate").forEach((locator) => {
    const count = locator.closest(".finding").dataset.figs.split(" ").filter(Boolean).length;
    if (count < 2) return;
    const group = document.createElement("span");
    group.className = "step";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Step through this check's figures");
    const pos = document.createElement("span");
    pos.className = "step-pos";
    pos.textContent = `figure 1 of ${count}`;
    group.append(stepButton(-1), pos, stepButton(1));
    locator.after(" ", group);
  });

  function showStep() {
    if (!stepping) return;
    const { finding, els, i } = stepping;
    els.forEach((el, k) => el.classList.toggle("cur", k === i));
    const text = `figure ${i + 1} of ${els.length}`;
    $$(".step-pos", finding).forEach((pos) => { pos.textContent = text; });
    const bar = $("#hl-step");
    $(".step-pos", bar).textContent = text;
    bar.hidden = els.length < 2;
  }

  function locate(finding) {
    $$(".finding.current").forEach((other) => other.classList.remove("current"));
    finding.classList.add("current");
    const ids = finding.dataset.figs.split(" ").filter(Boolean);
    highlight(ids, finding.dataset.name);
    const els = ids.map(figure).filter(Boolean);
    if (!els.length) return;
    stepping = { finding, els, i: Math.max(0, els.indexOf(current)) };
    showStep();
  }

  function step(dir) {
    if (!stepping) return;
    const { els } = stepping;
    stepping.i = (stepping.i + dir + els.length) % els.length;
    const el = els[stepping.i];
    setCurrent(el, false);
    showStep();
    el.classList.remove("flash");
    void el.offsetWidth; // restart the flash animation
    el.classList.add("flash");
    scrollToFigures([el]);
  }

  function scrollToFigures(els) {
    const box = column.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) column.scrollIntoView({ block: "start", behavior });
    const rects = els.map((el) => el.getBoundingClientRect());
    const top = Math.min(...rects.map((r) => r.top));
    const bottom = Math.max(...rects.map((r) => r.bottom));
    const view = pane.getBoundingClientRect();
    const anchor = bottom - top < pane.clientHeight * 0.8
      ? (top + bottom) / 2 - view.top - pane.clientHeight / 2
      : rects[0].top - view.top - pane.clientHeight / 3;
    const left = Math.min(...rects.map((r) => r.left));
    const right = Math.max(...rects.map((r) => r.right));
    const sideways = left < view.left || right > view.right  // a figure off to the side of a wide row
      ? Math.max(0, pane.scrollLeft + left - view.left - pane.clientWidth / 3) : pane.scrollLeft;
    pane.scrollTo({ top: Math.max(0, pane.scrollTop + anchor), left: sideways, behavior });
  }

  function highlight(ids, label) {
    clearHighlight();
    const els = ids.map(figure).filter(Boolean);
    if (!els.length) return;
    setCurrent(els.find((el) => el.classList.contains("failed")) || els[0], false);  // Tab to the figures lands here
    els.forEach((el) => {
      el.classList.add("hl");
      void el.offsetWidth; // restart the flash animation
      el.classList.add("flash");
    });
    $("#hl-text").textContent = label;
    hlbar.hidden = false;
    scrollToFigures(els);
  }

  // -- the figure grid: one Tab stop (a roving tabindex); arrows move between figures, N and P
  // between the figures of failing checks, Home and End to the first and last ---------------------
  const figs = $$(".fig", pane);
  const failing = figs.filter((el) => el.classList.contains("failed") || el.classList.contains("involved"));
  failing.sort((a, b) => (b.classList.contains("failed") - a.classList.contains("failed")) || 0);
  const order = new Map(figs.map((el, i) => [el, i]));
  const failingInText = failing.slice().sort((a, b) => order.get(a) - order.get(b));
  let current = failing[0] || figs[0] || null;  // the likely wrong figure first, if any
  pane.removeAttribute("tabindex");  // the pane is a Tab stop only without this script (to scroll it)
  if (current) current.tabIndex = 0;
  const place = (el) => el.id.slice(3).split("C").map(Number);  // F-L262C37 -> [262, 37]

  function setCurrent(el, focus) {
    if (!el) return;
    if (current && current !== el) current.tabIndex = -1;
    current = el;
    el.tabIndex = 0;
    if (focus) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  function vertical(el, dir) {  // the figure on the next (dir 1) or previous (-1) line with figures, nearest in column
    const [line, col] = place(el);
    let j = order.get(el);
    while (figs[j] && place(figs[j])[0] === line) j += dir;
    if (!figs[j]) return null;
    const target = place(figs[j])[0];
    let best = figs[j];
    for (let k = j; figs[k] && place(figs[k])[0] === target; k += dir) {
      if (Math.abs(place(figs[k])[1] - col) < Math.abs(place(best)[1] - col)) best = figs[k];
    }
    return best;
  }

  function nextFailing(el, dir) {
    if (!failingInText.length) return null;
    const at = order.get(el);
    const after = failingInText.filter((f) => (dir > 0 ? order.get(f) > at : order.get(f) < at));
    if (after.length) return dir > 0 ? after[0] : after[after.length - 1];
    return dir > 0 ? failingInText[0] : failingInText[failingInText.length - 1];  // wrap around
  }

  pane.addEventListener("keydown", (event) => {
    const el = event.target instanceof Element ? event.target.closest(".fig") : null;
    if (!el || !pane.contains(el) || event.altKey || event.ctrlKey || event.metaKey) return;
    const i = order.get(el);
    const moves = {
      ArrowRight: () => figs[i + 1], ArrowLeft: () => figs[i - 1],
      ArrowDown: () => vertical(el, 1), ArrowUp: () => vertical(el, -1),
      Home: () => figs[0], End: () => figs[figs.length - 1],
      n: () => nextFailing(el, 1), N: () => nextFailing(el, 1), p: () => nextFailing(el, -1), P: () => nextFailing(el, -1),
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = moves[event.key]();
    if (next) setCurrent(next, true);
  });
  pane.addEventListener("focusin", (event) => {
    const el = event.target instanceof Element ? event.target.closest(".fig") : null;
    if (el) setCurrent(el, false);
  });

  function showFigure(el) {
    setCurrent(el, false);
    $$(".fig.sel").forEach((other) => other.classList.remove("sel"));
    el.classList.add("sel");
    const checks = (el.dataset.checks || "").split(" ").filter(Boolean);
    const [line, col] = el.id.slice(3).split("C");
    info.replaceChildren();
    const head = document.createElement("div");
    const strong = document.createElement("strong");
    strong.textContent = el.textContent;
    head.append(strong, ` line ${line}, col ${col} \u2014 ${WORDS[stateOf(el)]}`);
    if (el.dataset.implied) {
      const should = document.createElement("b");
      should.textContent = el.dataset.implied;
      head.append(" \u2014 should read ", should);
    }
    const where = (el.title || "").split(" \u2014 ")[2];
    if (where) head.append(` \u2014 ${where}`);
    info.append(head);
    if (!checks.length) {
      const p = document.createElement("div");
      p.textContent = "No check used this figure." + (el.dataset.reason ? " Reason: " + el.dataset.reason : "");
      info.append(p);
    } else {
      const note = document.createElement("div");
      note.textContent = `Used by ${checks.length} check${checks.length === 1 ? "" : "s"}:`;
      const list = document.createElement("ul");
      checks.forEach((key) => {
        const finding = document.getElementById("f-" + key);
        if (!finding) return;
        const item = document.createElement("li");
        const pill = document.createElement("span");
        pill.className = "pill p-" + finding.dataset.status;
        pill.textContent = finding.dataset.status;
        const go = document.createElement("button");
        go.type = "button";
        go.className = "link";
        go.dataset.finding = key;
        go.textContent = finding.dataset.name;
        item.append(pill, go);
        list.append(item);
      });
      info.append(note, list);
    }
    info.hidden = false;
  }

  function openFinding(key) {
    const el = document.getElementById("f-" + key);
    if (!el) return false;
    closeOverlay(false);  // Back or Forward to a finding: the finding, not the panel over it
    if (el.hidden) {
      boxes.forEach((box) => {
        if (box.value === el.dataset[box.dataset.filter]) box.checked = true;
      });
      applyFilters();
    }
    const details = $("details", el);
    if (details) details.open = true;
    $$(".finding.current").forEach((other) => other.classList.remove("current"));
    el.classList.add("current");
    el.scrollIntoView({ block: "center", behavior });
    return true;
  }

  // a jump to a finding goes in the browser history, so Back returns to where the reader was
  function goToFinding(key) {
    if (location.hash !== "#f-" + key) history.pushState(null, "", "#f-" + key);
    openFinding(key);
  }

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const locator = target.closest(".locate");
    if (locator) {
      event.preventDefault();
      openOverlay(locator);
      locate(locator.closest(".finding"));
      return;
    }
    const stepper = target.closest("[data-step]");
    if (stepper) {
      const finding = stepper.closest(".finding");
      if (finding && (!stepping || stepping.finding !== finding)) {
        openOverlay(stepper);
        locate(finding);
      } else if (finding) {
        openOverlay(stepper);
      }
      step(Number(stepper.dataset.step));
      return;
    }
    const fig = target.closest(".fig");
    if (fig && pane.contains(fig)) {
      showFigure(fig);
      return;
    }
    const link = target.closest("a.fl, [data-fig]");
    if (link) {
      const id = link.dataset.fig || (link.getAttribute("href") || "").replace(/^#F-/, "");
      const el = figure(id);
      if (el) {
        event.preventDefault();
        openOverlay(link);
        highlight([id], `${el.textContent} (line ${id.slice(1).replace("C", ", col ")})`);
        showFigure(el);
      }
      return;
    }
    const go = target.closest("[data-finding]");
    if (go) {
      event.preventDefault();
      closeOverlay(false);
      goToFinding(go.dataset.finding);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && overlayOpen()) {
      closeOverlay(true);
      return;
    }
    if (event.key === "Escape" && (!info.hidden || !hlbar.hidden)) {
      const inPanel = info.contains(document.activeElement) || hlbar.contains(document.activeElement);
      info.hidden = true;
      clearHighlight();
      $$(".fig.sel").forEach((other) => other.classList.remove("sel"));
      if (inPanel && current) current.focus({ preventScroll: true });  // focus never falls into a closed panel
      return;
    }
    if (event.key !== "Enter" && event.key !== " ") return;
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.matches(".fig, svg .node")) {
      event.preventDefault();
      target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    }
  });

  $("#hl-clear").addEventListener("click", clearHighlight);

  // the address names a finding (#f-BS-001--2023-03-31-RMB) or a figure (#F-L262C37): open it, on
  // load and whenever the address changes (Back and Forward included)
  function followHash() {
    const hash = decodeURIComponent(location.hash);
    if (hash.startsWith("#f-")) {
      openFinding(hash.slice(3));
    } else if (hash.startsWith("#F-")) {
      const el = document.getElementById(hash.slice(1));
      if (el) {
        openOverlay(null);  // a narrow screen: the filing over the findings, at the figure
        highlight([hash.slice(3)], el.textContent);
        showFigure(el);
      }
    }
  }
  window.addEventListener("hashchange", followHash);
  window.addEventListener("popstate", followHash);
  followHash();
})();
