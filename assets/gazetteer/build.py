"""Joins GeoNames places (name, département, coordinates) with BAN postcodes
(name, INSEE code) into one line per place: name, postcodes, département,
lat, lon, INSEE commune code (empty where the join is ambiguous). Paris, Lyon and Marseille arrondissements get short names
("Paris 11e") and their own postcode."""
import json
import re
import sys
import unicodedata


def norm(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"\bst\b", "saint", s)
    s = re.sub(r"\bste\b", "sainte", s)
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


cities = json.load(open(sys.argv[1]))
postcodes = json.load(open(sys.argv[2]))

ARR = re.compile(r"^(Paris|Lyon|Marseille) 0?(\d{1,2})(e|er)?\b")

by_name = {}
insee_by_name = {}
insee_by_arr = {}
for p in postcodes:
    insee = p["codeCommune"]
    dept = insee[:3] if insee.startswith("97") else insee[:2]
    by_name.setdefault((norm(p["nomCommune"]), dept), set()).add(p["codePostal"])
    insee_by_name.setdefault((norm(p["nomCommune"]), dept), set()).add(insee)
    m = ARR.match(p["nomCommune"])
    if m and "Arrondissement" in p["nomCommune"]:
        insee_by_arr[(m.group(1), int(m.group(2)))] = insee


# communes renamed since GeoNames' data: (folded old name, département) → the
# official name, under which Base Adresse Nationale lists their postcodes
RENAMED = {("saint ouen", "93"): "Saint-Ouen-sur-Seine"}


def one(codes):
    return next(iter(codes)) if len(codes) == 1 else ""

CITY_CP = {"Paris": "750", "Lyon": "6900", "Marseille": "130"}
rows = {}
for c in cities:
    if c.get("country") != "FR":
        continue
    name, dept = c["name"], c.get("admin2") or ""
    name = RENAMED.get((norm(name), dept), name)
    lat, lon = float(c["lat"]), float(c["lng"])
    m = ARR.match(name)
    if m:
        city, n = m.group(1), int(m.group(2))
        if city == "Lyon" and n > 9 or city == "Marseille" and n > 16 or city == "Paris" and n > 20:
            continue
        short = f"{city} {n}{'er' if n == 1 else 'e'}"
        cp = CITY_CP[city] + (f"{n:02d}" if city != "Lyon" else f"{n}")
        rows.setdefault(short, (short, {cp}, dept, lat, lon, insee_by_arr.get((city, n), "")))
        continue
    codes = by_name.get((norm(name), dept), set())
    insee = one(insee_by_name.get((norm(name), dept), set()))
    key = f"{name}|{dept}"
    if key not in rows:
        rows[key] = (name, codes, dept, lat, lon, insee)

print("# name\tpostcodes\tdepartement\tlat\tlon\tinsee — GeoNames (CC BY 4.0) + Base Adresse Nationale codes-postaux (MIT); see README.md")
for name, codes, dept, lat, lon, insee in sorted(rows.values(), key=lambda r: (norm(r[0]), r[2])):
    print(f"{name}\t{','.join(sorted(codes))}\t{dept}\t{lat:.5f}\t{lon:.5f}\t{insee}")
