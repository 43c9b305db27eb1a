/* practica search: reads the split index under search/ (see src/render/search.rs).
   No dependencies; works from file://, from a sub-path, and offline.
   The pure functions at the top are exported for node's test runner. */
(function (global) {
  "use strict";

  const MIN_WORD = 2;
  /* How much a match counts against an exact one: another form of the
     word (same stem), the start of a longer word while typing, a typo. */
  const STEM_FACTOR = 0.9;
  const PREFIX_FACTOR = 0.5;
  const TYPO_FACTOR = 0.3;
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

  /* A label of the page's language (the JSON in #practica-labels, written
     by practica from the labels file and community.yaml) with its `{name}`s
     filled; a count label's form follows `vars.n` as the templates do. */
  function label(labels, key, vars = {}) {
    let text = labels[key] ?? key;
    if (typeof text === "object") {
      const n = vars.n ?? 0;
      text = n === 1 || (n === 0 && text.zero_is_one) ? text.one : text.other;
    }
    return text.replace(/\{(\w+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
  }

  /* Typos forgiven in a word: one from five letters, two from nine. */
  function editsAllowed(word) {
    const letters = [...word].length;
    return letters >= 9 ? 2 : letters >= 5 ? 1 : 0;
  }

  /* Edits (insert, delete, change, swap two neighbours) from `a` to `b`, or
     to the closest start of `b` when `prefix`; above `max` it stops and
     answers max + 1. Two rows and the one before, so no table is made. */
  function distance(a, b, max, prefix = false) {
    if (!prefix && Math.abs(a.length - b.length) > max) return max + 1;
    if (prefix && b.length < a.length - max) return max + 1;
    const width = b.length + 1;
    let before = new Uint8Array(width);
    let previous = new Uint8Array(width);
    let row = new Uint8Array(width);
    for (let j = 0; j < width; j++) previous[j] = Math.min(j, 255);
    for (let i = 1; i <= a.length; i++) {
      row[0] = Math.min(i, 255);
      let least = i;
      for (let j = 1; j < width; j++) {
        const change = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + change);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row[j] = Math.min(d, 255);
        if (d < least) least = d;
      }
      if (least > max) return max + 1;
      [before, previous, row] = [previous, row, before];
    }
    return prefix ? Math.min(...previous) : previous[width - 1];
  }

  /* The shards a word with a typo in its first letters may be in: its
     first and third letters (a letter added after the first, or the second
     and third swapped), its second and first (the first two swapped), its
     second and third (a letter added in front). A letter left out of the
     first two could be any letter: that typo is not found. */
  function neighbours(word) {
    const c = [...word];
    if (editsAllowed(word) === 0) return [];
    const own = shardOf(word);
    const names = [c[0] + c[2], c[1] + c[0], c[1] + c[2]].map(shardOf);
    return [...new Set(names)].filter((s) => s !== own);
  }

  /* The words of `terms` (an object keyed by word) that a query word
     matches, each as {factor, typo}: itself, the words that start with it
     while it is being typed (`prefix`), those a typo or two away, and the
     other forms (`stems`: word -> the words sharing its stem) of each. */
  function matchesIn(terms, word, prefix, stems) {
    const found = new Map();
    const add = (term, factor, typo) => {
      const was = found.get(term);
      if (!was || (was.typo && !typo) || (was.typo === typo && factor > was.factor)) found.set(term, { factor, typo });
    };
    const edits = editsAllowed(word);
    for (const term in terms) {
      if (term === word) add(term, 1, false);
      else if (prefix && term.startsWith(word)) add(term, PREFIX_FACTOR, false);
      else if (edits && distance(word, term, edits, prefix) <= edits) add(term, TYPO_FACTOR, true);
    }
    for (const [term, hit] of [...found]) {
      for (const other of stems.get(term) || []) {
        if (Object.hasOwn(terms, other)) add(other, hit.factor * STEM_FACTOR, hit.typo);
      }
    }
    return found;
  }

  /* What each query word matches in the loaded shards: a map per word of
     term -> {factor, typo}. A word that matches nothing in its own shard
     is looked for in its neighbours (`neighbours`), if they are loaded. */
  function matchWords(query, shards, stems = new Map()) {
    const typed = words(query);
    const typing = !/\s$/.test(query);
    return typed.map((word, n) => {
      const prefix = typing && n === typed.length - 1;
      let found = matchesIn(shards[shardOf(word)] || {}, word, prefix, stems);
      if (found.size === 0) {
        for (const name of neighbours(word)) {
          for (const [term, hit] of matchesIn(shards[name] || {}, word, prefix, stems)) found.set(term, hit);
        }
      }
      return found;
    });
  }

  /* Ranks documents for the query words. `shards` maps shard name to
     {word: [step, score, step, score, ...]}, each step added to the id
     before. Documents that match more of the words come first, then those
     with fewer words matched only by a typo, then those with a word in
     their title, then by score. */
  function rank(query, shards, options = {}) {
    const matched = options.matched || matchWords(query, shards, options.stems);
    const found = new Map();
    for (const terms of matched) {
      const best = new Map();
      for (const [term, hit] of terms) {
        const postings = (shards[shardOf(term)] || {})[term];
        if (!postings) continue;
        let id = 0;
        for (let i = 0; i < postings.length; i += 2) {
          id += postings[i];
          const raw = postings[i + 1];
          const score = raw * hit.factor;
          const was = best.get(id);
          if (!was || (was.typo && !hit.typo) || (was.typo === hit.typo && score > was.score)) {
            best.set(id, { score, typo: hit.typo, title: raw >= TITLE_SCORE });
          }
        }
      }
      for (const [id, hit] of best) {
        const entry = found.get(id) || { id, words: 0, typos: 0, titles: 0, score: 0 };
        entry.words += 1;
        entry.typos += hit.typo ? 1 : 0;
        entry.titles += hit.title ? 1 : 0;
        entry.score += hit.score;
        found.set(id, entry);
      }
    }
    const keep = options.keep || (() => true);
    return [...found.values()]
      .filter((e) => keep(e.id))
      .sort((a, b) => b.words - a.words || a.typos - b.typos || b.titles - a.titles || b.score - a.score || a.id - b.id);
  }

  /* Topics (`tags`: [slug, title, count] from meta.js) whose title has
     every query word, as it is matched in documents (other forms, the
     word being typed, typos), fewest typos first, then the largest. */
  function rankTopics(query, tags, stems = new Map()) {
    const typed = words(query);
    if (typed.length === 0) return [];
    const typing = !/\s$/.test(query);
    const found = [];
    tags.forEach(([slug, title, count]) => {
      if (!count) return;
      const terms = Object.fromEntries(words(title).map((w) => [w, true]));
      let typos = 0;
      const every = typed.every((word, n) => {
        const hits = [...matchesIn(terms, word, typing && n === typed.length - 1, stems).values()];
        if (hits.length === 0) return false;
        if (hits.every((h) => h.typo)) typos += 1;
        return true;
      });
      if (every) found.push({ topic: true, slug, title, count, typos });
    });
    return found.sort((a, b) => a.typos - b.typos || b.count - a.count || a.title.localeCompare(b.title));
  }

  /* Every word the query matched, to mark in titles and snippets. */
  function matchedTerms(matched) {
    return new Set(matched.flatMap((terms) => [...terms.keys()]));
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  /* Whether a word of the text is one the query found: a matched word of
     the index (`terms`), or one that starts with a query word. */
  function wanted(query, terms) {
    const typed = words(query);
    return (word) => {
      const folded = fold(word);
      return (terms && terms.has(folded)) || typed.some((w) => folded.startsWith(w));
    };
  }

  /* `text` as HTML with the words the query found marked. */
  function highlight(text, query, terms) {
    const found = wanted(query, terms);
    let out = "";
    let last = 0;
    for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
      if (found(match[0])) {
        out += escapeHtml(text.slice(last, match.index));
        out += "<mark>" + escapeHtml(match[0]) + "</mark>";
        last = match.index + match[0].length;
      }
    }
    return out + escapeHtml(text.slice(last));
  }

  /* About `length` characters of `text` around the first word the query
     found, or its start when `fallback` and it has none of them. */
  function excerpt(text, query, terms, length = 180, fallback = false) {
    const found = wanted(query, terms);
    let at = fallback && text ? 0 : -1;
    for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
      if (found(match[0])) {
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

  const core = {
    fold, words, shardOf, editsAllowed, distance, neighbours, matchWords, matchedTerms,
    rank, rankTopics, highlight, excerpt, label,
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = core;
    return;
  }

  /* ---- in the browser ---- */

  const form = document.querySelector("form.site-search");
  if (!form) return;
  let labels = {};
  try {
    labels = JSON.parse(document.getElementById("practica-labels")?.textContent || "{}");
  } catch (e) { /* a theme's own base.html without them: the keys show */ }
  const t = (key, vars) => label(labels, key, vars);
  const root = new URL(form.dataset.root || "./", location.href);
  /* The kind filter's value for topics (documents' kinds are p, g, c, m, t). */
  const TOPIC = "o";
  const pretty = form.dataset.pretty === "true";
  const waiting = new Map();
  const loaded = new Map();
  /* `stems`: each word of a loaded shard that shares its stem with others
     -> those words (its group). */
  const data = { meta: null, shards: {}, stems: new Map(), docs: {}, docTags: null };

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
    shard([name, value, groups = []]) {
      data.shards[name] = value;
      for (const group of groups) for (const word of group) data.stems.set(word, group);
      settle("s:" + name, value);
    },
    doc([id, value]) { data.docs[id] = value; settle("d:" + id, value); },
    docTags(value) { data.docTags = value; settle("docTags", value); },
    /* A query's {results, topics, terms}, for a theme's own search UI and
       for bench/search_speed.mjs. */
    find: search,
  };

  const meta = () => load("search/meta.js", "meta");
  const docOf = (id) => load(`search/d/${id}.js`, "d:" + id);

  const loadShards = (names) => Promise.all([...new Set(names)].map((s) => load(`search/s/${s}.js`, "s:" + s)));

  /* Documents and topics for a query: {results, topics, terms}. A query
     loads one shard per word, and a word found nowhere in its own shard
     loads the shards a typo in its first letters would have put it in. */
  async function search(query, filter = {}) {
    const info = await meta();
    if (!info) return { results: [], topics: [], terms: new Set() };
    const typed = words(query);
    const present = (s) => info.shards.includes(s);
    await loadShards(typed.map(shardOf).filter(present));
    let matched = matchWords(query, data.shards, data.stems);
    const lost = typed.flatMap((w, n) => (matched[n].size ? [] : neighbours(w))).filter(present);
    if (lost.length) {
      await loadShards(lost);
      matched = matchWords(query, data.shards, data.stems);
    }
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
    const topicsWanted = (!filter.kind || filter.kind === TOPIC) && !filter.tag;
    return {
      results: filter.kind === TOPIC ? [] : rank(query, data.shards, { keep, matched }),
      topics: topicsWanted ? rankTopics(query, info.tags, data.stems) : [],
      terms: matchedTerms(matched),
    };
  }

  function pageUrl(doc) {
    return new URL(doc.url, root).href;
  }

  function topicUrl(topic) {
    return new URL(`tags/${encodeURIComponent(topic.slug)}/${pretty ? "" : "index.html"}`, root).href;
  }

  function searchPageUrl(query) {
    const url = new URL(pretty ? "search/" : "search/index.html", root);
    url.searchParams.set("q", query);
    return url.href;
  }

  function resultBody(doc, query, terms) {
    const profile = doc.profile ? `<span class="result-profile">${highlight(doc.profile, query, terms)}</span>` : "";
    const tags = doc.tags.length ? `<span class="result-tags">${doc.tags.map(escapeHtml).join(" · ")}</span>` : "";
    const snippet = snippetOf(doc, query, terms);
    const text = snippet ? `<span class="result-snippet">${highlight(snippet, query, terms)}</span>` : "";
    return `<span class="result-title">${highlight(doc.title, query, terms)}</span>` +
      `<span class="result-meta"><span class="kind kind-${escapeHtml(doc.kind)}">${escapeHtml(doc.label)}</span>${profile}${tags}</span>` + text;
  }

  function topicBody(topic, query, terms) {
    return `<span class="result-title">${highlight(topic.title, query, terms)}</span>` +
      `<span class="result-meta"><span class="kind kind-topic">${escapeHtml(t("topic"))}</span>` +
      `<span>${escapeHtml(t("topic_documents", { n: topic.count }))}</span></span>`;
  }

  /* The text around a found word, else the author's summary, else the
     text's start (the first paragraph). */
  function snippetOf(doc, query, terms) {
    return excerpt(doc.text, query, terms) ||
      (doc.summary && (excerpt(doc.summary, query, terms) || doc.summary)) ||
      excerpt(doc.text, query, terms, 180, true);
  }

  /* Each shown result as {href, html}: the topics first (at most
     `topicsShown`), then the documents, `shown` in all. */
  async function entries(found, query, shown, topicsShown) {
    const topics = found.topics.slice(0, topicsShown);
    const top = found.results.slice(0, Math.max(0, shown - topics.length));
    const docs = await Promise.all(top.map((r) => docOf(r.id)));
    return [
      ...topics.map((t) => ({ href: topicUrl(t), html: topicBody(t, query, found.terms) })),
      ...docs.filter(Boolean).map((doc) => ({ href: pageUrl(doc), html: resultBody(doc, query, found.terms) })),
    ];
  }


  /* ---- the combobox in the header ---- */

  const input = form.querySelector("input[name=q]");
  const list = form.querySelector("[role=listbox]");
  const status = form.querySelector("[aria-live]");
  const SHOWN = 8;
  const TOPICS_SHOWN = 2;
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
    const found = await search(query);
    const shown = await entries(found, query, SHOWN, TOPICS_SHOWN);
    if (mine !== generation) return;
    const count = found.results.length + found.topics.length;
    list.innerHTML = "";
    options = [];
    shown.forEach((entry, i) => {
      const option = document.createElement("a");
      option.id = `search-option-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "search-option";
      option.href = entry.href;
      option.tabIndex = -1;
      option.innerHTML = entry.html;
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
    all.textContent = count ? t("all_results", { n: count }) : t("no_results_site");
    list.append(all);
    options.push(all);
    list.hidden = false;
    // The query the list answers, for whoever waits for it (the tests).
    list.dataset.query = query;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    status.textContent = count ? t("results", { n: count }) : t("no_results");
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
  /* `/` (when not typing elsewhere) and Ctrl-K or ⌘-K (anywhere) open search. */
  document.addEventListener("keydown", (e) => {
    const typing = /^(input|textarea|select)$/i.test(e.target.tagName) || e.target.isContentEditable;
    const slash = e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey;
    const command = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k";
    if (slash || command) {
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
      pageStatus.textContent = t("type_to_search");
      more.hidden = true;
      return;
    }
    const found = await search(query, filter);
    const shown = await entries(found, query, limit, limit);
    if (mine !== pageGeneration) return;
    const count = found.results.length + found.topics.length;
    pageList.innerHTML = "";
    for (const entry of shown) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.href;
      link.className = "search-result";
      link.innerHTML = entry.html;
      item.append(link);
      pageList.append(item);
    }
    pageStatus.textContent = count
      ? t("results_for", { n: count, query: query.trim() })
      : t("no_results_for", { query: query.trim() });
    more.hidden = count <= limit;
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
