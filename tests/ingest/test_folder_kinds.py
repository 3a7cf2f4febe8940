"""A folder's documents are read and its other files skipped, each with one line saying why;
a file named on the command line is read as asked. Decided by what a file holds."""

from __future__ import annotations

import pytest

from rightsrecord.demo import corpus_dir, corpus_files
from rightsrecord.document import Document
from rightsrecord.ingest.pipeline import Options, read
from rightsrecord.ingest.sniff import not_a_document

from .pdfmaker import make_pdf
from .test_readers import FEED, NEWS_HTML

README = """# Field notes

Protest in Almaty: police detained **dozens** of demonstrators, see [the log](log.md).

| file | what |
|---|---|
| a.html | a page |
"""
STORY = ("Court fines editor\n2024-05-14\n\nA court in Almaty fined the editor of an "
         "independent newspaper on Tuesday for reporting on a protest.")
LISTING = ("Kazakhstan\n\n  • Jun 23, 2024\n    A court in Almaty jailed a blogger.\n"
           "  • May 2, 2024\n    Police in Astana dispersed a rally.\n"
           "  • Apr 4, 2024\n    A law on foreign funding was signed.\n")
TABLE = ("path\tkind\toutlet\tpublished\nnews/a.html\thtml\tSteppe Monitor\t2024-05-14\n"
         "text/b.txt\ttext\tCaspian Daily Brief\t2024-05-16\n")
CSV = "country,city,date,event\nKZ,Almaty,2024-05-14,protest\nKG,Bishkek,2024-04-04,arrest\n"
JSON = '{"country": "KZ", "text": "Police in Almaty detained a journalist on Monday."}'
JSON_LINES = ('{"id": 1, "text": "Police in Almaty detained a journalist."}\n'
              '{"id": 2, "text": "A court in Bishkek jailed a blogger."}\n')
CODE = ("import sys\n\n\ndef main(argv):\n    country = argv[1]\n    print(country)\n"
        "    return 0\n\n\nif __name__ == '__main__':\n    sys.exit(main(sys.argv))\n")
SETTINGS = ("# where the crawler looks\nname: rights-crawler\ncountry: KZ\n"
            "start: https://example.org/kz\ndepth: 2\ntimeout: 20\n")
WORDS = "# outlets to follow\nAzattyq\nVlast\nOrda\nKursiv\nTengrinews\nZakon\n"

# (file name, content, why it is skipped); the names are neutral where the content decides.
SKIPPED = [
    ("NOTES", README, "Markdown text"),
    ("files.txt", TABLE, "tab-separated table"),
    ("events.txt", CSV, "comma-separated table"),
    ("record", JSON, "JSON data"),
    ("lines.txt", JSON_LINES, "JSON lines"),
    ("run", CODE, "source code or settings"),
    ("crawler.conf", SETTINGS, "source code or settings"),
    ("outlets.txt", WORDS, "a list of single words, not prose"),
    ("sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url>'
                    "</urlset>", "XML data, not a feed or a page"),
    ("table.csv", "Police in Almaty detained a journalist on Monday.",
     "its name says text/csv, not a document"),
]
DOCUMENTS = [
    ("page.html", NEWS_HTML),
    ("fragment.html", "<p>Tajikistan: a court in Dushanbe ruled.</p>"),
    ("feed.xml", FEED),
    ("story.txt", STORY),
    ("story", STORY),
    ("listing.txt", LISTING),
    ("readme-as-page.md", NEWS_HTML),  # a whole HTML document, whatever its name
]


@pytest.mark.parametrize("name, content, why", SKIPPED, ids=[s[0] for s in SKIPPED])
def test_a_file_that_is_data_markup_or_code_is_no_document(name, content, why):
    assert not_a_document(content.encode("utf-8"), f"/in/{name}") == why


@pytest.mark.parametrize("name, content", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_pages_feeds_listings_and_prose_are_documents(name, content):
    assert not_a_document(content.encode("utf-8"), f"/in/{name}") is None


def test_a_pdf_an_empty_or_a_binary_file_is_left_to_its_reader():
    assert not_a_document(make_pdf(["Almaty court ruling"]), "/in/brief") is None
    assert not_a_document(b"", "/in/empty.txt") is None  # the reader rejects it: "empty"
    assert not_a_document(bytes(range(256)) * 4, "/in/blob.bin") is None


def test_folder_ingest_reads_documents_and_skips_the_rest_with_one_line_each(cli, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, content, _ in SKIPPED:
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "page.html").write_text(NEWS_HTML, encoding="utf-8")
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "brief.pdf").write_bytes(make_pdf(["Almaty appeals court upheld the closure."]))
    result = cli("ingest", str(folder))
    assert result.code == 0, result.err
    assert sorted(result.err.splitlines()) == sorted(
        f"skipped {folder / name}: {why}" for name, _, why in SKIPPED)
    stored = [ln.split()[1] for ln in result.out.splitlines() if ln.startswith("stored ")]
    assert stored == [str(folder / n) for n in ("brief.pdf", "page.html", "story.txt")]
    assert result.out.splitlines()[-1] == "3 stored, 0 new versions, 0 unchanged, 0 rejected"
    # No "protest" fact was read out of the README: it was never read.
    kz = cli("show", "country", "KZ", "--format", "json").out
    assert "Field notes" not in kz and "demonstrators" not in kz


def test_a_file_named_on_the_command_line_is_read_as_asked(cli, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    result = cli("ingest", str(readme))
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.startswith(f"stored {readme} ")


def test_the_demo_folder_gives_the_listed_documents_and_skips_its_readme_and_table():
    skipped: list[tuple[str, str]] = []
    outcomes = list(read([str(corpus_dir())],
                         Options(on_skip=lambda name, why: skipped.append((name, why)))))
    assert sorted(o.input for o in outcomes) == sorted(corpus_files())
    assert all(isinstance(o, Document) for o in outcomes)  # all read, none rejected
    assert [name for name, _ in skipped] == [str(corpus_dir() / "README.md"),
                                            str(corpus_dir() / "sources.tsv")]
    assert dict(skipped)[str(corpus_dir() / "README.md")] == "Markdown text"
