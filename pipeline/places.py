"""The gazetteer of ``models/places.toml``: which province a place lies in.

Two stages ask it. Tracking asks whose document it is (``track/scope.py``: a
province's report never follows up another province's). The parser asks which
province a page speaks for when it says 全省 and names only a city of it
(全省…现场会在渭南市召开 is 陕西省's meeting). Neither stage knows the other; both
read the same table here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .resources import load_toml

NATION = "全国"
PARTY_PREFIXES = ("中国共产党", "中共")


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(province name, province key) and (city name, province key), longest names first."""
    provinces, cities = [], []
    for key, item in load_toml("places.toml")["provinces"].items():
        provinces += [(n, key) for n in item["names"]]
        cities += [(c, key) for c in item["cities"]]
    return sorted(provinces, key=lambda x: -len(x[0])), sorted(cities, key=lambda x: -len(x[0]))


@lru_cache(maxsize=4096)
def locate(place: str | None) -> tuple[str | None, str | None]:
    """(province, city) of a government's place; (全国, None) for the nation; Nones when unknown."""
    if not place:
        return None, None
    if place == NATION:
        return NATION, None
    for prefix in PARTY_PREFIXES:          # 中共泰安市(委): the party committee of the same place
        if place.startswith(prefix) and len(place) > len(prefix):
            place = place[len(prefix):]
    provinces, cities = _gazetteer()
    named, province = next(((name, key) for name, key in provinces if place.startswith(name)), ("", None))
    rest = place[len(named):]
    city = next(((name, key) for name, key in cities if rest.startswith(name)
                 and (province is None or key == province)), None)
    if city is not None:
        return city[1], city[0]
    return province, None


@lru_cache(maxsize=1)
def province_names() -> frozenset[str]:
    """Every name a province goes by in the table (山东省, 山东, 内蒙古自治区 …)."""
    return frozenset(name for name, _ in _gazetteer()[0])


@lru_cache(maxsize=64)
def province_name(key: str) -> str:
    """The full name of a province (its first name in the table: 陕西省, 内蒙古自治区, 北京市)."""
    return load_toml("places.toml")["provinces"][key]["names"][0]


SUFFIXED = re.compile(r"(?:市|州|盟|地区|新区)$")


@lru_cache(maxsize=1)
def _city_mention() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for a city of the table named as a place: with its suffix (渭南市, 恩施州), or bare where a
    meeting is held there (在长沙召开) — a bare short name alone is too often a word (长治久安, 幸福安康,
    中山路) — and each city's province key."""
    cities = _gazetteer()[1]                      # longest names first: the longest wins at a position
    bare = "|".join(re.escape(n) for n, _ in cities if not SUFFIXED.search(n))
    full = "|".join(re.escape(n) for n, _ in cities if SUFFIXED.search(n))
    every = "|".join(re.escape(n) for n, _ in cities)
    pattern = re.compile(rf"(?P<city>{full})|(?P<short>{bare})(?:市|州|盟|地区)|(?<=在)(?P<met>{every})(?=召开|举行|举办)")
    keys: dict[str, str] = {}
    for name, key in cities:
        keys.setdefault(name, key)
    return pattern, keys


def first_city_province(text: str) -> str | None:
    """The province key of the first city of the table that ``text`` names as a place; None when it names
    none."""
    pattern, keys = _city_mention()
    m = pattern.search(text)
    return keys[m.group("city") or m.group("short") or m.group("met")] if m else None
