"""The analysis form converts a text as OpenCC converts it whole, though only the stretches it would
change go through OpenCC (a simplified body with one stray traditional character was converted whole)."""

from opencc import OpenCC

from pipeline.parse.textnorm import to_simplified


def test_stretches_convert_as_the_whole_text_does():
    # One traditional sentence in a simplified notice; a phrase OpenCC rewrites though it holds no
    # traditional character (反覆) stands in another stretch, and is rewritten all the same.
    text = ("各乡镇要立即开展排查。\n縣應急管理局要加強值班值守。\n"
            "对发现的隐患要反覆核查，确保整改到位。\n")
    whole = OpenCC("t2s").convert(text)
    assert to_simplified(text) == whole
    assert "县应急管理局要加强值班值守。" in whole and "反复核查" in whole


def test_a_simplified_text_is_left_as_it_is():
    text = "对发现的隐患要反覆核查。"       # no traditional character: nothing is converted
    assert to_simplified(text) == text
