"""A paper's code repository and project page, canonical or in the messy forms real ones take.

Trailing slashes, `.git`, deeper paths, other hosts, stray whitespace and free text: the forms
the warehouse's normalisation must turn into one canonical link (or null).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from devtools.sample.draws import pick, weighted
from devtools.sample.people import Author, ascii_fold
from devtools.sample.vocabulary import GIT_HOSTS, ORGANIZATIONS, PAGE_HOSTS

GITHUB_VARIANTS = (
    # (form, weight); most repos are canonical. On top of these draws, every listing day
    # writes one repo in a messy form (see `day_plan.plan_day`), so about 15% are messy overall.
    ("canonical", 93.0),
    ("trailing_slash", 1.5),
    ("dot_git", 0.8),
    ("tree_path", 1.2),
    ("blob_path", 0.5),
    ("http_www", 0.5),
    ("owner_only", 0.6),
    ("other_host", 0.6),
    ("embedded_newline", 0.4),
    ("embedded_space", 0.4),
    ("query_fragment", 0.5),
)

MESSY_GITHUB_FORMS = tuple(form for form, _ in GITHUB_VARIANTS if form != "canonical")

_GITHUB_VARIANTS = weighted(GITHUB_VARIANTS)


def github_owner(rng: random.Random, name: str, authors: Sequence[Author]) -> str:
    roll = rng.random()
    linked = [a.user for a in authors if a.user is not None]
    if roll < 0.35 and linked:
        return rng.choice(linked).username
    if roll < 0.6:
        plain = ascii_fold(rng.choice(authors).name).split() or ["lab"]
        digits = str(rng.randint(0, 99)) if rng.random() < 0.3 else ""
        return (plain[0][0] + plain[-1]).lower() + digits
    if roll < 0.8:
        return f"{ascii_fold(name).replace(' ', '')}-{rng.choice(('team', 'project', 'lab', 'ai'))}"
    return rng.choice(ORGANIZATIONS)[0]


def github_repo(rng: random.Random, owner: str, repo: str, kind: str | None) -> str:
    """`https://github.com/owner/repo`, or one of the messy forms real papers carry."""
    kind = kind or pick(rng, _GITHUB_VARIANTS)
    canonical = f"https://github.com/{owner}/{repo}"
    if kind == "trailing_slash":
        return canonical + "/"
    if kind == "dot_git":
        return canonical + ".git"
    if kind == "tree_path":
        sub = rng.choice(("examples", "src", repo.lower(), "projects/release", "training"))
        return f"{canonical}/tree/main/{sub}"
    if kind == "blob_path":
        return f"{canonical}/blob/{rng.choice(('main', 'master'))}/README.md"
    if kind == "http_www":
        return f"http://www.github.com/{owner}/{repo}"
    if kind == "owner_only":
        return f"https://github.com/{owner}"
    if kind == "other_host":
        return f"{rng.choice(GIT_HOSTS)}/{owner}/{repo}"
    if kind == "embedded_newline":
        return f"https://github.com/{owner}/\n{repo}"
    if kind == "embedded_space":
        return rng.choice((f"https://github.com/{owner}/ {repo}", f" {canonical} "))
    if kind == "query_fragment":
        return canonical + rng.choice(("?tab=readme-ov-file", "#readme", "?tab=readme-ov-file#"))
    return canonical


def project_page(rng: random.Random, owner: str, repo: str, paper_id: str) -> str:
    roll = rng.random()
    if roll < 0.55:
        page = f"https://{owner.lower()}.github.io/{rng.choice((repo, repo.lower(), ''))}"
        page = page if page.endswith("/") or rng.random() < 0.4 else page + "/"
    elif roll < 0.7:
        page = f"https://{repo.lower()}.{rng.choice(('ai', 'io', 'com', 'org', 'dev'))}"
    elif roll < 0.78:
        host = rng.choice(PAGE_HOSTS)
        page = f"https://{host}/{repo.lower()}" if "/" in host else f"https://{repo.lower()}.{host}"
    elif roll < 0.84:
        page = rng.choice(
            (
                f"https://huggingface.co/spaces/{owner}/{repo}",
                f"https://huggingface.co/datasets/{owner}/{repo}",
                f"https://huggingface.co/papers/{paper_id}",
                f"https://huggingface.co/{owner}",
            )
        )
    elif roll < 0.9:
        page = f"https://github.com/{owner}/{repo}"
    elif roll < 0.93:
        page = rng.choice(
            (f"{owner.lower()}.github.io/{repo}", "Coming soon", "see github", "TBD", "N/A")
        )
    else:
        page = f"https://{owner.lower()}.github.io/{repo}/"
    if rng.random() < 0.05:
        page = rng.choice((f" {page}", f"{page} ", f"{page}\n"))
    return page
