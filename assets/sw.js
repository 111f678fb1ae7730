// Porte Ouverte's service worker: it only shows push alerts and opens their
// page when tapped. Nothing is cached for offline use.
self.addEventListener("push", (event) => {
  let m = {};
  try { m = event.data ? event.data.json() : {}; } catch (_) { m = {}; }
  const url = typeof m.url === "string" ? m.url : "/";
  event.waitUntil(self.registration.showNotification(m.title || "Porte Ouverte", {
    body: m.body || "",
    data: { url },
    tag: url,
    renotify: true,
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil((async () => {
    let url = (event.notification.data && event.notification.data.url) || "/";
    // A guest's page needs its private link, which is never sent in an alert:
    // the page left it on this phone when it turned alerts on.
    const saved = await (await caches.open("po-pages")).match(url);
    if (saved) url = await saved.text();
    const target = new URL(url, self.location.origin);
    if (target.origin !== self.location.origin) return undefined;
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of open) {
      if (new URL(client.url).pathname === target.pathname && "focus" in client) {
        return client.navigate(target.href).then((c) => (c || client).focus());
      }
    }
    return self.clients.openWindow(target.href);
  })());
});
