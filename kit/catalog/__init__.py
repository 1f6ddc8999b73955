"""Catalog tools: extract the POT from a campaign, read and write PO files."""
