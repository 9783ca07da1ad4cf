"""Which encoding a text file is in: shared by the inputs (YAML) and the documents (.txt/.md).

Government offices save text as UTF-8, GBK/GB18030, or, from Hong Kong, Macao and Taiwan
sources, Big5. Big5 bytes are mostly valid GB18030 too, so a decoder that only asks "does it
decode?" reads Big5 as nonsense (琿春市 → 烽琄カ). What tells them apart is which characters come
out: Chinese text decoded right is made of common characters — GB2312's 6,763 for simplified text,
Big5's level-1 set (5,401 frequent characters) for traditional — while Big5 read as GB18030 gives
about half of its characters from GBK's rare extension ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

_SAMPLE = 20000  # characters looked at
_MIN_CJK = 20  # fewer Chinese characters than this: nothing to judge by
_COMMON = 0.9  # share of common characters in a text decoded right


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8 | utf-8-sig | utf-16 | gb18030 | big5

    @property
    def traditional(self) -> bool:
        return self.encoding == "big5"


class UnknownEncoding(ValueError):
    """The bytes are no text in an encoding we can tell."""


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes: a BOM first, then UTF-8, then GB18030 if its Chinese characters
    are common ones, then Big5 if they are common there, then GB18030 for a text with few or rare
    characters; `UnknownEncoding` when none of them reads it."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError as exc:
                raise UnknownEncoding(codec) from exc
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    gb = _strict(data, "gb18030")
    if gb is not None and _common_share(gb, _in_gb2312) >= _COMMON:
        return Decoded(gb, "gb18030")
    big5 = _strict(data, "big5")
    if big5 is not None and _common_share(big5, _in_big5_level1) >= _COMMON:
        return Decoded(big5, "big5")
    if gb is not None:
        return Decoded(gb, "gb18030")
    raise UnknownEncoding("none of utf-8, gb18030, big5")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _common_share(text: str, common) -> float:
    """Share of the Chinese characters in the sample that `common` accepts (1.0 when there are
    too few to judge)."""
    cjk = [ch for ch in text[:_SAMPLE] if "\u4e00" <= ch <= "\u9fff"]
    if len(cjk) < _MIN_CJK:
        return 1.0
    return sum(1 for ch in cjk if common(ch)) / len(cjk)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _in_big5_level1(ch: str) -> bool:
    try:
        lead = ch.encode("big5")[0]
    except UnicodeEncodeError:
        return False
    return 0xA4 <= lead <= 0xC6
