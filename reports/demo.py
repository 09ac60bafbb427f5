"""The 2018 and 2023 conferences of cluster II and the units' results, from ../shared/seeds/.

The articles give cluster totals only (2023: 4.213 drug cases, 5.435 drug offenders, 2.847
collectives and 9.341 individuals commended): those are kept as the cluster's published figures
(reports.PublishedFigure, "số liệu cụm công bố"). The per-unit figures below are an illustrative
split whose sums are exactly the published ones (every unit's clearance rate above 90%, serious
cases near 100%, as the article says); every such report is marked "minh họa" and says so.
No year the articles do not tell (2022) is invented.
"""

from accounts.access import COMMAND_LINE
from clusters.demo import ClusterDemo
from clusters.models import DataStatus
from reports import services
from reports.models import COUNT_FIELDS, Conference, PublishedFigure, UnitReport

ILLUSTRATIVE = (
    "Số liệu từng đơn vị là phân bổ minh họa: bài báo chỉ nêu tổng của cụm; "
    "tổng các đơn vị khớp với số liệu đã công bố."
)

# slug: (crimes recorded, solved, serious recorded, solved, drug cases, offenders,
#        collectives commended, individuals commended, citizen tips)
RESULTS = {
    2023: {
        "lai-chau": (210, 196, 28, 28, 402, 520, 350, 1150, 620),
        "dien-bien": (265, 245, 35, 35, 720, 930, 390, 1280, 710),
        "son-la": (410, 379, 52, 51, 1105, 1420, 480, 1620, 980),
        "lao-cai": (380, 352, 47, 47, 630, 815, 430, 1450, 860),
        "ha-giang": (190, 176, 22, 22, 410, 530, 380, 1210, 540),
        "cao-bang": (170, 158, 19, 19, 388, 500, 370, 1190, 590),
        "lang-son": (330, 304, 41, 40, 558, 720, 447, 1441, 800),
    },
}
# What the 2023 article states for the whole cluster.
PUBLISHED_2023 = {
    "drug_cases": 4213,
    "drug_offenders": 5435,
    "commended_collectives": 2847,
    "commended_individuals": 9341,
}
PROJECT06 = (
    "Thực hiện nghiêm túc, đồng bộ Đề án 06 của Chính phủ về phát triển ứng dụng dữ liệu dân cư, "
    "định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022-2025, tầm nhìn "
    "đến năm 2030."
)
CONFERENCES = {
    2018: {
        "host": "cao-bang",
        "place": "Cao Bằng",
        "presiding_rank": "Đại tá",
        "presiding_name": "Nguyễn Công Bẩy",
        "guests": (
            "Đại diện lãnh đạo Cục Công tác Đảng và Công tác chính trị CAND; đại diện lãnh đạo "
            "tỉnh Cao Bằng; lãnh đạo Công an các tỉnh trong Cụm thi đua số 2."
        ),
        "slogan": (
            "Chủ động, đổi mới, kỷ cương, trách nhiệm, hiệu quả - Vì bình yên biên cương Tổ quốc, "
            "vì hạnh phúc của nhân dân"
        ),
        "highlights": (
            "Công an 7 tỉnh phía Bắc trong Cụm thi đua số 2 (Cao Bằng, Sơn La, Lạng Sơn, Lai Châu, "
            "Điện Biên, Hà Giang, Lào Cai) đã triển khai, phát động thực hiện tốt phong trào thi đua "
            "“Vì an ninh Tổ quốc”.\n"
            "Làm tốt vai trò nòng cốt, xung kích chủ động phòng ngừa, phát hiện đấu tranh có hiệu quả "
            "âm mưu, hoạt động của các thế lực thù địch và các loại tội phạm, bảo đảm giữ vững ANCT, "
            "TTATXH, phục vụ đắc lực nhiệm vụ phát triển kinh tế, xã hội của địa phương."
        ),
        "directions": (
            "Biểu dương những thành tích đạt được của Công an các tỉnh trong Cụm thi đua số 2; yêu cầu "
            "Công an các tỉnh thường xuyên tổ chức các đợt cao điểm tấn công trấn áp tội phạm, triển "
            "khai đồng bộ các biện pháp nghiệp vụ; phòng ngừa, đấu tranh chống tội phạm.\n"
            "Nâng cao tỷ lệ điều tra khám phá án, tiếp tục đẩy mạnh thực hiện tốt cuộc vận động "
            "“Xây dựng người CAND bản lĩnh, nhân văn vì nhân dân phục vụ” gắn với chỉ tiêu phong trào "
            "thi đua “Vì an ninh Tổ quốc”."
        ),
        "notes": (
            "Bài báo không ghi ngày và chức vụ người chủ trì; đơn vị đăng cai suy ra từ việc lãnh đạo "
            "tỉnh Cao Bằng dự và Ban Giám đốc Công an Cao Bằng, Sơn La trao quà tại hội nghị."
        ),
    },
    2023: {
        "host": "lai-chau",
        "place": "Lai Châu",
        "guests": (
            "Cục Công tác Đảng và công tác Chính trị, Bộ Công an; đại diện lãnh đạo Công an 7 tỉnh "
            "trong Cụm thi đua số II: Lai Châu, Điện Biên, Sơn La, Lào Cai, Hà Giang, Cao Bằng, "
            "Lạng Sơn."
        ),
        "highlights": (
            "Tình hình tội phạm về trật tự xã hội tại các tỉnh cơ bản giảm so với năm 2022; tỷ lệ "
            "điều tra, khám phá tội phạm về trật tự xã hội đều đạt hơn 90%; án nghiêm trọng và đặc "
            "biệt nghiêm trọng đạt gần 100%; phá thành công nhiều chuyên án ma túy lớn, phát hiện, "
            "bắt giữ 4.213 vụ, 5.435 đối tượng phạm tội về ma túy.\n"
            "Thực hiện nghiêm túc, đồng bộ Đề án 06 của Chính phủ; duy trì, nhân rộng Diễn đàn "
            "“Công an lắng nghe ý kiến nhân dân”, tiếp nhận hàng nghìn thông tin có giá trị.\n"
            "2.847 lượt tập thể và 9.341 lượt cá nhân trong Cụm được các cấp, các ngành khen thưởng.\n"
            "Lãnh đạo Công an tỉnh Lai Châu bàn giao đơn vị Cụm trưởng cho Công an tỉnh Lạng Sơn, "
            "Phó Cụm trưởng cho Công an tỉnh Cao Bằng."
        ),
        "notes": (
            "Bài báo không ghi ngày hội nghị; lễ khánh thành nhà “Nghĩa tình đồng đội” chiều 21/11/2023 "
            "diễn ra trước hội nghị. Đơn vị đăng cai là Cụm trưởng năm 2023."
        ),
    },
}


def seed_reports(demo: ClusterDemo) -> None:
    for year, details in CONFERENCES.items():
        cluster_year = demo.years[year]
        if cluster_year.is_published:
            continue
        conference = Conference.objects.filter(
            cluster_year=cluster_year, kind=Conference.Kind.YEAR_END
        ).first() or Conference(cluster_year=cluster_year, kind=Conference.Kind.YEAR_END)
        for name, value in details.items():
            setattr(conference, name, demo.units[value] if name == "host" else value)
        conference.source, conference.data_status = demo.sources[year], DataStatus.CLUSTER_PUBLISHED
        services.conference_save(conference=conference, by=COMMAND_LINE)

    for year, rows in RESULTS.items():
        cluster_year = demo.years[year]
        if cluster_year.is_published:
            continue
        for slug, values in rows.items():
            unit = demo.units[slug]
            report = UnitReport.objects.filter(cluster_year=cluster_year, unit=unit).first()
            report = report or UnitReport(cluster_year=cluster_year, unit=unit)
            for name, value in zip(COUNT_FIELDS, values, strict=True):
                setattr(report, name, value)
            report.project06_notes = PROJECT06 if year == 2023 else ""
            report.notes = ILLUSTRATIVE
            report.source, report.data_status = demo.sources[year], DataStatus.ILLUSTRATIVE
            services.unit_report_save(report=report, by=COMMAND_LINE)

    cluster_year = demo.years[2023]
    if not cluster_year.is_published:
        for name, value in PUBLISHED_2023.items():
            figure = PublishedFigure.objects.filter(cluster_year=cluster_year, figure=name).first()
            figure = figure or PublishedFigure(cluster_year=cluster_year, figure=name)
            figure.value, figure.source = value, demo.sources[2023]
            figure.data_status = DataStatus.CLUSTER_PUBLISHED
            figure.notes = "Theo bài báo năm 2023."
            services.published_figure_save(figure=figure, by=COMMAND_LINE)
