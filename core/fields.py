from django.core.validators import MaxValueValidator


class UpperBoundMixin:
    """An integer field bounded the same way on every database, with one message in forms too.

    Django's own range check follows the backend (2^63 on SQLite, 2^31 on PostgreSQL), so a huge
    number would be accepted on one and refused with another message on the other."""

    upper_bound: int
    too_large: str

    @property
    def default_validators(self):
        return [MaxValueValidator(self.upper_bound, message=self.too_large)]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.validators.append(MaxValueValidator(self.upper_bound, message=self.too_large))
        return field
