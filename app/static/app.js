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
