"""The data belongs to the Pemda and the person (UU 27/2022 on personal data protection).

- ``archive``: a tenant's complete data as one ZIP archive (``flask tenants export``,
  the operators' button) and its restoration into another database
  (``flask tenants import``), the audit chain still verifying;
- ``personal``: an employee's own data, downloaded from their account page;
- ``retention``: citizens' contact details on closed complaints are blanked
  after the tenant's retention period (``flask publik apply-retention``).

See docs/operations.md, "Moving a region's data".
"""
