// Streamlit's own texts in the interface's language (ess_impact.web.ui.streamlit_texts writes this script into the
// page with the catalogue's texts). Streamlit's browser code has no French: its English texts (a button, a hint under
// a field, a label read by screen readers) are replaced where they appear, by a MutationObserver. Also: the page's
// language (the html element's lang, for screen readers and hyphenation), and the browser's language as the date
// widgets (react-aria) see it, so that their calendar, month names and labels follow the interface too.
(() => {
  const win = window;
  // {lang, htmlLang, exact: {english: french}, patterns: [[regex, french]], sizes, months, weekdays: {english: french}}
  const config = /*CONFIG*/null;
  document.documentElement.lang = config.htmlLang;
  const locale = config.htmlLang;
  try {
    for (const name of ["language", "languages"]) {
      Object.defineProperty(Navigator.prototype, name, {
        configurable: true, get: () => (name === "language" ? locale : [locale, config.lang]),
      });
    }
  } catch (error) { /* an older browser: its own language stays */ }
  // react-aria reads the browser's language when its code loads (before this script), and again on this event if a
  // widget that follows it is shown then: it is sent now, and when a date field or its calendar appears, a few times
  // over the next half second (the calendar starts listening only once it is drawn)
  const DATES = "[data-testid=stDateInput], [role=dialog]";
  const announced = new WeakSet();
  function announce(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const found = [...(node.matches(DATES) ? [node] : []), ...node.querySelectorAll(DATES)];
    if (found.some((element) => !announced.has(element))) {
      found.forEach((element) => announced.add(element));
      for (const delay of [0, 50, 150, 400]) setTimeout(() => win.dispatchEvent(new Event("languagechange")), delay);
    }
  }
  win.dispatchEvent(new Event("languagechange"));

  const ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title", "aria-valuetext"];
  const state = win.__essTexts || (win.__essTexts = {originals: new Map(), observer: null, config: null});
  state.config = config;
  const patterns = config.patterns.map(([source, french]) => [new RegExp("^" + source + "$"), french]);

  function size(text) {  // "5.1KB" -> "5,1 ko"
    const found = /^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB)$/.exec(text);
    return found ? found[1].replace(".", ",") + "\u00a0" + config.sizes[found[2]] : null;
  }

  function date(text) {  // "October 27, 2026" -> "27 octobre 2026"; "Tuesday, October 27, 2026" -> "mardi 27 …"
    const found = /^(?:([A-Z][a-z]+), )?([A-Z][a-z]+) (\d{1,2}), (\d{4})$/.exec(text);
    if (!found || !config.months[found[2]] || (found[1] && !config.weekdays[found[1]])) return null;
    return `${found[1] ? config.weekdays[found[1]] + " " : ""}${found[3]} ${config.months[found[2]]} ${found[4]}`;
  }

  function translate(text) {
    const trimmed = text.trim();
    if (!trimmed) return null;
    let out = Object.prototype.hasOwnProperty.call(config.exact, trimmed) ? config.exact[trimmed] : null;
    out ??= size(trimmed) ?? date(trimmed);
    if (out === null) {
      for (const [regex, french] of patterns) {
        const found = regex.exec(trimmed);
        if (found) {
          out = french.replace(/\$(\d)/g, (_, k) => translate(found[+k]) ?? found[+k]);
          break;
        }
      }
    }
    return out === null ? null : text.replace(trimmed, out);
  }

  function fixText(node) {
    if (node.parentElement && node.parentElement.closest("script, style, textarea, [contenteditable=true]")) return;
    const out = translate(node.nodeValue);
    if (out !== null && out !== node.nodeValue) {
      state.originals.set(node, node.nodeValue);  // Streamlit's latest text for this node: what English puts back
      node.nodeValue = out;
    }
  }

  function fixElement(element) {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const out = translate(value);
      if (out !== null && out !== value) {
        state.originals.set(element, null);
        (element.__essOriginal || (element.__essOriginal = {}))[name] = value;
        element.setAttribute(name, out);
      }
    }
  }

  function fix(root) {
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.nodeType === Node.TEXT_NODE) fixText(node); else fixElement(node);
    }
  }

  function restore() {  // back to Streamlit's own texts (the English interface)
    for (const [node, original] of state.originals) {
      if (node.nodeType === Node.TEXT_NODE) node.nodeValue = original;
      else for (const [name, value] of Object.entries(node.__essOriginal || {})) node.setAttribute(name, value);
      if (node.nodeType !== Node.TEXT_NODE) node.__essOriginal = undefined;
    }
    state.originals.clear();
  }

  if (state.observer) state.observer.disconnect();
  restore();
  if (config.lang === "en") return;
  fix(document.body);
  state.observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "characterData") fixText(mutation.target);
      else if (mutation.type === "attributes") fixElement(mutation.target);
      else mutation.addedNodes.forEach((node) => { fix(node); announce(node); });
    }
    for (const node of state.originals.keys()) if (!node.isConnected) state.originals.delete(node);
  });
  state.observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                                         attributeFilter: ATTRIBUTES});
})();
