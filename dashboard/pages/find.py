"""Search: ranked full-text search (BM25) over titles, abstracts and keywords."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import data
from dashboard.search import SearchFilters

st.title("Search papers")

first, last = data.listing_span()
text = st.text_input(
    "Search titles, abstracts and keywords",
    placeholder="e.g. video diffusion, test-time scaling, 2511.11177",
    key="search_text",
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
filters = SearchFilters(
    start=start,
    end=end_inclusive + timedelta(days=1),
    topics=tuple(chosen_topics),
    has_code=has_code,
    min_upvotes=int(min_upvotes),
)

index = data.search_index()
hits = index.search(text, filters, limit=100)
if not hits:
    st.info("No paper matches. Try other words or wider filters.")
    st.stop()

scores = {hit.paper_id: hit.score for hit in hits}
results = data.query(
    """
    select
        p.paper_id, p.title, p.upvotes, pt.topics, p.first_listing_date, p.ai_summary,
        p.arxiv_url, p.pdf_url, p.hf_url, p.github_repo
    from hf.papers as p
    left join marts.paper_topics as pt on p.paper_id = pt.paper_id
    where list_contains($ids, p.paper_id)
    """,
    ids=sorted(scores),
)
results["score"] = results["paper_id"].map(scores)
results["rank"] = results["paper_id"].map({hit.paper_id: hit.rank for hit in hits})
results = results.sort_values("rank")
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
