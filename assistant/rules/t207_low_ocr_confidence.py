from ..document.schema import TABLE_NAMES
from .base import Rule, cell_location, low_confidence, numeric_cells


class LowOcrConfidence(Rule):
    """文字识别（OCR）读出的表格单元格置信度低，请人工核对。

    说明：扫描件（没有文字层的 PDF 页）经文字识别读取时，每个表格单元格都带有识别置信度；低于阈值
    （默认 0.9，可在 assistant.toml 的 [rules.T207] threshold 调整）的单元格逐个报告，给出识别出的内容和
    置信度；表头或行名没能识别、因而读不出数字的单元格和整行也一并报告。表格的勾稽关系（T301、T302、T303、T401）因这样的单元格而不成立时，其提示中会注明
    “其中某格识别置信度低”，应先核对原件再改数字。有文字层的报告不会触发本规则。
    原因：扫描件上的数字可能因模糊、污点或表格线干扰而被认错（如 0 认作 8、1 认作 7），检查结果依赖
    读出的数字；置信度低的单元格应对照原件确认，必要时请报送单位提供可复制文字的 PDF。
    反例：扫描件表三“本年新收·自然人”一格字迹模糊，识别为“38”，置信度 0.62。
    正例：同一格清晰可辨，识别为“38”，置信度 0.99；或报告以带文字层的 PDF 提供。
    """

    id = "T207"
    severity = "warning"
    title = "识别置信度低的表格单元格"
    citation = "《年度报告格式》（国办公开办函〔2021〕30号）表二至表四"
    config_keywords = ("threshold",)

    def check(self, ctx):
        for key, table in ctx.document.tables.items():
            cells = list(numeric_cells(table))
            if not any(cell.confidence is not None for _, _, cell in cells):
                continue  # not read by OCR
            name = TABLE_NAMES[key]
            suggestion = "对照扫描件原件核对，必要时请报送单位提供可复制文字的 PDF。"
            for row, col, cell in cells:
                where = f"{name}·{row.replace('/', '·')}·{col}"
                if cell.confidence is None:  # the grid had nothing under this column: its header was not read
                    yield self.finding(f"{where}：识别置信度低，请人工核对（这一格未能识别）",
                                       cell_location(table, row, col), suggestion, confidence=None)
                elif low_confidence(cell):
                    shown = cell.raw.strip() or "空"
                    yield self.finding(f"{where}：识别置信度低，请人工核对（识别为“{shown}”，置信度 {cell.confidence:.2f}）",
                                       cell_location(table, row, col), suggestion,
                                       confidence=round(cell.confidence, 3), read_as=cell.raw)
            for row in dict.fromkeys(i.row for i in table.issues if i.kind == "missing_row" and i.row):
                yield self.finding(f"{name}·{row.replace('/', '·')}：识别置信度低，请人工核对（这一行未能识别）",
                                   {"part": table.part, "table": table.key, "row": row}, suggestion)
