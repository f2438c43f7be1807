"""Now: what is trending right now, and why, with the score's inputs to play with."""

from __future__ import annotations

import streamlit as st

from dashboard import data, ranking_queries

st.title("Trending now")

defaults = ranking_queries.trending_now_defaults()
if defaults is None:
    st.info("No recent papers to score: the serving copy holds no listings in the recent span.")
    st.stop()

st.caption(
    "Papers of the last listing days, scored as of the newest fetch: "
    "**score = upvotes / (age_hours + offset) ^ gravity**, the mart's own formula. Higher "
    "gravity favours newer papers; change the inputs to re-rank."
)
left, middle, right = st.columns(3)
gravity = left.slider("gravity", 0.0, 3.0, value=defaults.gravity, step=0.1, key="now_gravity")
offset = middle.slider(
    "age offset (hours)", 0.0, 24.0, value=defaults.age_offset_hours, step=0.5, key="now_offset"
)
min_upvotes = right.number_input("min upvotes", min_value=0, value=0, step=1, key="now_min")

ranked = ranking_queries.trending_now(
    ranking_queries.ScoreInputs(gravity, offset, int(min_upvotes))
)
if ranked.empty:
    st.info(f"No recent paper has {min_upvotes} upvotes or more.")
    st.stop()
scored_at = ranked["scored_at"].iloc[0]
st.caption(f"Scored as of {scored_at:%Y-%m-%d %H:%M} UTC.")
ranked["details"] = data.details_links(ranked["paper_id"])
data.safe_links(ranked)
st.dataframe(
    ranked,
    hide_index=True,
    width="stretch",
    column_order=[
        "rank", "title", "score", "upvotes", "age_hours", "upvote_velocity", "num_comments",
        "mart_rank", "hf_url", "arxiv_url", "github_repo", "details",
    ],
    column_config={
        "rank": st.column_config.NumberColumn("#", width="small"),
        "title": st.column_config.TextColumn("title", width="large"),
        "score": st.column_config.NumberColumn("score", format="%.3g"),
        "age_hours": st.column_config.NumberColumn("age (h)", format="%.1f"),
        "upvote_velocity": st.column_config.NumberColumn(
            "upvotes/day",
            format="%.1f",
            help="Between the paper's two newest fetches; None until it was fetched twice",
        ),
        "num_comments": st.column_config.NumberColumn("comments"),
        "mart_rank": st.column_config.NumberColumn(
            "default rank", help="As marts.trending_now ranks it, with its own inputs"
        ),
        **data.PAPER_LINKS,
    },
)  # fmt: skip
