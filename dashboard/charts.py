"""The dashboard's charts, built here so the warm-up (dashboard/warmup.py) can build them too:
the first chart of a process pays for importing Altair and loading its Vega-Lite schema."""

from __future__ import annotations

import altair as alt
import pandas as pd


def topic_shares(shares: pd.DataFrame) -> alt.Chart:
    """Stacked areas of each topic's share of papers per period (`data.topic_shares`)."""
    return (
        alt.Chart(shares)
        .mark_area()
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y(
                "share_of_papers:Q",
                stack="zero",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
                title="share of papers",
            ),
            color=alt.Color(
                "topic:N",
                legend=alt.Legend(orient="right", title=None),
                scale=alt.Scale(scheme="tableau20"),
            ),
            order=alt.Order("topic:N"),
            tooltip=[
                "period:T",
                "topic:N",
                "papers:Q",
                alt.Tooltip("share_of_papers:Q", format=".1%"),
            ],
        )
        .properties(height=470)
    )
