#!/bin/sh
# Installs what the tests need from Debian's packages: Chromium and a CJK font (browser tests),
# nginx (the token proxy in front of a Chroma server, tests/knowledge/test_shared_server.py).
# Idempotent: does nothing when all are present. nginx's service is not started by the install
# (the tests run their own nginx in the foreground on 127.0.0.1).
set -e
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy\|noto sans cjk' || need="$need fonts-wqy-zenhei"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx"
[ -z "$need" ] && exit 0
echo "installing Debian packages:$need"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
# keep the packages' services from starting (nginx would listen on port 80): invoke-rc.d asks
# policy-rc.d, and 101 means "not allowed"; only when no such policy is in place already
policy=/usr/sbin/policy-rc.d
added_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    added_policy=1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need fontconfig >/dev/null || status=$?
[ -n "$added_policy" ] && $SUDO rm -f "$policy"
exit ${status:-0}
