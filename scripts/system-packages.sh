#!/bin/sh
# The system packages `make test`, `make run` and `make bench` need (Debian's names): installed here when we are
# root and have apt-get, otherwise named in the one command that installs them, and we stop at once.
# Usage: scripts/system-packages.sh test|run|bench
set -u

target=${1:-test}
need=""
add() { need="$need $*"; }

has_server() {
    [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]
}

have_postgres() {
    # As odoo_host.postgres.find_bindir: IOT_HTTPS_PG_BINDIR alone when set, else the PATH's initdb folder, else
    # Debian's versioned folders; a folder counts when it holds initdb, pg_ctl and postgres.
    if [ -n "${IOT_HTTPS_PG_BINDIR:-}" ]; then
        has_server "$IOT_HTTPS_PG_BINDIR"
        return
    fi
    if initdb=$(command -v initdb 2>/dev/null) && has_server "$(dirname "$initdb")"; then return 0; fi
    for folder in /usr/lib/postgresql/*/bin; do
        has_server "$folder" && return 0
    done
    return 1
}

# A database server given by IOT_HTTPS_DB_DSN replaces the embedded one: no server binaries needed then.
if [ -z "${IOT_HTTPS_DB_DSN:-}" ] && ! have_postgres; then add postgresql; fi
case "$target" in
    test)
        command -v chromium >/dev/null 2>&1 || add chromium fonts-dejavu-core
        command -v certutil >/dev/null 2>&1 || add libnss3-tools
        command -v openssl >/dev/null 2>&1 || add openssl
        command -v wrk >/dev/null 2>&1 || add wrk
        ;;
    bench)
        command -v openssl >/dev/null 2>&1 || add openssl
        command -v wrk >/dev/null 2>&1 || add wrk
        ;;
    run) ;;
    *)
        echo "usage: $0 test|run|bench" >&2
        exit 2
        ;;
esac

[ -z "$need" ] && exit 0
need=${need# }
install="apt-get install -y --no-install-recommends $need"

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "make $target: installing the system packages it needs: $need" >&2
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -q && $install; then
        exit 0
    fi
    echo "make $target: apt-get could not install $need; see its messages above" >&2
    exit 1
fi

echo "make $target needs these system packages, which are not installed: $need" >&2
if command -v apt-get >/dev/null 2>&1; then
    echo "Install them with this command, then run make $target again:" >&2
    echo "" >&2
    echo "    sudo sh -c 'apt-get update && $install'" >&2
else
    echo "(These are Debian's package names; install the same programs with this system's package manager.)" >&2
fi
exit 1
