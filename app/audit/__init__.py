"""The per-tenant, hash-chained audit trail (who, what, when, before → after, why).

Times are stored as naive UTC and shown in the tenant's zone. The trail sits
below org and auth: it stores ids and the actor's label it is given; its
page (``app.admin.audit_views``) resolves the names.

* ``record(action, obj, before, after=CURRENT, reason=None)`` — append an
  entry inside the caller's transaction (``app.audit.services``);
* ``snapshot(obj)`` — the audited fields of an object, secrets left out;
* ``verify(tenant)`` — walk the chain and name the first bad entry
  (``app.audit.chain``; ``flask audit verify <slug>`` on the command line);
* ``acting_as(user, label=None)`` — attribute entries to someone outside their request.
"""

from app.audit.chain import VerifyResult, verify
from app.audit.models import AuditEntry
from app.audit.services import CURRENT, acting_as, current_actor, object_type, record, snapshot

__all__ = [
    "CURRENT",
    "AuditEntry",
    "VerifyResult",
    "acting_as",
    "current_actor",
    "object_type",
    "record",
    "snapshot",
    "verify",
]
