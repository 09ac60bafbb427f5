"""The cycle's documents as Word files (minutes of the vote, the proposal, an achievement
report), in the layout of Vietnamese administrative documents that core.documents draws
(Nghị định 30/2020/NĐ-CP, Phụ lục I).

Every figure comes from the year's data; what the data does not hold is left as dotted lines for
the clerk to fill in, never invented."""

from awards.models import Commendation, Nomination
from core import documents as layout
from core.documents import DOTS, Heading
from core.documents import vietnamese_date as vietnamese_date  # the cycle's papers date with it
from emulation import selectors
from reports.models import Conference, UnitReport

CLUSTER_SYMBOL = "CTĐ"  # cụm thi đua, in the document's symbol (e.g. 01/BB-CTĐ)

MINUTES, PROPOSAL, ACHIEVEMENTS = "BB", "TTr", "BC"


# --- what the documents read --------------------------------------------------------------------


def year_end_conference(cluster_year) -> Conference | None:
    return (
        Conference.objects.filter(cluster_year=cluster_year, kind="year_end")
        .select_related("host")
        .first()
    )


def heading_for(cycle, symbol: str, *, number: str = "", day=None, conference=False) -> Heading:
    """`conference`: the year-end conference when the caller has read it (None: there is none)."""
    cluster_year = cycle.cluster_year
    if conference is False:
        conference = year_end_conference(cluster_year)
    place = ""
    if cluster_year.chair_id:
        place = cluster_year.chair.short_name
    if day is None and conference is not None:
        day = conference.date
    return Heading(
        body="Bộ Công an",
        unit=cluster_year.cluster.name,
        symbol=f"{symbol}-{CLUSTER_SYMBOL}",
        place=place,
        day=day,
        number=number,
    )


def _chair_signature(cluster_year) -> tuple[list[str], str]:
    return [f"TM. {cluster_year.cluster.name}", "Cụm trưởng"], ""


# --- the minutes of the vote ------------------------------------------------------------------


def minutes(cycle, *, number: str = "", day=None) -> bytes:
    """Biên bản họp bình xét, suy tôn: who met, the ranking and the unit leading the cluster,
    each award kind's count and result."""
    cluster_year = cycle.cluster_year
    conference = year_end_conference(cluster_year)
    document = layout.document()
    layout.header(
        document, heading_for(cycle, MINUTES, number=number, day=day, conference=conference)
    )
    layout.title(
        document,
        "Biên bản",
        f"Họp bình xét, suy tôn thi đua năm {cluster_year.year} của {cluster_year.cluster.name}",
    )
    meeting_day = conference.date if conference and conference.date else day
    when = f"{meeting_day:%d/%m/%Y}" if meeting_day else DOTS
    where = conference.place if conference and conference.place else DOTS
    layout.body(
        document,
        f"Vào ngày {when}, tại {where}, {cluster_year.cluster.name} họp Hội đồng bình xét, suy "
        f"tôn các tập thể, cá nhân có thành tích trong phong trào thi đua năm {cluster_year.year}.",
    )
    council = list(cycle.council.all())
    present = [m for m in council if m.attendance == "present"]
    writing = [m for m in council if m.attendance == "written"]
    absent = [m for m in council if m.attendance == "absent"]
    layout.body(
        document,
        f"Hội đồng bình xét có {len(council)} thành viên; có mặt {len(present)}, vắng mặt "
        f"{len(writing) + len(absent)} (trong đó {len(writing)} thành viên gửi phiếu bằng văn bản).",
    )
    if council:
        layout.table(
            document,
            ["TT", "Họ tên", "Chức vụ, đơn vị", "Tham dự"],
            [
                [i, m.name, m.title, m.get_attendance_display()]
                for i, m in enumerate(council, start=1)
            ],
        )
    layout.body(document, "I. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", bold=True)
    # the ranking is the cluster's once adopted; before that it is not told in any paper (a
    # unit's officer reads the documents too, and the scoring page shows it only then)
    adopted = cycle.ranking_adopted_at is not None
    places = (
        selectors.ranking(cycle, selectors.sheets_of(cycle), selectors.members_of(cluster_year))
        if adopted
        else []
    )
    ranked = [p for p in places if not p.missing]
    if not adopted:
        layout.body(document, f"Cụm chưa thông qua bảng xếp hạng điểm thi đua: {DOTS}")
    if ranked:
        layout.table(
            document,
            ["Hạng", "Đơn vị", "Tổng điểm"],
            [[p.rank, p.unit.name, selectors.points(p.totals.total)] for p in ranked],
        )
    leader = cluster_year.leading_unit
    if leader is not None:
        text = f"Hội đồng thống nhất: {leader.name} là đơn vị dẫn đầu {cluster_year.cluster.name} năm {cluster_year.year}."
        if cluster_year.ranked_leader_id and cluster_year.ranked_leader_id != leader.pk:
            text += (
                f" (Bảng xếp hạng đặt {cluster_year.ranked_leader.name} đứng đầu; lý do chọn "
                f"khác: {cluster_year.leader_reason}.)"
            )
        layout.body(document, text)
    else:
        layout.body(document, f"Đơn vị dẫn đầu cụm: {DOTS}")
    layout.body(document, "II. KẾT QUẢ BỎ PHIẾU SUY TÔN", bold=True)
    for index, result in enumerate(
        selectors.ballot_results(
            cycle,
            council_size=len(council),
            conferences=[conference] if conference else [],
        ),
        start=1,
    ):
        layout.body(document, f"{index}. {result.award_kind.name}", bold=True)
        count = result.count
        if count is None:
            layout.body(document, "Chưa kiểm phiếu.", italic=True)
            continue
        layout.body(
            document,
            f"Số phiếu phát ra {len(present)}, thu về {count.ballots_cast}; phiếu hợp lệ "
            f"{count.valid}, phiếu trắng {count.blank}, phiếu không hợp lệ {count.spoiled}; "
            f"phiếu bằng văn bản của thành viên vắng mặt {count.written}.",
        )
        layout.table(
            document,
            [
                "TT",
                "Tập thể, cá nhân",
                "Số phiếu đồng ý",
                "Tỷ lệ trên tổng số thành viên",
                "Kết quả",
            ],
            [
                [
                    line.position,
                    line.candidate.label,
                    line.total or 0,
                    layout.percent(line.percent),
                    "Đạt"
                    if line.elected
                    else ("Bằng phiếu, bầu lại" if line.tied else "Không đạt"),
                ]
                for line in result.lines
            ],
        )
    layout.body(
        document,
        "Biên bản kết thúc hồi …… giờ …… cùng ngày, đã thông qua trước Hội đồng và được các thành "
        "viên nhất trí.",
    )
    layout.footer(
        document,
        ["Hội đồng Thi đua - Khen thưởng Bộ Công an", "Các đơn vị thành viên cụm"],
        ["Chủ trì hội nghị"],
        "",
    )
    return layout.save(document)


# --- the proposal ------------------------------------------------------------------------------


def proposal(cycle, *, number: str = "", day=None) -> bytes:
    """Tờ trình đề nghị khen thưởng: the cluster's nominations with their votes, to the
    Ministry's emulation council."""
    cluster_year = cycle.cluster_year
    document = layout.document()
    layout.header(document, heading_for(cycle, PROPOSAL, number=number, day=day))
    layout.title(
        document,
        "Tờ trình",
        f"Đề nghị khen thưởng phong trào thi đua “Vì an ninh Tổ quốc” năm {cluster_year.year}",
    )
    layout.centred(document, "Kính gửi: Hội đồng Thi đua - Khen thưởng Bộ Công an")
    document.add_paragraph()
    layout.body(
        document,
        "Căn cứ Luật Thi đua, khen thưởng năm 2022 và các văn bản hướng dẫn thi hành; căn cứ kết "
        f"quả chấm điểm, xếp hạng và bỏ phiếu suy tôn của Hội đồng bình xét {cluster_year.cluster.name} "
        f"năm {cluster_year.year},",
    )
    nominations = list(
        Nomination.objects.filter(cluster_year=cluster_year)
        .exclude(status=Nomination.Status.WITHDRAWN)
        .select_related("award_kind", "unit")
        .order_by("award_kind__order", "rank_order", "id")
    )
    layout.body(
        document,
        f"{cluster_year.cluster.name} kính đề nghị Hội đồng Thi đua - Khen thưởng Bộ Công an xem "
        "xét, quyết định hoặc trình cấp có thẩm quyền khen thưởng cho các tập thể, cá nhân sau:",
    )
    rows = []
    for index, nomination in enumerate(nominations, start=1):
        votes = (
            f"{nomination.votes_for}/{nomination.council_size}"
            if nomination.votes_for is not None and nomination.council_size
            else DOTS
        )
        rows.append(
            [
                index,
                nomination.recipient_label,
                nomination.award_kind.name,
                votes,
                layout.percent(nomination.vote_percent),
            ]
        )
    layout.table(
        document,
        ["TT", "Tập thể, cá nhân", "Hình thức đề nghị", "Số phiếu / tổng thành viên", "Tỷ lệ"],
        rows,
    )
    leader = cluster_year.leading_unit
    if leader is not None:
        layout.body(
            document,
            f"{leader.name} là đơn vị dẫn đầu {cluster_year.cluster.name} năm {cluster_year.year}.",
        )
    layout.body(
        document,
        "Hồ sơ kèm theo: biên bản họp bình xét, suy tôn; báo cáo thành tích của các tập thể, cá "
        "nhân được đề nghị.",
    )
    layout.body(document, f"{cluster_year.cluster.name} kính trình./.")
    layout.footer(
        document,
        ["Như trên", "Các đơn vị thành viên cụm"],
        *_chair_signature(cluster_year),
    )
    return layout.save(document)


# --- an achievement report ----------------------------------------------------------------------


def achievements(cycle, nomination, *, day=None) -> bytes:
    """Báo cáo thành tích: the skeleton of a nominee's report, its figures filled from the year's
    data (the unit's report, its emulation score and rank, its earlier commendations)."""
    cluster_year = cycle.cluster_year
    unit = nomination.unit
    document = layout.document()
    heading = Heading(
        body="Bộ Công an",
        unit=unit.name,
        symbol=f"{ACHIEVEMENTS}-{CLUSTER_SYMBOL}",
        place=unit.short_name,
        day=day,
    )
    layout.header(document, heading)
    layout.title(
        document,
        "Báo cáo thành tích",
        f"Đề nghị tặng {nomination.award_kind.name} năm {cluster_year.year}",
    )
    layout.body(
        document,
        f"Tên {'cá nhân' if nomination.person_name else 'tập thể'} đề nghị: {nomination.recipient_label}",
        bold=True,
    )
    layout.body(document, "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", bold=True)
    layout.body(document, f"1. Đặc điểm, tình hình: {DOTS}")
    layout.body(document, f"2. Chức năng, nhiệm vụ được giao: {DOTS}")
    layout.body(document, "II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True)
    report = UnitReport.objects.filter(cluster_year=cluster_year, unit=unit).first()
    if report is None:
        layout.body(
            document,
            f"Kết quả công tác năm {cluster_year.year}: {DOTS} (đơn vị chưa có báo cáo năm trong hệ thống).",
        )
    else:
        rows = [
            ["Tội phạm về trật tự xã hội xảy ra (vụ)", layout.number(report.crimes_recorded)],
            ["Điều tra, khám phá (vụ)", layout.number(report.crimes_solved)],
            ["Tỷ lệ điều tra, khám phá", layout.percent(report.clearance_rate)],
            [
                "Án nghiêm trọng, đặc biệt nghiêm trọng xảy ra / khám phá",
                f"{layout.number(report.serious_recorded)} / {layout.number(report.serious_solved)}",
            ],
            [
                "Ma túy: vụ / đối tượng bắt giữ",
                f"{layout.number(report.drug_cases)} / {layout.number(report.drug_offenders)}",
            ],
            [
                "Lượt tập thể / cá nhân được khen thưởng",
                f"{layout.number(report.commended_collectives)} / {layout.number(report.commended_individuals)}",
            ],
        ]
        layout.body(
            document, f"1. Kết quả công tác năm {cluster_year.year} (theo báo cáo của đơn vị):"
        )
        layout.table(document, ["Chỉ tiêu", "Kết quả"], rows)
    places = (
        selectors.ranking(cycle, selectors.sheets_of(cycle), selectors.members_of(cluster_year))
        if cycle.ranking_adopted_at is not None  # not told before the cluster adopts it
        else []
    )
    place = next((p for p in places if p.unit.pk == unit.pk and not p.missing), None)
    if place is not None:
        layout.body(
            document,
            f"2. Kết quả chấm điểm thi đua trong cụm: {selectors.points(place.totals.total)} điểm, "
            f"xếp thứ {place.rank}/{len(places)}.",
        )
    else:
        layout.body(document, f"2. Kết quả chấm điểm thi đua trong cụm: {DOTS}")
    layout.body(document, f"3. Các giải pháp, mô hình, cách làm hiệu quả: {DOTS}")
    layout.body(document, "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN", bold=True)
    earlier = (
        Commendation.objects.filter(
            unit=unit, person_name=nomination.person_name, year__lt=cluster_year.year
        )
        .select_related("award_kind")
        .order_by("-year", "award_kind__order")[:20]
    )
    rows = [
        [c.year, c.award_kind.name, f"{c.decision_number}, {c.decision_date:%d/%m/%Y}"]
        for c in earlier
    ]
    if rows:
        layout.table(document, ["Năm", "Hình thức", "Số, ngày quyết định"], rows)
    else:
        layout.body(document, f"Chưa có khen thưởng nào được ghi trong hệ thống; {DOTS}")
    layout.footer(document, [f"{cluster_year.cluster.name}"], ["Thủ trưởng đơn vị"], "")
    return layout.save(document)
