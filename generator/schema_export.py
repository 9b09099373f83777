"""Print the spec's JSON Schema, generated from the same option objects the validator uses:

    python -m generator.schema_export > docs/spec.schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any


def spec_json_schema() -> dict[str, Any]:
    from .spec import SPEC

    schema = SPEC.json_schema()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://gen-directive.invalid/spec.schema.json",
        "title": "gen-directive spec",
        **schema,
    }


def main() -> int:
    from .i18n import set_language

    set_language("vi")  # descriptions are shown to clerks in their editor: Vietnamese, and a stable file
    sys.stdout.write(json.dumps(spec_json_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
