"""Xứ Thanh: the open smart-tourism platform of Thanh Hóa province (one Django app per capability)."""
