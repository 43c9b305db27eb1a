/* practica search: reads the split index under search/ (see src/render/search.rs).
   No dependencies; works from file://, from a sub-path, and offline.
   The pure functions at the top are exported for node's test runner. */
(function (global) {
  "use strict";

  const MIN_WORD = 2;
  const PREFIX_FACTOR = 0.5;
  const TITLE_SCORE = 100;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => [...w].length >= MIN_WORD);
  }

  function shardOf(word) {
    const prefix = [...word].slice(0, 2).join("");
    if (/^[a-z0-9]+$/.test(prefix)) return prefix;
    const bytes = new TextEncoder().encode(prefix);
    return "u" + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* Ranks documents for the query words. `shards` maps shard name to
     {word: [step, score, step, score, ...]}, each step added to the id before. The last word is matched as a prefix
     while it is being typed. Documents that match more of the words come
     first, then those with a word in their title, then by score. */
  function rank(query, shards, options = {}) {
    const typed = words(query);
    if (typed.length === 0) return [];
    const typing = !/\s$/.test(query);
    const found = new Map();
    typed.forEach((word, n) => {
      const prefix = typing && n === typed.length - 1;
      const best = new Map();
      const shard = shards[shardOf(word)] || {};
      for (const [term, postings] of Object.entries(shard)) {
        const exact = term === word;
        if (!exact && !(prefix && term.startsWith(word))) continue;
        let id = 0;
        for (let i = 0; i < postings.length; i += 2) {
          id += postings[i];
          const raw = postings[i + 1];
          const score = exact ? raw : raw * PREFIX_FACTOR;
          const before = best.get(id);
          if (!before || score > before.score) best.set(id, { score, title: raw >= TITLE_SCORE });
        }
      }
      for (const [id, hit] of best) {
        const entry = found.get(id) || { id, words: 0, titles: 0, score: 0 };
        entry.words += 1;
        entry.titles += hit.title ? 1 : 0;
        entry.score += hit.score;
        found.set(id, entry);
      }
    });
    const keep = options.keep || (() => true);
    return [...found.values()]
      .filter((e) => keep(e.id))
      .sort((a, b) => b.words - a.words || b.titles - a.titles || b.score - a.score || a.id - b.id);
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  /* `text` as HTML with the query words (and words they begin) marked. */
  function highlight(text, query) {
    const wanted = words(query);
    if (wanted.length === 0) return escapeHtml(text);
    let out = "";
    let last = 0;
    for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
      const folded = fold(match[0]);
      if (wanted.some((w) => folded.startsWith(w))) {
        out += escapeHtml(text.slice(last, match.index));
        out += "<mark>" + escapeHtml(match[0]) + "</mark>";
        last = match.index + match[0].length;
      }
    }
    return out + escapeHtml(text.slice(last));
  }

  /* About `length` characters of `text` around the first query word. */
  function excerpt(text, query, length = 180) {
    const wanted = words(query);
    let at = -1;
    for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
      const folded = fold(match[0]);
      if (wanted.some((w) => folded.startsWith(w))) {
        at = match.index;
        break;
      }
    }
    if (at < 0) return null;
    let start = Math.max(0, at - Math.floor(length / 3));
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    let end = Math.min(text.length, start + length);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  const core = { fold, words, shardOf, rank, highlight, excerpt };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = core;
    return;
  }

  /* ---- in the browser ---- */

  const form = document.querySelector("form.site-search");
  if (!form) return;
  const root = new URL(form.dataset.root || "./", location.href);
  const pretty = form.dataset.pretty === "true";
  const waiting = new Map();
  const loaded = new Map();
  const data = { meta: null, shards: {}, docs: {}, docTags: null };

  function load(path, key) {
    if (loaded.has(key)) return loaded.get(key);
    const promise = new Promise((resolve) => {
      waiting.set(key, resolve);
      const script = document.createElement("script");
      script.src = new URL(path, root).href;
      script.async = true;
      script.onerror = () => resolve(null);
      document.head.append(script);
    });
    loaded.set(key, promise);
    return promise;
  }

  function settle(key, value) {
    const resolve = waiting.get(key);
    waiting.delete(key);
    if (resolve) resolve(value);
  }

  global.practicaSearch = {
    meta(value) { data.meta = value; settle("meta", value); },
    shard([name, value]) { data.shards[name] = value; settle("s:" + name, value); },
    doc([id, value]) { data.docs[id] = value; settle("d:" + id, value); },
    docTags(value) { data.docTags = value; settle("docTags", value); },
  };

  const meta = () => load("search/meta.js", "meta");
  const docOf = (id) => load(`search/d/${id}.js`, "d:" + id);

  async function search(query, filter = {}) {
    const info = await meta();
    if (!info) return [];
    const names = new Set(words(query).map(shardOf).filter((s) => info.shards.includes(s)));
    await Promise.all([...names].map((s) => load(`search/s/${s}.js`, "s:" + s)));
    let tags = null;
    if (filter.tag) {
      await load("search/doc-tags.js", "docTags");
      const tagIndex = info.tags.findIndex((t) => t[0] === filter.tag);
      tags = { index: tagIndex, of: data.docTags || [] };
    }
    const keep = (id) =>
      info.kinds[id] !== "-" &&
      (!filter.kind || info.kinds[id] === filter.kind) &&
      (!tags || (tags.of[id] || []).includes(tags.index));
    return rank(query, data.shards, { keep });
  }

  function pageUrl(doc) {
    return new URL(doc.url, root).href;
  }

  function searchPageUrl(query) {
    const url = new URL(pretty ? "search/" : "search/index.html", root);
    url.searchParams.set("q", query);
    return url.href;
  }

  function resultBody(doc, query, snippet) {
    const tags = doc.tags.length ? `<span class="result-tags">${doc.tags.map(escapeHtml).join(" · ")}</span>` : "";
    const text = snippet ? `<span class="result-snippet">${highlight(snippet, query)}</span>` : "";
    return `<span class="result-title">${highlight(doc.title, query)}</span>` +
      `<span class="result-meta"><span class="kind kind-${escapeHtml(doc.kind)}">${escapeHtml(doc.label)}</span>${tags}</span>` + text;
  }

  function snippetOf(doc, query) {
    return excerpt(doc.text, query) || excerpt(doc.summary, query) || doc.summary;
  }

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  /* ---- the combobox in the header ---- */

  const input = form.querySelector("input[name=q]");
  const list = form.querySelector("[role=listbox]");
  const status = form.querySelector("[aria-live]");
  const SHOWN = 8;
  let active = -1;
  let options = [];
  let generation = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function activate(n) {
    options.forEach((o, i) => o.setAttribute("aria-selected", String(i === n)));
    active = n;
    if (n >= 0) {
      input.setAttribute("aria-activedescendant", options[n].id);
      options[n].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  async function suggest() {
    const query = input.value;
    const mine = ++generation;
    if (words(query).length === 0) {
      close();
      status.textContent = "";
      return;
    }
    const results = await search(query);
    const top = results.slice(0, SHOWN);
    const docs = await Promise.all(top.map((r) => docOf(r.id)));
    if (mine !== generation) return;
    list.innerHTML = "";
    options = [];
    top.forEach((r, i) => {
      const doc = docs[i];
      if (!doc) return;
      const option = document.createElement("a");
      option.id = `search-option-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "search-option";
      option.href = pageUrl(doc);
      option.tabIndex = -1;
      option.innerHTML = resultBody(doc, query, snippetOf(doc, query));
      list.append(option);
      options.push(option);
    });
    const all = document.createElement("a");
    all.id = "search-option-all";
    all.setAttribute("role", "option");
    all.setAttribute("aria-selected", "false");
    all.className = "search-option search-all";
    all.href = searchPageUrl(query);
    all.tabIndex = -1;
    all.textContent = results.length ? `All ${plural(results.length, "result", "results")} →` : "No results. Search the whole site →";
    list.append(all);
    options.push(all);
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    status.textContent = results.length ? plural(results.length, "result", "results") : "No results";
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 60);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && options.length) {
      e.preventDefault();
      if (list.hidden) list.hidden = false;
      activate((active + 1) % options.length);
    } else if (e.key === "ArrowUp" && options.length) {
      e.preventDefault();
      activate(active <= 0 ? options.length - 1 : active - 1);
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault();
        close();
      } else {
        input.value = "";
      }
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      location.href = options[active].href;
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (input.value.trim()) location.href = searchPageUrl(input.value);
  });
  input.addEventListener("blur", () => setTimeout(() => {
    if (!form.contains(document.activeElement)) close();
  }, 150));
  document.addEventListener("keydown", (e) => {
    const typing = /^(input|textarea|select)$/i.test(e.target.tagName) || e.target.isContentEditable;
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  /* ---- the results page ---- */

  const page = document.querySelector("[data-search-page]");
  if (!page) return;
  const pageInput = page.querySelector("input[name=q]");
  const pageList = page.querySelector("ol");
  const pageStatus = page.querySelector("[aria-live]");
  const tagSelect = page.querySelector("select[name=tag]");
  const more = page.querySelector("button[data-more]");
  const PAGE = 20;
  let limit = PAGE;
  let pageGeneration = 0;
  const params = new URLSearchParams(location.search);
  pageInput.value = params.get("q") || "";
  const kindInput = page.querySelector(`input[name=kind][value="${params.get("kind") || ""}"]`);
  if (kindInput) kindInput.checked = true;

  meta().then((info) => {
    if (!info) return;
    for (const [slug, title, count] of info.tags) {
      if (!count) continue;
      const option = document.createElement("option");
      option.value = slug;
      option.textContent = `${title} (${count})`;
      tagSelect.append(option);
    }
    tagSelect.value = params.get("tag") || "";
    run();
  });

  function filters() {
    return {
      kind: page.querySelector("input[name=kind]:checked")?.value || "",
      tag: tagSelect.value,
    };
  }

  async function run() {
    const query = pageInput.value;
    const filter = filters();
    const mine = ++pageGeneration;
    const url = new URL(location.href);
    url.searchParams.set("q", query);
    for (const key of ["kind", "tag"]) {
      if (filter[key]) url.searchParams.set(key, filter[key]);
      else url.searchParams.delete(key);
    }
    history.replaceState(null, "", url);
    if (words(query).length === 0) {
      pageList.innerHTML = "";
      pageStatus.textContent = "Type a word or two to search.";
      more.hidden = true;
      return;
    }
    const results = await search(query, filter);
    const shown = results.slice(0, limit);
    const docs = await Promise.all(shown.map((r) => docOf(r.id)));
    if (mine !== pageGeneration) return;
    pageList.innerHTML = "";
    shown.forEach((r, i) => {
      const doc = docs[i];
      if (!doc) return;
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = pageUrl(doc);
      link.className = "search-result";
      link.innerHTML = resultBody(doc, query, snippetOf(doc, query));
      item.append(link);
      pageList.append(item);
    });
    pageStatus.textContent = results.length
      ? `${plural(results.length, "result", "results")} for “${query.trim()}”`
      : `No results for “${query.trim()}”. Try fewer words, or browse the topics.`;
    more.hidden = results.length <= limit;
  }

  let pageTimer = 0;
  pageInput.addEventListener("input", () => {
    clearTimeout(pageTimer);
    limit = PAGE;
    pageTimer = setTimeout(run, 60);
  });
  page.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  page.addEventListener("change", (e) => {
    if (e.target.name === "kind" || e.target.name === "tag") {
      limit = PAGE;
      run();
    }
  });
  more.addEventListener("click", () => {
    limit += PAGE;
    run();
  });
})(typeof window !== "undefined" ? window : globalThis);
