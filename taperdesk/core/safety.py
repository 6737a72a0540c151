"""Safety wording, in one place for the window, the printouts and the CLI.

TaperDesk calculates and warns; the user and their prescriber decide. These
texts say so plainly. Sources: the Ashton Manual, the ASAM 2025 joint
benzodiazepine tapering guideline, FDA class labelling (see
shared/reference/domain.md).
"""

from __future__ import annotations

#: Bumped when the first-start notice changes enough to be shown again.
NOTICE_VERSION = 1  # the sources named changed, not what the notice asks

NOTICE_TITLE = "Before you start: TaperDesk is a calculator, not a doctor"

NOTICE_PARAGRAPHS: tuple[str, ...] = (
    "TaperDesk helps you plan, measure and record a benzodiazepine taper. It does not give "
    "medical advice, and nothing it shows is an instruction to change your medication.",
    "Plan every change of dose with your prescriber. Bring them the plan and the diary: "
    "TaperDesk can print both.",
    "Never stop a benzodiazepine abruptly. Stopping suddenly can cause severe withdrawal, "
    "including seizures.",
    "Guidance most tapers follow: cut about 5-10% of the current dose every 2-4 weeks, and "
    "usually no more than 25% every 2 weeks (ASAM 2025 joint guideline; NHS Scotland: every "
    "2-4 weeks). Pause (hold) when symptoms are significant rather than going back up and down "
    "(ASAM 2025; FDA class labelling; the Ashton Manual on kindling).",
    "If you have thoughts of harming yourself, seizures, confusion or hallucinations, get "
    "medical help now (your local emergency number).",
)

#: One line for the foot of every printed page and the CLI's schedule output.
SHORT_LINE = (
    "Never stop a benzodiazepine abruptly. Plan every change with your prescriber. "
    "TaperDesk calculates; it does not give medical advice."
)

ACKNOWLEDGE_LABEL = "I understand"
