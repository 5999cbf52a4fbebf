// Small enhancements; every page works without this file.
document.addEventListener("submit", function (ev) {
  var b = ev.submitter;
  if (b && b.dataset.confirm && !window.confirm(b.dataset.confirm)) {
    ev.preventDefault();
  }
});

// A browser that cannot show a closed details element's content by style
// (::details-content) gets the navigation opened on a wide screen; on a
// narrow one it stays folded behind its summary, as without this file.
(function () {
  var nav = document.querySelector("details.navbox");
  if (nav && !CSS.supports("selector(::details-content)") && window.matchMedia("(min-width: 50rem)").matches) {
    nav.open = true;
  }
})();

// On a phone the element's tabs are a strip that scrolls sideways: bring
// the tab in view into the strip's view.
(function () {
  var cur = document.querySelector(".element-tabs [aria-current]");
  var strip = cur && cur.closest("ul");
  if (strip && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft += cur.getBoundingClientRect().left - strip.getBoundingClientRect().left - (strip.clientWidth - cur.offsetWidth) / 2;
  }
})();
