"""The award kinds of the People's Police emulation movement and their rules, as dated rows.

What was checked (see the issue note): Nghị định 98/2023/NĐ-CP applied from 01/01/2024; Nghị định
152/2025/NĐ-CP, signed 14/06/2025 and in force from 01/07/2025, replaced it. The full text of the
article on the 80% vote could not be read for 152/2025, so that row keeps 80% and says it is not
yet verified; an administrator corrects the row (data, not code) once the text is checked.
"""

import datetime

KINDS = [
    # code, name, level, recipient, is_flag, order
    ("co-chinh-phu", "Cờ thi đua của Chính phủ", "government", "collective", True, 10),
    ("co-bo-cong-an", "Cờ thi đua của Bộ Công an", "ministry", "collective", True, 20),
    ("bang-khen-thu-tuong", "Bằng khen của Thủ tướng Chính phủ", "government", "both", False, 30),
    ("bang-khen-bo-truong", "Bằng khen của Bộ trưởng Bộ Công an", "ministry", "both", False, 40),
    ("don-vi-quyet-thang", "Đơn vị quyết thắng", "unit", "collective", False, 50),
    ("don-vi-tien-tien", "Đơn vị tiên tiến", "unit", "collective", False, 60),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "unit", "individual", False, 70),
    (
        "chien-si-thi-dua-toan-luc-luong",
        "Chiến sĩ thi đua toàn lực lượng Công an nhân dân",
        "ministry",
        "individual",
        False,
        80,
    ),
]

ND98 = "Nghị định 98/2023/NĐ-CP, Điều 30"
ND152 = "Nghị định 152/2025/NĐ-CP (thay Nghị định 98/2023/NĐ-CP từ 01/07/2025)"
CLUSTER_PRACTICE = (
    "Chỉ đơn vị dẫn đầu cụm được suy tôn Cờ thi đua của Chính phủ, mỗi cụm một cờ mỗi năm; "
    "chỉ tiêu Cờ thi đua của Bộ Công an do thư ký cụm đặt cho từng năm (mặc định 3)."
)
UNVERIFIED = (
    "Chưa đối chiếu được toàn văn điều khoản tương ứng của Nghị định 152/2025/NĐ-CP: ngưỡng 80% "
    "giữ như Nghị định 98/2023/NĐ-CP. Quản trị viên sửa dòng này nếu văn bản quy định khác."
)

RULES = [
    # code, valid_from, threshold %, yearly_limit, default_quota, leader_only, basis, notes
    ("co-chinh-phu", datetime.date(2024, 1, 1), 80, 1, None, True, ND98, CLUSTER_PRACTICE),
    (
        "co-chinh-phu",
        datetime.date(2025, 7, 1),
        80,
        1,
        None,
        True,
        ND152,
        f"{UNVERIFIED} {CLUSTER_PRACTICE}",
    ),
    ("co-bo-cong-an", datetime.date(2024, 1, 1), 80, None, 3, False, ND98, CLUSTER_PRACTICE),
    (
        "co-bo-cong-an",
        datetime.date(2025, 7, 1),
        80,
        None,
        3,
        False,
        ND152,
        f"{UNVERIFIED} {CLUSTER_PRACTICE}",
    ),
]

# The Government flag across clusters: a share of the clusters' leading collectives. A dated rule
# with its basis, marked unverified: the stored material names the former decree and a 2023
# guidance, and the former decree counted collectives meeting the Ministry-flag standard instead.
GOVERNMENT_FLAG_SHARE = 20
GOVERNMENT_FLAG_SHARE_BASIS = (
    "Không quá 20% số tập thể dẫn đầu các cụm, khối thi đua (theo tài liệu lưu trữ: Nghị định "
    "91/2017/NĐ-CP, Điều 11 khoản 1, nay đã thay thế, và hướng dẫn năm 2023 của Bộ Nội vụ). "
    "CHƯA ĐỐI CHIẾU toàn văn: Nghị định 91/2017/NĐ-CP tính 20% trên số tập thể đạt tiêu chuẩn "
    "Cờ thi đua cấp bộ; quản trị viên sửa dòng này nếu văn bản quy định khác."
)
SHARES = {"co-chinh-phu": (GOVERNMENT_FLAG_SHARE, GOVERNMENT_FLAG_SHARE_BASIS)}


def ensure_award_catalogue(award_kind_model=None, award_rule_model=None) -> None:
    """Create the catalogue where it is missing; never overwrite what an administrator changed."""
    if award_kind_model is None:
        from awards.models import AwardKind as award_kind_model
        from awards.models import AwardRule as award_rule_model
    has_share = any(f.name == "leaders_share" for f in award_rule_model._meta.get_fields())

    def shares(code):
        # an older migration's historical model has no share yet (0008 adds it, and sets it)
        if not has_share or code not in SHARES:
            return {}
        share, basis = SHARES[code]
        return {"leaders_share": share, "share_basis": basis}

    kinds = {}
    for code, name, level, recipient, is_flag, order in KINDS:
        kinds[code], _created = award_kind_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "recipient": recipient,
                "is_flag": is_flag,
                "order": order,
            },
        )
    for code, valid_from, threshold, limit, quota, leader_only, basis, notes in RULES:
        award_rule_model.objects.get_or_create(
            award_kind=kinds[code],
            valid_from=valid_from,
            defaults={
                "vote_threshold": threshold,
                "yearly_limit": limit,
                "default_quota": quota,
                "leader_only": leader_only,
                "legal_basis": basis,
                "notes": notes,
                **shares(code),
            },
        )
