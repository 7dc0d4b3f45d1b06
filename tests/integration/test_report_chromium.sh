#!/usr/bin/env bash
# The HTML report in headless Chromium with 200-character labels: the page's
# own check finds no clipped text (text boxes measured against their
# container) on any (page, run) view, sorting and filtering work, tabs and the
# run selector switch the content (#check-interactions) on a two-run, two-suite
# database, the hash selects a page and a run, no console errors, no network;
# the screenshots are kept in $SB_ARTIFACT_DIR (CI artifacts).
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || die "chromium is not installed (scripts/setup.sh --test installs it)"

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

say "the check finds clipping when there is some (cells forced narrow, figures not fitted; every view)"
sed 's|</head>|<style>td{white-space:nowrap;max-width:60px;overflow:hidden}</style></head>|; s|svg.setAttribute("viewBox"|void(0)\&\&svg.setAttribute("viewBox"|' \
  report.html >clipped.html
grep -q 'void(0)&&svg.setAttribute' clipped.html || die "could not make the clipped copy (script changed?)"
timeout 90 chromium "${flags[@]}" --dump-dom "file://$WORK/clipped.html#check-interactions" >dom2.html 2>/dev/null || true
body2=$(grep -o '<body[^>]*>' dom2.html | head -1)
[[ $body2 == *'data-clip-check="clipped '* ]] && pass "clipping detected: ${body2#*data-clip-check=}" \
  || fail "a clipped page passed the check: $body2"
grep -q '<text[^>]*data-clipped' dom2.html && pass "an SVG label past its figure is marked" \
  || fail "no SVG text marked in the unfitted figures"

say "two runs, two suites: tabs, run selector, hash navigation"
cat > est.toml <<TOML
suite = "estimation"
seeds = 6
[[datasets]]
name = "corrupted-mean"
label = "$(long "corrupted")"
n = 100
d = 2
rates = ["constant", "two-groups"]
[[methods]]
name = "sample-mean"
label = "$(long "mean")"
[[methods]]
name = "huber-mean"
label = "$(long "huber")"
TOML
cp r.sqlite r2.sqlite
"$SB" run est.toml --db r2.sqlite >/dev/null 2>&1 || die "estimation run failed"
"$SB" report -o report2.html --db r2.sqlite >/dev/null || die "report of two runs failed"
check_eq "run options (all, run 2, run 1)" "3" "$(grep -c '<option value=' report2.html)"
check_eq "pages (overview, runs, estimation, selftest)" "4" "$(grep -c '<section class="page"' report2.html)"
timeout 90 chromium "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$WORK/report2.html#check-interactions" \
  >dom3.html 2>chrome3.err || true
body=$(grep -o '<body[^>]*>' dom3.html | head -1)
[[ -n $body ]] || die "Chromium dumped no page: $(tail -3 chrome3.err)"
[[ $body == *'data-clip-check="ok"'* ]] && pass "no clipped text on any page for any run" \
  || fail "clipped text: $body; first: $(grep -o '<[a-z]*[^>]*data-clipped[^>]*>[^<]\{0,80\}' dom3.html | head -3)"
[[ $body == *'data-navigation-check="tabs:ok runs:ok/3"'* ]] \
  && pass "each tab shows its page alone; each run its own variant on every page, the overview changing" \
  || fail "navigation: $body"
errors=$(grep -E 'CONSOLE|Uncaught' chrome3.err | grep -v '"log' || true)
[[ -z $errors ]] && pass "no console messages or errors" || fail "console: $(head -3 <<<"$errors")"
timeout 90 chromium "${flags[@]}" --dump-dom "file://$WORK/report2.html#suite-estimation&run=1" >dom4.html 2>/dev/null || true
check_eq "the hash's page is the one shown" 'data-page="suite-estimation"' \
  "$(grep -o '<section class="page current"[^>]*>' dom4.html | grep -o 'data-page="[^"]*"')"
check_eq "blocks shown: run 1's, one per page" "4" \
  "$(grep -o '<div class="variant" data-runs="[^"]*"[^>]*>' dom4.html | grep -vc hidden || true)"
check_eq "those shown are run 1's" "4" \
  "$(grep -oE '<div class="variant" data-runs="([a-z0-9 ]* )?1( [a-z0-9 ]*)?">' dom4.html | wc -l)"
grep -q '<div class="variant" data-runs="1">' dom4.html && grep -q 'Run 1 recorded no cells of this suite' dom4.html \
  && pass "run 1's variant of the estimation page is shown (run 1 ran no estimation cell)" || fail "run 1's variant not shown"

say "screenshot (CI artifact)"
timeout 90 chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$WORK/report-long-labels.png" "file://$WORK/report.html" \
  >/dev/null 2>&1 || true
[[ -s report-long-labels.png ]] && pass "screenshot taken" || fail "no screenshot"
for view in "suite-estimation" "suite-estimation&run=2" "overview&run=1"; do
  png="report-two-runs-${view//[&=]/-}.png"
  timeout 90 chromium "${flags[@]}" --window-size=1280,2400 --screenshot="$WORK/$png" "file://$WORK/report2.html#$view" \
    >/dev/null 2>&1 || true
  [[ -s $png ]] && pass "screenshot of #$view" || fail "no screenshot of #$view"
done
if [[ -n ${SB_ARTIFACT_DIR:-} ]]; then
  mkdir -p "$SB_ARTIFACT_DIR" && cp report-*.png report.html report2.html "$SB_ARTIFACT_DIR/" \
    && pass "kept in $SB_ARTIFACT_DIR"
fi
finish
