// Django's two-box selector (filter_horizontal) names its search icons with aria-label on
// a bare span, which assistive technologies ignore (ARIA forbids the attribute there).
// Giving the icon the image role makes the name valid; the boxes are built on load, so
// each icon is fixed as soon as it is added.
(() => {
  const fix = (root) => {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  };
  new MutationObserver(() => fix(document)).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
