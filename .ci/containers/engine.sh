#!/usr/bin/env bash
# Source this: brings up a Docker-compatible container engine on this machine
# (podman with runc, serving the Docker API on a socket) and exports
# DOCKER_HOST for the docker CLI, docker-compose and testcontainers.
# No Docker engine runs here; see ../../README.md#containers-in-ci.

containers_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$containers_dir/../apt.sh"
export CONTAINERS_CONF="$containers_dir/containers.conf"
export DOCKER_HOST=unix:///run/podman-ci.sock
# testcontainers: Ryuk's image cannot be pulled here, and containers are reached on loopback.
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
# The stand-ins for the official base images (built by base-images.sh), tagged as what they are.
# A stand-in is built only when its tag is missing: give it a new tag when what it holds changes
# (20-build: Node 20 with python3, make, g++ and Node's headers, for native addons).
export RABBITMQ_STANDIN=localhost/rabbitmq-debian:3.10 NODE_STANDIN=localhost/node-debian:20-build

engine_install() {
  local missing=()
  for tool in podman runc docker-compose debootstrap curl; do # each from the Debian package of its name
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}"
  apt_install "${missing[@]}"
}

engine_answers() {
  curl -sf --unix-socket "${DOCKER_HOST#unix://}" http://engine/_ping >/dev/null 2>&1
}

# Starts the podman API service unless one answers already; engine_down stops only one this started.
engine_up() {
  engine_install || return 1
  engine_answers && return 0
  # From /: the service and the conmon processes it starts work in its working directory, which
  # must outlive the checkout that started it (a clone deleted under a running service breaks it).
  (cd / && exec nohup podman system service --time=0 "$DOCKER_HOST" >/tmp/podman-ci-service.log 2>&1) &
  ENGINE_STARTED_PID=$!
  for _ in $(seq 50); do
    engine_answers && return 0
    sleep 0.2
  done
  echo "the podman API service did not come up:"; tail -n 20 /tmp/podman-ci-service.log
  return 1
}

engine_down() {
  [ -n "${ENGINE_STARTED_PID:-}" ] && kill "$ENGINE_STARTED_PID" 2>/dev/null
  ENGINE_STARTED_PID=
}

# Removes what tests started with testcontainers and left behind (Ryuk, which would, is off here).
engine_remove_test_containers() {
  local leftovers
  leftovers=$(podman ps -aq --filter label=org.testcontainers=true)
  [ -n "$leftovers" ] && podman rm -f $leftovers >/dev/null 2>&1
  return 0
}
