"""Normalised organisation types of party surfaces."""

import pytest

from pipeline.extract.parties_norm import PARTY_TYPES, normalise_party


@pytest.mark.parametrize(
    "surface, expected",
    [
        ("各级党政主要领导", ["党政领导干部"]),
        ("市四套班子领导", ["党政领导干部"]),
        ("各位副区长", ["党政领导干部"]),
        ("企业", ["企业"]),
        ("各企业负责人", ["企业"]),
        ("企业主要负责人", ["企业"]),
        ("生产经营单位", ["企业"]),
        ("物业", ["企业"]),
        ("各乡镇（街道）", ["乡镇（街道）"]),
        ("各街道(乡)", ["乡镇（街道）"]),
        ("社区", ["村（社区）"]),
        ("消防部门", ["消防救援机构"]),
        ("消防救援大队", ["消防救援机构"]),
        ("区安委办", ["安委会及其办公室"]),
        ("市县两级安委会", ["安委会及其办公室"]),
        ("各行业主管部门", ["行业主管部门"]),
        ("监管部门", ["行业主管部门"]),
        ("安监部门", ["应急管理部门"]),
        ("各县（市、区）党委、政府", ["党委政府"]),
        ("各级各部门", ["各级各部门"]),
        ("各单位", ["各级各部门"]),
        ("住房和城乡建设局", ["住建部门"]),
        ("交通运输企业", ["企业"]),
        ("新闻媒体", ["其他"]),
    ],
)
def test_single_type(surface, expected):
    assert normalise_party(surface) == expected


def test_enumeration_gives_several_types():
    got = normalise_party("应急、消防、住建、市场监管、交通等所有行业主管部门")
    assert set(got) == {"应急管理部门", "消防救援机构", "住建部门", "市场监管部门", "交通运输部门", "行业主管部门"}
    assert got == sorted(got, key=PARTY_TYPES.index)


def test_mixed_surface():
    assert normalise_party("重点单位和部门") == ["企业", "各级各部门"]
    assert normalise_party("各监管单位一把手") == ["党政领导干部", "行业主管部门"]


def test_fallbacks():
    assert normalise_party("规划局") == ["行业主管部门"]
    assert normalise_party("张三") == ["其他"]
    assert normalise_party("") == []


def test_types_are_from_the_list():
    for s in ("各地", "公安交警部门", "村委会", "卫健委", "自然资源局", "教育局"):
        assert set(normalise_party(s)) <= set(PARTY_TYPES)


def test_traditional_characters():
    assert normalise_party("各鄉鎮（街道）") == ["乡镇（街道）"]
    assert normalise_party("消防救援機構") == ["消防救援机构"]
