"""The periodic report and the printed lists, as plain data (issue 4).

``data.build_report`` gathers the figures, ``narrative`` drafts the prose,
``issue`` numbers, stores and reprints issued reports, ``lists`` gathers the
printed lists; ``chapter_app.services.pdf`` renders all of them. Every string
shown to the reader is in ``labels`` (Vietnamese and English).

This package's ``__init__`` imports nothing, so the PDF renderers can import the data
types without an import cycle.
"""
