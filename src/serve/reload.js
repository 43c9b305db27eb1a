(() => {
  "use strict";
  const events = new EventSource("/__practica/events");
  const overlayId = "practica-problems";
  const hide = () => document.getElementById(overlayId)?.remove();
  const show = (problems) => {
    hide();
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#1d1d1f;color:#f5f5f7;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "padding:1rem 1.25rem;border-top:4px solid #ff5f56;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    const title = document.createElement("p");
    title.style.cssText = "margin:0 0 .75rem;font:600 15px/1.4 system-ui,sans-serif";
    const errors = problems.filter((p) => p.severity === "error").length;
    title.textContent = `practica: ${errors} ${errors === 1 ? "error" : "errors"} — ` +
      "this is the last good version of the page; it updates when the files are fixed.";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "float:right;font:inherit;margin-left:1rem;cursor:pointer";
    close.addEventListener("click", hide);
    title.prepend(close);
    box.append(title);
    for (const problem of problems) {
      const item = document.createElement("pre");
      item.style.cssText = "margin:0 0 .75rem;white-space:pre-wrap;color:" +
        (problem.severity === "error" ? "#ff9d97" : "#ffd479");
      item.textContent = problem.text;
      box.append(item);
    }
    document.body.append(box);
  };
  // Lets a test (or a curious reader) see that the page is listening.
  events.addEventListener("open", () => { window.practicaLive = "connected"; });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("styles", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("practica", Date.now());
      link.href = url.href;
    }
  });
  events.addEventListener("errors", (e) => show(JSON.parse(e.data)));
  events.addEventListener("ok", hide);
})();
