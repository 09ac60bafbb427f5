from django.db import models


class OneTimeToken(models.Model):
    """A form that creates money or a decision carries a token; its first post claims it, and
    a second post of the same form (a double click, a resent request) finds it claimed."""

    key = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.key
