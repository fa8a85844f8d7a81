"""From Markdown files to plain Article objects. Nothing in this package imports Flask."""
