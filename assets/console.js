// The coordinators' console, on top of app.js (progressive enhancement:
// without this file the queue's buttons and the server-drawn map do it all).
// Loaded by the console page only.

// A party chosen in the queue (or on the map) opens in place: the page's
// party panel is fetched and swapped, the live updates follow that party,
// and the focus moves to the panel's heading. Any failure falls back to the
// plain link the form would have followed.
const openParty = async (id) => {
  const url = "/coord?party=" + encodeURIComponent(id);
  try {
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const fresh = doc.getElementById("live-party");
    const old = document.getElementById("live-party");
    if (!fresh || !old) throw new Error("no panel");
    old.replaceWith(document.importNode(fresh, true));
    for (const b of document.querySelectorAll("button[data-party]")) {
      if (b.dataset.party === id) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    }
    const link = document.querySelector("[data-live-page]");
    if (link) link.setAttribute("href", url);
    history.replaceState(null, "", url + "#party");
    const data = document.querySelector("#live-map [data-map-points]");
    if (data) {
      data.dataset.selected = id;
      document.dispatchEvent(new CustomEvent("po:live"));
    }
    const heading = document.getElementById("party");
    if (heading) heading.focus();
  } catch (_) {
    location.href = url + "#party";
  }
};

if (window.fetch && window.DOMParser) {
  // one listener for the queue's form, which live updates replace
  document.addEventListener("submit", (e) => {
    const b = e.submitter;
    if (!e.target.matches("form.queue") || !b || !b.dataset.party) return;
    e.preventDefault();
    openParty(b.dataset.party);
  });
}

// The live map: Leaflet, fetched when asked for (and then on each visit,
// remembered in this browser). It draws per privacy cell the places free
// (green) and the people waiting (red: select one to open its party; with
// several parties, a list to choose from), the incidents' areas (dashed)
// and the alerts (purple rings, opening the match). Its points come from a
// `data-live` region: each live update redraws them, unless the keyboard
// focus is on the map, then when it leaves. Every shape that does something
// is in the tab order and answers Enter and Space.
for (const box of document.querySelectorAll("[data-console-map]")) {
  const button = box.querySelector("[data-show-map]");
  const section = box.closest(".console-map");
  const legend = section.querySelector("[data-map-legend]");
  let map = null;
  let layer = null;
  let framed = false;
  let pending = false;
  const text = (s) => {
    const span = document.createElement("span");
    span.textContent = s;
    return span;
  };
  const choose = (cell, at) => {
    if (cell.parties.length === 1) {
      openParty(cell.parties[0].id);
      return;
    }
    const list = document.createElement("div");
    const title = document.createElement("p");
    title.textContent = box.dataset.choose;
    const ul = document.createElement("ul");
    ul.className = "plain";
    for (const p of cell.parties) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "party";
      b.textContent = p.label;
      b.addEventListener("click", () => { map.closePopup(); openParty(p.id); });
      li.append(b);
      ul.append(li);
    }
    list.append(title, ul);
    L.popup().setLatLng(at).setContent(list).openOn(map);
    const first = list.querySelector("button");
    if (first) first.focus();
  };
  // a shape that acts: focusable, named, Enter and Space
  const actionable = (shape, label, role, act) => {
    const el = shape.getElement();
    if (!el) return;
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", role);
    el.setAttribute("aria-label", label);
    shape.on("click", act);
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); act(); }
    });
  };
  const draw = () => {
    const data = document.querySelector("#" + box.dataset.consoleMap + " [data-map-points]");
    if (!map || !data) return;
    if (box.contains(document.activeElement) && document.activeElement !== box) { pending = true; return; }
    pending = false;
    const points = JSON.parse(data.dataset.mapPoints);
    const selected = data.dataset.selected;
    layer.clearLayers();
    // framed once, on the first drawing (shapes need the map's view to be
    // drawn); later updates leave the view where the coordinator put it
    if (!framed) {
      framed = true;
      const bounds = points.cells.map((c) => [c.lat, c.lon]).concat(points.incidents.map((i) => i.center));
      if (bounds.length > 0) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
      else map.setView([46.6, 2.4], 5);
    }
    for (const i of points.incidents) {
      const style = { color: "#b35900", weight: 2, dashArray: "6 6", fillOpacity: 0.05, interactive: false };
      const km = i.radius_km || 1;
      (i.polygon ? L.polygon(i.polygon, style) : L.circle(i.center, Object.assign({ radius: km * 1000 }, style))).addTo(layer);
      // its name on its northern edge, out of the way of the discs
      const top = i.polygon ? i.polygon.reduce((a, b) => (b[0] > a[0] ? b : a)) : [i.center[0] + km / 111.32, i.center[1]];
      L.tooltip({ permanent: true, direction: "top", className: "incident-label" }).setLatLng(top).setContent(text(i.label)).addTo(layer);
    }
    const most = Math.max(1, ...points.cells.map((c) => Math.max(c.places, c.people)));
    const size = (n) => 6 + 18 * Math.sqrt(n / most);
    for (const c of points.cells) {
      const at = [c.lat, c.lon];
      if (c.places > 0) {
        L.circleMarker(at, { radius: size(c.places), color: "#1b5e20", weight: 2, fillOpacity: 0.35, interactive: false })
          .bindTooltip(text(c.placesLabel)).addTo(layer);
      }
      if (c.people > 0) {
        const mine = c.parties.some((p) => p.id === selected);
        const disc = L.circleMarker(at, {
          radius: size(c.people), color: mine ? "#0b5394" : "#8a1c1c", weight: mine ? 5 : 2,
          fillColor: "#8a1c1c", fillOpacity: 0.5, className: "people",
        }).bindTooltip(text(c.peopleLabel)).addTo(layer);
        if (c.parties.length > 0) actionable(disc, c.peopleLabel, "button", () => choose(c, at));
      }
    }
    for (const a of points.alerts) {
      const ring = L.circleMarker([a.lat, a.lon], { radius: 14, color: "#6a1b9a", weight: 4, fill: false, className: "alert" })
        .bindTooltip(text(a.label)).addTo(layer);
      actionable(ring, a.label, "link", () => { location.href = a.href; });
    }
  };
  const show = () => {
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
      canvas.className = "map-canvas console-canvas";
      box.insertBefore(canvas, box.querySelector("[data-map-hint]"));
      button.hidden = true;
      section.classList.add("map-on");
      legend.hidden = false;
      map = L.map(canvas, { scrollWheelZoom: false });
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
      layer = L.layerGroup().addTo(map);
      draw();
      try { localStorage.setItem("po-console-map", "on"); } catch (_) { /* private mode */ }
    };
    document.head.append(script);
  };
  button.addEventListener("click", show);
  document.addEventListener("po:live", draw);
  box.addEventListener("focusout", (e) => {
    if (pending && !box.contains(e.relatedTarget)) setTimeout(draw, 0);
  });
  try { if (localStorage.getItem("po-console-map") === "on") show(); } catch (_) { /* private mode */ }
}
