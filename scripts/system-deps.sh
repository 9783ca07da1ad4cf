#!/bin/sh
# Installs what the browser tests need from Debian's packages: Chromium and a CJK font.
# Idempotent: does nothing when both are present.
set -e
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy\|noto sans cjk' || need="$need fonts-wqy-zenhei"
[ -z "$need" ] && exit 0
echo "installing Debian packages:$need"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need fontconfig >/dev/null
