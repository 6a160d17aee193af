#!/bin/sh
# Renders the broker's definitions (broker/definitions.json: its users, one per
# service, and their permissions) with the passwords from the environment, for
# the broker to load as it starts (broker/rabbitmq.conf). Run by compose's
# broker-users service and by an init container in Kubernetes:
#   render-definitions.sh <template> <output>
# Every @NAME@ in the template must be set in the environment, to letters,
# digits and -._~ (they go into AMQP URLs unescaped).
set -eu
template=${1:?usage: render-definitions.sh <template> <output>}
output=${2:?usage: render-definitions.sh <template> <output>}
rendered=$(cat "$template")
for name in $(grep -o '@[A-Z0-9_]*@' "$template" | tr -d @ | sort -u); do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "render-definitions: $name is not set" >&2
    exit 1
  fi
  case "$value" in
    *[!A-Za-z0-9._~-]*)
      echo "render-definitions: $name may hold only letters, digits and -._~" >&2
      exit 1
      ;;
  esac
  rendered=$(printf '%s\n' "$rendered" | sed "s/@$name@/$value/g")
done
mkdir -p "$(dirname "$output")"
printf '%s\n' "$rendered" >"$output"
chmod 0644 "$output"
echo "render-definitions: wrote $output"
