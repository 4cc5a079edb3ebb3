"""Charts rendered on the server as SVG (pygal), the same in a page and in a PDF."""
