"""Support: "Did this answer your question?" votes, contact requests and their delivery."""
