#!/usr/bin/env bash
# The HTML report in headless Chromium with 200-character labels: the page's
# own check finds no clipped text (text boxes measured against their
# container), sorting and filtering work (#check-interactions), no console errors, no
# network; the screenshot is kept in $SB_ARTIFACT_DIR (CI artifacts).
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || die "chromium is not installed (scripts/setup.sh installs it)"

long() { printf "%s" "$1"; printf '%0.s-x' $(seq 1 $(( (200 - ${#1}) / 2 ))); }
cat > exp.toml <<TOML
suite = "selftest"
seeds = 4
[[datasets]]
name = "empty"
label = "$(long "dataset")"
size = [0, 1]
[[methods]]
name = "noop"
label = "$(long "noop")"
[[methods]]
name = "sleep"
label = "$(long "sleep")"
ms = [0.0, 0.1]
TOML
"$SB" run exp.toml --db r.sqlite >/dev/null 2>&1 || die "run failed"
"$SB" report -o report.html --db r.sqlite >/dev/null || die "report failed"
grep -q -- "$(long noop)" report.html && pass "the 200-character labels are in the report" || fail "labels missing"
grep -qiE 'https?://|<link |src=' report.html && fail "report refers to something outside itself" \
  || pass "self-contained: no URL, no <link>, no src="

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$WORK/chrome" --window-size=1280,1000)
say "Chromium: layout self-check, sort and filter, console"
timeout 90 chromium "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$WORK/report.html#check-interactions" \
  >dom.html 2>chrome.err || true
body=$(grep -o '<body[^>]*>' dom.html | head -1)
[[ -n $body ]] || die "Chromium dumped no page: $(tail -3 chrome.err)"
[[ $body == *'data-clip-check="ok"'* ]] && pass "no clipped text" \
  || fail "clipped text: $body; first: $(grep -o '<[a-z]*[^>]*data-clipped[^>]*>[^<]\{0,80\}' dom.html | head -3)"
[[ $body == *'data-interaction-check="sort:ok filter:ok"'* ]] && pass "sorting and filtering work" || fail "selftest: $body"
# One box per table of more than 5 rows: the results table and the machine section's.
check_eq "filter boxes" "2" "$(grep -c 'class="sb-filter"' dom.html)"
errors=$(grep -E 'CONSOLE|Uncaught' chrome.err | grep -v '"log' || true)
[[ -z $errors ]] && pass "no console messages or errors" || fail "console: $(head -3 <<<"$errors")"

say "the check finds clipping when there is some (cells forced narrow, figures not fitted)"
sed 's|</head>|<style>td{white-space:nowrap;max-width:60px;overflow:hidden}</style></head>|; s|svg.setAttribute("viewBox"|void(0)\&\&svg.setAttribute("viewBox"|' \
  report.html >clipped.html
grep -q 'void(0)&&svg.setAttribute' clipped.html || die "could not make the clipped copy (script changed?)"
timeout 90 chromium "${flags[@]}" --dump-dom "file://$WORK/clipped.html" >dom2.html 2>/dev/null || true
body2=$(grep -o '<body[^>]*>' dom2.html | head -1)
[[ $body2 == *'data-clip-check="clipped '* ]] && pass "clipping detected: ${body2#*data-clip-check=}" \
  || fail "a clipped page passed the check: $body2"
grep -q '<text[^>]*data-clipped' dom2.html && pass "an SVG label past its figure is marked" \
  || fail "no SVG text marked in the unfitted figures"

say "screenshot (CI artifact)"
timeout 90 chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$WORK/report-long-labels.png" "file://$WORK/report.html" \
  >/dev/null 2>&1 || true
[[ -s report-long-labels.png ]] && pass "screenshot taken" || fail "no screenshot"
if [[ -n ${SB_ARTIFACT_DIR:-} ]]; then
  mkdir -p "$SB_ARTIFACT_DIR" && cp report-long-labels.png report.html "$SB_ARTIFACT_DIR/" \
    && pass "kept in $SB_ARTIFACT_DIR"
fi
finish
