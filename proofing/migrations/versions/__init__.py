"""The revisions of the assessment store's schema, oldest first by their numbers."""
