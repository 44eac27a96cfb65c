#!/bin/sh
# Sets up everything ChinaDialog Desktop needs on Debian/Ubuntu (or any Linux with
# Python 3.11+), then starts the app or runs the test suite.
#   sh tools/bootstrap.sh app  [app options, e.g. --db FILE]
#   sh tools/bootstrap.sh test [pytest options, e.g. -m "not slow"]
set -eu

cd "$(dirname "$0")/.."
what="${1:-app}"
[ $# -gt 0 ] && shift

PYTHON="${PYTHON:-python3}"

# Qt's libraries for offscreen use, plus those for a real X11 window (STACK-NOTES.md).
QT_OFFSCREEN="libgl1 libegl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3 libx11-6"
QT_X11="xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0"

# The PyInstaller bundle check (tests marked slow) needs strip and, with Debian's
# own Python, its shared library.
PYVER="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
BUNDLE_TOOLS="binutils"
if [ "$what" = "test" ] && command -v apt-cache >/dev/null 2>&1 \
        && apt-cache show "libpython$PYVER" >/dev/null 2>&1; then
    BUNDLE_TOOLS="$BUNDLE_TOOLS libpython$PYVER"
fi
# The fault suite kills children at disk syncs (strace) and fills or write-protects
# small ext4 images (mkfs.ext4, mount, setpriv); without them those tests skip.
[ "$what" = "test" ] && BUNDLE_TOOLS="$BUNDLE_TOOLS strace e2fsprogs util-linux mount"
# tools/make_sample_briefing.sh (and its test) fixes the clock with faketime;
# pdftoppm and pdftotext come with poppler-utils. The Word briefing test converts
# its .docx with LibreOffice (soffice --headless) to prove that it opens and paginates.
[ "$what" = "test" ] && BUNDLE_TOOLS="$BUNDLE_TOOLS faketime poppler-utils libreoffice-writer-nogui"
# The journey test also runs once under a real X server (xvfb-run), as a user's window does.
[ "$what" = "test" ] && BUNDLE_TOOLS="$BUNDLE_TOOLS xvfb"
# Team mode (issue 17): the tests marked both_engines start a throwaway PostgreSQL server
# (initdb, pg_ctl; as root they run it as nobody via setpriv) and call pg_dump/pg_restore.
[ "$what" = "test" ] && BUNDLE_TOOLS="$BUNDLE_TOOLS postgresql"
[ "$what" = "test" ] || BUNDLE_TOOLS=""

need_apt=""
if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    need_apt="python3-venv"
fi
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in $need_apt $QT_OFFSCREEN $QT_X11 $BUNDLE_TOOLS; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
    done
else
    missing="$need_apt"
fi
if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing system packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
elif [ -n "$need_apt" ]; then
    echo "Python's venv module is missing: install python3-venv (as root: apt-get install python3-venv)." >&2
    exit 1
elif [ -n "$missing" ]; then
    # Not fatal: a library may come under another package name (Ubuntu's ...t64).
    echo "Qt may miss system packages:$missing" >&2
    echo "If the app or the tests fail to load Qt, install them as root: apt-get install$missing" >&2
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
lock="requirements/app.lock"
[ "$what" = "test" ] && lock="requirements/dev.lock"
stamp=".venv/.installed-$(basename "$lock")"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r "$lock"
    .venv/bin/python -m pip install -q --no-deps -e .
    touch "$stamp"
fi

case "$what" in
    app)  exec .venv/bin/chinadialog "$@" ;;
    test)
        # The suite runs on every CPU (pytest-xdist, one test file per worker at a time)
        # unless the options choose otherwise (-n, -p no:xdist) or only collect.
        parallel="-n auto --dist loadfile"
        for arg in "$@"; do
            case "$arg" in
                -n|-n*|--numprocesses*|no:xdist|--collect-only|--co) parallel="" ;;
            esac
        done
        # shellcheck disable=SC2086  # two words on purpose
        exec .venv/bin/python -m pytest $parallel "$@" ;;
    *)    echo "usage: sh tools/bootstrap.sh app|test [options]" >&2; exit 2 ;;
esac
