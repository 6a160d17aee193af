#!/usr/bin/env bash
# Source this: apt_install PACKAGE... installs Debian packages, refreshing the
# package lists only when an install from the current ones fails.
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}
