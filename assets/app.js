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

// The optional map: Leaflet is fetched only when asked for, so the page stays
// light; circles (SVG) need no marker images. Tiles may fail: the page lists
// everything the map shows.
for (const box of document.querySelectorAll("[data-map]")) {
  const button = box.querySelector("[data-show-map]");
  button.addEventListener("click", () => {
    button.disabled = true;
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.leafletCss;
    document.head.append(css);
    const script = document.createElement("script");
    script.src = box.dataset.leafletJs;
    script.onerror = () => { button.textContent = box.dataset.failed; };
    script.onload = () => {
      const canvas = document.createElement("div");
      canvas.className = "map-canvas";
      box.append(canvas);
      button.hidden = true;
      const map = L.map(canvas, { scrollWheelZoom: false });
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
      const colours = { you: "#0b5394", door: "#1a7f37", host: "#b3261e" };
      const points = JSON.parse(box.dataset.map).map((p) => {
        L.circleMarker([p.lat, p.lon], { radius: p.kind === "door" ? 12 : 8, color: colours[p.kind], weight: 3 })
          .bindTooltip(p.label).addTo(map);
        return [p.lat, p.lon];
      });
      map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
    };
    document.head.append(script);
  });
}
