"""Shared fixtures. Tests that need ../shared/data skip with a reason when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV_DATA = ROOT.parent / "shared" / "data" / "dev"
SEED = ROOT / "examples" / "seed_article.txt"

needs_dev_data = pytest.mark.skipif(
    not DEV_DATA.exists(),
    reason=f"dev data not found at {DEV_DATA} (it sits beside the repo in CI; see README)",
)
