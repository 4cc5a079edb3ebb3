"""The SIASN export: each final evaluation sent to BKN's SIASN (``kinerjaperiodik/save``
for a period, ``skp22/save`` for the year) with its Dokumen Evaluasi PDF, or
written to a batch file for manual upload when no credentials are set.

``mapping`` builds the payloads, ``client`` talks HTTP (through the
``SiasnClient`` protocol), ``sender`` keeps a status per evaluation and a send
log, ``settings`` holds the tenant's reference codes and credentials.
"""
