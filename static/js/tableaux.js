// A table wider than the screen scrolls inside its wrapper; a keyboard user can only
// scroll it once the wrapper takes the focus, and a screen reader needs to know what
// that focused region is (WCAG 2.1.1, 4.1.2). One place for every table of the portal:
// a wrapper that already says what it is keeps its own attributes.
(() => {
  const HEADINGS = "h1, h2, h3, h4, h5, h6";
  const nameOf = (wrapper) => {
    const caption = wrapper.querySelector("caption");
    if (caption) {
      return caption.textContent.trim();
    }
    for (let node = wrapper; node && node !== document.body; node = node.parentElement) {
      for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        const headings = sibling.matches(HEADINGS)
          ? [sibling]
          : sibling.querySelectorAll(HEADINGS);
        const heading = headings[headings.length - 1];
        if (heading) {
          return heading.textContent.trim();
        }
      }
    }
    return "Tableau";
  };
  document.querySelectorAll(".table-wrapper:not([tabindex])").forEach((wrapper) => {
    wrapper.tabIndex = 0;
    wrapper.setAttribute("role", "region");
    if (!wrapper.hasAttribute("aria-label") && !wrapper.hasAttribute("aria-labelledby")) {
      wrapper.setAttribute("aria-label", nameOf(wrapper));
    }
  });
})();
