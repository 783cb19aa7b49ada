// Follows an import on the upload page: asks the status endpoint every two seconds and reloads
// the page once the import has finished. Without JavaScript the page offers a refresh link.
const region = document.querySelector("[data-upload-status-url]");
if (region) {
  const url = region.getAttribute("data-upload-status-url");
  const label = region.querySelector("[data-upload-status-label]");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        if (label) label.textContent = status.status_label;
        if (status.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped request is retried at the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
}
