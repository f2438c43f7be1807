"""Synthetic Hugging Face Daily Papers responses: a deterministic generator and a bundled sample.

The generator stands in for ``GET /api/daily_papers?date=YYYY-MM-DD`` wherever the real API
must not be called (tests, the loopback fake API, the scale benchmark). See
:mod:`devtools.sample.generator` for what it models and how to regenerate the sample.
"""

from devtools.sample.generator import (
    SAMPLE_DIR,
    SAMPLE_END,
    SAMPLE_START,
    generate_listing,
    listing_json,
    write_bundled_sample,
    write_sample,
)

__all__ = [
    "SAMPLE_DIR",
    "SAMPLE_END",
    "SAMPLE_START",
    "generate_listing",
    "listing_json",
    "write_bundled_sample",
    "write_sample",
]
