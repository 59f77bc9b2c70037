"""Administrative areas: the province and its commune-level units (two-level government since 1 July 2025),
with each commune's former district kept as a searchable attribute, and the provincial boundary."""
