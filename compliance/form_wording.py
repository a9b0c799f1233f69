"""GOV.UK error wording in place of WTForms' own messages, for every form at once.

Fields name their own messages where they can ("Enter the number of staff"); these are the
fallbacks WTForms uses when a field or validator has none ("Not a valid integer value."), which
would otherwise reach the page as raw validator text. Flask-WTF reads its translations from
`request.wtforms_translations`, so setting that before each request rewords them all.
"""

from __future__ import annotations

from flask import Flask, request

from compliance.i18n import gettext as _

# WTForms' message -> GOV.UK wording (keeping any placeholders the message is filled with).
WORDING: dict[str, str] = {
    "This field is required.": "Answer this question",
    "Not a valid integer value.": "Enter a whole number, like 3",
    "Not a valid decimal value.": "Enter a number, like 2.5",
    "Not a valid float value.": "Enter a number, like 2.5",
    "Not a valid choice.": "Select one of the options shown",
    "Invalid Choice: could not coerce.": "Select one of the options shown",
    "Invalid choice(s): one or more data inputs could not be coerced.":
        "Select from the options shown",
    "'%(value)s' is not a valid choice for this field.": "Select from the options shown",
    "'%(value)s' are not valid choices for this field.": "Select from the options shown",
    "Choices cannot be None.": "Select one of the options shown",
    "Not a valid date value.": "Enter a real date, like 27 3 2026",
    "Not a valid datetime value.": "Enter a real date and time, like 27 3 2026 14:30",
    "Not a valid time value.": "Enter a real time, like 14:30",
    "Not a valid week value.": "Enter a real week",
    "Date must be at least %(min)s.": "Enter a date on or after %(min)s",
    "Date must be at most %(max)s.": "Enter a date on or before %(max)s",
    "Date must be between %(min)s and %(max)s.": "Enter a date between %(min)s and %(max)s",
    "Invalid email address.": "Enter an email address in the correct format, like name@example.com",
    "Invalid URL.": "Enter a web address in the correct format, like https://www.example.com",
    "Invalid UUID.": "Enter the reference in the format shown",
    "Invalid IP address.": "Enter an IP address in the correct format",
    "Invalid Mac address.": "Enter the address in the format shown",
    "Invalid input.": "Enter the answer in the format shown",
    "Field must be equal to %(other_name)s.": "The two answers must match",
    "Invalid value, must be one of: %(values)s.": "Select one of the options shown",
    "Invalid value, can't be any of: %(values)s.": "Enter a different answer",
    "Number must be at least %(min)s.": "Enter a number of %(min)s or more",
    "Number must be at most %(max)s.": "Enter a number of %(max)s or less",
    "Number must be between %(min)s and %(max)s.": "Enter a number between %(min)s and %(max)s",
    "Field must be at least %(min)d character long.": "Enter at least %(min)d character",
    "Field must be at least %(min)d characters long.": "Enter at least %(min)d characters",
    "Field cannot be longer than %(max)d character.": "Enter %(max)d character or fewer",
    "Field cannot be longer than %(max)d characters.": "Enter %(max)d characters or fewer",
    "Field must be exactly %(max)d character long.": "Enter exactly %(max)d character",
    "Field must be exactly %(max)d characters long.": "Enter exactly %(max)d characters",
    "Field must be between %(min)d and %(max)d characters long.":
        "Enter between %(min)d and %(max)d characters",
    "This field is disabled and cannot have a value.": "This answer cannot be changed",
    "This field cannot be edited.": "This answer cannot be changed",
}


class GovukWording:
    """The gettext interface Flask-WTF calls (ugettext and ungettext)."""

    def ugettext(self, text: str) -> str:
        return _(WORDING[text]) if text in WORDING else text

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self.ugettext(singular if n == 1 else plural)

    gettext = ugettext
    ngettext = ungettext


def init_app(app: Flask) -> None:
    wording = GovukWording()

    @app.before_request
    def _govuk_wording() -> None:
        request.wtforms_translations = wording
