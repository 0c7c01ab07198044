"""Pulse surveys: each side rates the other on an agreed cadence; aggregates only."""

from mutual.kit.domain import Domain
from mutual.pulse import demo, repository
from mutual.pulse.mutations import PulseMutation
from mutual.pulse.partnership import PartnershipFields
from mutual.pulse.report import pulse_nps, pulse_section
from mutual.pulse.tasks import TASKS
from mutual.pulse.types import PulseCadence, PulseRound

DOMAIN = Domain(
    name="pulse",
    mutation=PulseMutation,
    partnership=PartnershipFields,
    node_types=(PulseCadence, PulseRound),
    event_kinds={"PulseCadence": "PulseCadence", "PulseRound": "PulseRound"},
    tasks=TASKS,
    labels={"PulseCadence": repository.cadence_labels, "PulseRound": repository.round_labels},
    notice_kinds={
        "pulse.cadence_proposed": "A pulse survey cadence to accept",
        "pulse.opened": "A pulse survey opened",
        "pulse.reminder": "A pulse survey waiting for your answer",
    },
    report_sections={"pulse": pulse_section},
    health_inputs={"satisfaction.pulse_nps": pulse_nps},
    demo_story=demo.seed_story,
    demo_after=("feedback",),
)
