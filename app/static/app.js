// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  if (event.target.matches("[data-back]") && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
// Import progress: poll the status URL and reload when the job is done.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const label = box.querySelector("[data-progress-label]");
  const poll = async () => {
    const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    bar.max = Math.max(job.total_rows, 1);
    bar.value = job.processed_rows;
    label.textContent = `${job.processed_rows} / ${job.total_rows}`;
    if (job.finished) window.location.reload();
    else window.setTimeout(poll, 1000);
  };
  poll();
});
// Tables that scroll sideways (on a phone) sit in a region the keyboard can reach: while it
// scrolls it is focusable (arrow keys scroll it) and named after the table's caption or the
// heading before it (WCAG 2.1.1). Without script the table itself scrolls (app.css).
document.addEventListener("DOMContentLoaded", () => {
  const tableName = (table, box) => {
    const caption = table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (let node = box; node && node !== document.body; node = node.parentElement) {
      for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        const heading = /^H[1-6]$/.test(sibling.tagName) ? sibling : [...sibling.querySelectorAll("h1, h2, h3, h4")].pop();
        if (heading) return heading.textContent.trim();
      }
    }
    return "";
  };
  const fallback = document.body.dataset.tableLabel || "";
  const boxes = [];
  document.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".visually-hidden")) return; // for screen readers only: nothing to scroll
    let box = table.parentElement;
    if (!box.classList.contains("table-scroll")) {
      box = document.createElement("div");
      box.className = "table-scroll";
      table.before(box);
      box.append(table);
    }
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      box.setAttribute("aria-label", tableName(table, box) || fallback);
    }
    boxes.push(box);
  });
  const update = () => boxes.forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
    }
  });
  update();
  if (window.ResizeObserver) {
    const observer = new ResizeObserver(update);
    boxes.forEach((box) => observer.observe(box));
  } else {
    window.addEventListener("resize", update);
  }
});
