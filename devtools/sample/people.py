"""Hugging Face accounts: authors, Hub users, the few prolific curators, organisations.

Authors' names come from the vocabulary's pools (weighted by origin, with the odd spacing and
markers real author lists carry); Hub users get avatars, usernames and followers; every
account is invented.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from devtools.sample.draws import new_object_id, pick, token, weighted
from devtools.sample.vocabulary import NAME_POOLS, NON_LATIN_NAMES, ORGANIZATIONS, SYLLABLES

UPLOADS_URL = "https://cdn-uploads.huggingface.co/production/uploads/{}/{}.{}"
AVATAR_UPLOAD_URL = "https://cdn-avatars.huggingface.co/v1/production/uploads/{}/{}.{}"

_ORIGINS = weighted([(origin, pool[2]) for origin, pool in NAME_POOLS.items()])


@dataclass(frozen=True)
class HubUser:
    object_id: str
    avatar_url: str
    fullname: str
    username: str
    is_pro: bool
    follower_count: int
    is_hf: bool = False


@dataclass(frozen=True)
class Author:
    name: str
    hidden: bool
    user: HubUser | None
    status: str | None
    status_changed_at: datetime | None


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -"))


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.008:
        return rng.choice(NON_LATIN_NAMES)
    origin = pick(rng, _ORIGINS)
    given, surnames, _ = NAME_POOLS[origin]
    first = rng.choice(given)
    last = rng.choice(surnames)
    if origin == "spanish" and rng.random() < 0.3:
        last = f"{last} {rng.choice(surnames)}"
    if origin in ("english", "french", "german") and rng.random() < 0.12:
        first = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}."
    family_first = origin == "chinese" and rng.random() < 0.04
    name = f"{last} {first}" if family_first else f"{first} {last}"
    roll = rng.random()
    if roll < 0.004:
        return name.replace(" ", "~", 1)
    if roll < 0.008:
        return name + rng.choice(("*", "†", " *"))
    if roll < 0.013:
        return name.replace(" ", "  ", 1)
    if roll < 0.018:
        return name + " "
    return name


def _username(rng: random.Random, name: str) -> str:
    plain = ascii_fold(name).split()
    if not plain:
        return f"user{rng.randint(100, 99999)}"
    first, last = plain[0], plain[-1]
    style = rng.randrange(7)
    if style == 0:
        handle = f"{first}{last}".lower()
    elif style == 1:
        handle = f"{first[0]}{last}".lower()
    elif style == 2:
        handle = f"{last}{first}"
    elif style == 3:
        handle = f"{first}-{last}".lower()
    elif style == 4:
        handle = f"{first.lower()}{rng.randint(1, 2025)}"
    elif style == 5:
        handle = f"{first}{last[0]}"
    else:
        handle = "".join(rng.choice(SYLLABLES) for _ in range(3)) + str(rng.randint(0, 99))
    return handle.replace(" ", "")


def hub_user(rng: random.Random, name: str, since: datetime) -> HubUser:
    created = since - timedelta(days=rng.randint(30, 1600), seconds=rng.randint(0, 86_399))
    object_id = new_object_id(rng, created)
    if rng.random() < 0.55:
        avatar = f"/avatars/{rng.getrandbits(128):032x}.svg"
    else:
        ext = rng.choice(("jpeg", "png", "jpg", "webp"))
        avatar = AVATAR_UPLOAD_URL.format(object_id, token(rng), ext)
    username = _username(rng, name)
    roll = rng.random()
    if roll < 0.65:
        fullname = name.strip()
    elif roll < 0.8:
        fullname = username
    elif roll < 0.9:
        fullname = name.split()[0] if name.split() else name
    else:
        fullname = ascii_fold(name).replace(" ", "").lower() or username
    followers = int(math.exp(rng.gauss(1.0, 1.6))) if rng.random() < 0.7 else 0
    return HubUser(object_id, avatar, fullname, username, rng.random() < 0.08, followers)


@lru_cache(maxsize=16)
def curators(seed: int) -> tuple[HubUser, ...]:
    """A few prolific people who submit many papers that are not their own."""
    rng = random.Random(f"{seed}:curators")
    since = datetime(2023, 1, 1, tzinfo=UTC)
    users = []
    for index in range(6):
        user = hub_user(rng, person_name(rng), since)
        followers = rng.randint(150, 9000)
        users.append(replace(user, is_pro=index < 3, follower_count=followers, is_hf=index == 0))
    return tuple(users)


@lru_cache(maxsize=16)
def organizations(seed: int) -> tuple[dict[str, str], ...]:
    rng = random.Random(f"{seed}:organizations")
    orgs = []
    for name, fullname in ORGANIZATIONS:
        created = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 90_000_000))
        object_id = new_object_id(rng, created)
        org = {"_id": object_id, "name": name, "fullname": fullname}
        if rng.random() < 0.92:
            org["avatar"] = UPLOADS_URL.format(f"{rng.getrandbits(96):024x}", token(rng), "png")
        orgs.append(org)
    return tuple(orgs)
