"""Demo data: a realistic organisation, employees, accounts and a year in
progress per tenant. Used only in demo mode (``KINERJA_DEMO=1``) through
``flask demo seed``.

* ``names``, ``organisations``, ``texts`` — declarative data: names and titles
  that fit each region, its units and tree of positions, the demo's wording.
* ``people`` — valid NIPs and people for a position, from a seeded random.
* ``seed`` — ``seed_all()``: walks every tenant and builds its organisation
  through the same services the admin screens use, then its year.
* ``cycle`` — the year in progress, step by step: ``accounts``, ``plans``,
  ``work`` (realisation to evaluation), ``followups`` (objection, training,
  inbox) and ``citizens`` (surveys, complaints, publications), sharing a
  ``context.DemoYear``.
"""
