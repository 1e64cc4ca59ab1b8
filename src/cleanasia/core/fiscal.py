"""Japanese fiscal years (April to March): FY2026 runs from 1 April 2026 to 31 March 2027."""

import datetime as dt


def fiscal_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def fiscal_year_label(year: int, language: str) -> str:
    """2026年度 in Japanese, FY2026 in English."""
    return f"{year}年度" if language.startswith("ja") else f"FY{year}"
