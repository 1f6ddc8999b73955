"""kit build: every locale, audience, size and format at once, for one organisation or many.

orgs.py      the mail-merge CSV, read strictly, one profile per row
plan.py      the matrix of jobs, each with a key over everything that shapes its file
run.py       the build: lock, up-to-date check, workers, files into place, manifest
workers.py   worker processes bounded in time and memory, replaced when they die
render.py    what a worker does with one job
manifest.py  manifest.json, read defensively
lock.py      one build per output folder
gallery.py   index.html (gallery.html.j2)
"""
