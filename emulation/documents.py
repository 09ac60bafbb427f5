"""The cycle's documents as Word files, in the layout of Vietnamese administrative documents
(Nghị định 30/2020/NĐ-CP, Phụ lục I): A4, Times New Roman; the issuing body and unit at the top
left with the number and symbol under them, the national motto and its motto line at the top right
with the place and date under them; the kind of document and its summary centred; the body; the
recipients at the bottom left and the signature block at the bottom right.

Every figure comes from the year's data; what the data does not hold is left as dotted lines for
the clerk to fill in, never invented."""

import datetime
import io
from dataclasses import dataclass, field

from django.utils import formats
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from awards.models import Commendation, Nomination
from emulation import selectors
from reports.models import Conference, UnitReport

FONT = "Times New Roman"
DOTS = "…………"
SHORT_DOTS = "……"  # a day, a month, a year to fill in: the line stays on one line
CLUSTER_SYMBOL = "CTĐ"  # cụm thi đua, in the document's symbol (e.g. 01/BB-CTĐ)

MINUTES, PROPOSAL, ACHIEVEMENTS = "BB", "TTr", "BC"


@dataclass
class Heading:
    """What the top of a document says: who issues it, its number, where and when."""

    body: str  # cơ quan chủ quản: "BỘ CÔNG AN"
    unit: str  # cơ quan ban hành: "CỤM THI ĐUA SỐ II"
    symbol: str  # "BB-CTĐ"
    place: str
    day: datetime.date | None
    number: str = ""
    lines: list = field(default_factory=list)


def vietnamese_date(place: str, day: datetime.date | None) -> str:
    """ "Lai Châu, ngày 15 tháng 12 năm 2024" (ND 30: days below 10 and months below 3 with a
    leading zero); dotted when the day is not known yet."""
    if day is None:
        return f"{place or DOTS}, ngày {SHORT_DOTS} tháng {SHORT_DOTS} năm {SHORT_DOTS}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    return document


def _run(paragraph, text, *, bold=False, italic=False, underline=False, size=None):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return run


def _centred(cell_or_doc, text="", **style):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, **style)
    return paragraph


TEXT_WIDTH = 165  # mm: A4 less the margins of Decree 30/2020 (left 30, right 15)
NARROW = ("TT", "STT", "Hạng")  # 18 mm  # a first column of numbers only


def _widths(table, widths_mm: list[float]):
    """Fixed column widths, set on the grid and on every cell: Word reads the cells', LibreOffice
    the grid's; neither is kept from one alone."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _header(document, heading: Heading):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [62, TEXT_WIDTH - 62])
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(left.paragraphs[0], heading.body.upper(), size=13)
    _centred(left, heading.unit.upper(), bold=True, size=13)
    _centred(left, "───────", size=10)
    number = heading.number or "      "
    _centred(left, f"Số: {number}/{heading.symbol}", size=13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _centred(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=14)
    _centred(right, "")
    _centred(right, vietnamese_date(heading.place, heading.day), italic=True, size=14)
    document.add_paragraph()


def _title(document, kind: str, summary: str):
    _centred(document, kind.upper(), bold=True, size=14)
    _centred(document, summary, bold=True, size=14)
    _centred(document, "───────", size=10)
    document.add_paragraph()


def _body(document, text: str, *, bold=False, italic=False):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    _run(paragraph, text, bold=bold, italic=italic)
    return paragraph


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, bold=True, size=13)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _run(cell.paragraphs[0], str(text), size=13)
    if headers[0] in NARROW:
        rest = (TEXT_WIDTH - 18) / (len(headers) - 1)
        _widths(table, [18] + [rest] * (len(headers) - 1))
    else:
        _widths(table, [TEXT_WIDTH / len(headers)] * len(headers))
    document.add_paragraph()
    return table


def _footer(document, recipients: list[str], signer_title: list[str], signer_name: str):
    table = document.add_table(rows=1, cols=2)
    _widths(table, [80, TEXT_WIDTH - 80])
    left, right = table.rows[0].cells
    _run(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for recipient in recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, f"- {recipient};", size=11)
    last = left.add_paragraph()
    _run(last, "- Lưu: VT.", size=11)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], signer_title[0].upper(), bold=True, size=14)
    for line in signer_title[1:]:
        _centred(right, line.upper(), bold=True, size=14)
    for _blank in range(4):
        _centred(right, "")
    _centred(right, signer_name or DOTS, bold=True, size=14)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _number(value: int | None) -> str:
    if value is None:
        return DOTS
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _percent(value) -> str:
    return "" if value is None else formats.number_format(value, decimal_pos=1, use_l10n=True) + "%"


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
    document = _document()
    _header(document, heading_for(cycle, MINUTES, number=number, day=day, conference=conference))
    _title(
        document,
        "Biên bản",
        f"Họp bình xét, suy tôn thi đua năm {cluster_year.year} của {cluster_year.cluster.name}",
    )
    meeting_day = conference.date if conference and conference.date else day
    when = f"{meeting_day:%d/%m/%Y}" if meeting_day else DOTS
    where = conference.place if conference and conference.place else DOTS
    _body(
        document,
        f"Vào ngày {when}, tại {where}, {cluster_year.cluster.name} họp Hội đồng bình xét, suy "
        f"tôn các tập thể, cá nhân có thành tích trong phong trào thi đua năm {cluster_year.year}.",
    )
    council = list(cycle.council.all())
    present = [m for m in council if m.attendance == "present"]
    writing = [m for m in council if m.attendance == "written"]
    absent = [m for m in council if m.attendance == "absent"]
    _body(
        document,
        f"Hội đồng bình xét có {len(council)} thành viên; có mặt {len(present)}, vắng mặt "
        f"{len(writing) + len(absent)} (trong đó {len(writing)} thành viên gửi phiếu bằng văn bản).",
    )
    if council:
        _table(
            document,
            ["TT", "Họ tên", "Chức vụ, đơn vị", "Tham dự"],
            [
                [i, m.name, m.title, m.get_attendance_display()]
                for i, m in enumerate(council, start=1)
            ],
        )
    _body(document, "I. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", bold=True)
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
        _body(document, f"Cụm chưa thông qua bảng xếp hạng điểm thi đua: {DOTS}")
    if ranked:
        _table(
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
        _body(document, text)
    else:
        _body(document, f"Đơn vị dẫn đầu cụm: {DOTS}")
    _body(document, "II. KẾT QUẢ BỎ PHIẾU SUY TÔN", bold=True)
    for index, result in enumerate(
        selectors.ballot_results(
            cycle,
            council_size=len(council),
            conferences=[conference] if conference else [],
        ),
        start=1,
    ):
        _body(document, f"{index}. {result.award_kind.name}", bold=True)
        count = result.count
        if count is None:
            _body(document, "Chưa kiểm phiếu.", italic=True)
            continue
        _body(
            document,
            f"Số phiếu phát ra {len(present)}, thu về {count.ballots_cast}; phiếu hợp lệ "
            f"{count.valid}, phiếu trắng {count.blank}, phiếu không hợp lệ {count.spoiled}; "
            f"phiếu bằng văn bản của thành viên vắng mặt {count.written}.",
        )
        _table(
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
                    _percent(line.percent),
                    "Đạt"
                    if line.elected
                    else ("Bằng phiếu, bầu lại" if line.tied else "Không đạt"),
                ]
                for line in result.lines
            ],
        )
    _body(
        document,
        "Biên bản kết thúc hồi …… giờ …… cùng ngày, đã thông qua trước Hội đồng và được các thành "
        "viên nhất trí.",
    )
    _footer(
        document,
        ["Hội đồng Thi đua - Khen thưởng Bộ Công an", "Các đơn vị thành viên cụm"],
        ["Chủ trì hội nghị"],
        "",
    )
    return _saved(document)


# --- the proposal ------------------------------------------------------------------------------


def proposal(cycle, *, number: str = "", day=None) -> bytes:
    """Tờ trình đề nghị khen thưởng: the cluster's nominations with their votes, to the
    Ministry's emulation council."""
    cluster_year = cycle.cluster_year
    document = _document()
    _header(document, heading_for(cycle, PROPOSAL, number=number, day=day))
    _title(
        document,
        "Tờ trình",
        f"Đề nghị khen thưởng phong trào thi đua “Vì an ninh Tổ quốc” năm {cluster_year.year}",
    )
    _centred(document, "Kính gửi: Hội đồng Thi đua - Khen thưởng Bộ Công an")
    document.add_paragraph()
    _body(
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
    _body(
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
                _percent(nomination.vote_percent),
            ]
        )
    _table(
        document,
        ["TT", "Tập thể, cá nhân", "Hình thức đề nghị", "Số phiếu / tổng thành viên", "Tỷ lệ"],
        rows,
    )
    leader = cluster_year.leading_unit
    if leader is not None:
        _body(
            document,
            f"{leader.name} là đơn vị dẫn đầu {cluster_year.cluster.name} năm {cluster_year.year}.",
        )
    _body(
        document,
        "Hồ sơ kèm theo: biên bản họp bình xét, suy tôn; báo cáo thành tích của các tập thể, cá "
        "nhân được đề nghị.",
    )
    _body(document, f"{cluster_year.cluster.name} kính trình./.")
    _footer(
        document,
        ["Như trên", "Các đơn vị thành viên cụm"],
        *_chair_signature(cluster_year),
    )
    return _saved(document)


# --- an achievement report ----------------------------------------------------------------------


def achievements(cycle, nomination, *, day=None) -> bytes:
    """Báo cáo thành tích: the skeleton of a nominee's report, its figures filled from the year's
    data (the unit's report, its emulation score and rank, its earlier commendations)."""
    cluster_year = cycle.cluster_year
    unit = nomination.unit
    document = _document()
    heading = Heading(
        body="Bộ Công an",
        unit=unit.name,
        symbol=f"{ACHIEVEMENTS}-{CLUSTER_SYMBOL}",
        place=unit.short_name,
        day=day,
    )
    _header(document, heading)
    _title(
        document,
        "Báo cáo thành tích",
        f"Đề nghị tặng {nomination.award_kind.name} năm {cluster_year.year}",
    )
    _body(
        document,
        f"Tên {'cá nhân' if nomination.person_name else 'tập thể'} đề nghị: {nomination.recipient_label}",
        bold=True,
    )
    _body(document, "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", bold=True)
    _body(document, f"1. Đặc điểm, tình hình: {DOTS}")
    _body(document, f"2. Chức năng, nhiệm vụ được giao: {DOTS}")
    _body(document, "II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True)
    report = UnitReport.objects.filter(cluster_year=cluster_year, unit=unit).first()
    if report is None:
        _body(
            document,
            f"Kết quả công tác năm {cluster_year.year}: {DOTS} (đơn vị chưa có báo cáo năm trong hệ thống).",
        )
    else:
        rows = [
            ["Tội phạm về trật tự xã hội xảy ra (vụ)", _number(report.crimes_recorded)],
            ["Điều tra, khám phá (vụ)", _number(report.crimes_solved)],
            ["Tỷ lệ điều tra, khám phá", _percent(report.clearance_rate)],
            [
                "Án nghiêm trọng, đặc biệt nghiêm trọng xảy ra / khám phá",
                f"{_number(report.serious_recorded)} / {_number(report.serious_solved)}",
            ],
            [
                "Ma túy: vụ / đối tượng bắt giữ",
                f"{_number(report.drug_cases)} / {_number(report.drug_offenders)}",
            ],
            [
                "Lượt tập thể / cá nhân được khen thưởng",
                f"{_number(report.commended_collectives)} / {_number(report.commended_individuals)}",
            ],
        ]
        _body(document, f"1. Kết quả công tác năm {cluster_year.year} (theo báo cáo của đơn vị):")
        _table(document, ["Chỉ tiêu", "Kết quả"], rows)
    places = (
        selectors.ranking(cycle, selectors.sheets_of(cycle), selectors.members_of(cluster_year))
        if cycle.ranking_adopted_at is not None  # not told before the cluster adopts it
        else []
    )
    place = next((p for p in places if p.unit.pk == unit.pk and not p.missing), None)
    if place is not None:
        _body(
            document,
            f"2. Kết quả chấm điểm thi đua trong cụm: {selectors.points(place.totals.total)} điểm, "
            f"xếp thứ {place.rank}/{len(places)}.",
        )
    else:
        _body(document, f"2. Kết quả chấm điểm thi đua trong cụm: {DOTS}")
    _body(document, f"3. Các giải pháp, mô hình, cách làm hiệu quả: {DOTS}")
    _body(document, "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN", bold=True)
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
        _table(document, ["Năm", "Hình thức", "Số, ngày quyết định"], rows)
    else:
        _body(document, f"Chưa có khen thưởng nào được ghi trong hệ thống; {DOTS}")
    _footer(document, [f"{cluster_year.cluster.name}"], ["Thủ trưởng đơn vị"], "")
    return _saved(document)
