"""PDF documents (reportlab): the periodic report, the printed lists, the sign-off sheet.

Renderers take plain data and return bytes; they never read the database. Fonts, page
templates and the letterhead live in ``base``, the only place that knows them.
"""
