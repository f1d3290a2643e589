#!/usr/bin/env bash
# The Windows build of nhandao, run under Wine (Debian's wine, 8.0), headless.
#
#   packaging/windows/wine_smoke.sh DIR [LINUX_NHANDAO]
#
# DIR is what build.py made (DIR/build-info.json names the files). LINUX_NHANDAO (or
# $NHANDAO_LINUX) is the `nhandao` of a Linux install of the same program: the summaries that
# Windows prints must equal the ones Linux prints for the same store.
#
# Everything happens in DIR/wine (wiped first): a throwaway WINEPREFIX, the embeddable
# Python with the cp312 wheels of the kit installed into its Lib\site-packages (by the Linux pip
# with --platform win_amd64 --no-index --find-links kit/wheels, so the kit is what gets tested),
# the stores and the files written. The steps: --version, demo, summary --json (Wine = Linux,
# both ways), check, records export/import into a new store, bundle export + verify (and the
# stock minisign), summary --xlsx, report --docx, summary piped on code page 1258 without
# UTF-8 mode, the interface (Textual's run_test; `summary` reads beside it, `settings set` is
# refused), then the installer: silent install, the
# `nhandao` command, the default store in %LOCALAPPDATA%\nhandao, the Start-menu launch
# script, silent uninstall that keeps the store; and cai-dat.bat's messages when no usable
# Python is found. Wine 8.0 lacks bcryptprimitives.dll: a test-only stand-in is built from
# bcryptprimitives.c into the prefix's system32; it is never in the kit or the installer.
#
# Prints one line per step and `wine-smoke: N passed, M failed`; stops at the first failure
# and exits 1. Without wine it prints `SKIP wine stage: ...` and exits 0: the only skip.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 1 ] || [ ! -f "$1/build-info.json" ]; then
  echo "usage: $0 DIR [LINUX_NHANDAO]   (DIR: the --out folder of build.py)" >&2
  exit 2
fi
if ! command -v wine >/dev/null 2>&1; then
  echo "SKIP wine stage: wine is not installed (Debian: apt-get install wine wine64)"
  exit 0
fi

DIR=$(cd "$1" && pwd)
LINUX_NHANDAO=${2:-${NHANDAO_LINUX:-}}
WINE_TIMEOUT=${WINE_TIMEOUT:-300}
W=$DIR/wine
OUT=$W/out        # logs and files the program wrote
RUN=$W/run        # the working folder of every command: outside the checkout
passed=0
failed=0

info() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1]))[sys.argv[2]]; print("" if v is None else v)' "$DIR/build-info.json" "$1"; }
VERSION=$(info version)
KIT=$(info kit)
EMBED_ZIP=$(info embed_zip)
INSTALLER=$(info installer)

# A Windows path for a Linux one (Wine's Z: drive is /).
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# Wine: a prefix of its own, no output of its own, no display, no Mono/Gecko downloads, and
# no Linux menu entries for the Start-menu shortcut (winemenubuilder off).
export WINEPREFIX=$W/prefix WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY
# Wine passes the environment on: nothing of the host's Python settings, nor its store.
unset PYTHONUTF8 PYTHONIOENCODING PYTHONPATH PYTHONHOME PYTHONSTARTUP NHANDAO_STORE WINEPATH

PYDIR=$WINEPREFIX/drive_c/nhandao-py          # the embeddable Python, C:\nhandao-py
PYEXE=$PYDIR/python.exe
SITE=$PYDIR/Lib/site-packages
MAIN='import sys; from tui.cli import main; sys.exit(main())'

# wrun NAME COMMAND...: COMMAND's stdout in $OUT/NAME.out, its stderr in $OUT/NAME.err, a
# timeout. Wine's CPython cannot start with a regular file as its stdout or stderr
# ("init_sys_streams: OSError: [WinError 6] Invalid handle"), so both go through pipes; its
# stdin is a pipe closed at once (nothing waits for a key).
wrun() {
  local name=$1 rc
  shift
  { { : | timeout "$WINE_TIMEOUT" "$@"; echo $? > "$OUT/.rc"; } 2>&1 1>&3 3>&- \
      | cat > "$OUT/$name.err"; } 3>&1 | cat > "$OUT/$name.out"
  rc=$(cat "$OUT/.rc")
  if [ "$rc" = 124 ]; then echo "timed out after ${WINE_TIMEOUT} s: $*" >> "$OUT/$name.err"; fi
  return "$rc"
}

# nd NAME ARGS...: the program under the embeddable Python, in UTF-8 mode as the launchers run
# it (nhandao.bat sets PYTHONUTF8=1, the installer's shortcut and command use -X utf8).
nd() {
  local name=$1
  shift
  wrun "$name" wine "$PYEXE" -X utf8 -c "$MAIN" "$@" || {
    echo "exit $? of: nhandao $*"; tail -n 20 "$OUT/$name.out" "$OUT/$name.err"; return 1; }
}

# lin NAME ARGS...: the Linux program.
lin() {
  local name=$1
  shift
  "$LINUX_NHANDAO" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" || {
    echo "exit $? of: (Linux) nhandao $*"; tail -n 20 "$OUT/$name.err"; return 1; }
}

expect() {  # expect FILE TEXT: FILE holds TEXT
  grep -qF -- "$2" "$1" || { echo "$(basename "$1") does not say «$2»:"; tail -n 20 "$1"; return 1; }
}

checks() { python3 "$HERE/wine_checks.py" "$@"; }

summary_line() { echo "wine-smoke: $passed passed, $failed failed"; }

step() {  # step "what" FUNCTION: one line, ok or FAIL with the step's output
  local what=$1 started=$SECONDS log
  shift
  log=$OUT/step-$((passed + 1)).log
  if "$@" > "$log" 2>&1; then
    passed=$((passed + 1))
    printf 'ok   %-58s %3d s\n' "$what" $((SECONDS - started))
    sed 's/^/       /' "$log"
  else
    failed=$((failed + 1))
    printf 'FAIL %-58s %3d s\n' "$what" $((SECONDS - started))
    sed 's/^/       /' "$log" | tail -n 40
    echo "wine smoke: FAILED at «$what» (logs in $OUT)"
    summary_line
    exit 1
  fi
}

# --- the steps -------------------------------------------------------------------------------

s_tools() {
  [ -n "$LINUX_NHANDAO" ] || { echo "no Linux nhandao: give it as 2nd argument or \$NHANDAO_LINUX"; return 1; }
  [ -x "$LINUX_NHANDAO" ] || { echo "not executable: $LINUX_NHANDAO"; return 1; }
  command -v x86_64-w64-mingw32-gcc >/dev/null || {
    echo "x86_64-w64-mingw32-gcc is missing (Debian: gcc-mingw-w64-x86-64)"; return 1; }
  [ -f "$EMBED_ZIP" ] || { echo "no embeddable zip in build-info.json (build.py --no-installer?)"; return 1; }
  echo "$(wine --version); Linux: $("$LINUX_NHANDAO" --version)"
}

s_prefix() {
  timeout "$WINE_TIMEOUT" wineboot -i > "$OUT/wineboot.log" 2>&1
  [ -d "$WINEPREFIX/drive_c/windows/system32" ] || { cat "$OUT/wineboot.log"; return 1; }
  echo "WINEPREFIX=$WINEPREFIX"
}

s_python() {
  rm -rf "$PYDIR" && mkdir -p "$SITE"
  python3 -m zipfile -e "$EMBED_ZIP" "$PYDIR"
  # As pynsist does: a site-packages folder on the path, and `import site` (commented out in
  # the embeddable distribution) so that .pth files work.
  python3 - "$PYDIR" <<'EOF'
import pathlib, sys
pth = next(pathlib.Path(sys.argv[1]).glob("python3*._pth"))
lines = [l for l in pth.read_text().splitlines() if l.strip() and not l.lstrip().startswith("#")]
lines = [l for l in lines if l != "import site"] + ["Lib\\site-packages", "import site"]
pth.write_bytes(("\r\n".join(lines) + "\r\n").encode())
print(f"{pth.name}: {' · '.join(lines)}")
EOF
  # --isolated and no config file: pip sees the kit's wheels only, no configured find-links.
  env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
    python3 -m pip --isolated --disable-pip-version-check install --quiet --no-compile --target "$SITE" \
    --platform win_amd64 --python-version 3.12 --implementation cp --only-binary=:all: \
    --no-index --find-links "$KIT/wheels" nhandao 2>&1 | grep -v '^WARNING: ' || true
  [ -d "$SITE/tui" ] || { echo "nhandao was not installed into $SITE"; return 1; }
  echo "$(ls "$SITE" | grep -c '\.dist-info$') distributions in C:\\nhandao-py\\Lib\\site-packages, from $KIT/wheels"
}

s_dll() {
  local dll=$W/test-only/bcryptprimitives.dll
  mkdir -p "$W/test-only"
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$dll" "$HERE/bcryptprimitives.c" -ladvapi32 || return 1
  cp "$dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  if find "$KIT" -iname 'bcryptprimitives*' | grep -q .; then echo "the kit holds bcryptprimitives"; return 1; fi
  if [ -n "$INSTALLER" ] && command -v 7z >/dev/null; then
    if 7z l "$INSTALLER" | grep -qi bcryptprimitives; then echo "the installer holds bcryptprimitives"; return 1; fi
    echo "built into the prefix's system32 only; not in the kit, not in the installer (7z l)"
  else
    echo "built into the prefix's system32 only; not in the kit"
  fi
}

s_imports() {
  wrun imports wine "$PYEXE" -X utf8 -c "
import sys, tui, cryptography
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
Ed25519PrivateKey.generate().sign(b'nhandao')
assert 'site-packages' in tui.__file__, tui.__file__
print(sys.version.split()[0], sys.flags.utf8_mode, tui.__file__, 'cryptography', cryptography.__version__)
" || { cat "$OUT/imports.out" "$OUT/imports.err"; return 1; }
  cat "$OUT/imports.out"
}

s_version() {
  nd version --version || return 1
  expect "$OUT/version.out" "nhandao $VERSION" && cat "$OUT/version.out"
}

WSTORE=$W/stores/wine-demo
s_demo() {
  nd demo --store "$(winpath "$WSTORE")" demo --no-open --scale commune || return 1
  [ -f "$WSTORE/office.json" ] || { echo "no store at $WSTORE"; return 1; }
  tail -n 1 "$OUT/demo.err"
}

s_summary_wine_store() {
  nd summary-w --store "$(winpath "$WSTORE")" summary --json || return 1
  lin summary-w-linux --store "$WSTORE" summary --json || return 1
  checks same-json "$OUT/summary-w-linux.out" "$OUT/summary-w.out"
}

LSTORE=$W/stores/linux-demo
s_summary_linux_store() {
  lin demo-linux --store "$LSTORE" demo --no-open --scale commune || return 1
  lin summary-l-linux --store "$LSTORE" summary --json || return 1
  nd summary-l --store "$(winpath "$LSTORE")" summary --json || return 1
  checks same-json "$OUT/summary-l-linux.out" "$OUT/summary-l.out"
}

s_check() {
  nd check --store "$(winpath "$WSTORE")" check || return 1
  cat "$OUT/check.out"
}

S2=$W/stores/imported
s_records() {
  nd export --store "$(winpath "$WSTORE")" records export "$(winpath "$OUT/records.jsonl")" || return 1
  local unit
  unit=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["unit"])' "$WSTORE/office.json")
  nd init --store "$(winpath "$S2")" init --unit "$unit" || return 1
  nd import --store "$(winpath "$S2")" records import "$(winpath "$OUT/records.jsonl")" || return 1
  nd summary-s2 --store "$(winpath "$S2")" summary --json || return 1
  cat "$OUT/export.out" "$OUT/import.out"
  checks same-json "$OUT/summary-w.out" "$OUT/summary-s2.out"
}

DSTORE=$W/stores/district
s_bundle() {
  mkdir -p "$OUT/bundles"
  nd bundle-export --store "$(winpath "$WSTORE")" bundle export --to "$(winpath "$OUT/bundles")" || return 1
  local zip unit parent
  zip=$(ls "$OUT"/bundles/*.zip | head -n 1)
  [ -f "$zip" ] || { echo "no bundle written"; return 1; }
  unit=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["unit"])' "$WSTORE/office.json")
  parent=$(python3 -c 'import json, sys, zipfile; print(json.loads(zipfile.ZipFile(sys.argv[1]).read("manifest.json"))["to"])' "$zip")
  # The office above, on Windows too: it enrols the sender's key, then verifies the bundle.
  nd init-district --store "$(winpath "$DSTORE")" init --unit "$parent" || return 1
  nd enrol --store "$(winpath "$DSTORE")" keys enrol "$(winpath "$WSTORE/keys/office.pub")" --unit "$unit" || return 1
  nd verify --store "$(winpath "$DSTORE")" bundle verify "$(winpath "$zip")" || return 1
  echo "$(basename "$zip"): verified by the office of unit $parent: $(head -n 1 "$OUT/verify.out")"
  checks bundle "$zip" "$WSTORE/keys/office.pub"
}

s_xlsx() {
  nd xlsx --store "$(winpath "$WSTORE")" summary --xlsx "$(winpath "$OUT/tong-hop.xlsx")" || return 1
  checks zip "$OUT/tong-hop.xlsx" xl/workbook.xml
}

s_report() {
  nd report --store "$(winpath "$WSTORE")" report --docx "$(winpath "$OUT/bao-cao.docx")" || return 1
  checks zip "$OUT/bao-cao.docx" word/document.xml
}

s_pipe() {
  # No UTF-8 mode, no PYTHONIOENCODING, a Vietnamese ANSI code page (1258): the table piped
  # to a file must not raise UnicodeEncodeError («ệ» has no single byte in cp1258).
  wrun codepage env LC_ALL=vi_VN.UTF-8 wine "$PYEXE" -c \
    "import locale, sys; print(locale.getpreferredencoding(), sys.flags.utf8_mode)" || return 1
  expect "$OUT/codepage.out" "cp1258 0" || return 1
  wrun pipe env LC_ALL=vi_VN.UTF-8 wine "$PYEXE" -c "$MAIN" --store "$(winpath "$WSTORE")" summary || {
    echo "exit $? of «nhandao summary | file» on code page 1258, without UTF-8 mode:"
    tail -n 8 "$OUT/pipe.err"; return 1; }
  if grep -q UnicodeEncodeError "$OUT/pipe.err"; then tail -n 8 "$OUT/pipe.err"; return 1; fi
  echo "code page $(cat "$OUT/codepage.out")"
  checks utf8 "$OUT/pipe.out" "Tổng cộng" "BẢNG TỔNG HỢP"
}

s_tui() {
  cp "$HERE/wine_tui.py" "$RUN/wine_tui.py"
  wrun tui wine "$PYEXE" -X utf8 "$(winpath "$RUN/wine_tui.py")" "$(winpath "$WSTORE")" \
    "$(winpath "$OUT/tui.svg")" || { cat "$OUT/tui.out"; tail -n 20 "$OUT/tui.err"; return 1; }
  cat "$OUT/tui.out"
}

# The installer, as a user would run it (silently: /S).
wuser() { ls "$WINEPREFIX/drive_c/users" | grep -vx Public | head -n 1; }
LOCALAPPDATA_UNIX=
INSTDIR=
STARTMENU=
s_install() {
  checks pe "$INSTALLER" || return 1
  wrun install wine "$INSTALLER" /S || { echo "exit $? of the installer"; cat "$OUT/install.err"; return 1; }
  timeout "$WINE_TIMEOUT" wineserver -w
  LOCALAPPDATA_UNIX=$WINEPREFIX/drive_c/users/$(wuser)/AppData/Local
  INSTDIR=$LOCALAPPDATA_UNIX/Programs/nhandao
  STARTMENU=$WINEPREFIX/drive_c/users/$(wuser)/AppData/Roaming/Microsoft/Windows/Start\ Menu/Programs
  local f
  for f in Python/python.exe pkgs/tui/cli.py bin/nhandao.exe nhandao.launch.py uninstall.exe; do
    [ -f "$INSTDIR/$f" ] || { echo "not installed: $INSTDIR/$f"; return 1; }
  done
  [ -f "$STARTMENU/nhandao.lnk" ] || { echo "no Start-menu shortcut in $STARTMENU"; return 1; }
  # The shortcut's arguments (UTF-16 in the .lnk): UTF-8 mode, then the launch script.
  python3 - "$STARTMENU/nhandao.lnk" <<'EOF' || return 1
import sys
lnk = open(sys.argv[1], "rb").read()
for part in ("python.exe", '-X utf8 "', 'nhandao.launch.py"'):
    if part.encode("utf-16-le") not in lnk and part.encode() not in lnk:
        sys.exit(f"nhandao.lnk: no {part!r}")
EOF
  [ ! -e "$LOCALAPPDATA_UNIX/nhandao" ] || { echo "the installer wrote in the store folder"; return 1; }
  wrun reg-uninstall wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\nhandao' || {
    echo "no uninstall entry in HKCU"; return 1; }
  wrun reg-path wine reg query 'HKCU\Environment' /v PATH || { echo "no user PATH"; return 1; }
  expect "$OUT/reg-path.out" 'Programs\nhandao\bin' || return 1
  echo "in %LOCALAPPDATA%\\Programs\\nhandao ($(find "$INSTDIR" -type f | wc -l) files), Start menu: nhandao.lnk, HKCU uninstall entry, bin on the user's PATH"
}

s_installed_command() {
  # bin\nhandao.exe, no --store: the default store, %LOCALAPPDATA%\nhandao.
  wrun inst-version wine "$INSTDIR/bin/nhandao.exe" --version || { cat "$OUT/inst-version.err"; return 1; }
  expect "$OUT/inst-version.out" "nhandao $VERSION" || return 1
  wrun inst-demo wine "$INSTDIR/bin/nhandao.exe" demo --no-open --scale commune || {
    cat "$OUT/inst-demo.err"; return 1; }
  [ -f "$LOCALAPPDATA_UNIX/nhandao/office.json" ] || { echo "the default store is not %LOCALAPPDATA%\\nhandao"; return 1; }
  wrun inst-summary wine "$INSTDIR/bin/nhandao.exe" summary --json || { cat "$OUT/inst-summary.err"; return 1; }
  lin inst-summary-linux --store "$LOCALAPPDATA_UNIX/nhandao" summary --json || return 1
  # The same launcher and shebang line with a probe instead of the program: UTF-8 mode is on.
  python3 - "$INSTDIR/bin/nhandao.exe" "$INSTDIR/bin/probe.exe" <<'EOF'
import io, sys, zipfile
exe = open(sys.argv[1], "rb").read()
head = exe[: exe.index(b"\r\n", exe.rindex(b"#!<launcher_dir>")) + 2]
probe = io.BytesIO()
with zipfile.ZipFile(probe, "w") as zf:
    zf.writestr("__main__.py", "import sys; print('utf8_mode', sys.flags.utf8_mode)")
open(sys.argv[2], "wb").write(head + probe.getvalue())
EOF
  wrun inst-probe wine "$INSTDIR/bin/probe.exe" || { cat "$OUT/inst-probe.err"; return 1; }
  rm -f "$INSTDIR/bin/probe.exe"
  expect "$OUT/inst-probe.out" "utf8_mode 1" || return 1
  echo "bin\\nhandao.exe: $(cat "$OUT/inst-version.out"), in UTF-8 mode (-X utf8 in its shebang); demo written to %LOCALAPPDATA%\\nhandao"
  checks same-json "$OUT/inst-summary-linux.out" "$OUT/inst-summary.out"
}

s_launch_script() {
  # What the Start-menu shortcut runs: python.exe -X utf8 nhandao.launch.py (the interface
  # without arguments; with arguments, the same commands). On an error it asks for Enter.
  wrun launch-version wine "$INSTDIR/Python/python.exe" -X utf8 "$INSTDIR/nhandao.launch.py" --version || {
    cat "$OUT/launch-version.err"; return 1; }
  expect "$OUT/launch-version.out" "nhandao $VERSION" || return 1
  if wrun launch-error wine "$INSTDIR/Python/python.exe" -X utf8 "$INSTDIR/nhandao.launch.py" \
      --store 'C:\khong-co-kho' summary; then
    echo "a missing store did not fail"; return 1
  fi
  expect "$OUT/launch-error.out" "Nhấn Enter để đóng cửa sổ này." || return 1
  echo "--version: $(cat "$OUT/launch-version.out"); a missing store: exit 1, «$(head -n 1 "$OUT/launch-error.err" | cut -c1-50)…», then «Nhấn Enter…»"
}

s_uninstall() {
  wrun uninstall wine "$INSTDIR/uninstall.exe" /S || { echo "exit $? of the uninstaller"; return 1; }
  timeout "$WINE_TIMEOUT" wineserver -w
  [ ! -e "$INSTDIR" ] || { echo "left behind:"; find "$INSTDIR" | head; return 1; }
  [ ! -e "$STARTMENU/nhandao.lnk" ] || { echo "the Start-menu shortcut is still there"; return 1; }
  if wrun reg-after wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\nhandao'; then
    echo "the uninstall entry is still there"; return 1
  fi
  [ -f "$LOCALAPPDATA_UNIX/nhandao/office.json" ] || { echo "THE STORE WAS DELETED"; return 1; }
  lin after-summary --store "$LOCALAPPDATA_UNIX/nhandao" summary --json || return 1
  checks same-json "$OUT/inst-summary-linux.out" "$OUT/after-summary.out" >/dev/null || {
    echo "the store changed"; return 1; }
  echo "program, shortcut and uninstall entry gone; the store %LOCALAPPDATA%\\nhandao kept, same summary"
}

s_bat() {
  # cai-dat.bat needs a full Python (venv, pip), which Wine has not: only its paths to the
  # failure messages are checked here, under Wine's cmd (not Microsoft's), by exit code and by
  # ASCII parts of the messages: Wine's cmd does not read the file as UTF-8 after
  # «chcp 65001» (Microsoft's does), so its Vietnamese comes out garbled here.
  rm -rf "$WINEPREFIX/drive_c/kit" && cp -r "$KIT" "$WINEPREFIX/drive_c/kit"
  local rc
  # 1. No Python at all: exit 3, the versions it needs.
  wrun bat-none wine cmd /c 'C:\kit\cai-dat.bat'
  rc=$?
  [ "$rc" = 3 ] || { echo "exit $rc without Python, not 3:"; tail -n 15 "$OUT/bat-none.out"; return 1; }
  expect "$OUT/bat-none.out" "Python 3.10, 3.11, 3.12" || return 1
  # 2. The embeddable Python on PATH: found (3.12, 64-bit), but it has no venv module: exit 5.
  wrun bat-embed env WINEPATH='C:\nhandao-py' wine cmd /c 'C:\kit\cai-dat.bat'
  rc=$?
  [ "$rc" = 5 ] || { echo "exit $rc with the embeddable Python, not 5:"; tail -n 15 "$OUT/bat-embed.out"; return 1; }
  expect "$OUT/bat-embed.out" "Python 3.12.9 (" || return 1
  expect "$OUT/bat-embed.out" "(python -m venv)" || return 1
  [ ! -e "$WINEPREFIX/drive_c/users/$(wuser)/AppData/Local/nhandao/venv" ] || {
    echo "cai-dat.bat wrote into the store folder"; return 1; }
  echo "no Python: exit 3 (the «no Python found» message); embeddable Python on PATH: found 3.12.9, then exit 5 (the «python -m venv failed» message)"
}

# --- run -------------------------------------------------------------------------------------

rm -rf "$W"
mkdir -p "$OUT" "$RUN" "$W/stores"
cd "$RUN" || exit 1
started=$SECONDS
echo "wine smoke: $DIR (nhandao $VERSION)"
step "tools (wine, mingw-w64, the Linux nhandao)" s_tools
step "Wine prefix (wineboot)" s_prefix
step "embeddable Python 3.12 + the kit's cp312 wheels" s_python
step "test-only bcryptprimitives.dll (ProcessPrng)" s_dll
step "imports (tui, cryptography's Rust extension)" s_imports
step "nhandao --version" s_version
step "demo --no-open --scale commune" s_demo
step "summary --json: Wine = Linux (store made on Wine)" s_summary_wine_store
step "summary --json: Wine = Linux (store made on Linux)" s_summary_linux_store
step "check" s_check
step "records export, init --unit, records import: same summary" s_records
step "bundle export, keys enrol, bundle verify, minisign" s_bundle
step "summary --xlsx" s_xlsx
step "report --docx" s_report
step "summary piped, code page 1258, no UTF-8 mode" s_pipe
step "interface: keys a, nguyen, Escape; summary beside it; Ctrl+Q" s_tui
if [ -n "$INSTALLER" ]; then
  step "installer /S: per user, Start menu, PATH" s_install
  step "installed bin\\nhandao.exe, default store" s_installed_command
  step "Start-menu launch script" s_launch_script
  step "uninstaller /S keeps the store" s_uninstall
else
  echo "(no installer in build-info.json: installer steps not run)"
fi
step "cai-dat.bat: messages without a usable Python" s_bat
echo "wine smoke: all steps passed in $((SECONDS - started)) s"
summary_line
