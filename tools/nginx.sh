#!/usr/bin/env bash
# Install Debian's nginx when it is missing: the reverse proxy the proxied browser tests run the app behind
# (tools/cluster.sh, deploy/nginx/proofing.conf).
#
#   tools/nginx.sh    install nginx (as root, from Debian's packages) unless /usr/sbin/nginx is already there, then
#                     print NGINX=/usr/sbin/nginx
#
# Only that line goes to standard output; everything else goes to standard error. Idempotent: an installed nginx
# is left as it is. Debian's package would start its own server on port 80 as it installs; the tests never use it
# (tools/cluster.sh runs nginx with a configuration of its own), so the install asks Debian's policy-rc.d not to
# start it, unless the machine already has a policy-rc.d of its own.
set -euo pipefail

NGINX=/usr/sbin/nginx

say() { echo "nginx.sh: $*" >&2; }
die() { say "$*"; exit 1; }

install_nginx() {
    [[ $(id -u) -eq 0 ]] || die "nginx is not installed and only root can install it (apt-get install nginx)."
    say "installing nginx from Debian's packages"
    local policy=/usr/sbin/policy-rc.d ours=""
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"  # "action forbidden": do not start the package's own server
        chmod 755 "$policy"
        ours=yes
    fi
    export DEBIAN_FRONTEND=noninteractive
    local status=0
    { apt-get update -qq && apt-get install -y -qq nginx; } >&2 || status=$?
    [[ -z $ours ]] || rm -f "$policy"
    [[ $status -eq 0 ]] || die "apt-get could not install nginx"
}

[[ -x $NGINX ]] || install_nginx
[[ -x $NGINX ]] || die "nginx was installed but $NGINX is missing"
"$NGINX" -V 2>&1 | grep -q -- --with-http_ssl_module || die "$NGINX has no TLS (http_ssl_module)"
echo "NGINX=$NGINX"
