"""Damaged and unreadable PDFs: truncated, corrupted, zero-byte, password-protected,
image-only, pathological (time limit). Each gets a one-line InputError naming the file
and the problem; ``budgetlod extract`` exits 1 without a traceback; a batch goes on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from converter.errors import InputError
from converter.pipeline import extract
from converter.readers import read_document
from tests.helpers import CORPUS, ROOT
from tests.pdfgen import source_blocks
from tests.pdfgen.render import FONT, PAGED, render

BIN = ROOT / ".venv" / "bin" / "budgetlod"


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short real-looking PDF (the self-evaluation report, 5 pages)."""
    out = tmp_path_factory.mktemp("robust") / "report.pdf"
    return render(source_blocks(CORPUS / "002_7584c7280180b575.txt", "paged"), PAGED, out)


def _one_page(path: Path, encrypt: StandardEncryption | None = None, image: bool = False,
              font: str = FONT, text: str = "部门预算信息公开 2024年") -> Path:
    c = canvas.Canvas(str(path), invariant=1, encrypt=encrypt)
    if image:
        from PIL import Image  # Pillow comes with pdfplumber
        from reportlab.lib.utils import ImageReader

        img = Image.new("L", (200, 100), 255)
        img.paste(0, (20, 20, 180, 30))  # a scanned "line of text"
        c.drawImage(ImageReader(img), 72, 600, width=400, height=200)
    else:
        c.setFont(font, 12)
        c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return path


def _problem(path: Path) -> str:
    with pytest.raises(InputError) as err:
        read_document(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: ") and "\n" not in msg
    return err.value.problem


def test_zero_byte(tmp_path: Path) -> None:
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    assert _problem(p) == "empty file"


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated(small_pdf: Path, tmp_path: Path, fraction: float) -> None:
    data = small_pdf.read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: int(len(data) * fraction)])
    assert _problem(p).startswith("corrupt or truncated PDF")


def test_header_only(tmp_path: Path) -> None:
    p = tmp_path / "header.pdf"
    p.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert _problem(p).startswith("corrupt or truncated PDF")


def test_password_protected(tmp_path: Path) -> None:
    p = _one_page(tmp_path / "locked.pdf", StandardEncryption("user-secret", "owner-secret", strength=128))
    assert _problem(p) == "encrypted PDF (password required)"


def test_owner_password_only_is_readable(tmp_path: Path) -> None:
    """Permissions-only encryption (empty user password) opens like any PDF."""
    p = _one_page(tmp_path / "perm.pdf", StandardEncryption("", "owner-secret", canPrint=0),
                  font="Helvetica", text="Department budget 2024")
    doc = read_document(p)
    assert doc.blocks[0].text == "Department budget 2024"


def test_text_layer_without_unicode_mapping(tmp_path: Path) -> None:
    """Glyphs pdfminer can only name by code are no usable text: reportlab's encrypted
    output leaves the CID font's encoding unreadable to pdfminer, a real instance."""
    p = _one_page(tmp_path / "cid.pdf", StandardEncryption("", "owner-secret"))
    assert _problem(p) == "text layer without Unicode mapping (glyph codes only)"


def test_image_only(tmp_path: Path) -> None:
    p = _one_page(tmp_path / "scan.pdf", image=True)
    assert _problem(p) == "no text layer (scanned or image-only PDF)"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_corrupted_bytes_never_crash(small_pdf: Path, tmp_path: Path, data: st.DataObject) -> None:
    """Random byte damage anywhere: a document or a one-line InputError, nothing else."""
    raw = bytearray(small_pdf.read_bytes())
    for _ in range(data.draw(st.integers(1, 40))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):  # also drop a chunk from the middle
        a = data.draw(st.integers(0, len(raw) - 1))
        del raw[a : a + data.draw(st.integers(1, 4096))]
    p = tmp_path / "damaged.pdf"
    p.write_bytes(bytes(raw))
    try:
        read_document(p)
    except InputError as err:
        assert "\n" not in str(err)


def test_time_limit_stops_a_slow_document(tmp_path: Path) -> None:
    big = render(source_blocks(CORPUS / "000_4b57f9589128d5bb.txt", "paged"), PAGED, tmp_path / "big.pdf")
    with pytest.raises(InputError, match=r"time limit exceeded \(0.3 s\)"):
        extract(big, time_limit=0.3)


def test_cli_batch_goes_on(small_pdf: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a_good.pdf").write_bytes(small_pdf.read_bytes())
    (folder / "b_empty.pdf").write_bytes(b"")
    (folder / "c_cut.pdf").write_bytes(small_pdf.read_bytes()[:3000])
    _one_page(folder / "d_locked.pdf", StandardEncryption("u", "o"))
    _one_page(folder / "e_scan.pdf", image=True)
    cmd = [str(BIN) if BIN.exists() else sys.executable, *([] if BIN.exists() else ["-m", "converter.cli"])]
    proc = subprocess.run([*cmd, "extract", str(folder)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 4, errors
    assert any("b_empty.pdf: empty file" in e for e in errors)
    assert any("c_cut.pdf: corrupt or truncated PDF" in e for e in errors)
    assert any("d_locked.pdf: encrypted PDF (password required)" in e for e in errors)
    # read by OCR by default (the test extras install the engine): a bar is no text
    assert any("e_scan.pdf: no text layer, and OCR found no text" in e for e in errors)
    assert "a_good.pdf" in proc.stdout


def test_cli_single_bad_file_exit_status(tmp_path: Path) -> None:
    p = tmp_path / "junk.pdf"
    p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    proc = subprocess.run([str(BIN), "extract", str(p), "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "corrupt or truncated PDF" in proc.stderr


