"""REST endpoints of the directory: countries, country groups, organisations, people."""
