"""Web plumbing shared by every blueprint: error answers and form handling."""
