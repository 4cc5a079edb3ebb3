"""Citizens' voice and public transparency (publik).

* ``surveys`` — the SKM satisfaction survey per service unit (PermenPANRB 14/2017);
* ``ikm`` — the pure IKM calculation: element means, the index, the quality band;
* ``complaints`` — pengaduan: tracking codes, triage → assign → respond → close,
  the region's follow-up for substantiated complaints about an employee;
* ``abuse`` — rate limits, honeypot and duplicate detection for public forms;
* ``suppression`` — small-group suppression of published tables;
* ``transparency`` — what the admin publishes and the public page shows;
* ``periods`` — the reporting periods (calendar quarters, years, a tenant's Period rows);
* ``figures`` — the IKM and complaints evaluation weighs, provided via ``app.providers``;
* ``views_public`` (``/<slug>/publik/…``, no sign-in) and ``views_admin``
  (``/<slug>/admin/publik/…``).
"""
