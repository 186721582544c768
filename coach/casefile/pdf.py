"""A document of the case file as a printable PDF, with a Chinese font. No Rasa import.

fpdf2 (pure Python, maintained) lays the text out on A4 and embeds the subset of the
font it uses, so the PDF shows the same characters on any printer or phone. The font
comes from Debian's packages (fonts-noto-cjk, installed by scripts/install_browser.sh):
Noto Sans CJK SC, the simplified-Chinese face of NotoSansCJK-Regular.ttc. fpdf2 reads
only the first face of a font collection (the Japanese one), so that face is copied once
into its own file under var/fonts/. ``COACH_PDF_FONT`` may name another .ttf, .otf or
.ttc. Without any usable font, ``render_pdf`` raises ``PdfFontMissing`` (the download
route then answers 503 and the text file still works).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coach.paths import VAR_DIR

FONT_ENV = "COACH_PDF_FONT"
FONT_CACHE_DIR = VAR_DIR / "fonts"


@dataclass(frozen=True)
class FontSource:
    """A font file, and for a collection (.ttc) the name of the face to use."""

    path: Path
    face: str | None = None


# Debian's CJK fonts, the simplified-Chinese face first.
FONT_CANDIDATES = (
    FontSource(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), "Noto Sans CJK SC"),
    FontSource(
        Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), "Noto Serif CJK SC"
    ),
    FontSource(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), "WenQuanYi Zen Hei"),
    FontSource(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), "WenQuanYi Micro Hei"),
    FontSource(Path("/usr/share/fonts/truetype/arphic/uming.ttc"), "AR PL UMing CN"),
)

PAGE_MARGIN_MM = 20
TITLE_SIZE = 16
BODY_SIZE = 11
LINE_HEIGHT_MM = 6.5
TITLE_HEIGHT_MM = 10
NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}


class PdfFontMissing(Exception):
    """No font with Chinese characters was found."""


def _face_index(path: Path, face: str | None) -> int:
    """The number of the face named ``face`` in a collection; 0 when it is not there."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            names = {font["name"].getDebugName(1), font["name"].getDebugName(4)}
            if face in names:
                return index
        return 0
    finally:
        collection.close()


def _single_face(source: FontSource) -> Path:
    """A .ttf/.otf as it is; a collection's face copied once into var/fonts/."""
    if source.path.suffix.lower() != ".ttc":
        return source.path
    from fontTools.ttLib import TTFont

    index = _face_index(source.path, source.face)
    stat = source.path.stat()
    target = FONT_CACHE_DIR / f"{source.path.stem}-{index}-{stat.st_size}.otf"
    if target.is_file():
        return target
    FONT_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
    font = TTFont(str(source.path), fontNumber=index, lazy=True, recalcTimestamp=False)
    try:
        font.save(str(temporary))
    finally:
        font.close()
    os.replace(temporary, target)
    return target


def font_sources() -> list[FontSource]:
    chosen = os.environ.get(FONT_ENV)
    if chosen:
        return [FontSource(Path(chosen))]
    return list(FONT_CANDIDATES)


def find_font() -> Path:
    """The font file to embed; PdfFontMissing when none of the candidates is usable."""
    problems = []
    for source in font_sources():
        if not source.path.is_file():
            continue
        try:
            return _single_face(source)
        except Exception as error:  # a damaged file: try the next one
            problems.append(f"{source.path}: {error}")
    names = ", ".join(str(source.path) for source in font_sources())
    raise PdfFontMissing(
        f"No Chinese font for the PDF (looked for {names}; {'; '.join(problems) or 'none found'}). "
        "Install Debian's fonts-noto-cjk (scripts/install_browser.sh) or set COACH_PDF_FONT."
    )


def font_available() -> bool:
    try:
        find_font()
    except PdfFontMissing:
        return False
    return True


def render_pdf(title: str, text: str) -> bytes:
    """The document as A4 pages: the first line of ``text`` (its title) large, the rest as
    written, wrapped at any character (Chinese has no spaces to wrap at)."""
    return _render(title, text, str(find_font()))


@lru_cache(maxsize=32)
def _render(title: str, text: str, font_path: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM)
    pdf.set_auto_page_break(True, margin=PAGE_MARGIN_MM)
    pdf.add_font("cjk", fname=font_path)
    pdf.set_title(title)
    pdf.set_lang("zh-CN")
    pdf.set_creator("debt-negotiation coach")
    pdf.add_page()
    lines = text.split("\n")
    first, rest = (lines[0], lines[1:]) if lines and lines[0].strip() == title else (title, lines)
    pdf.set_font("cjk", size=TITLE_SIZE)
    pdf.multi_cell(0, TITLE_HEIGHT_MM, first, align="C", wrapmode="CHAR", **NEXT_LINE)
    pdf.set_font("cjk", size=BODY_SIZE)
    for line in rest:
        if line.strip():
            pdf.multi_cell(0, LINE_HEIGHT_MM, line, align="L", wrapmode="CHAR", **NEXT_LINE)
        else:
            pdf.ln(LINE_HEIGHT_MM / 2)
    return bytes(pdf.output())
