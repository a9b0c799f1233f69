"""Question banks to and from Moodle: GIFT and Moodle XML."""

from compliance.quizzes.interchange.gift import format_gift, parse_gift
from compliance.quizzes.interchange.model import (
    JURISDICTIONS,
    KINDS,
    BankQuestion,
    InterchangeError,
    Option,
    Parsed,
    Unsupported,
)
from compliance.quizzes.interchange.moodle_xml import format_moodle_xml, parse_moodle_xml

FORMATS = ("gift", "moodle-xml")


def detect_format(data: bytes) -> str:
    """'moodle-xml' for an XML document, else 'gift'."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:100]
    return "moodle-xml" if head.startswith((b"<?xml", b"<quiz")) else "gift"


def read_bank(data: bytes, fmt: str | None = None) -> Parsed:
    """Parse a question file in either format; UnicodeDecodeError for GIFT that is not UTF-8."""
    if (fmt or detect_format(data)) == "moodle-xml":
        return parse_moodle_xml(data)
    return parse_gift(data.decode("utf-8"))


__all__ = ["FORMATS", "JURISDICTIONS", "KINDS", "BankQuestion", "InterchangeError", "Option",
           "Parsed", "Unsupported", "detect_format", "format_gift", "format_moodle_xml",
           "parse_gift", "parse_moodle_xml", "read_bank"]
