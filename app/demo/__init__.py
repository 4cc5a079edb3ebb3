"""Demo data: a realistic organisation, employees and accounts per tenant.

Used only in demo mode (``KINERJA_DEMO=1``) through ``flask demo seed``.

* ``names`` — personal names and academic titles that fit each region.
* ``organisations`` — per region, the units and the tree of positions.
* ``people`` — valid NIPs and people for a position, from a seeded random.
* ``seed`` — ``seed_all()``: walks every tenant and builds its data through
  the same services the admin screens use.
"""
