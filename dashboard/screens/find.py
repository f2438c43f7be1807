"""Search: ranked full-text search (BM25) over titles, abstracts and keywords."""

from __future__ import annotations

import streamlit as st

from dashboard import data

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
filters = data.search_filters(start, end_inclusive, chosen_topics, has_code, min_upvotes)

index = data.search_index()
hits = index.search(text, filters, limit=data.SEARCH_LIMIT)
if not hits:
    st.info("No paper matches. Try other words or wider filters.")
    st.stop()

results = data.search_results(hits)
results["details"] = data.details_links(results["paper_id"])
data.safe_links(results)
what = f"for **{text.strip()}**" if text.strip() else "(no words: by upvotes)"
st.caption(f"{len(results)} papers {what}, out of {len(index)} indexed.")
st.dataframe(
    results,
    hide_index=True,
    width="stretch",
    column_order=[
        "rank", "title", "score", "upvotes", "topics", "first_listing_date", "ai_summary",
        "arxiv_url", "pdf_url", "hf_url", "github_repo", "details",
    ],
    column_config={
        "rank": st.column_config.NumberColumn("#", width="small"),
        "title": st.column_config.TextColumn("title", width="large"),
        "score": st.column_config.NumberColumn("BM25", format="%.2f"),
        "topics": st.column_config.ListColumn("topics"),
        "first_listing_date": st.column_config.DateColumn("listed"),
        "ai_summary": st.column_config.TextColumn("summary", width="large"),
        **data.PAPER_LINKS,
    },
)  # fmt: skip
