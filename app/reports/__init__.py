"""Reports: the official documents (SKP, Evaluasi, Dokumen Evaluasi) issued
as verifiable PDFs, the BKPSDM's recaps, charts and bulk document bundles.

The core gathers the data here and asks the tenant's region to render it
(``tenant_rules().render_report``); the layouts belong to the region plugins
(``app.regions.documents`` has the typed data they receive).
"""
