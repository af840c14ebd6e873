#!/usr/bin/env python3
"""The corpus check can fail: each of its checks, given a hand-made PDF with that one defect,
reports it with the source, page and word; a hand-made PDF without defects passes them all.

The PDFs are written here, in a few lines of PDF (ISO 32000-1, 7.5 and 9.6.2: a standard 14 font,
Helvetica, in WinAnsiEncoding), so that they do not depend on the program under test.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_corpus  # noqa: E402

A4 = (595.276, 841.89)
HERE = os.path.dirname(os.path.abspath(__file__))

SOURCE = """<?xml version="1.0" encoding="UTF-8"?>
<operation id="sample" as-of="2023-09-30">
  <country><en>Mali</en><fr>Mali</fr></country>
  <intro>
    <p><en>Alimata Ouattara coordinates the cluster's reconstruction work into the north.</en>
       <fr>Le cluster coordonne la reconstruction.</fr></p>
  </intro>
  <hyphenation><word>Zanzibar</word></hyphenation>
</operation>
"""

STYLES = """<styles><page size="A4" margin-top="58" margin-bottom="58" margin-left="46" margin-right="46"
  header-top="22" footer-bottom="22"/></styles>
"""


def pdf_string(text):
    data = text.encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def write_pdf(path, pages, damage=False):
    """A PDF of A4 pages; each page a list of (x, baseline from the top, size, text) in points."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for page in pages:
        ops = b"".join(b"BT /F1 %.2f Tf %.2f %.2f Td %s Tj ET\n" % (size, x, A4[1] - y, pdf_string(text))
                       for x, y, size, text in page)
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(ops), ops))
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.3f %.3f] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (A4[0], A4[1], content))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        # A damaged file points its cross-reference table at the wrong places.
        out += b"%010d 00000 n \n" % (offset + (7 if damage else 0))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


def header_and_footer(number):
    return [(46, 30, 7.5, "Protection Cluster"), (46, 815, 7.5, "Page %d" % number)]


def body(lines, top=80):
    """Lines of body text at 10 pt, 14 pt apart, from `top`."""
    return [(46, top + 14 * k, 10, text) for k, text in enumerate(lines)]


GOOD_TEXT = ["Mali", "Alimata Ouattara coordinates the cluster\u2019s recon-",
             "struction work into", "the north."]


def good_page(number=1, extra=()):
    # Enough lines that the page is more than 20 % full: the last one ends below y 210.
    filler = ["Mali"] * 12
    return header_and_footer(number) + body(GOOD_TEXT + filler + list(extra))


class CorpusCheck(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="corpus-check-")
        self.source = os.path.join(self.dir, "sample.xml")
        with open(self.source, "w", encoding="utf-8") as f:
            f.write(SOURCE)
        styles = os.path.join(self.dir, "styles.xml")
        with open(styles, "w", encoding="utf-8") as f:
            f.write(STYLES)
        self.margins = check_corpus.Margins(styles)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def failures(self, pages, damage=False):
        pdf = os.path.join(self.dir, "sample-en.pdf")
        write_pdf(pdf, pages, damage)
        return check_corpus.check_pdf(pdf, self.source, "en", self.margins)

    def test_a_pdf_without_defects_passes(self):
        self.assertEqual(self.failures([good_page()]), [])

    def test_a_damaged_pdf_fails_qpdf(self):
        failures = self.failures([good_page()], damage=True)
        self.assertTrue(failures and failures[0].startswith("qpdf --check fails (exit "), failures)

    def test_a_missing_word(self):
        page = header_and_footer(1) + body(["Mali", "Alimata Ouattara coordinates the cluster\u2019s",
                                            "reconstruction work into", "the"] + ["Mali"] * 12)
        self.assertEqual(self.failures([page]),
                         ['word "north" of the <en> text at line 5 is not in the PDF'])

    def test_a_word_in_the_wrong_edition_is_missing(self):
        page = good_page(extra=["Le cluster coordonne la reconstruction."])
        pdf = os.path.join(self.dir, "sample-fr.pdf")
        write_pdf(pdf, [page])
        failures = check_corpus.check_pdf(pdf, self.source, "fr", self.margins)
        self.assertEqual(failures, [])
        # The English words are not enough for the French edition.
        write_pdf(pdf, [good_page()])
        failures = check_corpus.check_pdf(pdf, self.source, "fr", self.margins)
        self.assertIn('word "Le" of the <fr> text at line 6 is not in the PDF', failures)

    def test_a_word_outside_the_margins(self):
        page = good_page() + [(540, 300, 10, "Overflowing")]
        failures = self.failures([page])
        self.assertEqual(len(failures), 1, failures)
        self.assertRegex(failures[0], r'^page 1: word "Overflowing" \(x 540\.0\.\.[0-9.]+, y [0-9.]+\) '
                                      r'is outside the left and right margins \(46\.0\.\.549\.3\)$')

    def test_a_word_below_the_footer(self):
        page = good_page() + [(100, 835, 10, "Lost")]
        failures = self.failures([page])
        self.assertEqual(len(failures), 1, failures)
        self.assertRegex(failures[0], r'^page 1: word "Lost" .* is outside the page\'s printed area')

    def test_two_words_overlapping(self):
        page = good_page() + [(300, 400, 10, "Stacked"), (310, 402, 10, "words")]
        failures = self.failures([page])
        self.assertEqual(len(failures), 1, failures)
        self.assertRegex(failures[0], r'^page 1: words "Stacked" \(x 300\.0, y [0-9.]+\) and "words" '
                                      r'\(x 310\.0, y [0-9.]+\) overlap$')

    def test_a_word_broken_between_letters(self):
        page = header_and_footer(1) + body(["Mali", "Alimata Ouat", "tara coordinates the cluster\u2019s",
                                            "reconstruction work into", "the north."] + ["Mali"] * 12)
        failures = self.failures([page])
        self.assertIn('page 1: the source\'s word "Ouattara" is broken between letters: "Ouat" ends a '
                      'line, "tara" starts the next', failures)

    def test_an_almost_empty_last_page(self):
        last = header_and_footer(2) + body(["Mali"])
        failures = self.failures([good_page(), last])
        self.assertEqual(len(failures), 1, failures)
        self.assertRegex(failures[0], r"^page 2: the last page is 3 % full \(its lowest word ends at y "
                                      r"[0-9.]+\); at least 20 % is wanted$")

    def test_the_command_line_names_source_edition_page_and_word(self):
        pdf = os.path.join(self.dir, "sample-en.pdf")
        write_pdf(pdf, [good_page() + [(300, 400, 10, "Stacked"), (310, 402, 10, "words")]])
        run = subprocess.run([sys.executable, os.path.join(HERE, "check_corpus.py"), "--pdf", pdf,
                              "--source", self.source, "--lang", "en",
                              "--layout", self.dir], capture_output=True, text=True, check=False)
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertRegex(run.stdout, r'^FAIL .*sample\.xml \(en\): page 1: words "Stacked" .* overlap\n$')


if __name__ == "__main__":
    unittest.main()
