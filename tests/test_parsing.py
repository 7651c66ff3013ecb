"""Parser edge cases seen in real drafts, each on a variant of the clean base report."""
import pytest

from assistant.document import parse_text
from assistant.document.tables import table_to_json

from conftest import ROOT

BASE = (ROOT / "tests" / "rules" / "bases" / "clean.txt").read_text(encoding="utf-8")


def variant(*edits):
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return parse_text(text)


def test_negative_number_and_units():
    doc = variant(("四、结转下年度继续办理\t\t\t1\t", "四、结转下年度继续办理\t\t\t-1\t"),
                  ("行政事业性收费\t45.6789", "行政事业性收费\t456789元"))
    assert doc.tables["table3"].value("结转下年度继续办理", "自然人") == -1
    assert doc.tables["table2"].value("行政事业性收费", "本年收费金额") == "456789元"


def test_full_width_digits_and_thousands():
    doc = variant(("行政许可\t1234", "行政许可\t1,234"), ("行政处罚\t356", "行政处罚\t３５６"))
    assert doc.tables["table2"].value("行政许可", "本年处理决定数量") == 1234
    assert doc.tables["table2"].value("行政处罚", "本年处理决定数量") == 356


def test_misnumbered_part_heading_is_still_found():
    doc = variant(("五、存在的主要问题及改进情况", "（五）存在的主要问题及改进情况"))
    assert doc.parts[5].found


def test_subheading_in_overview_is_not_a_part():
    doc = variant(("（一）主动公开。全年", "（二）主动公开情况\n\n全年"))
    assert doc.parts[2].heading.startswith("二、主动公开政府信息情况")
    assert doc.parts[1].found and any("（二）主动公开情况" == p.text for p in doc.part_paragraphs(1))


def test_statement_is_not_a_heading():
    doc = variant(("本年度未发出收费通知，未收取信息处理费。", "本年度无其他需要报告的事项。"))
    assert doc.duplicate_parts == []


def test_garbled_label_is_recorded_not_reordered():
    doc = variant(("\t\t5.属于三类内部事务信息", "\t\t5.属于三类内部事物信息"))
    kinds = [(i.kind, i.row) for i in doc.tables["table3"].issues]
    assert ("garbled_label", "不予公开/属于三类内部事务信息") in kinds
    assert not any(kind == "reordered_rows" for kind, _ in kinds)


def test_reordered_rows_are_read_by_label():
    lines = BASE.split("\n")
    a = next(i for i, line in enumerate(lines) if line.startswith("\t\t2.重复申请"))
    lines[a], lines[a + 1] = lines[a + 1], lines[a]
    doc = parse_text("\n".join(lines))
    assert doc.tables["table3"].value("不予处理/重复申请", "自然人") == 1
    assert any(i.kind == "reordered_rows" for i in doc.tables["table3"].issues)


def test_collapsed_group_row():
    start = BASE.index("\t（六）其他处理")
    end = BASE.index("\t（七）总计")
    doc = parse_text(BASE[:start] + "\t（六）其他处理\t\t1\t0\t0\t0\t0\t0\t1\n" + BASE[end:])
    issues = [(i.kind, i.row) for i in doc.tables["table3"].issues]
    assert ("collapsed_row", "其他处理") in issues
    assert table_to_json(doc.tables["table3"])["其他处理/其他"]["总计"] is None


def test_table4_one_row_per_group():
    start = BASE.index("四、政府信息公开行政复议、行政诉讼情况")
    end = BASE.index("五、存在的主要问题")
    table4 = ("四、政府信息公开行政复议、行政诉讼情况\n\n项目\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
              "行政复议\t1\t1\t0\t0\t2\n未经复议直接起诉\t1\t0\t0\t1\t2\n复议后起诉\t0\t0\t0\t0\t0\n\n")
    doc = parse_text(BASE[:start] + table4 + BASE[end:])
    original = parse_text(BASE)
    assert table_to_json(doc.tables["table4"]) == table_to_json(original.tables["table4"])
    assert doc.tables["table3"].issues == []


def test_title_without_agency():
    doc = variant(("青石县人民政府2023年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告"))
    assert doc.meta.year == 2023 and doc.meta.agency in ("", "青石县人民政府办公室")


def test_markdown_pipe_table_and_hash_headings():
    md = BASE.replace("一、总体情况", "## 一、总体情况")
    lines = []
    for line in md.split("\n"):
        lines.append("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line)
    doc = parse_text("\n".join(lines))
    assert table_to_json(doc.tables["table3"]) == table_to_json(parse_text(BASE).tables["table3"])
    assert doc.parts[1].found


# ---------------------------------------------------------------- web copies of real reports (issue 11)

def _table2_as(row_format):
    """The clean report with table 2's data rows rewritten by `row_format(label, values)`."""
    rows = [line for line in BASE.splitlines() if line.split("\t")[0] in (
        "规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")]
    return [(row, row_format(row.split("\t")[0], [c for c in row.split("\t")[1:] if c])) for row in rows]


def test_pipe_rows_with_a_trailing_pipe_only():
    doc = variant(*_table2_as(lambda label, values: f"{label} | " + " | ".join(values) + " |"))
    clean = parse_text(BASE)
    assert table_to_json(doc.tables["table2"]) == table_to_json(clean.tables["table2"])


def test_pipe_rows_with_leading_and_trailing_pipes():
    doc = variant(*_table2_as(lambda label, values: f"| {label} | " + " | ".join(values) + " | "))
    assert table_to_json(doc.tables["table2"]) == table_to_json(parse_text(BASE).tables["table2"])


def test_one_cell_per_line_tables():
    for layout in (lambda label, values: "\n".join(f"{c} |" for c in [label, *values]),
                   lambda label, values: "\n|\n".join([label, *values]),
                   lambda label, values: "\n\n".join([label, *values]),  # pasted as paragraphs, no separator
                   lambda label, values: "\n".join([label, *values]),
                   lambda label, values: "\n".join(f"{c} | ||" for c in [label, *values])):  # empty padding cells
        doc = variant(*_table2_as(layout))
        assert table_to_json(doc.tables["table2"]) == table_to_json(parse_text(BASE).tables["table2"])


def test_lone_value_lines_join_only_a_lone_label():
    """A row that arrived whole keeps its cells: a lone number after it is not taken in."""
    from assistant.document.tables import Row, join_cell_rows

    rows = [(2, Row(["规章", "0", "0", "1"], "1")), (2, Row(["5"], "2")), (2, Row(["行政许可"], "3")),
            (2, Row(["行政处罚"], "4")), (2, Row(["7"], "5")), (2, Row(["（单位：万元）"], "6"))]
    joined = [row.cells for _, row in join_cell_rows(rows)]
    assert joined == [["规章", "0", "0", "1"], ["5"], ["行政许可"], ["行政处罚", "7"], ["（单位：万元）"]]


def test_sub_headings_never_open_parts():
    """A copy cut after 总体情况 whose sub-headings name other parts' subjects."""
    doc = parse_text("柳溪镇人民政府2023年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开情况\n全年主动公开信息88条。\n"
                     "（二）依申请公开情况\n全年收到申请0件。\n1.政府信息管理情况\n更新公开指南1次。\n"
                     "（四）其他需要报告的事项\n无。\n")
    assert [n for n, p in doc.parts.items() if p.found] == [1]
    assert "全年收到申请0件。" in doc.part_text(1)


def test_part_one_under_its_own_wording():
    doc = variant(("一、总体情况", "一、2023年政府信息公开工作开展情况"))
    assert doc.parts[1].found and doc.parts[1].heading == "一、2023年政府信息公开工作开展情况"


def test_page_chrome_and_title_after_it():
    text = ("您当前的位置：首页 > 政务公开 > 政府信息公开年报\n发布日期：2024-01-22  来源：县政府办\n字号：[ 大 中 小 ]\n"
            "||||||||||||||||||||\n" + BASE + "\n【打印本页】 【关闭窗口】\n扫一扫在手机打开当前页\n")
    doc = parse_text(text)
    assert doc.meta.title == "青石县人民政府2023年政府信息公开工作年度报告"
    assert doc.meta.date == "2024-01-22" and doc.meta.agency_kind == "government"
    assert not any("打印" in p.text or "扫一扫" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize("opening", ["现公布青石县人民政府2023年政府信息公开工作年度报告。",
                                     "根据有关要求，现将青石县人民政府2023年政府信息公开工作年度报告予以公开。",
                                     "特将青石县人民政府2023年政府信息公开工作年度报告公布如下。"])
def test_agency_and_year_from_the_opening_sentence(opening):
    text = BASE.replace("青石县人民政府2023年政府信息公开工作年度报告\n", "", 1).replace(
        "本报告依据", opening + "本报告依据", 1)
    doc = parse_text(text)
    assert (doc.meta.agency, doc.meta.year, doc.meta.agency_kind) == ("青石县人民政府", 2023, "government")


@pytest.mark.parametrize("opening, agency", [
    ("2023年，青石县农业农村局政府信息公开工作在县委县政府领导下有序开展。", "青石县农业农村局"),
    ("2023年，红石乡政府十分重视政务公开。", "红石乡政府"),
    ("2023年，全县政府信息公开工作有序开展。", ""),  # near miss: the whole county is no agency
    ("2023年红石街道积极推动政府信息公开工作。", "红石街道"),  # no comma after the year
    ("2023年全县政府信息公开工作有序开展。", ""),
])
def test_agency_from_the_first_line_of_the_year(opening, agency):
    text = BASE.replace("青石县人民政府2023年政府信息公开工作年度报告\n", "", 1).replace(
        "（一）主动公开。", opening + "\n\n（一）主动公开。", 1)
    assert parse_text(text).meta.agency in ((agency,) if agency else ("", "青石县人民政府办公室"))


@pytest.mark.parametrize("opening", ["本报告由青石县人民政府结合有关统计数据编制。",
                                     "本年度报告根据条例要求，由青石县人民政府编制而成。"])
def test_agency_from_who_compiled_the_report(opening):
    text = BASE.replace("青石县人民政府2023年政府信息公开工作年度报告\n", "", 1).replace(
        "本报告依据", opening + "本报告依据", 1)
    doc = parse_text(text)
    assert (doc.meta.agency, doc.meta.year) == ("青石县人民政府", 2023)


def test_title_without_a_year_still_names_the_agency():
    doc = variant(("青石县人民政府2023年政府信息公开工作年度报告", "青石县农业农村局\n政府信息公开工作年度报告"))
    assert (doc.meta.agency, doc.meta.agency_kind, doc.meta.level, doc.meta.year) == \
        ("青石县农业农村局", "department", "county", 2023)
    # near miss: a bare report name is no agency (the signature's is taken instead)
    bare = variant(("青石县人民政府2023年政府信息公开工作年度报告", "政府信息公开工作年度报告"))
    assert bare.meta.agency in ("", "青石县人民政府办公室")


def test_year_from_an_opening_that_names_no_agency():
    text = BASE.replace("青石县人民政府2023年政府信息公开工作年度报告\n", "", 1).replace(
        "本报告依据", "现将2023年度政府信息公开工作报告如下。本报告依据", 1)
    assert parse_text(text).meta.year == 2023
    # the statistics period, when given, is what counts
    period = text.replace("数据统计期限为2023年1月1日", "数据统计期限为2022年1月1日", 1)
    assert parse_text(period).meta.year == 2022


def test_a_page_flattened_onto_one_line():
    lines = [line for line in BASE.splitlines() if line.strip() and "\t" not in line]
    doc = parse_text(lines[0] + "\n" + " ".join(lines[1:]) + "\n")
    assert [n for n, p in doc.parts.items() if p.found] == [1, 2, 3, 4, 5, 6]


def test_every_peoples_government_is_a_government():
    from assistant.document.meta import agency_kind, agency_level

    assert [agency_kind(a) for a in ("上海市", "临武县", "云溪镇政府", "宜春市人民政府", "北辰区佳荣里街", "青石县教育局",
                                      "滨江高新区管委会")] == ["government"] * 5 + ["department", "other"]
    assert agency_level("北辰区佳荣里街") == "township"


@pytest.mark.parametrize("text,expected", [
    ("2023年，我县扎实推进政务公开。我县全年发布信息300条。", ("government", "county")),
    ("我市各级行政机关……我市全年收到申请。", ("government", "city")),
    ("我镇修订了审查办法，我镇公开栏每季度更新。", ("government", "township")),
    # near misses: a department that also names its county, and a tie
    ("我局全年发布信息，我局修订了办法，我局开展培训；全县共有……，我县要求……", ("department", None)),
    ("我局按照我县的部署开展工作。", ("other", None)),
    ("转发《关于印发我市政务公开工作要点的通知》，我市、我市……", ("government", "city")),
    ("转发《关于印发我市政务公开工作要点的通知》，全年发布信息300条。", ("other", None)),  # a title's 我市
])
def test_kind_from_how_the_report_calls_its_agency(text, expected):
    from assistant.document.meta import _kind_from_self_reference
    from assistant.document.model import Line

    assert _kind_from_self_reference([Line(text, "1")]) == expected


@pytest.mark.parametrize("values, width, expected", [
    (["0000000"], 7, ["0"] * 7),
    (["", "3000003", ""], 7, ["3", "0", "0", "0", "0", "0", "3"]),
    (["1234567"], 7, None),  # the digits do not add up to the last one: a number, not glued cells
    (["000000"], 7, None),  # one digit short of the row
    (["0", "0000000"], 7, None),  # more than one value: not a glued row
    (["1001"], 4, ["1", "0", "0", "1"]),
    (["12"], 2, None),  # too narrow to tell a glued pair from a number
])
def test_unglue_splits_only_rows_whose_digits_add_up(values, width, expected):
    from assistant.document.tables import unglue

    assert unglue(values, width) == expected


@pytest.mark.parametrize("opening, year", [
    ("2023年，县农业农村局在门户网站主动公开政府信息4210条。", 2023),
    ("截至2023年12月31日，县农业农村局在门户网站主动公开政府信息4210条。", 2023),
    ("一年来，县农业农村局在门户网站主动公开政府信息4210条。", None),  # near miss: no year is named
    ("县农业农村局在2023年、2022年均按期公开了年报。", None),  # near miss: a year inside a sentence
    ("现将我局2023年政府信息公开工作情况汇报如下。", 2023),
    ("按照《2022年政务公开工作要点》，县农业农村局修订了制度。", None),  # near miss: a title's year
])
def test_year_from_the_first_line_of_running_text(opening, year):
    """A title without its year, no statistics period: the year of the work reported ("我局2023年政府
    信息公开工作"), a running-text line that opens with the year ("2023年，…") or closes the
    statistics ("截至2023年12月31日") gives it."""
    doc = variant(("青石县人民政府2023年政府信息公开工作年度报告", "青石县农业农村局\n政府信息公开工作年度报告"),
                  ("数据统计期限为2023年1月1日至12月31日。", ""), ("（一）主动公开。", opening + "\n\n（一）主动公开。"))
    assert (doc.meta.agency, doc.meta.year) == ("青石县农业农村局", year)
