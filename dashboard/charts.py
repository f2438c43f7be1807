"""The dashboard's charts, built here so the warm-up (dashboard/warmup.py) can build them too:
the first chart of a process pays for importing Altair and loading its Vega-Lite schema."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

# Vega's tableau20 and four dark tones of category20b: the taxonomy has 22 topics, and with
# tableau20 alone the first and the last shared a colour, at the bottom and top of the stack.
TOPIC_COLOURS = (
    "#4c78a8", "#9ecae9", "#f58518", "#ffbf79", "#54a24b", "#88d27a", "#b79a20", "#f2cf5b",
    "#439894", "#83bcb6", "#e45756", "#ff9d98", "#79706e", "#bab0ac", "#d67195", "#fcbfd2",
    "#b279a2", "#d6a5c9", "#9e765f", "#d8b5a5", "#393b79", "#637939", "#843c39", "#7b4173",
)  # fmt: skip


def topic_shares(
    shares: pd.DataFrame, topics: Sequence[str], hide_other: bool = False
) -> alt.Chart:
    """Stacked areas of each topic's share of papers per period (`ranking_queries.topic_shares`),
    without the papers of no topic (`other`) when `hide_other`.

    Colours follow `topics` in the order `data.topics()` gives (`other` last), so a topic
    keeps its colour whatever period is shown and whether `other` is.
    """
    if hide_other:
        shares = shares[shares["topic"] != "other"]
        topics = [topic for topic in topics if topic != "other"]
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
                scale=alt.Scale(domain=list(topics), range=list(TOPIC_COLOURS)),
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
