#!/usr/bin/env python3
"""CI: Person Finder's own PFIF validator (ported, in .ci/pfif-tools) on a real
export. Its own tests run first, so a broken port cannot pass silently; then
the export must hold at least one person and draw no message at all, neither
error nor warning."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "pfif-tools")

if len(sys.argv) != 2:
    sys.exit("usage: pfif_check.py EXPORT.xml")

subprocess.run(
    [sys.executable, "-m", "unittest", "discover", "-q", "-s", "tests", "-t", "."],
    cwd=TOOLS,
    check=True,
)

sys.path.insert(0, TOOLS)
from pfif_validator import PfifValidator  # noqa: E402

with open(sys.argv[1], encoding="utf-8") as f:
    validator = PfifValidator(f)
persons = validator.tree.get_all_persons()
messages = validator.run_validations()
if messages:
    print(validator.validator_messages_to_str(messages))
    sys.exit(f"PFIF: {len(messages)} message(s) from Person Finder's validator")
if not persons:
    sys.exit("PFIF: the export holds no person: nothing was checked")
print(f"PFIF {validator.version}: {len(persons)} person(s), 0 messages from Person Finder's validator")
