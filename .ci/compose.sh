#!/usr/bin/env bash
# The containers, for real: brings up the container engine, builds the
# stand-in base images when missing and the project's images, runs
# `docker-compose up` on the same docker-compose.yml a user runs, smoke-tests
# the stack through its published port, runs the walkthrough on it
# (--compose --pace fast), and brings it all down.
# Prints its timings, and ends with "smoke: N passed, N failed" (the walkthrough the last of them).
set -uo pipefail
cd "$(dirname "$0")/.."
source .ci/containers/engine.sh
t0=$SECONDS
timing() { echo "[compose] $1: $((SECONDS - t0)) s"; t0=$SECONDS; }
die() { echo "[compose] $*" >&2; echo "smoke: 0 passed, 1 failed"; exit 1; }

engine_up || die "no container engine"
# Stop the engine if this script started it, however it ends (the full cleanup is set below).
trap engine_down EXIT
timing "container engine up"
.ci/containers/base-images.sh || die "could not build the stand-in base images"
timing "stand-in base images"

# Docker-compose v1 cannot mount the npm cache into a build, so podman builds the
# images (offline, from the cache the host's npm ci filled) and compose only runs them.
export IMAGE_PREFIX=localhost/ad-race IMAGE_TAG=ci
export NODE_IMAGE=$NODE_STANDIN RABBITMQ_IMAGE=$RABBITMQ_STANDIN
build_log=$(mktemp)
services=$(node -p "require('./services/services.json').services.map((s) => s.name).join(' ')")
for service in $services; do
  # npm ci opens more files at once than a build container's default limit allows: give it this
  # shell's own (a container cannot be given more than its engine has).
  podman build --format docker --pull=never --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" \
    --build-arg NODE_IMAGE="$NODE_IMAGE" --build-arg NPM_CONFIG_OFFLINE=true --build-arg SERVICE="$service" \
    -v "${npm_config_cache:-$HOME/.npm}:/root/.npm" -t "$IMAGE_PREFIX-$service:$IMAGE_TAG" . >"$build_log" 2>&1 ||
    { tail -n 40 "$build_log"; die "could not build the $service image"; }
  echo "built $IMAGE_PREFIX-$service:$IMAGE_TAG"
done
timing "images built"

# This machine's own RabbitMQ holds 5672, 15672 and 25672: publish on other ports, 13000 and on
# for the services in the order of the list (WEB_PORT=13000, ADS_V1_PORT=13001, ...).
export RABBITMQ_PORT=15670 RABBITMQ_MANAGEMENT_PORT=15671
port=13000
for service in $services; do
  variable=$(echo "${service}_PORT" | tr 'a-z-' 'A-Z_')
  export "$variable=$port"
  port=$((port + 1))
done
# The smoke test checks where ads come from, not how fast: a generous deadline keeps a busy
# machine from turning a slow answer into the house ad.
export AD_DEADLINE_MS=2000
project=ad-race-ci
compose() { docker-compose -p "$project" "$@"; }

# Podman runs health checks from systemd timers, and there is no systemd here:
# run each container's health check every 3 seconds, for the depends_on conditions.
(
  while sleep 3; do
    for c in $(podman ps -q --filter label=com.docker.compose.project=$project); do
      podman healthcheck run "$c" >/dev/null 2>&1 || true
    done
  done
) &
health_driver=$!
cleanup() {
  kill "$health_driver" 2>/dev/null
  compose down -v --remove-orphans >/dev/null 2>&1
  rm -f "$build_log"
  # The build stage's image is cache for the builds of one run (an image a service); the next run's sources differ.
  podman image prune -f >/dev/null 2>&1
  engine_down
}
trap cleanup EXIT

compose down -v --remove-orphans >/dev/null 2>&1
compose up -d --no-build || { compose logs --tail=50; die "docker-compose up failed"; }
timing "docker-compose up (RabbitMQ healthy, services started)"

health="podman inspect --format '{{.Name}} {{.State.Health.Status}}' \$(podman ps -q --filter label=com.docker.compose.project=$project)"
# The broker as ads-v1's user and the management API as the administrator: the compose file's demo passwords.
# Services are stopped as a speaker would, with the stage controls (npm run stage -- --compose stop <service>).
# Last, the walkthrough on this stack, as a speaker runs it with --compose: every act, driven
# with `npm run stage -- --compose` (docker-compose here), on the ports published above.
npx nx run walkthrough:build --output-style=static >/dev/null || die "could not build the walkthrough"
node .ci/compose-smoke.mjs "http://127.0.0.1:$WEB_PORT" "env COMPOSE_PROJECT_NAME=$project node tools/stage.mjs --compose stop" "$health" "http://127.0.0.1:$ADS_V2_PORT" \
  "http://127.0.0.1:$MONITOR_PORT" "amqp://ads-v1:${ADS_V1_BROKER_PASSWORD:-ads-v1-dev}@127.0.0.1:$RABBITMQ_PORT" \
  "http://${RABBITMQ_USER:-ad-race}:${RABBITMQ_PASSWORD:-ad-race}@127.0.0.1:$RABBITMQ_MANAGEMENT_PORT" \
  "env COMPOSE_PROJECT_NAME=$project NO_COLOR=1 node dist/walkthrough/main.cjs --compose --pace fast"
status=$?
[ $status -eq 0 ] || compose logs --tail=40
timing "smoke test and walkthrough"
cleanup
trap - EXIT
timing "docker-compose down"
exit $status
