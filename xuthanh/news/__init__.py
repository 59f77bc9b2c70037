"""News articles written by the department, the promotion centre, communes and partners."""
