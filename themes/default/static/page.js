/* practica page behaviour, on every page: what CSS alone cannot do.
   Each part does nothing when its elements are absent. */
(function () {
  "use strict";

  /* A content table that must scroll sideways gets a border, so the cut
     edge reads as a box to scroll, not as text cut off. */
  function markScrollableTables() {
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      wrap.classList.toggle("is-scrollable", wrap.scrollWidth > wrap.clientWidth + 1);
    }
  }

  /* The phone header's buttons: each opens its panel (the menu, or the
     search box, focused so one tap is enough to type) and closes the
     other; Escape closes either and returns to its button. */
  function headerPanels() {
    const header = document.querySelector(".site-header");
    if (!header) return;
    const buttons = [...header.querySelectorAll("[data-toggle]")];
    const open = (button, wanted) => {
      for (const b of buttons) {
        const on = b === button && wanted;
        b.setAttribute("aria-expanded", String(on));
        header.classList.toggle(`${b.dataset.toggle}-open`, on);
      }
    };
    for (const button of buttons) {
      button.addEventListener("click", () => {
        const wanted = button.getAttribute("aria-expanded") !== "true";
        open(button, wanted);
        if (wanted && button.dataset.toggle === "search") header.querySelector(".site-search input")?.focus();
      });
    }
    header.addEventListener("keydown", (e) => {
      const current = buttons.find((b) => b.getAttribute("aria-expanded") === "true");
      if (e.key !== "Escape" || !current || e.defaultPrevented) return;
      open(current, false);
      current.focus();
    });
  }

  /* The table of contents marks the section being read: the last heading
     scrolled past the top fifth of the screen (the first before any, the
     last at the page's end). */
  function followContents() {
    const links = [...document.querySelectorAll(".toc a[href^='#']")];
    const targets = links
      .map((link) => [link, document.getElementById(decodeURIComponent(link.hash.slice(1)))])
      .filter(([, heading]) => heading);
    if (!targets.length) return;
    let current = null;
    const mark = () => {
      const line = window.innerHeight / 5;
      let found = targets[0];
      for (const target of targets) {
        if (target[1].getBoundingClientRect().top <= line) found = target;
        else break;
      }
      // at the very end, the last section is being read even if short
      const end = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      if (end) found = targets[targets.length - 1];
      if (found[0] === current) return;
      current?.removeAttribute("aria-current");
      current = found[0];
      current.setAttribute("aria-current", "location");
    };
    let frame = 0;
    window.addEventListener("scroll", () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(mark);
    }, { passive: true });
    mark();
  }

  /* The colour scheme: the system's, or light or dark as the reader chose
     (the inline script in <head> applies a stored choice before the first
     paint). The button cycles system, light, dark; its name says which. */
  function schemeToggle() {
    const button = document.querySelector(".scheme-toggle");
    if (!button) return;
    const order = ["system", "light", "dark"];
    const root = document.documentElement;
    const show = (choice) => {
      button.dataset.schemeChoice = choice;
      button.setAttribute("aria-label", button.dataset[`label${choice[0].toUpperCase()}${choice.slice(1)}`] || choice);
    };
    show(root.dataset.scheme || "system");
    button.hidden = false;
    button.addEventListener("click", () => {
      const next = order[(order.indexOf(button.dataset.schemeChoice) + 1) % order.length];
      if (next === "system") delete root.dataset.scheme;
      else root.dataset.scheme = next;
      try {
        if (next === "system") localStorage.removeItem("practica-scheme");
        else localStorage.setItem("practica-scheme", next);
      } catch (e) { /* storage refused (private mode): the choice lasts this page */ }
      show(next);
    });
  }

  schemeToggle();
  headerPanels();
  markScrollableTables();
  followContents();
  let resizeFrame = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(markScrollableTables);
  });
})();
