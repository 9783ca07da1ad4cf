"""Chinese numerals, read and written without cn2an (its import alone is slower than a check),
held against cn2an for every form the reports use."""

from decimal import Decimal

import cn2an
import pytest

from assistant.numerals import article_number, cn_to_number, int_to_cn, parse_number


def test_written_numbers_match_cn2an_and_read_back():
    for n in list(range(0, 2100)) + [9999, 10000, 10001, 10010, 10100, 11000, 100000, 100001, 123456, 1000000,
                                     20000000, 100000000, 100000001, 120000000, 1234567890]:
        written = int_to_cn(n)
        assert written == cn2an.an2cn(n, "low"), n
        assert cn_to_number(written) == n, written


@pytest.mark.parametrize("text", [
    "十", "十一", "一十", "二十", "一百零八", "两", "两百", "两千零二十四", "一千零一", "三万五千", "三万五", "两千五", "一百二",
    "一万零五百", "二十万零三", "十万", "一亿二千万", "一二三", "零", "〇", "壹佰", "玖拾捌", "九十八点五", "十二点三四",
    "五点零", "三十六", "七十二"])
def test_read_numbers_match_cn2an(text):
    assert cn_to_number(text) == Decimal(str(cn2an.cn2an(text, "normal")))


@pytest.mark.parametrize("text", ["", "点五", "百", "千", "万", "亿", "三四十", "五点", "十点x", "一百x"])
def test_what_is_not_a_numeral_is_none(text):
    assert cn_to_number(text) is None


def test_articles_and_numbering():
    assert article_number("第二十五条") == 25 and article_number("第108条") == 108 and article_number("二十五") == 25
    assert parse_number("六") == 6 and parse_number("１２") == 12
