"""How many of each thing a scale asks for. Scale 1.0 is national; 0.001 is tiny."""

from __future__ import annotations

from dataclasses import dataclass

# National figures (scale 1.0).
NATIONAL = {
    "premises": 50_000, "retailers": 30_000, "users": 100_000, "visits": 500_000,
    "quiz_answers": 1_000_000, "assessments": 100_000, "refusals": 200_000,
    "certificates": 100_000,
    # A year of history: what pages like the audit log and the jobs page read.
    "audit_events": 1_000_000, "finished_jobs": 400_000,
}
QUESTIONS_PER_ATTEMPT = 15


@dataclass(frozen=True)
class Plan:
    scale: float
    premises: int
    retailers: int
    users: int
    visits: int
    quiz_answers: int
    assessments: int
    refusals: int
    certificates: int
    audit_events: int
    finished_jobs: int
    # The demo business (Demo Hardware Ltd) is one of the largest chains; the demo officer's
    # agency (Demo Constabulary) looks after this share of the premises.
    demo_premises: int
    demo_staff: int
    demo_agency_share: float = 0.10
    police_forces: int = 0
    trading_standards: int = 0
    officers: int = 0
    chains: tuple[int, ...] = ()

    @property
    def attempts(self) -> int:
        return self.quiz_answers // QUESTIONS_PER_ATTEMPT


def plan_for(scale: float) -> Plan:
    if not 0 < scale <= 2:
        raise ValueError("scale must be above 0 and at most 2")
    n = {key: max(1, round(value * scale)) for key, value in NATIONAL.items()}
    n["retailers"] = max(2, min(n["retailers"], n["premises"] - 1))
    n["premises"] = max(n["premises"], n["retailers"] + 1)
    # A few chains with hundreds of premises at national scale; the rest are small businesses.
    chains = tuple(size for size in (max(1, round(s * scale)) for s in
                                     (800, 600, 400, 300, 250, 200, 150, 120, 100, 100))
                   if size > 1)
    return Plan(
        scale=scale, demo_premises=max(3, round(500 * scale)),
        demo_staff=max(4, round(2000 * scale)),
        police_forces=max(2, round(43 * min(1.0, scale * 10))),
        trading_standards=max(1, round(40 * min(1.0, scale * 10))),
        officers=max(4, round(1000 * scale)), chains=chains, **n)
