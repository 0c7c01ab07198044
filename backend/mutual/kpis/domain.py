"""KPIs with baselines and targets, and their measurements."""

from mutual.kit.domain import Domain
from mutual.kpis import demo, repository
from mutual.kpis.mutations import KpiMutation
from mutual.kpis.partnership import PartnershipFields
from mutual.kpis.report import kpi_evidence_section
from mutual.kpis.types import Kpi

DOMAIN = Domain(
    name="kpis",
    mutation=KpiMutation,
    partnership=PartnershipFields,
    node_types=(Kpi,),
    event_kinds={"Kpi": "Kpi", "KpiMeasurement": "Kpi"},
    labels={"Kpi": repository.kpi_labels, "KpiMeasurement": repository.measurement_labels},
    report_sections={"kpi_evidence": kpi_evidence_section},
    demo_story=demo.seed_story,
)
