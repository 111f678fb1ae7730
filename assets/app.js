// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");

// "Use my location": fills the hidden lat/lon fields of the guest form.
for (const button of document.querySelectorAll("[data-locate]")) {
  button.addEventListener("click", () => {
    const form = button.closest("form");
    const status = document.getElementById(button.dataset.locate);
    if (!navigator.geolocation) { status.textContent = button.dataset.failed; return; }
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lon.value = pos.coords.longitude.toFixed(6);
        status.textContent = button.dataset.done;
      },
      () => { status.textContent = button.dataset.failed; },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    );
  });
}

// "Copy the link" on the request page.
for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copy);
    try { await navigator.clipboard.writeText(input.value); } catch (_) { input.select(); document.execCommand("copy"); }
    button.textContent = button.dataset.copied;
  });
}
