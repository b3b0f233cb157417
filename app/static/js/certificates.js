// A bulk certification run: follow the status JSON and add each student's row as it comes in, so the
// committee sees the run progress without reloading. Without JavaScript the page shows the state when loaded.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-batch-status]");
  if (!box) return;
  const bar = box.querySelector("[data-batch-progress]");
  const message = box.querySelector("[data-batch-message]");
  const rows = document.querySelector("[data-batch-rows]");
  const render = (outcomes) => {
    rows.replaceChildren(...outcomes.map((o) => {
      const tr = document.createElement("tr");
      if (o.result === "refused" || o.result === "failed") tr.className = "row-refuse";
      for (const [text, cls] of [[o.student, ""], [o.label, ""], [o.detail, "small"]]) {
        const td = document.createElement("td");
        td.textContent = text;  // text only: names and reasons are never read as markup
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }));
  };
  const poll = async () => {
    let run;
    try {
      const response = await fetch(box.dataset.batchStatus, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      run = await response.json();
    } catch (error) {
      window.setTimeout(poll, 3000);  // a network hiccup: try again a little later
      return;
    }
    bar.max = run.total || 1;
    bar.value = run.progress;
    message.textContent = run.message;
    render(run.outcomes);
    if (run.status !== "done") window.setTimeout(poll, 1000);
  };
  if (!bar.hasAttribute("data-done")) poll();
});
