#!/bin/sh
# Every source of input/ built with --strict in both languages and combined (en+fr), and a French
# draft of Mali whose first French paragraph is missing (so English stands in), and every PDF
# validated as PDF/A-1b (ISO 19005-1) by Apache PDFBox Preflight, all in one JVM. Then a copy of
# one PDF whose XMP claims PDF/A part 9 must be refused, which proves the check can fail.
# Usage: check_pdfa.sh FACTSHEET WORK_DIR (run from the source tree).
set -eu
factsheet=$1
work=$2
java_dir=/usr/share/java
classpath=$java_dir/preflight.jar:$java_dir/pdfbox2.jar:$java_dir/fontbox2.jar:$java_dir/xmpbox.jar
classpath=$classpath:$java_dir/commons-logging.jar:$java_dir/javax.activation.jar:$java_dir/jaxb-api.jar

rm -rf "$work"
mkdir -p "$work/out"
if ! "$factsheet" build --strict --lang en,fr,en+fr input/*.xml --out "$work/out" >"$work/build.log" 2>&1; then
    cat "$work/build.log"
    echo "check_pdfa: factsheet build failed"
    exit 1
fi
# The draft: input/mali.xml without the first <fr> of its <intro> (it names no file by a path
# relative to its folder, so the copy may live elsewhere).
mkdir -p "$work/draft"
awk '/<intro>/ { intro = 1 } intro && !done && /<fr>/ { done = 1; next } { print }' input/mali.xml \
    >"$work/draft/mali.xml"
if ! "$factsheet" build --strict --draft --lang fr "$work/draft/mali.xml" --out "$work/draft" \
    >"$work/draft.log" 2>&1; then
    cat "$work/draft.log"
    echo "check_pdfa: factsheet build --draft failed"
    exit 1
fi
pdftotext "$work/draft/mali-fr.pdf" "$work/draft/mali-fr.txt"
if ! grep -q BROUILLON "$work/draft/mali-fr.txt" || ! grep -q "The crisis that Mali" "$work/draft/mali-fr.txt"; then
    echo "check_pdfa: the draft does not say BROUILLON, or English does not stand in for its first paragraph"
    exit 1
fi
cp "$work/draft/mali-fr.pdf" "$work/out/draft-mali-fr.pdf"
# The part-9 copy: "1" becomes "9" in place, so the file's offsets stay right.
first=$(ls "$work"/out/*.pdf | head -n 1)
sed 's|<pdfaid:part>1</pdfaid:part>|<pdfaid:part>9</pdfaid:part>|' "$first" >"$work/not-pdfa.pdf"
ls "$work"/out/*.pdf >"$work/list.txt"
echo "$work/not-pdfa.pdf" >>"$work/list.txt"

# "group" writes one report, list.txt.preflight.xml, for every file of the list.
if ! java -cp "$classpath" org.apache.pdfbox.preflight.Validator_A1b xml group "$work/list.txt" \
    >"$work/preflight.log" 2>&1; then
    cat "$work/preflight.log"
    echo "check_pdfa: Preflight did not run; install the test packages (libpdfbox2-java ...)"
    exit 1
fi
report="$work/list.txt.preflight.xml"
xpath() { xmllint --xpath "$1" "$report"; }

expected=$(($(ls input/*.xml | wc -l) * 3 + 1))
status=0
pdfs=$(xpath 'count(//preflight[@name!="not-pdfa.pdf"])')
valid=$(xpath 'count(//preflight[@name!="not-pdfa.pdf"][isValid="true"])')
if [ "$pdfs" != "$expected" ]; then
    echo "check_pdfa: Preflight reported on $pdfs PDFs, expected $expected"
    status=1
fi
if [ "$valid" != "$pdfs" ]; then
    # One line per error: file: code: details.
    for name in $(xpath '//preflight[@name!="not-pdfa.pdf"][isValid!="true"]/@name' | sed 's/ name="\([^"]*\)"/\1 /g'); do
        xmllint --xpath "//preflight[@name=\"$name\"]//error" "$report" |
            sed -n 's|.*<code>\(.*\)</code>.*|\1|p; s|.*<details>\(.*\)</details>.*|\1|p' |
            paste -d' ' - - | sed "s|^|$name: |"
    done
    echo "check_pdfa: $((pdfs - valid)) of $pdfs PDFs are not valid PDF/A-1b"
    status=1
fi
if [ "$(xpath 'string(//preflight[@name="not-pdfa.pdf"]/isValid)')" != "false" ]; then
    echo "check_pdfa: Preflight accepted a PDF whose metadata claims PDF/A part 9"
    status=1
fi
[ $status -eq 0 ] && echo "check_pdfa: $valid of $pdfs PDFs are valid PDF/A-1b"
exit $status
