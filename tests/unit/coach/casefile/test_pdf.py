"""The printable PDF: the document's Chinese text, read back with a PDF reader."""

import io
import re
import shutil
import subprocess
from datetime import datetime

import pytest
from pypdf import PdfReader

from coach.casefile import pdf
from coach.casefile.contact import read_contact, to_entry
from coach.casefile.documents import complaint_letter

NOW = datetime(2026, 11, 30, 10, 0)


def letter():
    entry = to_entry(
        read_contact("某资产管理公司的王某（工号1234）打电话来，骂我是老赖"),
        "c1",
        "2026-11-29T23:10",
        "credit_card",
    )
    return complaint_letter([entry], "招商银行", "credit_card", None, NOW)


def pdf_text(data: bytes) -> str:
    """The PDF's text: pdftotext when installed, else pypdf."""
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        )
        return done.stdout.decode("utf-8")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


needs_font = pytest.mark.skipif(not pdf.font_available(), reason="no Chinese font installed")


@needs_font
def test_the_pdf_carries_the_whole_chinese_text():
    document = letter()
    data = pdf.render_pdf(document.title, document.text)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "关于违规催收的投诉信"
    text = pdf_text(data)
    for shown in ("关于违规催收的投诉信", "2026年11月29日23:10", "王某，工号1234", "夜间催收", "【姓名】"):
        assert shown in squeezed(text)
    assert squeezed(text) == squeezed(document.text)


@needs_font
def test_the_font_is_the_simplified_chinese_face_embedded_as_a_subset():
    font = pdf.find_font()
    assert font.suffix in (".otf", ".ttf")
    document = letter()
    reader = PdfReader(io.BytesIO(pdf.render_pdf(document.title, document.text)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(fonts[key].get_object()["/BaseFont"]) for key in fonts]
    assert any("NotoSansCJKsc" in name or "CJK" in name for name in names), names
    assert len(pdf.render_pdf(document.title, document.text)) < 300_000, "a subset, not the font"


def test_without_any_chinese_font_the_pdf_is_refused_clearly(monkeypatch, tmp_path):
    monkeypatch.setenv(pdf.FONT_ENV, str(tmp_path / "missing.ttf"))
    assert not pdf.font_available()
    with pytest.raises(pdf.PdfFontMissing, match="fonts-noto-cjk"):
        pdf.render_pdf("标题", "正文")
