"""Evaluation meetings in the demo: where the rule set requires a held
rapat evaluasi kinerja before finalising (Walesi), the admin schedules and
records one per passed sub-period for the agency (OPD) of the demo chain —
attendance, minutes, decisions — before the evaluations are finalised. The
earlier meetings' follow-ups are closed by their owners; the latest
meeting's are open, so they wait in the pegawai's and the penilai's work
lists on the home page. Through ``app.meetings.services``, acting as the
admin (and as each owner when closing)."""

from __future__ import annotations

from datetime import time, timedelta

from app import audit
from app.demo.context import DemoYear
from app.meetings import services as meetings
from app.meetings.models import Attendance
from app.org.hierarchy import team_of, unit_and_ancestors
from app.periods.models import Period

AGENDA = ("1. Capaian kinerja {period} per bidang\n2. Kendala program dan realisasi IKI\n"
          "3. Rencana tindak lanjut semester berikutnya")
MINUTES = ("Rapat membahas capaian {period}. Capaian program umumnya sesuai target; bukti dukung beberapa IKI "
           "belum lengkap. Disepakati tindak lanjut di bawah ini.")


def _agencies(chain: dict) -> list:
    """The top units (OPD) of the demo chain and the atasan's section heads."""
    people = [*chain["all"], *team_of(chain["atasan"])]
    found = {}
    for employee in people:
        if employee.position is not None:
            top = unit_and_ancestors(employee.position.unit)[-1]
            found.setdefault(top, employee.position.unit)
    return sorted(found)


def seed_meetings(seed: DemoYear, chain: dict, passed: list[Period]) -> int:
    """Held meetings for every passed sub-period when the rule set requires them; returns how many."""
    if not seed.rule_set.evaluation_meeting_required:
        return 0
    made = 0
    for index, period in enumerate(passed):
        latest = index == len(passed) - 1
        held_on = min(period.ends_on + timedelta(days=5), seed.today)
        for unit_id in _agencies(chain):
            with audit.acting_as(seed.admin):
                meeting = meetings.schedule(seed.admin, meetings.MeetingData(
                    unit_id, period.id, held_on, time(9, 0), "Aula kantor", AGENDA.format(period=period.label)))
                attendance = {p.id: (Attendance.EXCUSED if seed.rng.random() < 0.1 else Attendance.PRESENT)
                              for p in meeting.participants}
                meetings.record_attendance(seed.admin, meeting, attendance, today=seed.today)
                meetings.save_minutes(seed.admin, meeting, MINUTES.format(period=period.label))
                meetings.mark_held(seed.admin, meeting, today=seed.today)
                evidence = meetings.add_action(
                    seed.admin, meeting, f"Lengkapi bukti dukung IKI {period.label} yang belum diunggah.",
                    chain["pegawai"].id,
                    seed.today + timedelta(days=10) if latest else held_on + timedelta(days=21))
                dialog = meetings.add_action(
                    seed.admin, meeting, "Jadwalkan dialog kinerja dengan pegawai yang capaiannya di bawah target.",
                    chain["penilai"].id,
                    seed.today + timedelta(days=14) if latest else held_on + timedelta(days=14))
            if not latest:
                for action, note in ((evidence, "Bukti dukung sudah diunggah dan diperiksa."),
                                     (dialog, "Dialog kinerja dilaksanakan; catatan sesi sudah direkam.")):
                    owner = seed.users[action.owner_id]
                    with audit.acting_as(owner):
                        meetings.close_action(owner, action, note)
            made += 1
    return made
