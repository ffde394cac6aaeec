#!/bin/sh
# Installs the Debian packages libfix needs to build, test and benchmark, when
# any is missing. Run as root (CI and the quick start do).
set -eu
packages="build-essential cmake pkg-config python3 libicu-dev icu-devtools libopencc-dev opencc
libxml2-dev libc-bin libarchive-dev libjansson-dev parallel zstd bsdutils
libcjson-dev
clang libclang-rt-14-dev time"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "libfix: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
