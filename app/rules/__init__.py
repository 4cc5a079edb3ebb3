"""The "Aturan penilaian" page: the tenant's rules in force, in plain words, for everyone signed in."""
