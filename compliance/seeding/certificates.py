"""Certificates without rendering 100,000 PDFs.

Every seeded certificate stores the same small, valid one-page PDF (built here, about 600
bytes, unsigned, saying it is seeded test data) with its real SHA-256, so listing, verifying
and downloading them exercise the real queries and the real byte path. The demo's own
certificates (issued by the services during the demo load) stay real, rendered and signed.
Four in five are staff certificates for passed quizzes, the rest premises certificates (from
a submitted visit) and self-assessment statements; about 1 % are revoked.
"""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from compliance.certificates.codes import ALPHABET, PREFIX, check_character
from compliance.models import Certificate
from compliance.seeding.people import World
from compliance.seeding.plan import Plan
from compliance.seeding.writer import BulkWriter


def seeded_pdf() -> bytes:
    """A minimal valid PDF: one A4 page with one line of Helvetica."""
    text = b"BT /F1 18 Tf 72 770 Td (Seeded test certificate: no real holder) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def code_for(rng: random.Random) -> str:
    body = "".join(rng.choice(ALPHABET) for _ in range(11))
    full = body + check_character(body)
    return f"{PREFIX}-{full[0:4]}-{full[4:8]}-{full[8:12]}"


def build_certificates(plan: Plan, rng: random.Random, w: BulkWriter, world: World,
                       completions: list[tuple], verified_visits: list[tuple]) -> None:
    pdf = seeded_pdf()
    digest = hashlib.sha256(pdf).hexdigest()
    people = {p.id: p for p in world.staff}
    shops = {s.id: s for s in world.shops}
    staff_share = min(len(completions), round(plan.certificates * 0.8))
    rest = plan.certificates - staff_share
    rows = []
    for completion_id, user_id, completed, expires, score in completions[:staff_share]:
        person = people[user_id]
        shop = shops[person.premises_id]
        rows.append(("staff", user_id, person.retailer_id, shop.id, completion_id, person.name,
                     shop, {"score_percent": score}, completed, expires, None))
    for i in range(rest):
        if i % 2 == 0 and verified_visits:
            visit_id, premises_id, visited_at, agency = rng.choice(verified_visits)
            shop = shops[premises_id]
            rows.append(("premises", None, shop.retailer_id, shop.id, None,
                         world.retailer_names.get(shop.retailer_id, shop.name), shop,
                         {"agency": agency, "visited_at": visited_at.isoformat()},
                         visited_at, visited_at + timedelta(days=365), visit_id))
        else:
            shop = rng.choice(world.shops)
            issued = world.now - timedelta(days=rng.randint(1, 700))
            rows.append(("statement", None, shop.retailer_id, shop.id, None,
                         world.retailer_names.get(shop.retailer_id, shop.name), shop,
                         {"rating": "green", "assessed_at": issued.isoformat(), "trained": 3,
                          "staff": 4}, issued, issued + timedelta(days=365), None))
    table = Certificate.__table__
    first = w.reserve(table, len(rows))
    codes: set[str] = set()

    def out():
        for i, (kind, holder, retailer, premises, completion, name, shop, details, issued,
                expires, visit) in enumerate(rows):
            code = code_for(rng)
            while code in codes:
                code = code_for(rng)
            codes.add(code)
            revoked = rng.random() < 0.01
            yield (first + i, code, kind, holder, retailer, premises, completion, name,
                   world.retailer_names.get(retailer, "Demo Hardware Ltd"), shop.name,
                   details, issued, expires, pdf, digest, world.admin_id, visit,
                   issued + timedelta(days=3) if revoked else None,
                   "Issued in error (seeded)" if revoked else None, 0)

    w.write(table, ("id", "code", "kind", "holder_user_id", "retailer_id", "premises_id",
                    "completion_id", "holder_name", "business_name", "premises_name",
                    "details", "issued_at", "expires_at", "pdf", "sha256", "issued_by_id",
                    "visit_id", "revoked_at", "revoke_reason", "verifications"), out())
