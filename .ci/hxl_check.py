"""Validates an HXL export the way partners do, with libhxl: it must parse as
HXL, every hashtag must be one of the HXL core dictionary's with the expected
attributes, and libhxl's built-in schema must find no error or warning (numbers
where numbers belong, no stray whitespace). Usage: hxl_check.py FILE.csv"""

import re
import sys

import hxl

# the columns of areas-hxl.csv; all are core hashtags (hxlstandard.org/standard/dictionary)
EXPECTED = [
    "#adm4+name",
    "#adm4+code",
    "#adm2+code",
    "#indicator+offers+num",
    "#capacity+free+num",
    "#inneed+shelter+num",
    "#reached+shelter+num",
]
NUMERIC = {"#indicator", "#capacity", "#inneed", "#reached"}
# core hashtags the dictionary gives for counts; "+num" on anything else (such
# as #org, an organisation's name) misleads every tool that reads the file
COUNTS = {"#affected", "#capacity", "#indicator", "#inneed", "#output", "#population",
          "#reached", "#targeted", "#value"}


def main(path):
    source = hxl.data(path, hxl.InputOptions(allow_local=True)).cache()
    tags = [str(c) for c in source.columns]
    problems = []
    # libhxl writes attributes in its own order; compare as sets
    norm = lambda t: (t.split("+")[0], frozenset(t.split("+")[1:]))
    if [norm(t) for t in tags] != [norm(t) for t in EXPECTED]:
        problems.append(f"hashtags {tags}, expected {EXPECTED}")
    for t in tags:
        if "+num" in t and t.split("+")[0] not in COUNTS:
            problems.append(f"{t}: {t.split('+')[0]} is not a hashtag for a count")
    rows = list(source)
    if not rows:
        problems.append("no data rows")
    for row in rows:
        for col, value in zip(source.columns, row.values):
            if col.tag in NUMERIC and not str(value).isdigit():
                problems.append(f"{col}: {value!r} is not a count")
    # INSEE commune codes: five characters (Corsica's start 2A or 2B)
    communes = [row.get("#adm4+code") for row in rows]
    for code in communes:
        if code and not re.fullmatch(r"(\d{2}|2A|2B)\d{3}", code):
            problems.append(f"#adm4+code: {code!r} is not an INSEE commune code")
    if rows and not any(communes):
        problems.append("#adm4+code: no area has its INSEE code")
    report = hxl.validate(source)
    for issue in report.get("issues", []):
        if issue.get("severity") in ("error", "warning"):
            problems.append(f"libhxl {issue.get('severity')}: {issue.get('description')}")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"HXL: {path}: {len(rows)} rows, hashtags {', '.join(tags)}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
