import factory

from accounts.models import Role, User
from awards.models import AwardKind, Commendation
from awards.tallies import refresh_tallies
from clusters.models import Cluster, ClusterYear, Membership, Unit
from reports.models import UnitReport


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("slug",)

    short_name = factory.Sequence(lambda n: f"Tỉnh {n}")
    name = factory.LazyAttribute(lambda o: f"Công an {o.short_name}")
    slug = factory.Sequence(lambda n: f"tinh-{n}")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 10 + n)
    name = factory.LazyAttribute(lambda o: f"Cụm thi đua số {o.number}")
    slug = factory.LazyAttribute(lambda o: f"cum-{o.number}")


class ClusterYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterYear

    cluster = factory.SubFactory(ClusterFactory)
    year = 2024


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cluster_year = factory.SubFactory(ClusterYearFactory)
    unit = factory.SubFactory(UnitFactory)
    year = factory.SelfAttribute("cluster_year.year")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.LEADERSHIP
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu")

    @factory.post_generation
    def admin_flags(obj, create, extracted, **kwargs):
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        if create:
            obj.save()


class UnitReportFactory(factory.django.DjangoModelFactory):
    """A plausible year: 100 crimes, 92 solved; counts small enough to add up by hand."""

    class Meta:
        model = UnitReport

    cluster_year = factory.SubFactory(ClusterYearFactory)
    unit = factory.SubFactory(UnitFactory)
    crimes_recorded = 100
    crimes_solved = 92
    serious_recorded = 10
    serious_solved = 10
    drug_cases = 5
    drug_offenders = 7
    commended_collectives = 3
    commended_individuals = 11
    citizen_tips = 20


class CommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commendation

    award_kind = factory.LazyFunction(lambda: AwardKind.objects.get(code="chien-si-thi-dua-co-so"))
    year = 2023
    unit = factory.SubFactory(UnitFactory)
    person_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    person_rank = "Đại úy"
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-CAT")
    decision_date = factory.LazyFunction(lambda: __import__("datetime").date(2024, 1, 15))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The services keep the award summary's tallies; a factory writes beside them.
        commendation = super()._create(model_class, *args, **kwargs)
        refresh_tallies([(commendation.unit_id, commendation.year)])
        return commendation


def checklist_keys(cluster_year) -> set[str]:
    """Every item of the year's publish checklist, as a clerk who ticks them all accepts them
    (clusters.services.cluster_year_publish(accepted=...))."""
    from clusters.checklist import items_for

    return {item.key for item in items_for(cluster_year)}
