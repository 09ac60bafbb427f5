"""A 2024 cycle of cluster II: two groups of criteria, a bonus and a penalty item."""

from decimal import Decimal

import pytest

from accounts.access import COMMAND_LINE
from emulation import services
from emulation.models import Criterion

D = Decimal


def add(cycle, number, title, kind=Criterion.Kind.SCORED, max_points=None, parent=None, order=0):
    return services.criterion_save(
        criterion=Criterion(
            cycle=cycle,
            number=number,
            title=title,
            kind=kind,
            max_points=max_points,
            parent=parent,
            order=order,
        ),
        by=COMMAND_LINE,
    )


@pytest.fixture
def cycle(cluster_ii):
    cycle = services.cycle_open(cluster_year=cluster_ii.years[2024], by=COMMAND_LINE)
    work = add(cycle, "I", "Công tác chuyên môn", kind=Criterion.Kind.GROUP, order=1)
    add(cycle, "1", "Kiềm chế tội phạm", max_points=D("30"), parent=work, order=1)
    add(cycle, "2", "Điều tra khám phá án", max_points=D("40"), parent=work, order=2)
    build = add(cycle, "II", "Xây dựng lực lượng", kind=Criterion.Kind.GROUP, order=2)
    add(cycle, "3", "Xây dựng Đảng, lực lượng", max_points=D("30"), parent=build, order=1)
    add(
        cycle,
        "4",
        "Mô hình mới, cách làm hay",
        kind=Criterion.Kind.BONUS,
        max_points=D("5"),
        order=3,
    )
    add(cycle, "5", "Vi phạm kỷ luật", kind=Criterion.Kind.PENALTY, max_points=D("10"), order=4)
    return cycle


def criteria(cycle) -> dict[str, Criterion]:
    return {c.number: c for c in cycle.criteria.all()}


def fill(sheet, by, submit=True, **points):
    """Score a sheet: fill(sheet, by, c1=28, c2=35, ...) with criteria numbers after "c"."""
    found = criteria(sheet.cycle)
    entries = [
        services.Entry(criterion=found[name[1:]], points=D(str(value)), explanation="")
        for name, value in points.items()
    ]
    services.sheet_save(sheet=sheet, entries=entries, by=by)
    if submit:
        services.sheet_submit(sheet=sheet, by=by)
    return sheet
