"""The area and agency filters that officers' lists share (the priority list, the visit list).

An area is a postcode district: the outward code, such as "SW1A" or "EX1". Premises keep no
local authority, so the district is the area a list can be narrowed to. Postcodes are stored
upper case with one space (business/forms.py normalise_postcode), so a district matches
`postcode LIKE 'SW1A %'`, a prefix an index can answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from compliance.extensions import db
from compliance.i18n import lazy_gettext as _l
from compliance.models import Agency, Role, User

DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@dataclass(frozen=True)
class ListFilters:
    district: str | None = None
    agency_id: int | None = None
    district_text: str = ""  # what was typed, shown back in the field
    district_error: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.district or self.agency_id)


def parse_filters(district: str | None, agency: str | None, user: User) -> ListFilters:
    """Filters from a list page's query string. Only admins choose an agency: an officer's
    lists already cover their own agency's work."""
    typed = (district or "").replace("\x00", "").strip()[:10]
    wanted = typed.upper().replace(" ", "")
    error = None
    if wanted and not DISTRICT.match(wanted):
        wanted, error = "", str(_l("Enter a postcode district, like SW1A or EX1"))
    agency_id = None
    if user.role == Role.ADMIN and agency and agency.isdigit() and len(agency) < 10:
        agency_id = int(agency)
    return ListFilters(wanted or None, agency_id, typed, error)


def in_district(postcode_column, district: str):
    """Postcodes in a district: 'EX1 1AA' is in EX1, never in EX11 (the space is the edge)."""
    return or_(postcode_column.like(f"{district} %"), postcode_column == district)


def agency_choices(user: User) -> list[tuple[int, str]]:
    """The agencies an admin can narrow a list to (one query; none for anyone else)."""
    if user.role != Role.ADMIN:
        return []
    return list(db.session.execute(select(Agency.id, Agency.name).order_by(Agency.name)))
