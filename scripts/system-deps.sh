#!/usr/bin/env bash
# The Debian/Ubuntu packages Bekwaam needs, installed when missing:
#   scripts/system-deps.sh runtime   what the app loads when it serves (`make run`): WeasyPrint's Pango,
#                                    HarfBuzz-Subset and the fonts the PDFs are set in
#   scripts/system-deps.sh test      everything `make test` needs on top: Chromium for the browser tests,
#                                    poppler-utils and zbar-tools to read PDFs and QR codes back, Node and npm
#                                    for the credential verifier in tests/interop
# Idempotent and quiet: when everything is installed it only asks dpkg-query (no apt-get update) and prints
# nothing. Otherwise it runs apt-get as root, through sudo when that exists, or stops with the command to run.
set -euo pipefail

mode=${1:-}
case $mode in runtime | test) ;; *) echo "usage: $0 runtime|test" >&2; exit 2 ;; esac

# WeasyPrint opens Pango and Pango-FT2 (which bring HarfBuzz, fontconfig, GLib) and, for embedding only the
# glyphs it uses, HarfBuzz-Subset: without it fonts are subset by a slow fallback (3.7 times slower, a 2 MB
# certificate instead of 30 kB) and WeasyPrint warns, which the suite treats as an error. The certificate is
# set in DejaVu Sans and Serif (-extra holds the italics); fontconfig builds the font cache.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core fonts-dejavu-extra)

if [ "$mode" = test ]; then
  # libatomic1: the Node that drives Playwright (inside the playwright wheel) needs it.
  packages+=(poppler-utils zbar-tools nodejs npm libatomic1)
  . /etc/os-release 2>/dev/null || true
  case " ${ID:-} ${ID_LIKE:-} " in
    *" ubuntu "*)
      # Ubuntu ships Chromium only as a snap: `make test` uses Playwright's own build instead, which needs
      # these libraries (Playwright's list for Ubuntu 24.04).
      packages+=(libasound2t64 libatk-bridge2.0-0t64 libatk1.0-0t64 libatspi2.0-0t64 libcairo2 libcups2t64
        libdbus-1-3 libdrm2 libgbm1 libglib2.0-0t64 libnspr4 libnss3 libx11-6 libxcb1 libxcomposite1
        libxdamage1 libxext6 libxfixes3 libxkbcommon0 libxrandr2)
      ;;
    *) packages+=(chromium) ;;  # Debian's, driven by Playwright (no browser download)
  esac
fi

command -v dpkg-query >/dev/null 2>&1 || {
  echo "system-deps: not a Debian or Ubuntu system; install the equivalents of: ${packages[*]}" >&2
  exit 1
}

# dpkg-query fails when it has never heard of a package; the ones it lists as "ii" are installed.
installed=" $(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${packages[@]}" 2>/dev/null \
  | awk '$2 == "ii" { printf "%s ", $1 }' || true)"
missing=()
for p in "${packages[@]}"; do
  case $p in
    # Node from elsewhere (NodeSource's nodejs includes npm and conflicts with Debian's) serves as well.
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  case $installed in *" $p "*) ;; *) missing+=("$p") ;; esac
done
[ ${#missing[@]} -gt 0 ] || exit 0

install=(apt-get install -y -q --no-install-recommends "${missing[@]}")
if [ "$(id -u)" = 0 ]; then
  as_root=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
  echo "system-deps: these Debian packages are missing: ${missing[*]}" >&2
  echo "Run as root, then run make again:" >&2
  echo "  apt-get update && ${install[*]}" >&2
  exit 1
fi

echo "system-deps ($mode): installing ${missing[*]}"
log=$(mktemp "${TMPDIR:-/tmp}/bekwaam-system-deps.XXXXXX")
if "${as_root[@]}" apt-get update -q >"$log" 2>&1 && "${as_root[@]}" "${install[@]}" >>"$log" 2>&1; then
  rm -f "$log"
else
  tail -n 25 "$log" >&2
  echo "system-deps: apt-get failed (whole log: $log); the command was:" >&2
  echo "  apt-get update && ${install[*]}" >&2
  exit 1
fi
