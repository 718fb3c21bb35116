"""The one-run measurement script knows every fresh draw of the mixed gold, so its "latest draws" are right."""

from __future__ import annotations

import collections
import importlib.util
import json

from .conftest import ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("measure_all", ROOT / "scripts" / "measure_all.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_page_of_the_mixed_gold_belongs_to_one_listed_draw():
    tool = _tool()
    records = [json.loads(x) for x in (ROOT / "corpus" / "annotations" / "extract_mixed.jsonl")
               .read_text(encoding="utf-8").splitlines() if x.strip()]
    sizes = collections.Counter(tool.draw_of(r["page"]) for r in records)
    assert None not in sizes                       # a new draw must be added to DRAWS
    assert set(sizes) == set(tool.DRAWS)
    assert all(sizes[d] == tool.DRAW_SIZE.get(d, 40) for d in tool.DRAWS)


def test_a_page_id_names_its_draw_by_letter_and_range():
    tool = _tool()
    assert tool.draw_of("o57") == "o41" and tool.draw_of("o12") == "o01"
    assert tool.draw_of("d55") == "d01" and tool.draw_of("c45") == "c01"
    assert tool.draw_of("k12") is None and tool.draw_of("x01") is None and tool.draw_of("q41a") is None
