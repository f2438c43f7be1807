"""The words of a paper: invented method names, titles, abstracts, AI summaries and keywords.

Built from the topic's phrases and the shared templates in the vocabulary, so every title and
abstract is invented, yet reads like the field and carries the terms a classifier looks for.
"""

from __future__ import annotations

import random
from functools import lru_cache

from devtools.sample.vocabulary import (
    ADJECTIVES,
    BENEFITS,
    EFFICIENCY_CLAUSES,
    EXTRAS,
    FILLERS,
    FINDINGS,
    GENERIC_STEMS,
    NAME_ENDINGS,
    NAME_SUFFIXES,
    OPENERS,
    RESULTS,
    SYLLABLES,
    TOPICS,
    Topic,
)

_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on"})
_SMALL_WORDS |= {"or", "the", "to", "via", "with", "is"}


@lru_cache(maxsize=4096)
def _title_case(phrase: str) -> str:
    """Title Case that keeps acronyms ("LLMs") and small words ("Chain-of-Thought")."""
    out = []
    for index, word in enumerate(phrase.split(" ")):
        parts = []
        for position, part in enumerate(word.split("-")):
            small = (index or position) and part in _SMALL_WORDS
            upper = any(c.isupper() for c in part)
            parts.append(part if small or upper else part[:1].upper() + part[1:])
        out.append("-".join(parts))
    return " ".join(out)


def _wrap(text: str, first: int, rest: int, indent: str) -> str:
    """Greedy line wrap like arXiv's: lines break at spaces, later lines start with `indent`."""
    words = text.split(" ")
    lines: list[str] = []
    start = 0
    width = len(words[0])
    limit = first
    for index in range(1, len(words)):
        size = len(words[index])
        if width + 1 + size > limit:
            lines.append(" ".join(words[start:index]))
            start, width, limit = index, size, rest
        else:
            width += 1 + size
    lines.append(" ".join(words[start:]))
    return ("\n" + indent).join(lines)


def wrap_title(title: str) -> str:
    return _wrap(title, 72, 77, "  ") if len(title) > 72 else title


def wrap_abstract(text: str) -> str:
    return _wrap(text, 80, 80, "")


def invent_name(rng: random.Random, topic: Topic) -> str:
    roll = rng.random()
    stem = rng.choice(topic.stems)
    if roll < 0.35:
        name = rng.choice(GENERIC_STEMS) + stem
    elif roll < 0.6:
        name = stem + rng.choice(NAME_ENDINGS)
    elif roll < 0.8:
        letters = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        name = letters.upper() if rng.random() < 0.5 else letters.capitalize()
    else:
        name = stem + rng.choice(GENERIC_STEMS)
    if rng.random() < 0.22:
        name += rng.choice(NAME_SUFFIXES)
    return name


def make_title(rng: random.Random, topic: Topic, name: str) -> str:
    task = _title_case(rng.choice(topic.task))
    part = _title_case(rng.choice(topic.part).removeprefix("a "))
    adj = _title_case(rng.choice(ADJECTIVES))
    noun = _title_case(rng.choice(topic.noun))
    template = rng.randrange(10)
    if template == 6 and topic.name != "data_benchmarks" and rng.random() < 0.7:
        template = 0  # benchmark papers are mostly data papers
    if template == 0:
        return f"{name}: {adj} {noun} for {task}"
    if template == 1:
        return f"{name}: Towards {adj} {task}"
    if template == 2:
        return f"{name}: {task} via {part}"
    if template == 3:
        return f"{name}: Improving {task} with {part}"
    if template == 4:
        return f"{part} for {task}"
    if template == 5:
        return f"{name}: Scaling {task} with {part}"
    if template == 6:
        return f"{name}: A Benchmark for {task}"
    if template == 7:
        return f"Rethinking {part} for {task}"
    if template == 8:
        return f"{name}: Learning {task} from {_title_case(rng.choice(topic.items))}"
    return f"{name}: Bridging {part} and {_title_case(rng.choice(topic.part))} for {task}"


def edited_title(rng: random.Random, title: str) -> str:
    """How a submitter's edit of the title on the Hub differs from arXiv's."""
    kind = rng.randrange(4)
    if kind == 0 and "Towards" in title:
        return title.replace("Towards", "Toward", 1)
    if kind == 1 and ": " in title:
        head, tail = title.split(": ", 1)
        return f"{head} - {tail}"
    if kind == 2:
        return title + " "
    return title.replace(" ", "  ", 1)


def make_summary(
    rng: random.Random, topic: Topic, name: str, github_url: str | None
) -> tuple[str, str]:
    """An abstract of ~120-250 words and a one-sentence AI summary.

    Fixed sentences (context, gap, proposal, method, experiments) plus optional ones drawn
    until the target length is reached, each kept in its place in the usual abstract order.
    """
    parts = rng.sample(topic.part, 4)
    benches = rng.sample(topic.bench, min(3, len(topic.bench)))
    baseline = rng.choice(topic.baseline)
    goal = rng.choice(topic.goal)
    adj = rng.choice(ADJECTIVES)
    article = "an" if adj[0] in "aeiou" else "a"
    context = rng.choice(topic.context)
    result = rng.choice(RESULTS).format(baseline=baseline)
    dataset_size = rng.randint(2, 900)
    opener = rng.choice(OPENERS).format(
        name=name, a=article, adj=adj, noun=rng.choice(topic.noun), goal=goal
    )
    experiments = f"Extensive experiments on {', '.join(benches[:-1])} and {benches[-1]}"
    finding = rng.choice(FINDINGS).format(part=parts[0], part2=parts[2])
    improvement = f"{rng.choice(topic.metric)} by {rng.uniform(1.5, 24.0):.1f}% over {baseline}"
    extras = [e.format(name=name, task=rng.choice(topic.task)) for e in rng.sample(EXTRAS, 3)]
    # (position, sentence); the position orders the abstract.
    fixed = [
        (0, f"{context}."),
        (2, f"However, {rng.choice(topic.gap)}."),
        (4, opener),
        (5, f"{name} combines {parts[0]} with {parts[1]}, {rng.choice(BENEFITS)}."),
        (8, f"{experiments} demonstrate that {name} {result}."),
    ]
    optional = [
        (1, rng.choice([c for c in topic.context if c != context]) + "."),
        (3, rng.choice(FILLERS).format(task=rng.choice(topic.task))),
        (
            6,
            f"Specifically, we introduce {parts[2]} together with {parts[3]}, and show how both "
            "can be trained end to end.",
        ),
        (
            7,
            f"To support training and evaluation, we further construct {name}-{dataset_size}K, a "
            f"dataset of {dataset_size}K {rng.choice(topic.items)}.",
        ),
        (9, f"Notably, {name} improves {improvement} {rng.choice(EFFICIENCY_CLAUSES)}."),
        (10, extras[0]),
        (11, f"Further analysis shows that {finding}."),
        (12, extras[1]),
        (13, extras[2]),
    ]
    rng.shuffle(optional)
    target = round(rng.triangular(115, 250, 180))
    words = sum(len(sentence.split()) for _, sentence in fixed)
    chosen = list(fixed)
    while optional and words < target:
        position, sentence = optional.pop()
        chosen.append((position, sentence))
        words += len(sentence.split())
    chosen.sort(key=lambda pair: pair[0])
    sentences = [sentence for _, sentence in chosen]
    if github_url is not None and rng.random() < 0.7:
        sentences.append(f"Code is available at {github_url}.")
    elif rng.random() < 0.3:
        sentences.append("Code and models will be released.")
    ai_summary = (
        f"{name} uses {parts[0]} and {parts[1]} to {goal}, outperforming {baseline} on "
        f"{benches[0]} and {benches[-1]}."
    )
    return " ".join(sentences), ai_summary


def _keyword_variant(rng: random.Random, keyword: str) -> str:
    roll = rng.random()
    if roll < 0.12 and not any(c.isupper() for c in keyword):
        return _title_case(keyword)
    if roll < 0.22:
        if keyword.endswith("models"):
            return keyword[:-1]
        if keyword.endswith("model"):
            return keyword + "s"
    if roll < 0.28 and "-" in keyword:
        return keyword.replace("-", " ")
    if roll < 0.235 and keyword == keyword.lower() and keyword.count(" ") >= 2:
        acronym = "".join(w[0] for w in keyword.split()).upper()
        return f"{keyword} ({acronym})"
    return keyword


def make_keywords(rng: random.Random, topic: Topic, name: str) -> tuple[str, ...]:
    count = rng.randint(5, 15) if rng.random() < 0.92 else rng.randint(16, 24)
    pool = list(topic.keywords) + list(topic.part[:3])
    chosen = rng.sample(pool, min(count, len(pool)))
    if rng.random() < 0.15:  # a paper that borrows from a neighbouring field
        chosen.append(rng.choice(rng.choice(list(TOPICS.values())).keywords[:4]))
    keywords = [_keyword_variant(rng, k) for k in chosen]
    if rng.random() < 0.5:
        keywords.insert(0, name)
    if rng.random() < 0.3:
        keywords.append(rng.choice(topic.bench))
    return tuple(dict.fromkeys(keywords))  # drop repeats, keep order
