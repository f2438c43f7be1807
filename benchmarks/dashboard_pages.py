"""Time each dashboard page over a serving copy (Streamlit's AppTest, in-process).

    PAPERBOARD_DATA_DIR=<dir with serving.duckdb> .venv/bin/python benchmarks/dashboard_pages.py

Each page is rendered twice: cold (queries and the search index built) and warm (cached).
"""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "dashboard" / "main.py"
PAGES = [None, "screens/now.py", "screens/topics.py", "screens/people.py", "screens/find.py",
         "screens/paper.py"]  # fmt: skip


def main() -> None:
    test = AppTest.from_file(str(APP), default_timeout=120)
    for page in PAGES:
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            if page is None:
                test.run()
            else:
                test.switch_page(page).run()
            timings.append(time.perf_counter() - started)
            assert not test.exception, [exception.value for exception in test.exception]
        name = page or "screens/trending.py (home)"
        print(f"{name:28} cold {timings[0]:.2f} s, warm {timings[1]:.2f} s")


if __name__ == "__main__":
    main()
