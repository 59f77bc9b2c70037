"""Organisations (the department, the promotion centre, communes, site boards, businesses, partners), their
members' roles, and the permission rules that scope every back-office write to the member's unit."""
