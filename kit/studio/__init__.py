"""kit studio: a translator's workbench in the browser, with the poster redrawn as they type.

session.py holds one catalog in memory (checks, previews, edits, another program's changes
taken in without loss), disk.py its file on disk, server.py serves the page and its API on
127.0.0.1 only, behind a random token; static/ is the page itself.
"""
