"""Reminders: deadlines coming up and work left waiting, sent once to each person.

``flask reminders send [--slug S]`` (run daily by cron, or by the queue's
scheduler through ``send_all``) computes what is due from each tenant's
calendar and rules (``app.reminders.due``) and sends each as an in-app
notification, e-mailed too when mail is configured (``app.notifications.notify``).
The ``reminder_sent`` table makes every reminder go to a person at most once.
"""

from app.notifications import register_link
from app.reminders.due import LEAD_DAYS, Due, due_reminders
from app.reminders.service import send_all, send_due

# The pages reminders lead to that no other notification uses.
register_link("evaluation-list", "penilaian.index")
register_link("complaint", "publik_admin.complaint", "complaint_id")

__all__ = ["LEAD_DAYS", "Due", "due_reminders", "send_all", "send_due"]
