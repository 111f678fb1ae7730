"""Builds landmarks.tsv: the stations of the Paris region (métro, RER, train,
tram, funicular) and the venues their métro stations are named after, one
line each: name, kind, lat, lon, the gazetteer places it lies in, and for a
venue the station that gives it its point.

Inputs (see regenerate.sh, which fetches them from PyPI):
  stops.json, lines.json  Île-de-France Mobilités, "Arrêts et lignes
                          associées" (ODbL), as shipped in idfm-api 1.0.0
  10-metro.csv            the Paris métro stations of great-tables 1.1.0
                          (MIT): the arrondissements each station lies in,
                          and the venue it serves ("Tour Eiffel")
  fr.tsv                  the gazetteer, for the communes' names

Usage: python3 landmarks.py stops.json lines.json 10-metro.csv fr.tsv
"""
import csv
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict

IDF = {"75", "77", "78", "91", "92", "93", "94", "95"}
# names a metro station is given for something else (a caption) that would
# only mislead as a place: generic, or a commune's or a station's own name
NOT_VENUES = {
    "hotel de ville", "prefecture", "hotel du departement", "region ile de france", "asnieres",
}
# usual names of places that the data names otherwise, each taken at the
# point of the station named: (name, kind, station)
ALIASES = [
    # the concert hall, 50 boulevard Voltaire, at the Oberkampf exit
    ("Bataclan", "venue", "Oberkampf"),
    # the open canal runs through the 10e; its quai de Valmy is by this station
    ("Canal Saint-Martin", "venue", "Jacques Bonsergent"),
    # the RER hub under the Forum des Halles
    ("Forum des Halles", "venue", "Châtelet les Halles"),
    # the usual names of the Centre Georges Pompidou and its square
    ("Beaubourg", "venue", "Rambuteau"),
    ("Centre Pompidou", "venue", "Rambuteau"),
    # the arch stands on the place Charles-de-Gaulle, above the station
    ("Arc de Triomphe", "venue", "Charles de Gaulle - Etoile"),
]


def fold(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"\bsaint\b", "st", s)
    return re.sub(r"\bsainte\b", "ste", s)


def metres(a, b):
    (la1, lo1), (la2, lo2) = a, b
    x = math.radians(lo2 - lo1) * math.cos(math.radians((la1 + la2) / 2))
    return 6371000 * math.hypot(x, math.radians(la2 - la1))


stops, lines, metro_csv, gazetteer = sys.argv[1:5]

# the gazetteer: communes by INSEE code, by folded name in the region, and
# Paris's arrondissements with their centres
by_insee, by_name, arrondissements = {}, {}, []
for line in open(gazetteer, encoding="utf-8"):
    if line.startswith("#"):
        continue
    name, cps, dept, lat, lon, insee = line.rstrip("\n").split("\t")
    if insee:
        by_insee[insee] = (name, dept)
    if dept in IDF and cps:
        by_name[fold(name)] = (name, dept)
    if re.fullmatch(r"Paris \d+(e|er)", name):
        arrondissements.append(((float(lat), float(lon)), (name, dept)))


def area(label):
    """ "Paris 16th" → Paris 16e; a commune's name → the gazetteer's."""
    m = re.fullmatch(r"Paris (\d+)(st|nd|rd|th)", label.strip())
    if m:
        n = int(m.group(1))
        return (f"Paris {n}{'er' if n == 1 else 'e'}", "75")
    return by_name.get(fold(label))


# great-tables: the métro stations, where they lie, what they serve
metro = []
for r in csv.DictReader(open(metro_csv, encoding="utf-8")):
    at = (float(r["latitude"]), float(r["longitude"]))
    within = [a for a in (area(x) for x in r["location"].split(",")) if a]
    metro.append((r["name"], at, within, r["caption"]))


def within_paris(name, at):
    """The arrondissements a Paris stop lies in: those of the métro station
    of that name, else of the nearest métro station within 400 m, else the
    arrondissement whose centre is nearest (boundaries are not in the data)."""
    near = sorted((metres(at, m[1]), i) for i, m in enumerate(metro))
    same = [i for d, i in near if d < 700 and fold(metro[i][0]) == fold(name)]
    if same:
        return metro[same[0]][2]
    if near and near[0][0] < 400:
        return metro[near[0][1]][2]
    return [min(arrondissements, key=lambda a: metres(at, a[0]))[1]]


# IDFM: the stops of every line but buses, by mode
mode_of = {}
for mode, named in json.load(open(lines, encoding="utf-8")).items():
    for line_name, code in named.items():
        if mode == "rail":
            mode_of[code] = "rer" if line_name in "ABCDE" else "train"
        elif mode != "bus":
            mode_of[code] = mode
groups = defaultdict(list)  # folded name → [(name, modes, at, within)]
for code, members in json.load(open(stops, encoding="utf-8")).items():
    mode = mode_of.get(code)
    if not mode:
        continue
    for s in members:
        insee = s["zipCode"]
        if insee[:2] not in IDF:
            continue
        name, at = s["name"].strip(), (float(s["x"]), float(s["y"]))
        if insee == "75056":
            within = within_paris(name, at)
        else:
            within = [by_insee[insee]] if insee in by_insee else []
        if not within:
            continue
        # one station per name and place: the lines of a hub are merged
        for g in groups[fold(name)]:
            if metres(g[2], at) < 700:
                g[1].add(mode)
                break
        else:
            groups[fold(name)].append([name, {mode}, at, within])

rows = []
stations = {}
for key, members in groups.items():
    for name, modes, at, within in members:
        rows.append((name, ",".join(sorted(modes)), at, within, ""))
        stations.setdefault(key, (name, at, within))
for name, at, within, caption in metro:
    for venue in re.split(r"—", caption) if caption else []:
        k = fold(venue)
        if k in NOT_VENUES or k in by_name or k in groups:
            continue
        rows.append((venue.strip(), "venue", at, within, name))
for venue, kind, station in ALIASES:
    name, at, within = stations[fold(station)]
    rows.append((venue, kind, at, within, name))

print("# name\tkind\tlat\tlon\twithin (name/département, | between)\tat station"
      " — Île-de-France Mobilités (ODbL) + great-tables (MIT); see README.md")
for name, kind, (lat, lon), within, by in sorted(rows, key=lambda r: (fold(r[0]), r[1])):
    places = "|".join(f"{n}/{d}" for n, d in within)
    print(f"{name}\t{kind}\t{lat:.5f}\t{lon:.5f}\t{places}\t{by}")
