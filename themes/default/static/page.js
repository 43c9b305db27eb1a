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

  headerPanels();
  markScrollableTables();
  let resizeFrame = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(markScrollableTables);
  });
})();
