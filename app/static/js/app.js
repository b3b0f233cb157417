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
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Claim form: offer only the levels of the chosen element's scale.
  document.querySelectorAll("form[data-levels]").forEach((form) => {
    const data = JSON.parse(form.dataset.levels || "{}");
    const target = form.querySelector("select[name=target]");
    const level = form.querySelector("select[name=level]");
    if (!target || !level || !data.options) return;
    const none = level.options[0] ? level.options[0].cloneNode(true) : null;
    const refresh = () => {
      const scale = data.targets[target.value];
      const chosen = level.value;
      level.replaceChildren();
      if (none) level.append(none.cloneNode(true));
      data.options.filter((o) => o.scale === scale).forEach((o) => {
        const option = document.createElement("option");
        option.value = `${o.scale}:${o.value}`;
        option.textContent = o.label;
        level.append(option);
      });
      if ([...level.options].some((o) => o.value === chosen)) level.value = chosen;
    };
    target.addEventListener("change", refresh);
    refresh();
  });
  // Export page: follow the background job until the PDF is ready.
  document.querySelectorAll("[data-export-status]").forEach((box) => {
    const bar = box.querySelector("[data-export-progress]");
    const message = box.querySelector("[data-export-message]");
    const link = box.querySelector("[data-export-download]");
    const poll = async () => {
      const response = await fetch(box.dataset.exportStatus, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const job = await response.json();
      bar.max = job.total || 1;
      bar.value = job.progress;
      if (job.status === "done") {
        message.textContent = box.dataset.msgDone;
        link.hidden = false;
      } else if (job.status === "failed") {
        message.textContent = box.dataset.msgFailed;
      } else {
        window.setTimeout(poll, 1000);
      }
    };
    if (link.hidden) poll();
  });
});
