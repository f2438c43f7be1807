"""Search: ranked full-text search (BM25) over titles, abstracts and keywords, through the
warehouse's own ranking (marts.search_papers), listed as cards with the matched words
highlighted (dashboard/listing.py)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, listing, paper_queries
from pipelines.words import query_terms

st.title("Search papers")

first, last = data.listing_span()
text = st.text_input(
    "Search titles, abstracts and keywords",
    placeholder="e.g. video diffusion, test-time scaling, 2511.11177",
    key="q",
    bind="query-params",  # a search is a link: /search?q=video+diffusion
)
with st.expander("Filters", expanded=True):
    left, middle, right = st.columns([3, 3, 2])
    picked = left.date_input(
        "Listed between", value=(first, last), min_value=first, max_value=last, key="search_dates"
    )
    chosen_topics = middle.multiselect("Topics (any of)", data.topics(), key="search_topics")
    has_code = right.checkbox("Has code", key="search_code")
    min_upvotes = right.number_input("Min upvotes", min_value=0, value=0, key="search_upvotes")
start, end_inclusive = (picked[0], picked[-1]) if picked else (first, last)
filters = paper_queries.search_filters(start, end_inclusive, chosen_topics, has_code, min_upvotes)

results = paper_queries.search_results(text, filters, limit=paper_queries.SEARCH_LIMIT)
if results.empty:
    st.info("No paper matches. Try other words or wider filters.")
    st.stop()

what = f"for **{data.plain(text.strip())}**" if text.strip() else "(no words: by upvotes)"
st.caption(f"{len(results)} papers {what}, out of {paper_queries.indexed_papers()} indexed.")
st.html(listing.listing_html(results.to_dict("records"), query_terms(text)))
