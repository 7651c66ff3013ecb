"""Hostile inputs of the attack review (issue 10), made on the fly for `bench --hostile` and the tests.

Each maker writes one file that used to cost seconds to minutes or gigabytes: a run of digits that
trapped a regular expression, decompression bombs in PDF and Word, pages of millions of objects,
oversized text behind a charset declaration. None is stored in the repository.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
              'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def pdf(streams: list[bytes], deflated: bool = False) -> bytes:
    """A minimal PDF with one page per content stream (Helvetica as /F1) and a correct xref table;
    the streams are compressed here unless `deflated` says they already are."""
    count = len(streams)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
               + b"] /Count %d >>" % count,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, stream in enumerate(streams):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i))
        data = stream if deflated else zlib.compress(stream, 9)
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zero_bomb(megabytes: int) -> bytes:
    """A zlib stream of `megabytes` MB of zeros at about 1,000:1, built without compressing it all."""
    chunk = b"\0" * (1 << 20)
    packer = zlib.compressobj(9)
    head = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    body = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # identical for every further MB
    tail = packer.flush()[:-4]
    size = megabytes << 20
    return head + body * (megabytes - 1) + tail + struct.pack(">I", ((size % 65521) << 16) | 1)  # adler32


def docx(document_xml: bytes, method: int = zipfile.ZIP_DEFLATED, encrypted: bool = False) -> bytes:
    """A .docx; its body may claim encryption or a method zipfile cannot decompress (both patched
    into the headers afterwards, since zipfile will not write them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", document_xml)
    data = bytearray(buffer.getvalue())
    if method != zipfile.ZIP_DEFLATED:
        _patch_entry(data, b"word/document.xml", "method", method)
    if encrypted:
        _patch_entry(data, b"word/document.xml", "flags", 0x1)
    return bytes(data)


# Offsets in the local file header and the central directory record of a zip entry.
_ZIP_FIELDS = {"flags": (6, 8), "method": (8, 10)}


def _patch_entry(data: bytearray, name: bytes, field: str, value: int) -> None:
    local_at, central_at = _ZIP_FIELDS[field]
    # (signature, offset of the name length, offset of the name, offset of the field)
    for signature, length_at, name_at, field_at in ((b"PK\x03\x04", 26, 30, local_at),
                                                    (b"PK\x01\x02", 28, 46, central_at)):
        start = data.find(signature)
        while start != -1:
            length = struct.unpack_from("<H", data, start + length_at)[0]
            if data[start + name_at:start + name_at + length] == name:
                struct.pack_into("<H", data, start + field_at, value)
            start = data.find(signature, start + 4)


def word_body(inner: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{inner}'
            "</w:body></w:document>").encode()


def _report_paragraphs() -> str:
    lines = ["青石县人民政府2023年政府信息公开工作年度报告", "一、总体情况", "本年度主动公开政府信息120条。",
             "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
             "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)


# ---------------------------------------------------------------- the cases

def digits_report(path: Path) -> None:
    """A draft with one line of 40 digits and a letter (the regular-expression trap)."""
    text = "青石县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n" + "1" * 40 + "x\n二、主动公开政府信息情况\n"
    path.write_text(text * 3, encoding="utf-8")


def pdf_flate_bomb(path: Path) -> None:
    """A 2 MB PDF whose page content inflates to 2.1 GB."""
    path.write_bytes(pdf([zero_bomb(2100)], deflated=True))


def pdf_dense_page(path: Path) -> None:
    """A small PDF page that draws three million characters."""
    path.write_bytes(pdf([b"BT /F1 1 Tf " + b"(x) Tj " * 3_000_000 + b"ET"]))


def pdf_grid_pages(path: Path) -> None:
    """Five pages of 40,000 little ruled rectangles each (a trap for table detection)."""
    cells = b"".join(b"%d %d 2 2 re " % (10 + (i % 200) * 2.8, 10 + (i // 200) * 4) for i in range(40_000))
    path.write_bytes(pdf([cells + b"S"] * 5))


def docx_big_body(path: Path) -> None:
    """A .docx whose body unpacks to 94 MB (once within the old limits)."""
    paragraph = "<w:p><w:r><w:t>本年度主动公开政府信息一百二十条。</w:t></w:r></w:p>"
    path.write_bytes(docx(word_body(_report_paragraphs() + paragraph * (94 * 1024 * 1024 // len(paragraph.encode())))))


def docx_bad_span(path: Path) -> None:
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="abc"/></w:tcPr><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>'
    path.write_bytes(docx(word_body(_report_paragraphs() + f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>")))


def docx_encrypted(path: Path) -> None:
    path.write_bytes(docx(word_body(_report_paragraphs()), encrypted=True))


def docx_deflate64(path: Path) -> None:
    path.write_bytes(docx(word_body(_report_paragraphs()), method=9))


def docx_unknown_method(path: Path) -> None:
    path.write_bytes(docx(word_body(_report_paragraphs()), method=99))


def html_declared_charset(path: Path) -> None:
    """19 MB of HTML that declares its charset (which once skipped the character limit)."""
    row = "<p>本年度主动公开政府信息一百二十条。</p>\n"
    path.write_bytes(('<html><head><meta charset="utf-8"></head><body>' + row * (19 * 1024 * 1024 // len(row.encode()))
                      + "</body></html>").encode())


def utf16_report(path: Path) -> None:
    path.write_bytes("青石县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息120条。\n"
                     .encode("utf-16"))


CASES: dict[str, tuple[str, Callable[[Path], None], str | None]] = {
    # name: (file name, maker, what the one-line reason contains; None = read as a report)
    "digits": ("digits.txt", digits_report, None),
    "pdf-flate-bomb": ("bomb.pdf", pdf_flate_bomb, "内存超限"),
    "pdf-dense-page": ("dense.pdf", pdf_dense_page, None),
    "pdf-grid-pages": ("grid.pdf", pdf_grid_pages, None),
    "docx-94mb": ("big.docx", docx_big_body, "压缩"),
    "docx-gridspan": ("span.docx", docx_bad_span, None),
    "docx-encrypted": ("locked.docx", docx_encrypted, "加密"),
    "docx-deflate64": ("deflate64.docx", docx_deflate64, "压缩方式"),
    "docx-unknown-method": ("method99.docx", docx_unknown_method, "压缩方式"),
    "html-19mb-charset": ("big.html", html_declared_charset, "文本过长"),
    "utf16": ("utf16.txt", utf16_report, None),
}
