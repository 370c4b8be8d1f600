// Forms marked data-autosubmit send themselves when a choice changes (no inline handlers: the CSP allows none).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select")) form.submit();
});

// Long choice lists marked data-searchable get a search box that hides the options not matching it
// (name, 工号 or team), so picking one of a department's hundred people is typing a few characters.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-searchable]")) {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.placeholder = select.dataset.searchable;
    box.setAttribute("aria-label", select.dataset.searchable);
    select.before(box);
    box.addEventListener("input", () => {
      const q = box.value.trim().toLowerCase();
      let first = null;
      for (const option of select.options) {
        const shown = !option.value || !q || option.text.toLowerCase().includes(q);
        option.hidden = !shown;
        if (shown && option.value && first === null) first = option;
      }
      const current = select.selectedOptions[0];
      if (first && (!current || !current.value || current.hidden)) select.value = first.value;
    });
  }
});
