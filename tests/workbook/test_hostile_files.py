"""Files and requests made to hurt: a sheet that declares a million rows, XML entity bombs,
oversized CSV fields, CR-only line ends, a 1 GB upload, a UTF-16 form body. Each gets a clear
answer in Vietnamese (a problem list, a 4xx page), never a 500, never gigabytes of memory."""

import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reports.models import UnitReport
from tests.workbook.test_import_workbook import (
    CLUSTER,
    LAI_CHAU,
    REPORT_HEADERS,
    SON_LA,
    report_rows,
    xlsx,
)
from workbook import importer
from workbook.importer import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_STRINGS,
    MAX_UNPACKED_BYTES,
    WorkbookError,
    import_file,
    read,
)

pytestmark = pytest.mark.django_db

IMPORT = "/clusters/cum-2/2024/import/"
SHEET = "xl/worksheets/sheet1.xml"


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same xlsx with the first sheet's XML passed through change(xml) -> xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET:
                content = change(content.decode()).encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def with_dimension_and_far_cell(xml: str, dimension: str, cell: str, row: int) -> str:
    xml = re.sub(r'<dimension ref="[^"]*" ?/>', f'<dimension ref="{dimension}"/>', xml)
    far = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace("</sheetData>", far + "</sheetData>")


def hostile_dimension_xlsx() -> bytes:
    """A small normal workbook whose sheet declares A1:XFD1048576 and has one cell in the very
    last row and column: openpyxl pads every row to the declared size when it trusts it."""
    small = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))
    return rewrite_sheet(
        small,
        lambda xml: with_dimension_and_far_cell(xml, "A1:XFD1048576", "XFD1048576", 1048576),
    )


def upload(data, name="bao-cao.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- 1. the declared dimension is never trusted ---------------------------------------------


def test_a_declared_million_row_dimension_is_read_in_flat_memory(cluster_ii):
    data = hostile_dimension_xlsx()
    assert len(data) < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(WorkbookError) as refused:
            read(data, "bao-cao.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    print(
        f"\n[hostile] A1:XFD1048576 file, {len(data)} bytes: peak {peak / 2**20:.1f} MiB, {elapsed:.1f} s"
    )
    assert peak < 50 * 2**20
    assert elapsed < 60
    message = str(refused.value)
    assert "Trang “Báo cáo đơn vị”" in message and "200.000 dòng" in message


def test_a_declared_dimension_with_data_inside_the_limits_reads_normally(cluster_ii):
    """The dimension lies, the cells are fine: the sheet reads as if it were not there."""
    small = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2], [CLUSTER, 2024, SON_LA, 1, 1]))
    data = rewrite_sheet(
        small,
        lambda xml: re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', xml),
    )
    sheets, problems = read(data, "bao-cao.xlsx")
    assert problems == []
    assert [row for row, _values in sheets[0].rows] == [2, 3]


def test_data_below_the_row_limit_is_refused_with_the_limit(cluster_ii):
    small = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))
    row = MAX_ROWS + 1
    data = rewrite_sheet(
        small, lambda xml: with_dimension_and_far_cell(xml, f"A1:O{row}", f"A{row}", row)
    )
    with pytest.raises(WorkbookError, match="200.000 dòng"):
        read(data, "bao-cao.xlsx")


def test_a_cell_beyond_the_column_limit_is_refused_with_the_limit(cluster_ii):
    small = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))
    data = rewrite_sheet(small, lambda xml: with_dimension_and_far_cell(xml, "A1:XFD3", "XFD3", 3))
    with pytest.raises(WorkbookError, match=f"{MAX_COLUMNS} cột"):
        read(data, "bao-cao.xlsx")
    wide = xlsx({"Báo cáo đơn vị": [REPORT_HEADERS, ["x"] * (MAX_COLUMNS + 1)]})
    with pytest.raises(WorkbookError, match="Trang “Báo cáo đơn vị” có dữ liệu ở hơn 60 cột"):
        read(wide, "bao-cao.xlsx")


def test_empty_formatted_cells_far_to_the_right_do_not_count(cluster_ii):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Báo cáo đơn vị"
    sheet.append(REPORT_HEADERS)
    sheet.append([CLUSTER, 2024, LAI_CHAU, 3, 2] + [0] * 7)
    sheet.cell(row=2, column=500).font = openpyxl.styles.Font(bold=True)  # styled, no value
    buffer = io.BytesIO()
    book.save(buffer)
    assert 'r="SF2"' in zipfile.ZipFile(buffer).read(SHEET).decode()
    sheets, problems = read(buffer.getvalue(), "bao-cao.xlsx")
    assert problems == [] and len(sheets[0].rows) == 1


def test_a_formatted_empty_cell_far_right_on_every_row_is_refused_quickly(cluster_ii):
    """Each such row is 16,384 cells to openpyxl; 100,000 of them took half a minute."""
    rows = "".join(f'<row r="{n}"><c r="XFD{n}" s="0"/></row>' for n in range(3, 100_000))
    data = rewrite_sheet(
        report_xlsx(), lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")
    )
    started = time.perf_counter()
    with pytest.raises(WorkbookError, match="quá nhiều ô"):
        read(data, "bao-cao.xlsx")
    assert time.perf_counter() - started < 10


def test_a_csv_over_the_limits_is_refused_with_the_limit(cluster_ii):
    header = ",".join(REPORT_HEADERS)
    wide = header + "\n" + ",".join(["1"] * (MAX_COLUMNS + 1)) + "\n"
    with pytest.raises(WorkbookError, match="60 cột"):
        read(wide.encode(), "Báo cáo đơn vị.csv")
    long = header + "\n" + "\n" * MAX_ROWS + f"{CLUSTER},2024,{LAI_CHAU},1,1\n"
    with pytest.raises(WorkbookError, match="200.000 dòng"):
        read(long.encode(), "Báo cáo đơn vị.csv")


# --- 2. a 1 GB upload is refused before anyone reads it --------------------------------------


def test_the_upload_settings_keep_large_files_out_of_memory():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 3 * 2**20
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 3 * 2**20


def huge_post(client, url):
    """A POST that declares 1 GB but carries a few bytes: reading the body at all would make the
    test client's FakePayload fail loudly ("Cannot read more than the available bytes")."""
    body = b'--x\r\nContent-Disposition: form-data; name="action"\r\n\r\ncheck\r\n--x--\r\n'
    return client.generic(
        "POST",
        url,
        body,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2**30),
    )


def test_a_1_gb_upload_is_refused_before_the_body_is_read(client, seeded, secretary):
    client.force_login(secretary)
    response = huge_post(client, IMPORT)
    assert response.status_code in (413, 422)
    assert "20 MB" in response.content.decode()
    assert "Chỉ nhận tệp" not in response.content.decode()  # the form never saw the request


def test_a_1_gb_upload_is_refused_before_the_csrf_check_reads_it(seeded, secretary, admin_user):
    """A browser's POST goes through CsrfViewMiddleware, which reads request.POST (the whole
    body) to find its token; the test client normally skips that."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    response = huge_post(client, IMPORT)
    assert response.status_code == 413
    assert "20 MB" in response.content.decode()
    client.force_login(admin_user)
    assert huge_post(client, "/admin/workbook/").status_code == 413
    assert huge_post(client, "/accounts/login/").status_code == 413


def test_a_file_just_under_the_limit_still_goes_through_the_size_check(client, seeded, secretary):
    client.force_login(secretary)
    data = xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))
    response = client.post(IMPORT, {"action": "check", "file": upload(data)})
    assert response.status_code == 200 and response.context["token"]
    assert len(data) < MAX_BYTES


# --- 4. malformed files: a 4xx with the reason, never a 500 ----------------------------------

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 2 else "&lol;" * 10}">'
        for n in range(2, 10)
    )
    + "]>"
)


def entity_bomb(xml: str) -> str:
    xml = xml.replace(
        '<c r="D2" t="n"><v>3</v></c>', '<c r="D2" t="inlineStr"><is><t>&lol9;</t></is></c>'
    )
    return LAUGHS + xml


def external_entity(xml: str) -> str:
    xml = xml.replace(
        '<c r="D2" t="n"><v>3</v></c>', '<c r="D2" t="inlineStr"><is><t>&e;</t></is></c>'
    )
    return '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + xml


def report_xlsx() -> bytes:
    return xlsx(report_rows([CLUSTER, 2024, LAI_CHAU, 3, 2]))


@pytest.mark.parametrize("change", [entity_bomb, external_entity], ids=["bomb", "external"])
def test_xml_entities_in_a_sheet_are_refused(client, seeded, secretary, change):
    data = rewrite_sheet(report_xlsx(), change)
    assert "<!ENTITY" in zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()
    with pytest.raises(WorkbookError, match="Không đọc được tệp"):
        import_file(data, "bao-cao.xlsx", dry_run=True)
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "check", "file": upload(data)})
    assert response.status_code == 422
    assert "root:" not in response.content.decode()
    assert "Không đọc được tệp" in response.content.decode()
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


def test_a_row_of_a_million_cells_is_refused_in_flat_memory(cluster_ii):
    """34 KB of zip: openpyxl would build the whole row (some 400 MB) before anyone counts."""
    cells = "<c><v>1</v></c>" * 1_000_000
    data = rewrite_sheet(
        report_xlsx(),
        lambda xml: xml.replace("</sheetData>", f'<row r="3">{cells}</row></sheetData>'),
    )
    assert len(data) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError, match="Không đọc được tệp"):
            read(data, "bao-cao.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20


def with_shared_strings(data: bytes, count: int) -> bytes:
    """The workbook with a shared-string table of count strings (openpyxl reads it whole)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename).decode()
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    "</Relationships>",
                    f'<Relationship Id="rId99" Type="{kind}" Target="sharedStrings.xml"/>'
                    "</Relationships>",
                )
            target.writestr(info.filename, content)
        strings = "<si><t>a</t></si>" * count
        target.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{strings}</sst>')
    return out.getvalue()


def test_millions_of_shared_strings_are_refused_before_openpyxl_reads_them(cluster_ii, monkeypatch):
    data = with_shared_strings(report_xlsx(), MAX_STRINGS + 1)
    assert len(data) < 200_000

    def never(*args, **kwargs):  # openpyxl would take some 12 s per million strings
        raise AssertionError("openpyxl was asked to read the file")

    with monkeypatch.context() as patched:
        patched.setattr("workbook.importer.load_workbook", never)
        with pytest.raises(WorkbookError, match="Không đọc được tệp"):
            read(data, "bao-cao.xlsx")
    sheets, problems = read(with_shared_strings(report_xlsx(), 10), "bao-cao.xlsx")
    assert problems == [] and len(sheets[0].rows) == 1


def test_a_zip_that_unpacks_to_too_much_is_refused(cluster_ii, monkeypatch):
    """Checked on the sizes the zip declares (zipfile never unpacks more than that)."""
    assert MAX_UNPACKED_BYTES >= 10 * MAX_BYTES  # real workbooks pack 5 to 15 times
    monkeypatch.setattr(importer, "MAX_UNPACKED_BYTES", 100_000)
    data = rewrite_sheet(
        report_xlsx(), lambda xml: xml.replace("</worksheet>", " " * 100_000 + "</worksheet>")
    )
    assert len(data) < 100_000
    with pytest.raises(WorkbookError, match="giải nén ra lớn hơn"):
        read(data, "bao-cao.xlsx")


@pytest.mark.parametrize(
    "change",
    [
        lambda xml: xml.replace("<v>3</v>", "<v>ba</v>"),  # a number that is not one
        lambda xml: xml.replace('r="D2"', 'r="AAAA2"'),  # a cell reference that is not one
        lambda xml: xml[: len(xml) // 2],  # cut in the middle
    ],
    ids=["number", "reference", "truncated"],
)
def test_damaged_sheet_xml_is_refused(client, seeded, secretary, change):
    data = rewrite_sheet(report_xlsx(), change)
    with pytest.raises(WorkbookError, match="hỏng"):
        import_file(data, "bao-cao.xlsx", dry_run=True)
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "check", "file": upload(data)})
    assert response.status_code == 422 and "hỏng" in response.content.decode()


def csv_report(*lines, end="\n") -> bytes:
    return end.join([",".join(REPORT_HEADERS), *lines, ""]).encode()


def test_a_csv_field_over_128_kb_is_refused(client, seeded, secretary):
    data = csv_report(f'"{CLUSTER}",2024,"{LAI_CHAU}",3,2,0,0,0,0,0,0,"{"x" * 200_000}"')
    with pytest.raises(WorkbookError, match="quá dài"):
        import_file(data, "Báo cáo đơn vị.csv", dry_run=True)
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "check", "file": upload(data, "Báo cáo đơn vị.csv")})
    assert response.status_code == 422 and "quá dài" in response.content.decode()


def test_a_csv_with_cr_only_line_ends_reads(client, seeded, secretary):
    lines = [
        f"{CLUSTER},2024,{LAI_CHAU},3,2,0,0,0,0,0,0,0",
        f"{CLUSTER},2024,{SON_LA},1,1,0,0,0,0,0,0,0",
    ]
    data = csv_report(*lines, end="\r")
    assert b"\n" not in data
    outcome = import_file(data, "Báo cáo đơn vị.csv", dry_run=True)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.counts[0].created == 2
    client.force_login(secretary)
    response = client.post(IMPORT, {"action": "check", "file": upload(data, "Báo cáo đơn vị.csv")})
    assert response.status_code == 200 and response.context["token"]


def test_a_csv_with_mixed_line_ends_reads(cluster_ii):
    data = (
        ",".join(REPORT_HEADERS)
        + "\r\n"
        + f"{CLUSTER},2024,{LAI_CHAU},3,2,0,0,0,0,0,0,0\r"
        + f"{CLUSTER},2024,{SON_LA},1,1,0,0,0,0,0,0,0\n"
    ).encode()
    outcome = import_file(data, "Báo cáo đơn vị.csv", dry_run=True)
    assert outcome.ok and outcome.counts[0].created == 2


def test_a_csv_with_a_stray_quote_and_a_nul_is_refused_or_read_never_a_500(cluster_ii):
    data = csv_report(f'{CLUSTER},2024,"{LAI_CHAU}\x00,3,2,0,0,0,0,0,0,0')
    try:
        import_file(data, "Báo cáo đơn vị.csv", dry_run=True)
    except WorkbookError as error:
        assert str(error)


# --- a form body in UTF-16 ---------------------------------------------------------------


UTF16 = "application/x-www-form-urlencoded; charset=utf-16"


def multipart_utf16(name="Báo cáo đơn vị.csv", content="a,b"):
    return (
        '--x\r\nContent-Disposition: form-data; name="action"\r\n\r\ncheck\r\n'
        f'--x\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'
        f"{content}\r\n--x--\r\n"
    ).encode("utf-16")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("action=check&file=Tệp".encode("utf-16"), UTF16),
        ("action=check&file=Tệp".encode("utf-16"), "application/x-www-form-urlencoded"),
        ("action=confirm&token=Tệp".encode("utf-16"), UTF16),
        ("action=confirm&token=Tệp".encode("utf-16-le"), "application/x-www-form-urlencoded"),
        (multipart_utf16(), "multipart/form-data; boundary=x; charset=utf-16"),
        (multipart_utf16(), "multipart/form-data; boundary=x"),
        ("action=check".encode("utf-16"), "application/x-www-form-urlencoded; charset=no-such"),
    ],
)
def test_a_utf16_form_body_to_the_upload_page_is_not_a_500(
    client, seeded, secretary, body, content_type
):
    client.force_login(secretary)
    response = client.generic("POST", IMPORT, body, content_type=content_type)
    assert response.status_code < 500
    assert not UnitReport.objects.filter(cluster_year__year=2024).exists()


@pytest.mark.parametrize(
    "content_type",
    [
        UTF16,
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-32",
        "multipart/form-data; boundary=x; charset=utf-16",
        "text/plain; charset=utf-16",
    ],
)
def test_a_utf16_form_body_to_the_login_page_is_not_a_500(client, db, content_type):
    body = "username=thuky&password=Mật-khẩu".encode("utf-16")
    if content_type.startswith("multipart"):
        body = multipart_utf16()
    response = client.generic("POST", "/accounts/login/", body, content_type=content_type)
    assert response.status_code < 500


def test_the_upload_page_states_the_limits(client, seeded, secretary):
    client.force_login(secretary)
    text = client.get(IMPORT).content.decode()
    assert "Tệp tối đa 20 MB; mỗi trang tối đa 200.000 dòng và 60 cột" in text
    assert "được giữ 60 phút" in text
