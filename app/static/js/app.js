// Progressive enhancement only: every page works without JavaScript.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll("[data-tree-tools]").forEach((tools) => {
    tools.hidden = false;
    const section = tools.closest("section");
    const setAll = (open) => section.querySelectorAll("details").forEach((d) => { d.open = open; });
    tools.querySelector("[data-expand]").addEventListener("click", () => setAll(true));
    tools.querySelector("[data-collapse]").addEventListener("click", () => setAll(false));
  });
});
