"""Topics: how the mix of topics moves, which topics rise, and the words that are new."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import data

st.title("Topics")

weeks = data.query("select distinct week_start from marts.topic_trends order by week_start desc")
if weeks.empty:
    st.info("No weekly topic counts yet: the serving copy holds no listings.")
    st.stop()

# Topic share over time.
grain = st.radio(
    "Share of papers per",
    ["week", "day"],
    index=0 if len(weeks) >= 4 else 1,
    horizontal=True,
    key="topics_grain",
)
if grain == "week":
    shares = data.query(
        "select week_start as period, topic, share_of_papers, papers from marts.topic_trends "
        "order by period, topic"
    )
else:
    shares = data.query(
        "select listing_date as period, topic, share_of_papers, papers from marts.topic_daily "
        "order by period, topic"
    )
hide_other = st.checkbox("Leave out papers with no topic (`other`)", value=True, key="topics_other")
if hide_other:
    shares = shares[shares["topic"] != "other"]
chart = (
    alt.Chart(shares)
    .mark_area()
    .encode(
        x=alt.X("period:T", title=None),
        y=alt.Y(
            "share_of_papers:Q",
            stack="zero",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
            title="share of papers",
        ),
        color=alt.Color(
            "topic:N",
            legend=alt.Legend(orient="right", title=None),
            scale=alt.Scale(scheme="tableau20"),
        ),
        order=alt.Order("topic:N"),
        tooltip=["period:T", "topic:N", "papers:Q", alt.Tooltip("share_of_papers:Q", format=".1%")],
    )
    .properties(height=470)
)
st.altair_chart(chart, width="stretch")
st.caption("Each paper counts once, under its primary topic; the newest week may be in progress.")

# One week in detail.
week = st.selectbox(
    "Week (from Monday)", weeks["week_start"].dt.date.tolist(), index=0, key="topics_week"
)
left, right = st.columns(2)
with left:
    st.subheader("Rising topics")
    rising = data.query(
        """
        select
            topic, papers, papers_change, share_of_papers, trailing_mean_share,
            share_z_score, trailing_weeks_observed
        from marts.topic_trends
        where week_start = $week and papers > 0
        order by share_z_score desc nulls last, papers desc, topic
        """,
        week=week,
    )
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
    keywords = data.query(
        """
        select rank, keyword, papers, trailing_mean_papers, lift, is_new, spellings
        from marts.emerging_keywords
        where week_start = $week
        order by rank
        limit 25
        """,
        week=week,
    )
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
papers = data.query(
    """
    select
        tp.rank as week_rank, tp.title, tp.upvotes, tp.num_comments, tp.primary_topic,
        pt.topics, tp.arxiv_url, tp.hf_url, tp.github_repo, tp.paper_id
    from marts.trending_papers as tp
    left join marts.paper_topics as pt on tp.paper_id = pt.paper_id
    where tp."window" = 'week' and tp.window_start = $week
        and (tp.primary_topic = $topic or (not $primary_only and list_contains(pt.topics, $topic)))
    order by tp.rank
    limit 20
    """,
    week=week,
    topic=topic,
    primary_only=primary_only,
)
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
