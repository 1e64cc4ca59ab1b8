"""Reports the ministry reads: the Excel workbook and PDF report of a period, CSV of every table, the Excel import.

Every export shows only rows the signed-in user may see (core.permissions);
the import is for the secretariat and is all-or-nothing.
"""
