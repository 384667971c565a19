"""The import plan: what an uploaded file would do to the roster, row by row, before anything is written.

`build_plan()` reads and normalizes the file once; `evaluate()` compares the normalized rows with the
database (new / changed / unchanged / error / skipped, and the members of the scope the file doesn't
list). The plan is stored as JSON between the preview and the confirmation; on confirmation the same
rows are evaluated again against the database of that moment, and the two digests must agree.

The parts: `rows` (Row and Plan), `build` (reading and normalizing a file: `build_plan`, `evaluate`),
`members` and `appraisals` (the two evaluations), `lookups` (the queries and comparisons they share),
`payload` (the JSON kept between the preview and the confirmation).
"""

from .build import build_plan, evaluate, normalize_record
from .members import ROSTER_FIELDS
from .payload import from_payload, to_payload
from .rows import LABELS, Plan, Row

__all__ = ["LABELS", "ROSTER_FIELDS", "Plan", "Row", "build_plan", "evaluate", "from_payload", "normalize_record", "to_payload"]
