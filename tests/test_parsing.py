"""Parser edge cases seen in real drafts, each on a variant of the clean base report."""
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
