#!/usr/bin/env python3
"""Builds every source of a folder in both languages with --strict and checks each PDF with tools
that are not the project's own: qpdf and poppler's pdftotext.

For each PDF:
  - `qpdf --check` finds nothing wrong;
  - every word of the source's texts in that language (<en> or <fr>) is in the text pdftotext
    extracts; no-break spaces, narrow no-break spaces and curly apostrophes are compared as plain
    spaces and apostrophes, and a word hyphenated across lines counts when joined;
  - no word lies outside the page's margins (the running header and footer sit in the top and
    bottom margins, between header-top and footer-bottom of the styles file) and no two words
    overlap (`pdftotext -bbox-layout`);
  - no line ends in the middle of a word the source has whole, unless at a hyphen;
  - the last page is at least 20 % full: its lowest word's bottom (or lower drawing: a QR code, a
    map, as pdftoppm renders the page), less the top margin, over the body's height.

Usage:
  check_corpus.py --factsheet BINARY [--input DIR] [--layout DIR] [--work DIR]
  check_corpus.py --pdf PDF --source XML --lang en|fr [--layout DIR]

The first form builds every DIR/*.xml (default input/) into --work (a temporary folder by
default) and checks both editions; the second checks one PDF made elsewhere. Each failure is
one line: SOURCE (LANG) page N: what failed. Exit status 0 when every check passes, 1 otherwise,
2 for wrong usage or a missing tool.

Standard library only; needs qpdf, pdftotext and pdftoppm (Debian: qpdf, poppler-utils) on the PATH.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import xml.parsers.expat

# Overlaps and margin overruns smaller than this (points) are rounding in the extractor's boxes.
TOLERANCE = 0.5
# The last page must be at least this full (fraction of the body's height).
LAST_PAGE_MIN_FILL = 0.20
# How many following lines a hyphenated line end may join with: the next line of the paragraph
# can come after a running footer and header, or after a cell beside it.
HYPHEN_LOOKAHEAD = 8

WORD = re.compile(r"\w+")
XHTML = "{http://www.w3.org/1999/xhtml}"


def normalise(text):
    """Text as both sides are compared: NFC, no-break spaces as spaces, curly apostrophes straight."""
    text = unicodedata.normalize("NFC", text)
    for space in ("\u00a0", "\u202f", "\u2009", "\u2007"):
        text = text.replace(space, " ")
    for apostrophe in ("\u2019", "\u2018", "\u02bc"):
        text = text.replace(apostrophe, "'")
    return text


def words_of(text):
    return WORD.findall(normalise(text))


# ---------------------------------------------------------------------------------------------
# The source and the layout


class SourceText:
    """One <en> or <fr> text of a source, with the line it starts on."""

    def __init__(self, lang, line, text):
        self.lang, self.line, self.text = lang, line, text


def read_source_texts(path):
    """Every <en> and <fr> text of a source (outside <hyphenation>), with its line."""
    texts, stack, current = [], [], None
    parser = xml.parsers.expat.ParserCreate()

    def start(name, _attrs):
        nonlocal current
        stack.append(name)
        if name in ("en", "fr") and "hyphenation" not in stack and current is None:
            current = SourceText(name, parser.CurrentLineNumber, "")

    def end(name):
        nonlocal current
        stack.pop()
        if current is not None and name == current.lang and current.lang not in stack:
            texts.append(current)
            current = None

    def data(chunk):
        if current is not None:
            current.text += chunk

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    with open(path, "rb") as f:
        parser.ParseFile(f)
    return texts


class Margins:
    """The page's margins and running header and footer bands, from a layout's styles.xml."""

    def __init__(self, styles_path):
        # The defaults of the layout stage (pipeline/layout/styles.hpp, PageGeometry).
        values = {"margin-top": 56, "margin-bottom": 56, "margin-left": 48, "margin-right": 48,
                  "header-top": 24, "footer-bottom": 24}
        page = ET.parse(styles_path).getroot().find("page")
        if page is not None:
            for key in values:
                if key in page.attrib:
                    values[key] = float(page.attrib[key])
        self.top, self.bottom = values["margin-top"], values["margin-bottom"]
        self.left, self.right = values["margin-left"], values["margin-right"]
        self.header_top, self.footer_bottom = values["header-top"], values["footer-bottom"]


# ---------------------------------------------------------------------------------------------
# The PDF, as pdftotext reads it


class Word:
    def __init__(self, element):
        self.text = element.text or ""
        self.x0, self.y0 = float(element.get("xMin")), float(element.get("yMin"))
        self.x1, self.y1 = float(element.get("xMax")), float(element.get("yMax"))


class Page:
    def __init__(self, number, width, height):
        self.number, self.width, self.height = number, width, height
        self.lines = []  # lists of Word, in pdftotext's reading order

    def words(self):
        return [w for line in self.lines for w in line]


def read_pdf_pages(pdf):
    """The pages of a PDF with their lines and words, from `pdftotext -bbox-layout`."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, check=False)
    if out.returncode != 0:
        raise CheckError("pdftotext cannot read it: " + out.stderr.decode(errors="replace").strip())
    root = ET.fromstring(out.stdout)
    pages = []
    for number, page in enumerate(root.iter(XHTML + "page"), start=1):
        p = Page(number, float(page.get("width")), float(page.get("height")))
        for line in page.iter(XHTML + "line"):
            p.lines.append([Word(w) for w in line.iter(XHTML + "word")])
        pages.append(p)
    return pages


class CheckError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The checks: each yields failure messages "page N: ..." (or without a page)


def check_qpdf(pdf):
    out = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        detail = [l for l in (out.stdout + out.stderr).splitlines()
                  if "WARNING" in l or "error" in l.lower()]
        yield "qpdf --check fails (exit %d): %s" % (out.returncode, "; ".join(detail[:3]) or "no detail")


def in_header(word, page, m):
    return word.y1 <= m.top + TOLERANCE


def in_footer(word, page, m):
    return word.y0 >= page.height - m.bottom - TOLERANCE


def body_lines(pages, m):
    """(page, line) pairs of the body in reading order: running header and footer left out."""
    for page in pages:
        for line in page.lines:
            if line and not (all(in_header(w, page, m) for w in line)
                             or all(in_footer(w, page, m) for w in line)):
                yield page, line


def line_text(line):
    return normalise(" ".join(w.text for w in line))


def extracted_words(pages, m):
    """Every word of the PDF's text, plus the words a hyphenated line end makes with what follows."""
    found = set()
    for page in pages:
        for line in page.lines:
            found.update(words_of(" ".join(w.text for w in line)))
    lines = list(body_lines(pages, m))
    for i, (_, line) in enumerate(lines):
        last = line_text(line)
        if not last.endswith("-"):
            continue
        head = WORD.findall(last[:-1])
        if not head or not last[:-1].endswith(head[-1]):
            continue
        for _, following in lines[i + 1:i + 1 + HYPHEN_LOOKAHEAD]:
            tail = WORD.findall(line_text(following))
            if tail:
                found.add(head[-1] + tail[0])  # "recon-" + "quête": a hyphenation point
                found.update(words_of(last.split(" ")[-1] + tail[0]))
    return found


def check_words(texts, lang, pages, m):
    found = extracted_words(pages, m)
    for t in texts:
        if t.lang != lang:
            continue
        for word in words_of(t.text):
            if word not in found:
                yield 'word "%s" of the <%s> text at line %d is not in the PDF' % (word, lang, t.line)
                found.add(word)  # once per word


def check_margins(pages, m):
    for page in pages:
        left, right = m.left - TOLERANCE, page.width - m.right + TOLERANCE
        top, bottom = m.header_top - TOLERANCE, page.height - m.footer_bottom + TOLERANCE
        for w in page.words():
            where = 'page %d: word "%s" (x %.1f..%.1f, y %.1f..%.1f)' % (
                page.number, w.text, w.x0, w.x1, w.y0, w.y1)
            if w.x0 < left or w.x1 > right:
                yield where + " is outside the left and right margins (%.1f..%.1f)" % (
                    m.left, page.width - m.right)
            elif w.y0 < top or w.y1 > bottom:
                yield where + " is outside the page's printed area (y %.1f..%.1f)" % (
                    m.header_top, page.height - m.footer_bottom)
            elif w.y0 < m.top - TOLERANCE < w.y1 - 2 * TOLERANCE:
                yield where + " crosses the top margin (y %.1f)" % m.top
            elif w.y0 + 2 * TOLERANCE < page.height - m.bottom + TOLERANCE < w.y1:
                yield where + " crosses the bottom margin (y %.1f)" % (page.height - m.bottom)


def check_overlaps(pages):
    for page in pages:
        words = sorted(page.words(), key=lambda w: w.y0)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.y0 >= a.y1 - TOLERANCE:
                    break
                if min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE:
                    yield 'page %d: words "%s" (x %.1f, y %.1f) and "%s" (x %.1f, y %.1f) overlap' % (
                        page.number, a.text, a.x0, a.y0, b.text, b.x0, b.y0)


def check_broken_words(texts, lang, pages, m):
    whole = set()
    for t in texts:
        if t.lang == lang:
            whole.update(words_of(t.text))
    lines = list(body_lines(pages, m))
    for (page, line), (_, following) in zip(lines, lines[1:]):
        end, start = line_text(line), line_text(following)
        if not end or not start or not WORD.match(end[-1]) or not WORD.match(start[0]):
            continue
        head, tail = WORD.findall(end)[-1], WORD.findall(start)[0]
        joined = head + tail
        # Two whole words that happen to make a third ("in" + "to") are not a broken word.
        if joined in whole and not (head in whole and tail in whole):
            yield 'page %d: the source\'s word "%s" is broken between letters: "%s" ends a line, ' \
                  '"%s" starts the next' % (page.number, joined, head, tail)


# Resolution of the page rendered to find its lowest ink (a QR code, a map or a box drawn below the
# last word): 1 pixel per point.
INK_DPI = 72


def lowest_ink(pdf, page, m):
    """The bottom, in points from the top, of the lowest non-white pixel of the body of `page`
    (between the margins), as pdftoppm renders it; None when it cannot be rendered."""
    out = subprocess.run(["pdftoppm", "-gray", "-r", str(INK_DPI), "-f", str(page.number), "-l",
                          str(page.number), "-singlefile", pdf], capture_output=True)
    data = out.stdout
    if out.returncode != 0 or not data.startswith(b"P5"):
        return None
    # A binary PGM: "P5", width, height, maxval, one whitespace, then the pixels.
    fields, at = [], 2
    while len(fields) < 3:
        while data[at:at + 1].isspace():
            at += 1
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(int(data[at:end]))
        at = end
    width, height, _ = fields
    pixels = data[at + 1:]
    scale = INK_DPI / 72.0
    top, bottom = int(m.top * scale), int((page.height - m.bottom) * scale)
    for row in range(min(bottom, height) - 1, top, -1):
        line = pixels[row * width:(row + 1) * width]
        if min(line) < 200:
            return (row + 1) / scale
    return None


def check_last_page(pages, m, pdf=None):
    if not pages:
        yield "the PDF has no page"
        return
    page = pages[-1]
    body = [w for w in page.words() if not in_header(w, page, m) and not in_footer(w, page, m)]
    height = page.height - m.top - m.bottom
    lowest = max((w.y1 for w in body), default=m.top)
    what = "word"
    ink = lowest_ink(pdf, page, m) if pdf else None
    if ink is not None and ink > lowest:
        lowest, what = ink, "drawing"
    fill = (lowest - m.top) / height
    # Ink misses a drawing's white margin (a QR code's quiet zone of four modules, 6.4 pt of a
    # 72-pt code, 0.9 % of an A4 body): a drawing that ends the page is given that much.
    slack = 0.01 if what == "drawing" else 0.0
    if fill < LAST_PAGE_MIN_FILL - slack:
        yield "page %d: the last page is %.0f %% full (its lowest %s ends at y %.1f); at least %.0f %% " \
              "is wanted" % (page.number, 100 * fill, what, lowest, 100 * LAST_PAGE_MIN_FILL)


def check_pdf(pdf, source, lang, margins):
    """Every failure of one PDF, as messages."""
    failures = list(check_qpdf(pdf))
    try:
        pages = read_pdf_pages(pdf)
    except (CheckError, ET.ParseError) as e:
        return failures + [str(e)]
    texts = read_source_texts(source)
    failures += check_words(texts, lang, pages, margins)
    failures += check_margins(pages, margins)
    failures += check_overlaps(pages)
    failures += check_broken_words(texts, lang, pages, margins)
    failures += check_last_page(pages, margins, pdf)
    return failures


# ---------------------------------------------------------------------------------------------


def build(binary, source, layout, out):
    """Builds both editions with --strict; returns the PDFs by language, or the program's errors."""
    run = subprocess.run([binary, "-q", "build", source, "--strict", "--layout", layout, "--out", out],
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return None, run.stderr.strip().splitlines() or ["exit %d" % run.returncode]
    operation_id = ET.parse(source).getroot().get("id")
    return {lang: os.path.join(out, "%s-%s.pdf" % (operation_id, lang)) for lang in ("en", "fr")}, []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factsheet", help="the factsheet program: build and check every source")
    parser.add_argument("--input", default="input", help="folder of sources (default: input)")
    parser.add_argument("--layout", default="layouts/factsheet", help="layout folder")
    parser.add_argument("--work", help="folder for the PDFs (default: a temporary one)")
    parser.add_argument("--pdf", help="check this PDF only (with --source and --lang)")
    parser.add_argument("--source", help="the source the PDF was made from")
    parser.add_argument("--lang", choices=("en", "fr"), help="the PDF's edition")
    args = parser.parse_args()
    for tool in ("qpdf", "pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            print("check_corpus: %s is missing: install qpdf and poppler-utils" % tool, file=sys.stderr)
            return 2
    margins = Margins(os.path.join(args.layout, "styles.xml"))

    if args.pdf:
        if not args.source or not args.lang:
            parser.error("--pdf needs --source and --lang")
        failures = check_pdf(args.pdf, args.source, args.lang, margins)
        for f in failures:
            print("FAIL %s (%s): %s" % (args.source, args.lang, f))
        return 1 if failures else 0

    if not args.factsheet:
        parser.error("give --factsheet BINARY, or --pdf PDF --source XML --lang LANG")
    sources = sorted(glob.glob(os.path.join(args.input, "*.xml")))
    if not sources:
        print("check_corpus: no sources in %s" % args.input, file=sys.stderr)
        return 1
    work = args.work or tempfile.mkdtemp(prefix="factsheet-corpus-")
    failed = 0  # sources that fail to build, and PDFs that fail a check
    for source in sources:
        out = os.path.join(work, os.path.splitext(os.path.basename(source))[0])
        os.makedirs(out, exist_ok=True)
        pdfs, errors = build(args.factsheet, source, args.layout, out)
        if errors:
            failed += 1
            print("FAIL %s: factsheet build --strict refuses it:" % source)
            for line in errors:
                print("    " + line)
            continue
        for lang, pdf in pdfs.items():
            failures = check_pdf(pdf, source, lang, margins)
            for f in failures:
                print("FAIL %s (%s): %s" % (source, lang, f))
            failed += 1 if failures else 0
            if not failures:
                print("ok   %s (%s): %s" % (source, lang, pdf))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print("%d sources: %s" % (len(sources), "%d failures" % failed if failed else "every PDF passes"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
