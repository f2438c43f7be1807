"""Trending: the papers of a day, week or month ranked by upvotes."""

from __future__ import annotations

import streamlit as st

from dashboard import data

st.title("Trending papers")

first, last = data.listing_span()
left, middle, right = st.columns([2, 2, 3])
window = left.radio(
    "Window",
    data.WINDOWS,
    index=data.WINDOWS.index(data.TRENDING_WINDOW),
    key="trending_window",
    format_func=str.title,
    horizontal=True,
)
day = middle.date_input(
    "Containing the date", value=last, min_value=first, max_value=last, key="trending_date"
)
start = data.window_start(day, window)
limit = right.slider(
    "Papers", min_value=5, max_value=100, value=data.TRENDING_LIMIT, step=5, key="trending_limit"
)

papers = data.trending_papers(window, start, limit)

label = {"day": "the day", "week": "the week of", "month": "the month of"}[window]
if papers.empty:
    st.info(f"No papers were listed in {label} {start}. Pick another date.")
    st.stop()

st.caption(f"Ranked by latest upvotes in {label} **{start}** (ties: more comments, earlier).")
papers["details"] = data.details_links(papers["paper_id"])
data.safe_links(papers)
st.dataframe(
    papers,
    hide_index=True,
    width="stretch",
    height=36 * (len(papers) + 1) + 3,
    column_order=[
        "rank", "title", "upvotes", "upvote_history", "num_comments", "topics",
        "arxiv_url", "pdf_url", "hf_url", "github_repo", "details", "organization",
    ],
    column_config={
        "rank": st.column_config.NumberColumn("#", width=40),
        "title": st.column_config.TextColumn("title", width=420),
        "upvotes": st.column_config.NumberColumn("upvotes", width=70),
        "upvote_history": st.column_config.LineChartColumn(
            "history", y_min=0, width=90, help="Upvotes at each fetch"
        ),
        "num_comments": st.column_config.NumberColumn("comments", width=80),
        "topics": st.column_config.ListColumn("topics", width=220),
        **data.PAPER_LINKS,
    },
)  # fmt: skip
