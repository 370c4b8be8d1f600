// Forms marked data-autosubmit send themselves when a choice changes (no inline handlers: the CSP allows none).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select")) form.submit();
});
