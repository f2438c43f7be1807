"""Paper: one paper's details, authors, listing dates and upvote history."""

from __future__ import annotations

import streamlit as st

from dashboard import data, paper_queries

st.title("Paper")

wanted = st.query_params.get("id", "")
paper_id = st.text_input(
    "arXiv id", value=wanted, placeholder="e.g. 2511.11177", key="paper_id"
).strip()
if not paper_id:
    latest = paper_queries.latest_papers()
    choices = dict(zip(latest["paper_id"], latest["title"], strict=True))
    paper_id = st.selectbox(
        "… or pick one of the latest papers",
        list(choices),
        format_func=lambda key: f"{key} · {choices[key]}",
        key="paper_pick",
    )
if not paper_id:
    st.stop()
st.query_params["id"] = paper_id

found = paper_queries.paper(paper_id)
if found.empty:
    st.warning(f"No paper {data.plain(repr(paper_id))} in the serving copy.")
    st.stop()
paper = found.iloc[0]

st.header(data.plain(paper["title"]), anchor=False)
links = [
    ("arXiv", paper["arxiv_url"]),
    ("PDF", paper["pdf_url"]),
    ("Hugging Face", paper["hf_url"]),
    ("code", paper["github_repo"]),
    ("project page", paper["project_page"]),
]
st.markdown(" · ".join(f"[{name}](<{url}>)" for name, url in links if data.web_url(url)))
first_column, second_column, third_column, fourth_column = st.columns(4)
first_column.metric("upvotes", int(paper["upvotes"]))
second_column.metric("comments", int(paper["num_comments"]))
third_column.metric("first listed", str(paper["first_listing_date"].date()))
fourth_column.metric("primary topic", paper["primary_topic"] or "other")
if paper["topics"] is not None and len(paper["topics"]):
    st.markdown("**Topics:** " + ", ".join(data.plain(topic) for topic in paper["topics"]))
if isinstance(paper["ai_summary"], str):
    st.info(data.plain(paper["ai_summary"]))
if isinstance(paper["abstract"], str):
    with st.expander("Abstract", expanded=True):
        st.markdown(data.plain(paper["abstract"]))
if paper["ai_keywords"] is not None and len(paper["ai_keywords"]):
    st.caption("Keywords: " + data.plain(", ".join(paper["ai_keywords"])))

authors = paper_queries.paper_authors(paper_id)
authors["hf_profile"] = data.hf_profiles(authors["hf_username"])
listings = paper_queries.paper_listings(paper_id)
history = paper_queries.upvote_history(paper_id)
left, right = st.columns(2)
with left:
    st.subheader(f"Authors ({len(authors)})")
    st.dataframe(
        authors.drop(columns=["hf_username"]),
        hide_index=True,
        column_config={
            "position": st.column_config.NumberColumn("#", width="small"),
            **data.HF_PROFILE_LINK,
        },
    )
with right:
    st.subheader("Listed on")
    st.dataframe(
        listings,
        hide_index=True,
        column_config={
            "listing_date": st.column_config.DateColumn("listing date"),
            "position": st.column_config.NumberColumn("position", help="Rank in that listing"),
            "num_comments": st.column_config.NumberColumn("comments"),
        },
    )
    st.subheader("Upvote history")
    if len(history) > 1:
        st.line_chart(history, x="fetched_at", y="upvotes", height=220)
    st.dataframe(
        history,
        hide_index=True,
        column_config={
            "fetched_at": st.column_config.DatetimeColumn("fetched", format="YYYY-MM-DD HH:mm z"),
            "num_comments": st.column_config.NumberColumn("comments"),
        },
    )
