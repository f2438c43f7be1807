"""Topics: how the mix of topics moves, which topics rise, and the words that are new."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data, ranking_queries

st.title("Topics")

weeks = ranking_queries.topic_weeks()
if weeks.empty:
    st.info("No weekly topic counts yet: the serving copy holds no listings.")
    st.stop()

# Topic share over time.
grain = st.radio(
    "Share of papers per",
    ranking_queries.TOPIC_GRAINS,
    index=ranking_queries.TOPIC_GRAINS.index(ranking_queries.first_topic_grain(weeks)),
    horizontal=True,
    key="topics_grain",
)
shares = ranking_queries.topic_shares(grain)
hide_other = st.checkbox("Leave out papers with no topic (`other`)", value=True, key="topics_other")
st.altair_chart(charts.topic_shares(shares, data.topics(), hide_other), width="stretch")
st.caption("Each paper counts once, under its primary topic; the newest week may be in progress.")

# One week in detail.
week = st.selectbox(
    "Week (from Monday)", weeks["week_start"].dt.date.tolist(), index=0, key="topics_week"
)
left, right = st.columns(2)
with left:
    st.subheader("Rising topics")
    rising = ranking_queries.rising_topics(week)
    st.dataframe(
        rising,
        hide_index=True,
        column_config={
            "share_of_papers": st.column_config.ProgressColumn(
                "share", format="percent", min_value=0, max_value=1
            ),
            "trailing_mean_share": st.column_config.NumberColumn("trailing mean", format="percent"),
            "share_z_score": st.column_config.NumberColumn("z-score", format="%.2f"),
            "papers_change": st.column_config.NumberColumn("Δ papers"),
            "trailing_weeks_observed": st.column_config.NumberColumn("weeks of history"),
        },
    )
    if rising["share_z_score"].isna().all():
        st.caption("No z-scores yet: a topic needs two earlier weeks with listings.")
with right:
    st.subheader("Emerging keywords")
    keywords = ranking_queries.emerging_keywords(week)
    if keywords.empty:
        st.info("No keyword was carried by enough papers this week.")
    else:
        st.dataframe(
            keywords,
            hide_index=True,
            column_config={
                "rank": st.column_config.NumberColumn("#", width="small"),
                "trailing_mean_papers": st.column_config.NumberColumn("before", format="%.2f"),
                "lift": st.column_config.NumberColumn("lift", format="%.2f"),
                "spellings": st.column_config.ListColumn("spellings"),
            },
        )

st.subheader("Top papers of a topic")
topic_names = data.topics()
topic = st.selectbox("Topic", topic_names, index=0, key="topics_topic")
primary_only = st.checkbox("Primary topic only", value=False, key="topics_primary")
papers = ranking_queries.topic_papers(week, topic, primary_only)
if papers.empty:
    st.info(f"No paper on {topic} was listed in the week of {week}.")
else:
    papers["details"] = data.details_links(papers["paper_id"])
    data.safe_links(papers)
    st.dataframe(
        papers.drop(columns=["paper_id"]),
        hide_index=True,
        width="stretch",
        column_config={
            "week_rank": st.column_config.NumberColumn("rank in week", width="small"),
            "title": st.column_config.TextColumn("title", width="large"),
            "topics": st.column_config.ListColumn("topics"),
            **data.PAPER_LINKS,
        },
    )
