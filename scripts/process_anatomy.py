"""Rule process_anatomy (being written)."""
raise NotImplementedError("process_anatomy: work in progress")
