"""Readers: every fixture is written by the test itself into tmp_path; no models, no network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.errors import BadInput, ReadError
from index.ids import doc_id_for
from index.readers import SUPPORTED_SUFFIXES, discover, read_source
from index.readers.dates import date_from_lines, parse_date
from index.readers.pdf import join_pages

CAFE = "Le café “Chez Zoë” a ouvert — ‘enfin’.\n\nDeuxième paragraphe.\n"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# --- plain text -------------------------------------------------------------------------------


def test_txt_utf8_metadata_and_document_fields(tmp_path):
    text = "Missiles for Ankara\nAuthor: Jane Doe\nPublished: 12 March 2024\n\nFirst paragraph.\n\nSecond one.\n\n  \n"
    path = write(tmp_path / "story.txt", text)
    doc = read_source(path)
    assert doc.title == "Missiles for Ankara"
    assert doc.author == "Jane Doe"
    assert doc.date == "2024-03-12"
    assert doc.text.endswith("Second one.")  # trailing whitespace stripped
    assert "\n\nFirst paragraph.\n\nSecond one." in doc.text
    assert doc.id == doc_id_for(doc.text)
    assert doc.source == str(path.resolve())
    assert doc.page_starts == []


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"],
)
def test_txt_encodings_decode_to_the_same_text(tmp_path, encoding):
    doc = read_source(write(tmp_path / f"{encoding}.txt", CAFE.encode(encoding)))
    assert doc.text == CAFE.rstrip()
    assert "\ufeff" not in doc.text


def test_cp1252_pound_sign_is_not_read_as_japanese(tmp_path):
    # The BBC corpus holds one such file: charset-normalizer alone guesses Shift-JIS for it.
    data = b"Mutu, a \xa315.8m signing from Parma last season, was released by Chelsea.\n"
    assert "a £15.8m signing" in read_source(write(tmp_path / "sport.txt", data)).text


def test_newlines_and_nfc(tmp_path):
    data = "Title\r\n\r\nCafe\u0301 line one\rline two\r\n".encode("utf-8")
    doc = read_source(write(tmp_path / "crlf.txt", data))
    assert doc.text == "Title\n\nCafé line one\nline two"


def test_by_line_author_and_long_first_line(tmp_path):
    article = "By Jane Doe, BBC News\n\n" + "A whole article on one line. " * 20 + "\n"
    doc = read_source(write(tmp_path / "one_line.txt", article))
    assert doc.author == "Jane Doe"
    assert doc.title == "one_line"  # the only other line is too long to be a title
    assert doc.text.split("\n\n")[1] == ("A whole article on one line. " * 20).rstrip()


def test_prose_starting_with_by_is_not_an_author(tmp_path):
    doc = read_source(write(tmp_path / "t.txt", "Notes\n\nBy the way, the talks failed.\n"))
    assert doc.author is None


def test_markdown_front_matter_and_heading(tmp_path):
    md = "---\ntitle: \"Front title\"\nauthor: Ann Lee\ndate: 2023-11-02\n---\n# Heading\n\nBody text.\n"
    doc = read_source(write(tmp_path / "note.md", md))
    assert (doc.title, doc.author, doc.date) == ("Front title", "Ann Lee", "2023-11-02")
    assert doc.text == "# Heading\n\nBody text."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 12 March 2024", "2024-03-12"),
        ("March 12, 2024", "2024-03-12"),
        ("Updated 2024-03-12T10:00:00Z", "2024-03-12"),
        ("Tue, 3rd Sept. 2021", "2021-09-03"),
        ("Date: yesterday", "yesterday"),  # stated but unparseable: kept as stated
        ("On 12 March 2024 the minister told reporters that the contract was signed in full.", None),
    ],
)
def test_dates_near_the_top(line, expected):
    assert date_from_lines([line]) == expected


def test_impossible_date_is_not_parsed():
    assert parse_date("31 February 2024") is None


# --- HTML -------------------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html><html><head><title>Site | Missiles for Ankara</title>
<meta name="author" content="Jane Doe"><meta property="og:title" content="Missiles for Ankara">
<meta property="article:published_time" content="2024-03-12T10:00:00Z"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">NAVLINK news menu</a></li></ul></nav>
<script>var tracker = "SCRIPTTEXT";</script>
<article><h1>Missiles for Ankara</h1>
<p>Turkey will buy a second batch of S-400 systems from Russia next year, officials said on Monday.</p>
<h2>What Rostec said</h2>
<p>"We are working out a possible second part of the supply," said Sergei Chemezov, head of Rostec.</p>
<p>The first contract, worth $2.5 billion, was fulfilled ahead
of schedule in July 2019.<br>Deliveries ended in September.</p></article>
<footer>Copyright 2024 FOOTERTEXT all rights reserved</footer></body></html>"""


def test_html_article_text_without_boilerplate(tmp_path):
    doc = read_source(write(tmp_path / "page.html", ARTICLE_HTML))
    paragraphs = doc.text.split("\n\n")
    assert "What Rostec said" in paragraphs  # the heading is its own paragraph
    assert any(p.startswith('"We are working out') for p in paragraphs)
    assert "fulfilled ahead of schedule in July 2019.\nDeliveries ended" in doc.text  # wrap is a space, <br> a newline
    for junk in ("SCRIPTTEXT", "NAVLINK", "FOOTERTEXT"):
        assert junk not in doc.text
    assert (doc.title, doc.author, doc.date) == ("Missiles for Ankara", "Jane Doe", "2024-03-12")


def test_tiny_html_page_keeps_its_text(tmp_path):
    page = "<html><head><title>Tiny</title><style>p{color:red}</style></head><body><div>Short note.<script>x()</script></div></body></html>"
    doc = read_source(write(tmp_path / "tiny.htm", page))
    assert doc.text == "Short note."
    assert doc.title == "Tiny"


def test_body_fallback_drops_scripts_and_keeps_blocks_apart():
    from index.readers.html import _body_text

    page = b"<html><head><title>T</title></head><body><h1>Head</h1><div>One <b>two</b><script>x()</script></div><p>Three</p></body></html>"
    assert _body_text(page) == "Head\n\nOne two\n\nThree"


def test_html_without_text_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="no readable text"):
        read_source(write(tmp_path / "empty.html", "<html><body><script>only()</script></body></html>"))


# --- PDF --------------------------------------------------------------------------------------


def make_pdf(path: Path, pages: list[list[str]], **canvas_args) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), **canvas_args)
    pdf.setTitle("Quarterly report")
    pdf.setAuthor("Ann Lee")
    for lines in pages:
        for i, line in enumerate(lines):
            pdf.drawString(72, 720 - 16 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def test_pdf_pages_and_page_starts(tmp_path):
    path = make_pdf(tmp_path / "report.pdf", [["Page one text."], ["Page two text.", "Second line."]])
    doc = read_source(path)
    assert len(doc.page_starts) == 2 and doc.page_starts[0] == 0
    page2 = doc.text[doc.page_starts[1]:]
    assert page2.startswith("Page two text.") and "Second line." in page2
    assert doc.text[: doc.page_starts[1]].rstrip() == "Page one text."
    assert doc.page_at(doc.text.index("Second line.")) == 2
    assert (doc.title, doc.author) == ("Quarterly report", "Ann Lee")
    assert doc.date == dt.date.today().isoformat()


def test_join_pages_keeps_empty_pages_numbered():
    assert join_pages(["Ab", "", "Cd"]) == ("Ab\n\nCd", [0, 2, 4])


def test_pdf_without_text_layer(tmp_path):
    with pytest.raises(ReadError, match="no text layer"):
        read_source(make_pdf(tmp_path / "scan.pdf", [[]]))


def test_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = make_pdf(tmp_path / "locked.pdf", [["Secret."]], encrypt=StandardEncryption("userpw", canPrint=0))
    with pytest.raises(ReadError, match="encrypted"):
        read_source(path)


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_corrupt_binary_documents(tmp_path, name):
    with pytest.raises(ReadError) as err:
        read_source(write(tmp_path / name, b"%PDF-1.4\nnot really a document\x00\x01"))
    assert err.value.path == str(tmp_path / name)


# --- Word -------------------------------------------------------------------------------------


def test_docx_paragraphs_headings_table_and_properties(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Annual review", level=1)
    document.add_paragraph("First paragraph.")
    document.add_paragraph("")
    document.add_paragraph("Second paragraph.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Revenue", "$2.5bn"
    document.core_properties.title = "Review 2024"
    document.core_properties.author = "Ann Lee"
    document.core_properties.created = dt.datetime(2024, 3, 12, 9, 30)
    document.save(tmp_path / "review.docx")

    doc = read_source(tmp_path / "review.docx")
    assert doc.text == "Annual review\n\nFirst paragraph.\n\nSecond paragraph.\n\nRevenue | $2.5bn"
    assert (doc.title, doc.author, doc.date) == ("Review 2024", "Ann Lee", "2024-03-12")


def test_docx_template_defaults_are_not_metadata(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Just text.")
    document.save(tmp_path / "plain.docx")
    doc = read_source(tmp_path / "plain.docx")
    assert (doc.title, doc.author, doc.date) == ("Just text.", None, None)


# --- unreadable files -------------------------------------------------------------------------


def test_empty_file(tmp_path):
    with pytest.raises(ReadError, match="empty"):
        read_source(write(tmp_path / "empty.txt", b""))


def test_whitespace_only_file(tmp_path):
    with pytest.raises(ReadError, match="only whitespace"):
        read_source(write(tmp_path / "blank.md", b"\n  \n\t\n"))


def test_binary_behind_txt_extension(tmp_path):
    data = bytes(range(256)) * 8  # NULs in no UTF-16 pattern
    with pytest.raises(ReadError, match="binary"):
        read_source(write(tmp_path / "image.txt", data))


def test_control_characters_without_nul_are_binary(tmp_path):
    data = bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 40 + b"some text"
    with pytest.raises(ReadError, match="binary"):
        read_source(write(tmp_path / "dump.txt", data))


def test_file_over_size_limit_names_the_option(tmp_path):
    path = write(tmp_path / "big.txt", "word " * 300_000)  # 1.5 MB
    with pytest.raises(ReadError, match=r"1\.5 MB, over the 1 MB limit; raise it with --max-file-mb 2"):
        read_source(path, max_bytes=1_000_000)


def test_unsupported_suffix(tmp_path):
    with pytest.raises(ReadError, match="unsupported file type"):
        read_source(write(tmp_path / "data.csv", "a,b\n"))


# --- discover ---------------------------------------------------------------------------------


def test_discover_nested_folder(tmp_path):
    root = tmp_path / "corpus"
    wanted = [
        write(root / "a.txt", "a"),
        write(root / "sub" / "b.MD", "b"),
        write(root / "sub" / "deeper" / "c.html", "<p>c</p>"),
        write(root / "z.pdf", b"%PDF"),
    ]
    write(root / ".hidden.txt", "no")
    write(root / ".git" / "notes.txt", "no")
    write(root / "sub" / "data.csv", "no")
    write(root / "sub" / "README", "no")
    extra = write(tmp_path / "single.docx", b"PK")
    assert discover([root, extra, root / "a.txt"]) == sorted(p.resolve() for p in [*wanted, extra])


def test_discover_empty_folder(tmp_path):
    assert discover([tmp_path]) == []


def test_discover_missing_path(tmp_path):
    with pytest.raises(BadInput, match="no such file or folder"):
        discover([tmp_path / "nope"])


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
