/* practica list filters, on section indexes and the member directory:
   filter by topic and status across every page of the section. The
   section's list is a script (SECTION/list.js) loaded with <script src>
   when the filters are first used, so it works from file:// too, and a
   page that is only read never downloads it. The choice lives in the
   address (#topic=…&status=…), so topic pages can link to it. */
(function () {
  "use strict";

  const form = document.querySelector("form.list-filter");
  if (!form) return;
  const results = document.getElementById("list-results");
  const count = form.querySelector(".list-filter-count");
  const more = document.getElementById("list-more");
  const own = document.querySelector(".list-page");
  const { topic: topicSelect, status: statusSelect } = form.elements;
  const section = form.dataset.section;
  const root = form.dataset.root;
  const members = section === "members";
  const SHOWN = 60;
  let list = null;
  let loading = null;
  let matches = [];
  let shown = 0;
  /* Each choice's number: a list that loads late shows only the last one. */
  let chosen = 0;

  function load() {
    if (list) return Promise.resolve(list);
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = form.dataset.list;
        script.onload = () => {
          list = (window.practicaLists || {})[section];
          if (list) resolve(list); else reject(new Error("empty list"));
        };
        script.onerror = () => reject(new Error("cannot load " + script.src));
        document.head.appendChild(script);
      });
      loading.then(fillTopics, () => {
        count.textContent = form.dataset.failed;
        loading = null;
      });
    }
    return loading;
  }

  function fillTopics() {
    const chosen = topicSelect.value || wanted().topic;
    const present = new Set([...topicSelect.options].map((o) => o.value));
    for (const [slug, title] of list.topics) {
      if (!present.has(slug)) topicSelect.add(new Option(title, slug));
    }
    topicSelect.value = chosen;
  }

  function wanted() {
    const params = new URLSearchParams(location.hash.slice(1));
    return { topic: params.get("topic") || "", status: params.get("status") || "" };
  }

  function remember(topic, status) {
    const params = new URLSearchParams();
    if (topic) params.set("topic", topic);
    if (status) params.set("status", status);
    const hash = params.toString();
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (e) {
      /* Some file:// pages refuse; the filter still works. */
    }
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function card(item) {
    const [title, url, summary, iso, date, status] = item;
    const link = element("a", "", title);
    link.href = root + url;
    if (members) {
      const li = element("li", "member-card");
      const h = element("h2", "card-title");
      h.append(link);
      if (status === "mentor") h.append(" ", element("span", "badge-mentor", statusName(status)));
      li.append(h);
      if (summary) li.append(element("p", "card-role", summary));
      return li;
    }
    const article = element("article", `card card-${form.dataset.kind}`);
    const kind = element("p", "card-kind");
    kind.append(element("span", `kind kind-${form.dataset.kind}`, form.dataset.kindLabel));
    if (status) kind.append(" ", element("span", `status status-${status}`, statusName(status)));
    const h = element("h3", "card-title");
    h.append(link);
    article.append(kind, h);
    if (summary) article.append(element("p", "card-summary", summary));
    if (iso) {
      const meta = element("p", "meta");
      const time = element("time", "", date);
      time.dateTime = iso;
      meta.append(time);
      article.append(meta);
    }
    return article;
  }

  /* A status as the page's language names it: its option in the filter. */
  function statusName(status) {
    const option = statusSelect && [...statusSelect.options].find((o) => o.value === status);
    return option ? option.text : status;
  }

  function showMore() {
    const next = matches.slice(shown, shown + SHOWN);
    results.append(...next.map(card));
    shown += next.length;
    more.hidden = shown >= matches.length;
  }

  function apply() {
    const topic = topicSelect.value;
    /* Only practices have a status to filter by. */
    const status = statusSelect ? statusSelect.value : "";
    const choice = ++chosen;
    remember(topic, status);
    if (!topic && !status) {
      results.hidden = true;
      more.hidden = true;
      own.hidden = false;
      count.textContent = "";
      return;
    }
    load().then(() => {
      if (choice !== chosen) return;
      const at = list.topics.findIndex((t) => t[0] === topic);
      matches = list.items.filter(
        (item) => (!topic || item[6].includes(at)) && (!status || item[5] === status)
      );
      results.replaceChildren();
      shown = 0;
      showMore();
      own.hidden = true;
      results.hidden = false;
      const counted = matches.length === 1 ? form.dataset.resultOne : form.dataset.results;
      count.textContent = counted.replace("{n}", String(matches.length));
    });
  }

  function fromAddress() {
    const { topic, status } = wanted();
    if (topic && ![...topicSelect.options].some((o) => o.value === topic)) {
      topicSelect.add(new Option(topic, topic));
    }
    topicSelect.value = topic;
    if (statusSelect) statusSelect.value = status;
    apply();
  }

  form.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", apply);
  /* The topics are in the list: load it as soon as someone reaches for a filter. */
  for (const event of ["pointerdown", "focusin"]) {
    form.addEventListener(event, () => load().catch(() => {}), { once: true });
  }
  more.addEventListener("click", showMore);
  window.addEventListener("hashchange", fromAddress);
  if (location.hash.length > 1) fromAddress();
})();
