"""One trial: a guest on instance B (and one on C) searches and sees an
offer; a guest on instance A asks that offer for all its places (the hold
takes it); B's and C's searches are polled every 10 ms until the offer is
gone. Prints the delays after A's answer, and a RESULT line."""
import json
import random
import statistics
import sys
import time
import urllib.request

trials, sync_ms, a, b, c = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:6]


def call(addr, method, path, body=None, token=None):
    req = urllib.request.Request(f"http://{addr}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        return r.status, json.load(r)


def guest(addr, lat, lon, size):
    _, r = call(addr, "POST", "/api/v1/requests", {
        "lat": lat, "lon": lon, "party_size": size, "name": "Bench",
        "contact_phone": "+33600000000"})
    return r["id"], r["access_token"]


def offers_seen(addr, rid, token):
    _, r = call(addr, "GET", f"/api/v1/requests/{rid}/candidates?limit=50", token=token)
    return {o["offer_id"]: o for o in r["candidates"]}


random.seed(13)
delays, own, lost = [], [], 0
for t in range(trials):
    lat, lon = 48.82 + random.random() * 0.08, 2.27 + random.random() * 0.14
    rb, tb = guest(b, lat, lon, 1)
    rc, tc = guest(c, lat, lon, 1)
    seen_b, seen_c = offers_seen(b, rb, tb), offers_seen(c, rc, tc)
    both = [o for o in seen_b if o in seen_c and seen_b[o]["remaining"] <= 20]
    if not both:
        continue
    offer = both[0]
    ra, ta = guest(a, lat, lon, seen_b[offer]["remaining"])
    # the write lands at a random point of the others' sync period (trials
    # would otherwise follow the period in step and always wait it whole)
    time.sleep(random.random() * sync_ms / 1000)
    status, _ = call(a, "POST", f"/api/v1/requests/{ra}/matches", {"offer_id": offer}, ta)
    assert status == 201, status
    t0 = time.monotonic()
    # the instance that wrote drops it at once: a fresh guest there, who
    # holds nothing on it, no longer sees it
    rf, tf = guest(a, lat, lon, 1)
    own.append(offer not in offers_seen(a, rf, tf))
    gone = {}
    while len(gone) < 2 and time.monotonic() - t0 < 10 * sync_ms / 1000 + 5:
        for name, rid, tok in (("B", rb, tb), ("C", rc, tc)):
            if name not in gone and offer not in offers_seen(b if name == "B" else c, rid, tok):
                gone[name] = (time.monotonic() - t0) * 1000
        time.sleep(0.01)
    if len(gone) < 2:
        lost += 1
    delays.extend(gone.values())

if not delays:
    sys.exit("no trial found an offer both B and C saw")
delays.sort()
p90 = delays[int(0.9 * (len(delays) - 1))]
print(f"trials {trials} ({len(own)} run), observations {len(delays)}, never gone {lost}, "
      f"gone at once on the writing instance {sum(own)} of {len(own)}")
print(f"RESULT sync_ms={sync_ms} median_ms={statistics.median(delays):.0f} "
      f"p90_ms={p90:.0f} max_ms={max(delays):.0f} within_sync={sum(d <= sync_ms + 50 for d in delays)}/{len(delays)}")
