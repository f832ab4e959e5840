"""The Excel add-in: an "ILR" ribbon tab that validates, highlights, exports and imports.

- ``plan``: the highlight plan (pure data) computed from a validation report;
- ``excel`` / ``annotate``: the two renderers of a plan (a workbook open in Excel via xlwings; a file via openpyxl);
- ``actions``: the five buttons' work on an xlwings book, shared by desktop and web;
- ``desktop``: what the desktop ribbon buttons run (RunPython); ``build`` / ``install``: the ``.xlam``;
- ``webapp``: the xlwings Server scripts and Office add-in for Excel on the web/Mac; ``cli``: ``ilr addin``.
"""
