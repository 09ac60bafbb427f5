"""National-scale synthetic data (manage.py generate_data), for measuring the application.

Everything lives in clusters of its own (numbers from SYNTHETIC_FIRST_NUMBER, slugs "mo-phong-…",
units "Công an tỉnh Mô phỏng …"), so it never mixes with real clusters, and every record is
marked "minh họa" (DataStatus.ILLUSTRATIVE). The same seed gives the same rows.

Rows are written with bulk_create in batches, not through the services: the generator makes
years that are already published, which no service would write into, and it must write millions
of rows in minutes. Generated rows have no change history: nobody changed them.
"""

import csv
import datetime
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from awards.catalogue import ensure_award_catalogue
from awards.models import AwardKind, Commendation, Nomination
from awards.tallies import rebuild_tallies
from clusters.models import Cluster, ClusterYear, DataStatus, Membership, Unit
from core.cache import bump_generation
from emulation.models import (
    BallotCount,
    Candidate,
    CouncilMember,
    Criterion,
    Cycle,
    Dossier,
    DossierRound,
    Pledge,
    Score,
    ScoreSheet,
)
from reports.models import Conference, UnitReport
from welfare.models import Beneficiary, Contribution, Fund, Support

SYNTHETIC_FIRST_NUMBER = 101  # real clusters are numbered below this
SLUG_PREFIX = "mo-phong"
ILLUSTRATIVE = DataStatus.ILLUSTRATIVE
BATCH = 5000

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lò"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "A"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Sơn"]
RANKS = ["Thiếu úy", "Trung úy", "Thượng úy", "Đại úy", "Thiếu tá", "Trung tá", "Thượng tá"]
POSITIONS = ["Cán bộ", "Phó Đội trưởng", "Đội trưởng", "Phó Trưởng phòng", "Trưởng Công an xã"]
# Individual kinds and their weight among K commendations a year: most are the unit's own
# "Chiến sĩ thi đua cơ sở", a few reach the Minister or the Prime Minister.
INDIVIDUAL_KINDS = [
    ("chien-si-thi-dua-co-so", 80),
    ("bang-khen-bo-truong", 15),
    ("chien-si-thi-dua-toan-luc-luong", 4),
    ("bang-khen-thu-tuong", 1),
]


@dataclass
class Generated:
    clusters: int = 0
    units: int = 0
    cluster_years: int = 0
    reports: int = 0
    nominations: int = 0
    commendations: int = 0
    contributions: int = 0
    scores: int = 0


class AlreadyGenerated(Exception):
    pass


def synthetic_clusters():
    return Cluster.objects.filter(slug__startswith=f"{SLUG_PREFIX}-")


def generate(
    *,
    clusters: int,
    units_per_cluster: int,
    years: int,
    commendations: int,
    seed: int = 1,
    last_year: int | None = None,
    progress=None,
) -> Generated:
    """Write the data set; refuse if synthetic clusters are already there."""
    if synthetic_clusters().exists():
        raise AlreadyGenerated
    rng = random.Random(seed)
    last_year = last_year or datetime.date.today().year - 1
    year_range = range(last_year - years + 1, last_year + 1)
    ensure_award_catalogue()
    kinds = {kind.code: kind for kind in AwardKind.objects.all()}
    made = Generated()
    for c in range(clusters):
        with transaction.atomic():
            cluster, units = _cluster(c, units_per_cluster)
            made.clusters += 1
            made.units += len(units)
            for index, year in enumerate(year_range):
                is_last = year == last_year
                _cluster_year(rng, cluster, units, year, index, is_last, kinds, commendations, made)
            rebuild_tallies(units=units)
        if progress:
            progress(made)
    bump_generation()
    return made


def _cluster(c: int, size: int):
    number = SYNTHETIC_FIRST_NUMBER + c
    cluster = Cluster.objects.create(
        number=number,
        name=f"Cụm thi đua mô phỏng số {number}",
        slug=f"{SLUG_PREFIX}-{number}",
        description="Dữ liệu mô phỏng để đo hiệu năng (minh họa), không phải số liệu thật.",
    )
    units = Unit.objects.bulk_create(
        Unit(
            name=f"Công an tỉnh Mô phỏng {number}-{u + 1}",
            short_name=f"Mô phỏng {number}-{u + 1}",
            slug=f"{SLUG_PREFIX}-{number}-{u + 1}",
            notes="Đơn vị mô phỏng (minh họa).",
        )
        for u in range(size)
    )
    if units[0].pk is None:  # databases that return no ids from a bulk insert
        units = list(Unit.objects.filter(slug__startswith=f"{SLUG_PREFIX}-{number}-"))
    return cluster, units


def _cluster_year(rng, cluster, units, year, index, is_last, kinds, per_year, made):
    size = len(units)
    leader = units[rng.randrange(size)]
    cluster_year = ClusterYear.objects.create(
        cluster=cluster,
        year=year,
        chair=units[index % size],
        vice_chair=units[(index + 1) % size],
        handover_date=datetime.date(year - 1, 12, 15),
        leading_unit=leader,
        status=ClusterYear.Status.OPEN if is_last else ClusterYear.Status.PUBLISHED,
        data_status=ILLUSTRATIVE,
    )
    made.cluster_years += 1
    Membership.objects.bulk_create(
        Membership(cluster_year=cluster_year, unit=unit, year=year) for unit in units
    )
    Conference.objects.create(
        cluster_year=cluster_year,
        kind=Conference.Kind.YEAR_END,
        date=datetime.date(year, 11, rng.randint(10, 28)),
        host=units[index % size],
        place=f"Hội trường {units[index % size].name}",
        presiding_rank="Đại tá",
        presiding_name=_person(rng),
        presiding_title="Phó Cục trưởng Cục Công tác Đảng và công tác chính trị",
        slogan="Bản lĩnh, nhân văn, vì nhân dân phục vụ",
        highlights="Kết quả mô phỏng (minh họa).",
        data_status=ILLUSTRATIVE,
        version=1,
    )
    reports = []
    for unit in units:
        recorded = rng.randint(150, 900)
        serious = rng.randint(10, 80)
        reports.append(
            UnitReport(
                cluster_year=cluster_year,
                unit=unit,
                crimes_recorded=recorded,
                crimes_solved=rng.randint(int(recorded * 0.75), recorded),
                serious_recorded=serious,
                serious_solved=rng.randint(int(serious * 0.85), serious),
                drug_cases=rng.randint(100, 900),
                drug_offenders=rng.randint(150, 1300),
                commended_collectives=rng.randint(100, 600),
                commended_individuals=per_year // size,
                citizen_tips=rng.randint(200, 1500),
                data_status=ILLUSTRATIVE,
                version=1,
            )
        )
    UnitReport.objects.bulk_create(reports)
    made.reports += len(reports)
    nominations = _vote(rng, cluster_year, units, leader, is_last, kinds, made)
    _cycle(rng, cluster_year, units, leader, is_last, nominations, made)
    _commendations(rng, units, year, per_year, kinds, made)
    _welfare(rng, cluster_year, units, year, is_last, made)


def _vote(rng, cluster_year, units, leader, is_last, kinds, made):
    """One Government flag for the leading unit and two or three Ministry flags a year."""
    size = len(units)
    others = [unit for unit in units if unit != leader]
    chosen = [(kinds["co-chinh-phu"], leader)] + [
        (kinds["co-bo-cong-an"], unit)
        for unit in rng.sample(others, min(len(others), rng.choice((2, 3))))
    ]
    year = cluster_year.year
    nominations = []
    for rank, (kind, unit) in enumerate(chosen, start=1):
        nominations.append(
            Nomination(
                cluster_year=cluster_year,
                award_kind=kind,
                unit=unit,
                rank_order=rank,
                votes_for=rng.randint(size - 1, size),
                council_size=size,
                status=Nomination.Status.PROPOSED if is_last else Nomination.Status.APPROVED,
                decision_number="" if is_last else f"{rng.randint(100, 9999)}/QĐ-TTg",
                decision_date=None if is_last else datetime.date(year + 1, 3, rng.randint(1, 28)),
                decision_issuer="" if is_last else "Thủ tướng Chính phủ",
                data_status=ILLUSTRATIVE,
            )
        )
    nominations = Nomination.objects.bulk_create(nominations)
    if nominations[0].pk is None:
        nominations = list(
            Nomination.objects.filter(cluster_year=cluster_year).order_by("rank_order")
        )
    made.nominations += len(nominations)
    if not is_last:
        flags = Commendation.objects.bulk_create(
            Commendation(
                award_kind_id=n.award_kind_id,
                year=year,
                unit_id=n.unit_id,
                decision_number=n.decision_number,
                decision_date=n.decision_date,
                decision_issuer=n.decision_issuer,
                nomination=n,
                data_status=ILLUSTRATIVE,
            )
            for n in nominations
        )
        made.commendations += len(flags)
    return nominations


# The cycle's criteria: four groups of five criteria worth 5 points each (100 in all), two bonus
# and two penalty items of up to 2 points.
GROUPS = ("I", "II", "III", "IV")
PER_GROUP = 5
CRITERION_POINTS = Decimal(5)
EXTRA_POINTS = Decimal(2)
HALF = Decimal("0.5")


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def _cycle(rng, cluster_year, units, leader, is_last, nominations, made):
    """The year's emulation cycle as a cluster runs it: criteria, every unit's pledge, its own
    sheet, an inspection by the next unit and the agreed sheet (the leading unit ranked first),
    the council, the ballot's names and count, and the dossier (sent and decided in published
    years, being put together in the open one)."""
    year = cluster_year.year
    started = _at(datetime.date(year, 11, 1))
    adopted = _at(datetime.date(year, 11, 25))
    cycle = Cycle.objects.create(
        cluster_year=cluster_year,
        scoring_started_at=started,
        ranking_adopted_at=adopted,
        self_score_due=datetime.date(year, 11, 10),
        inspection_due=datetime.date(year, 11, 20),
        report_due=datetime.date(year, 11, 5),
        dossier_due=datetime.date(year, 12, 31),
    )
    ClusterYear.objects.filter(pk=cluster_year.pk).update(ranked_leader=leader)
    criteria = []
    for g, numeral in enumerate(GROUPS):
        group = Criterion.objects.create(
            cycle=cycle,
            kind=Criterion.Kind.GROUP,
            number=numeral,
            title=f"Nhóm tiêu chí {numeral} (minh họa)",
            order=g * 10,
        )
        criteria += Criterion.objects.bulk_create(
            Criterion(
                cycle=cycle,
                parent=group,
                kind=Criterion.Kind.SCORED,
                number=f"{g * PER_GROUP + i + 1}",
                title=f"Tiêu chí mô phỏng {g * PER_GROUP + i + 1} (minh họa)",
                max_points=CRITERION_POINTS,
                guidance="Đủ chỉ tiêu: điểm tối đa; mỗi chỉ tiêu không đạt trừ 0,5 điểm.",
                order=g * 10 + i + 1,
            )
            for i in range(PER_GROUP)
        )
    extras = [Criterion.Kind.BONUS] * 2 + [Criterion.Kind.PENALTY] * 2
    criteria += Criterion.objects.bulk_create(
        Criterion(
            cycle=cycle,
            kind=kind,
            number=f"{len(GROUPS) * PER_GROUP + i + 1}",
            title=f"{kind.label} mô phỏng {i + 1} (minh họa)",
            max_points=EXTRA_POINTS,
            order=100 + i,
        )
        for i, kind in enumerate(extras)
    )
    if criteria[0].pk is None:
        criteria = list(cycle.criteria.exclude(kind=Criterion.Kind.GROUP))
    Pledge.objects.bulk_create(
        Pledge(
            cycle=cycle,
            unit=unit,
            signed_by=f"Đại tá {_person(rng)}, Giám đốc",
            signed_on=datetime.date(year, 1, rng.randint(10, 31)),
        )
        for unit in units
    )
    sheets = []
    for u, unit in enumerate(units):
        inspector = units[(u + 1) % len(units)]
        sheets += [
            ScoreSheet(cycle=cycle, unit=unit, kind=ScoreSheet.Kind.SELF, submitted_at=started),
            ScoreSheet(
                cycle=cycle,
                unit=unit,
                kind=ScoreSheet.Kind.INSPECTION,
                inspector=inspector,
                submitted_at=started,
            ),
            ScoreSheet(cycle=cycle, unit=unit, kind=ScoreSheet.Kind.AGREED, submitted_at=adopted),
        ]
    sheets = ScoreSheet.objects.bulk_create(sheets)
    if sheets[0].pk is None:
        sheets = list(ScoreSheet.objects.filter(cycle=cycle).order_by("pk"))
    scores = []
    for sheet in sheets:
        first = sheet.unit_id == leader.pk
        for criterion in criteria:
            scores.append(
                Score(
                    sheet=sheet,
                    criterion=criterion,
                    points=_points(rng, criterion.kind, criterion.max_points, first),
                )
            )
    for start in range(0, len(scores), BATCH):
        Score.objects.bulk_create(scores[start : start + BATCH])
    made.scores += len(scores)
    size = len(units)
    CouncilMember.objects.bulk_create(
        CouncilMember(
            cycle=cycle,
            name=f"Đại tá {_person(rng)}",
            title=f"Giám đốc {unit.name}",
            attendance=CouncilMember.Attendance.PRESENT,
            order=u,
        )
        for u, unit in enumerate(units)
    )
    Candidate.objects.bulk_create(
        Candidate(
            cycle=cycle,
            award_kind_id=n.award_kind_id,
            unit_id=n.unit_id,
            order=n.rank_order,
            votes_for=n.votes_for,
            written_for=0,
            nomination=n,
        )
        for n in nominations
    )
    BallotCount.objects.bulk_create(
        BallotCount(cycle=cycle, award_kind_id=kind, ballots_cast=size)
        for kind in sorted({n.award_kind_id for n in nominations})
    )
    if is_last:
        Dossier.objects.create(cycle=cycle)  # being put together
        return
    dossier = Dossier.objects.create(cycle=cycle, status=Dossier.Status.DECIDED)
    sent = _at(datetime.date(year, 12, 10))
    DossierRound.objects.create(
        dossier=dossier,
        number=1,
        submitted_at=sent,
        received_at=sent + datetime.timedelta(days=5),
        decided_at=_at(datetime.date(year + 1, 3, 1)),
    )


def _points(rng, kind, most, first: bool) -> Decimal:
    """Half points: the leading unit full marks and no penalty, the others a little less."""
    if kind == Criterion.Kind.PENALTY:
        return Decimal(0) if first else HALF * rng.randint(0, 2)
    if kind == Criterion.Kind.BONUS:
        return most if first else HALF * rng.randint(0, 2)
    return most if first else most - HALF * rng.randint(0, 4)


COMMENDATION_COLUMNS = (
    "award_kind_id", "year", "unit_id", "person_name", "person_rank", "person_position",
    "decision_number", "decision_date", "decision_issuer", "data_status", "notes",
    "search_name", "search_decision",
)  # fmt: skip


def _commendations(rng, units, year, per_year, kinds, made):
    """Plain rows, not model instances: millions of them, written by the database's own bulk
    path (COPY on PostgreSQL, executemany elsewhere), several times faster than bulk_create."""
    codes = [kinds[code].pk for code, _weight in INDIVIDUAL_KINDS]
    weights = [weight for _code, weight in INDIVIDUAL_KINDS]
    chosen = rng.choices(codes, weights, k=per_year)
    decision_date = datetime.date(year, 12, 20)
    # the search keys save() would compute (core.search.SearchKeyField): a COPY calls no save()
    name_key = Commendation._meta.get_field("search_name").key_of
    number_key = Commendation._meta.get_field("search_decision").key_of
    rows = []
    for i in range(per_year):
        unit = units[i % len(units)]
        # drawn in the order they always were: the same seed gives the same rows
        person, rank, position = _person(rng), rng.choice(RANKS), rng.choice(POSITIONS)
        number = f"{rng.randint(1, 999)}/QĐ-CAT"
        rows.append(
            (
                chosen[i], year, unit.pk, person, rank, position,
                number, decision_date,
                "Giám đốc Công an tỉnh", ILLUSTRATIVE.value, "",
                name_key({"person_rank": rank, "person_name": person}),
                number_key({"decision_number": number}),
            )
        )  # fmt: skip
        if len(rows) == BATCH:
            _insert(Commendation, COMMENDATION_COLUMNS, rows)
            made.commendations += len(rows)
            rows = []
    if rows:
        _insert(Commendation, COMMENDATION_COLUMNS, rows)
        made.commendations += len(rows)


def _insert(model, columns, rows) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)  # "" stays "", not NULL
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)", buffer
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _welfare(rng, cluster_year, units, year, is_last, made):
    fund = Fund.objects.create(
        cluster_year=cluster_year,
        title="Ủng hộ xây nhà Nghĩa tình đồng đội",
        target=len(units) * 20_000_000,
        opened_on=datetime.date(year, 1, 15),
        closed_on=None if is_last else datetime.date(year, 12, 31),
        status=Fund.Status.COLLECTING if is_last else Fund.Status.CLOSED,
        data_status=ILLUSTRATIVE,
    )
    Contribution.objects.bulk_create(
        Contribution(
            fund=fund,
            unit=unit,
            amount=20_000_000,
            given_on=datetime.date(year, rng.randint(2, 10), rng.randint(1, 28)),
            data_status=ILLUSTRATIVE,
        )
        for unit in units
    )
    made.contributions += len(units)
    beneficiary = Beneficiary.objects.create(
        full_name=_person(rng),
        rank=rng.choice(RANKS),
        position=rng.choice(POSITIONS),
        unit=units[rng.randrange(len(units))],
        place="Xã mô phỏng",
        data_status=ILLUSTRATIVE,
    )
    Support.objects.create(
        fund=fund,
        beneficiary=beneficiary,
        kind=Support.Kind.HOUSE,
        amount=len(units) * 10_000_000,
        paid_on=datetime.date(year, 11, 1),
        approved_on=datetime.date(year, 6, 1),
        building_started_on=datetime.date(year, 7, 1),
        handed_over_on=None if is_last else datetime.date(year, 10, 15),
        data_status=ILLUSTRATIVE,
    )


def _person(rng) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
