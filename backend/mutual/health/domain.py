"""The trust health index (six measured components, a daily history) and the six early-warning
detectors, with thresholds both sides agree."""

from mutual.health import demo, repository
from mutual.health.mutations import HealthMutation
from mutual.health.partnership import PartnershipFields
from mutual.health.service import FIRING_NOTICE
from mutual.health.tasks import DAILY_SNAPSHOTS
from mutual.kit.domain import Domain

DOMAIN = Domain(
    name="health",
    mutation=HealthMutation,
    partnership=PartnershipFields,
    event_kinds={
        "DetectorThreshold": "DetectorThreshold",
        "DetectorEvent": "DetectorEvent",
        "HealthSnapshot": "HealthSnapshot",
    },
    labels={
        "DetectorThreshold": repository.threshold_labels,
        "DetectorEvent": repository.event_labels,
        "HealthSnapshot": repository.snapshot_labels,
    },
    tasks=(DAILY_SNAPSHOTS,),
    notice_kinds={
        FIRING_NOTICE: "An early-warning detector started firing",
        "health.thresholds_proposed": "Detector thresholds proposed for your acceptance",
    },
    demo_story=demo.seed_story,
    demo_after=("commitments", "feedback", "risks", "governance"),
)
