"""People: the most upvoted authors and organisations, over a period and a topic."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import data

st.title("People")

first, last = data.listing_span()
PERIODS = {"last 7 days": 7, "last 30 days": 30, "last 365 days": 365, "all time": None}
left, middle, right = st.columns([2, 2, 2])
period = left.selectbox("Period", [*PERIODS, "dates…"], index=1, key="people_period")
if period == "dates…":
    picked = middle.date_input(
        "Listed between", value=(first, last), min_value=first, max_value=last, key="people_dates"
    )
    start, end_inclusive = (picked[0], picked[-1]) if picked else (first, last)
else:
    days = PERIODS[period]
    start = first if days is None else max(first, last - timedelta(days=days - 1))
    end_inclusive = last
    middle.caption(f"Listed {start} … {end_inclusive} (counted back from the newest listing).")
topic = right.selectbox("Topic", ["any topic", *data.topics()], key="people_topic")
params = {
    "start": start,
    "end": end_inclusive + timedelta(days=1),
    "topic": None if topic == "any topic" else topic,
}
# A paper counts when it was listed on a day of [start, end).
PERIOD_AND_TOPIC = """
    p.last_listing_date >= $start and p.first_listing_date < $end
    and ($topic is null or list_contains(pt.topics, $topic))
"""

authors = data.query(
    f"""
    select
        ap.name_key,
        mode(ap.author_name) as author,
        max(ap.hf_username) as hf_username,
        count(*) as papers,
        sum(ap.upvotes) as upvotes,
        arg_max(ap.title, ap.upvotes) as best_paper,
        max(ap.last_listing_date) as last_listed
    from marts.author_papers as ap
    inner join hf.papers as p on ap.paper_id = p.paper_id
    left join marts.paper_topics as pt on ap.paper_id = pt.paper_id
    where {PERIOD_AND_TOPIC}
    group by ap.name_key
    order by upvotes desc, papers desc, ap.name_key
    limit 100
    """,  # noqa: S608 - a constant fragment, values are bound
    **params,
)
organizations = data.query(
    f"""
    select
        p.organization,
        max(p.organization_name) as name,
        count(*) as papers,
        sum(p.upvotes) as upvotes,
        mode(pt.primary_topic) as top_topic,
        arg_max(p.title, p.upvotes) as best_paper
    from hf.papers as p
    left join marts.paper_topics as pt on p.paper_id = pt.paper_id
    where p.organization is not null and {PERIOD_AND_TOPIC}
    group by p.organization
    order by upvotes desc, papers desc, p.organization
    limit 100
    """,  # noqa: S608 - a constant fragment, values are bound
    **params,
)

authors.insert(0, "rank", range(1, len(authors) + 1))
authors["hf_profile"] = authors["hf_username"].map(
    lambda name: f"https://huggingface.co/{name}" if isinstance(name, str) and name else None
)
organizations.insert(0, "rank", range(1, len(organizations) + 1))
organizations["hf_page"] = "https://huggingface.co/" + organizations["organization"]
data.safe_links(authors)

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
                "hf_profile": st.column_config.LinkColumn(
                    "HF", display_text=r"https://huggingface\.co/(.*)"
                ),
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
