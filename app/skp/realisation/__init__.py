"""During the period: realisation per IKI and sub-period, and its evidence."""
