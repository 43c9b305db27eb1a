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

  markScrollableTables();
  let resizeFrame = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(markScrollableTables);
  });
})();
