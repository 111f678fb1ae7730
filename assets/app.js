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

// "Copy the link" and "Copy the address" on the request page: the value of
// a field, or the text of an element.
for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    const text = "value" in source ? source.value : source.textContent;
    try { await navigator.clipboard.writeText(text); } catch (_) {
      if (source.select) { source.select(); } else { getSelection().selectAllChildren(source); }
      document.execCommand("copy");
    }
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
        // a label is people's own text (a host's address): Leaflet renders a
        // string as HTML, so it gets a text node, never markup
        const label = document.createElement("span");
        label.textContent = p.label;
        L.circleMarker([p.lat, p.lon], { radius: p.kind === "door" ? 12 : 8, color: colours[p.kind], weight: 3 })
          .bindTooltip(label).addTo(map);
        return [p.lat, p.lon];
      });
      map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
    };
    document.head.append(script);
  });
}

// "Alert me on this phone": Web Push, offered only where the browser has it.
// The subscription goes to this page's own endpoint (CSRF token in a header);
// the service worker shows alerts and opens their page when tapped.
for (const box of document.querySelectorAll("[data-push]")) {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window) || !window.isSecureContext) continue;
  const button = box.querySelector("[data-push-toggle]");
  const status = box.querySelector("[data-push-status]");
  const call = (method, body) => fetch(box.dataset.push, {
    method, credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": box.dataset.csrf },
    body: JSON.stringify(body),
  }).then((r) => { if (!r.ok && r.status !== 404) throw new Error(String(r.status)); });
  const key = async () => {
    const r = await fetch("/api/v1/push/key");
    const b64 = (await r.json()).public_key.replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  };
  let registration = null;
  const show = async () => {
    const sub = registration && await registration.pushManager.getSubscription();
    button.textContent = sub ? box.dataset.off : box.dataset.on;
    return sub;
  };
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(async (reg) => {
    registration = reg;
    await show();
    box.hidden = false;
  }).catch(() => {});
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const current = await show();
      if (current) {
        await call("DELETE", { endpoint: current.endpoint });
        await current.unsubscribe();
        status.textContent = box.dataset.stopped;
      } else if ((await Notification.requestPermission()) !== "granted") {
        status.textContent = box.dataset.denied;
      } else {
        await navigator.serviceWorker.ready;
        const sub = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: await key() });
        await call("POST", Object.assign(sub.toJSON(), { lang: document.documentElement.lang }));
        // a guest's alerts open the short path; this phone keeps the private link for it
        if (box.dataset.page) await (await caches.open("po-pages")).put(box.dataset.page, new Response(location.pathname));
        status.textContent = box.dataset.done;
      }
    } catch (_) {
      status.textContent = box.dataset.failed;
    }
    await show();
    button.disabled = false;
  });
}

// Live pages: the server says "changed" on the page's event stream (nothing
// else crosses it); the page fetches itself and swaps its [data-live]
// regions. A region where the person has the focus, has typed or chosen
// something, or opened a disclosure is left alone (its nested regions still
// update): nothing being typed is ever lost. Screen readers hear one polite
// announcement. Without this script the page has its "Refresh" link.
const liveBar = document.querySelector("[data-live-stream]");
if (liveBar && window.EventSource && window.fetch && window.DOMParser) {
  // the page to fetch: read at each change, since the console's chosen
  // party changes it (`/coord?party=…`)
  const pageLink = liveBar.querySelector("[data-live-page]");
  const announce = liveBar.querySelector("[data-live-announce]");
  const busy = (el) => {
    const focus = document.activeElement;
    if (focus && focus !== document.body && el.contains(focus)) return true;
    if (el.querySelector("details[open]")) return true;
    for (const f of el.querySelectorAll("input, textarea, select")) {
      if (f.type === "hidden") continue;
      if (f.type === "checkbox" || f.type === "radio") {
        if (f.checked !== f.defaultChecked) return true;
      } else if (f.tagName === "SELECT") {
        if ([...f.options].some((o) => o.selected !== o.defaultSelected)) return true;
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  };
  // Replaces `old` by `fresh` unless busy; then tries its nested regions.
  const swap = (old, fresh) => {
    if (old.innerHTML === fresh.innerHTML) return 0;
    if (!busy(old)) {
      old.replaceWith(document.importNode(fresh, true));
      return 1;
    }
    let n = 0;
    for (const inner of old.querySelectorAll("[data-live]")) {
      if (!inner.isConnected || inner.parentElement.closest("[data-live]") !== old) continue;
      const f = fresh.querySelector("#" + CSS.escape(inner.id));
      if (f) n += swap(inner, f);
    }
    return n;
  };
  let running = false;
  let again = false;
  const refresh = async () => {
    if (running) { again = true; return; }
    running = true;
    try {
      const res = await fetch(pageLink.getAttribute("href"), { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (res.ok) {
        const doc = new DOMParser().parseFromString(await res.text(), "text/html");
        let n = 0;
        for (const old of document.querySelectorAll("[data-live]")) {
          if (!old.isConnected || old.parentElement.closest("[data-live]")) continue;
          const fresh = doc.getElementById(old.id);
          if (fresh) n += swap(old, fresh);
        }
        if (n > 0) {
          // what draws from a region (the console's live map) redraws
          document.dispatchEvent(new CustomEvent("po:live"));
          announce.textContent = "";
          setTimeout(() => { announce.textContent = liveBar.dataset.liveUpdated; }, 50);
        }
      }
    } catch (_) {
      // offline for a moment: the next change or the refresh link will do
    }
    running = false;
    if (again) { again = false; refresh(); }
  };
  // The stream's URL carries the page's version: whenever it (re)connects
  // after a change this page has not shown, the server says "changed" at once.
  const listen = () => {
    const stream = new EventSource(liveBar.dataset.liveStream);
    stream.addEventListener("open", () => {
      document.documentElement.dataset.liveState = "on";
    });
    stream.addEventListener("changed", refresh);
    stream.addEventListener("error", () => {
      // refused (the server is at its cap) or gone: the refresh link stays,
      // and the page tries again in a minute or so
      if (stream.readyState !== EventSource.CLOSED) return;
      document.documentElement.dataset.liveState = "off";
      setTimeout(listen, 30000 + Math.random() * 30000);
    });
  };
  listen();
}
