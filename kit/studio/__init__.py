"""kit studio: a translator's workbench in the browser, with the poster redrawn as they type.

session.py holds one catalog in memory and keeps it in step with the file on disk (checks,
previews, saving without overwriting another program's change); server.py serves the page
and its API on 127.0.0.1 only, behind a random token; static/ is the page itself.
"""
