"""Follow-up training: recommendations from final evaluations, the catalogue, tracking."""
