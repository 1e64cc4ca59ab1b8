"""Clean Asia Platform: the information system of the Clean Asia Initiative."""

__version__ = "0.1.0"
