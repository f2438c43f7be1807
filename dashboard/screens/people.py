"""People: the most upvoted authors and organisations, over a period and a topic."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import data, ranking_queries

st.title("People")

first, last = data.listing_span()
left, middle, right = st.columns([2, 2, 2])
periods = [*ranking_queries.PEOPLE_PERIODS, "dates…"]
period = left.selectbox(
    "Period", periods, index=periods.index(ranking_queries.PEOPLE_PERIOD), key="people_period"
)
if period == "dates…":
    picked = middle.date_input(
        "First listed between",
        value=(first, last),
        min_value=first,
        max_value=last,
        key="people_dates",
    )
    start, end_inclusive = (picked[0], picked[-1]) if picked else (first, last)
else:
    start, end_inclusive = ranking_queries.people_period(first, last, period)
    middle.caption(
        f"First listed {start} … {end_inclusive} (counted back from the newest listing)."
    )
topic = right.selectbox("Topic", ["any topic", *data.topics()], key="people_topic")
end = end_inclusive + timedelta(days=1)
chosen_topic = None if topic == "any topic" else topic
authors = ranking_queries.top_authors(start, end, chosen_topic)
organizations = ranking_queries.top_organizations(start, end, chosen_topic)

authors.insert(0, "rank", range(1, len(authors) + 1))
authors["hf_profile"] = data.hf_profiles(authors["hf_username"])
organizations.insert(0, "rank", range(1, len(organizations) + 1))
organizations["hf_page"] = "https://huggingface.co/" + organizations["organization"]

tab_authors, tab_organizations = st.tabs(["Authors", "Organisations"])
with tab_authors:
    if authors.empty:
        st.info("No authors in this period and topic.")
    else:
        st.dataframe(
            authors.drop(columns=["name_key", "hf_username"]),
            hide_index=True,
            width="stretch",
            column_config={
                "rank": st.column_config.NumberColumn("#", width="small"),
                "best_paper": st.column_config.TextColumn("best paper", width="large"),
                "last_listed": st.column_config.DateColumn("last listed"),
                **data.HF_PROFILE_LINK,
            },
        )
with tab_organizations:
    if organizations.empty:
        st.info("No organisations in this period and topic.")
    else:
        st.dataframe(
            organizations,
            hide_index=True,
            width="stretch",
            column_config={
                "rank": st.column_config.NumberColumn("#", width="small"),
                "best_paper": st.column_config.TextColumn("best paper", width="large"),
                "hf_page": st.column_config.LinkColumn("HF", display_text="page"),
            },
        )
