"""Trending: the papers of a day, week or month ranked by upvotes, listed as cards
(dashboard/listing.py)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, listing, ranking_queries

st.title("Trending papers")

first, last = data.listing_span()
left, middle, right = st.columns([2, 2, 3])
window = left.radio(
    "Window",
    data.WINDOWS,
    index=data.WINDOWS.index(ranking_queries.TRENDING_WINDOW),
    key="trending_window",
    format_func=str.title,
    horizontal=True,
)
day = middle.date_input(
    "Containing the date", value=last, min_value=first, max_value=last, key="trending_date"
)
start = data.window_start(day, window)
limit = right.slider(
    "Papers",
    min_value=5,
    max_value=100,
    value=ranking_queries.TRENDING_LIMIT,
    step=5,
    key="trending_limit",
)

papers = ranking_queries.trending_papers(window, start, limit)

label = {"day": "the day", "week": "the week of", "month": "the month of"}[window]
if papers.empty:
    st.info(f"No papers were listed in {label} {start}. Pick another date.")
    st.stop()

st.caption(f"Ranked by latest upvotes in {label} **{start}** (ties: more comments, earlier).")
st.html(listing.listing_html(papers.to_dict("records")))
