"""Crowd wisdom: ratings, comments with mentions, rankings, experts, view counts and their notifications."""
