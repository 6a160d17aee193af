#!/usr/bin/env bash
# Builds stand-ins for the official base images, which cannot be pulled here
# (no registry is reachable): Debian's RabbitMQ and this machine's own Node.js
# in a minimal Debian root file system. Tagged honestly as localhost/...; the
# Dockerfile and the compose file take the image as a variable whose default
# is the official one. Images stay in podman's store: built only when missing.
# The Node stand-in also holds what node-gyp needs to compile a native addon:
# python3, make, g++, and Node's headers where the official image keeps them
# (/usr/local/include/node). No prebuilt binary can be downloaded here, so the
# image build compiles better-sqlite3 from source.
set -euo pipefail

: "${RABBITMQ_STANDIN:?source engine.sh first}" "${NODE_STANDIN:?source engine.sh first}"
MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -oE "https?://deb\.debian\.org/debian/?" | head -n 1 || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

have() { podman image exists "$1"; }

rootfs() {
  local dir=$1
  debootstrap --variant=minbase bookworm "$dir" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log"; return 1; }
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
}

import() {
  local dir=$1 name=$2; shift 2
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
  tar -C "$dir" -cf "$work/rootfs.tar" .
  podman import "$@" "$work/rootfs.tar" "$name" >/dev/null
  rm -f "$work/rootfs.tar"
}

if have "$RABBITMQ_STANDIN"; then
  echo "$RABBITMQ_STANDIN: present"
else
  echo "$RABBITMQ_STANDIN: building from Debian's rabbitmq-server"
  dir=$work/rabbitmq
  rootfs "$dir"
  chroot "$dir" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rabbitmq-server' >/dev/null
  cat >"$dir/etc/rabbitmq/rabbitmq.conf" <<'CONF'
loopback_users = none
log.console = true
log.console.level = info
log.file = false
CONF
  echo '[rabbitmq_management].' >"$dir/etc/rabbitmq/enabled_plugins"
  chroot "$dir" chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/lib/rabbitmq
  import "$dir" "$RABBITMQ_STANDIN" \
    --change 'USER rabbitmq' --change 'ENV HOME=/var/lib/rabbitmq' \
    --change 'EXPOSE 5672' --change 'EXPOSE 15672' \
    --change 'CMD ["/usr/lib/rabbitmq/bin/rabbitmq-server"]'
fi

if have "$NODE_STANDIN"; then
  echo "$NODE_STANDIN: present"
else
  echo "$NODE_STANDIN: building from this machine's Node.js $(node --version)"
  dir=$work/node
  rootfs "$dir"
  install -D "$(readlink -f "$(command -v node)")" "$dir/usr/local/bin/node"
  npm_root=$(npm root -g)/npm
  mkdir -p "$dir/usr/local/lib/node_modules"
  cp -a "$npm_root" "$dir/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  # Node's headers for node-gyp (the Dockerfile builds with nodedir=/usr/local): where the official
  # image keeps them, from this machine's Node.js package (npm's nodedir says where).
  headers=$(npm config get nodedir 2>/dev/null || true)
  headers=${headers:-/usr}
  [ -f "$headers/include/node/node_api.h" ] || headers=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  [ -f "$headers/include/node/node_api.h" ] || { echo "no Node.js headers found (looked in $headers/include/node)" >&2; exit 1; }
  mkdir -p "$dir/usr/local/include"
  cp -a "$headers/include/node" "$dir/usr/local/include/node"
  chroot "$dir" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 make g++' >/dev/null
  chroot "$dir" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  import "$dir" "$NODE_STANDIN" --change 'CMD ["node"]'
fi
