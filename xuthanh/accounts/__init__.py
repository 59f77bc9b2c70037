"""Travellers' accounts on the portal: sign in, sign out and sign up (for saved trips); back-office staff use
the same users."""
