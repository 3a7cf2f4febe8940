"""The living record: what rightsrecord derives from the stored record and keeps current:
draft yearly summaries, trends in events, UN recommendations followed up, what changed, and
watchlists that say when something new happens."""
