# One image per service, from one file: docker build --build-arg SERVICE=ads-v2 -t ad-race-ads-v2 .
# (docker compose builds them all.) The build stage builds every project
# tagged as a service (the services of services/services.json) and is the
# same for each, so every image after the first reuses it.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# NPM_CONFIG_OFFLINE=true lets a machine without registry access build from a mounted npm cache.
ARG NPM_CONFIG_OFFLINE=false
ENV npm_config_offline=${NPM_CONFIG_OFFLINE} NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY . .
# No dependency but better-sqlite3 (below) needs its install script (esbuild, swc and nx ship prebuilt
# binaries as packages), and skipping them keeps the build the same with npm 10, as in the official
# image, and npm 11.
RUN npm ci --no-audit --no-fund --ignore-scripts
# better-sqlite3 (the monitor's database) is a native addon: kept out of the bundles (nx.json's `external`)
# and built here, in the base image it runs in. Its install script tries a prebuilt binary (prebuild-install
# downloads one from GitHub), else compiles from source with node-gyp, which needs python3, make, g++ and
# Node's headers (/usr/local/include/node in the official image). Offline nothing can be downloaded, so it
# compiles straight away. The official slim image has no compiler: there the prebuilt binary must be
# downloadable; a base image with build tools (CI's stand-in) builds either way. Then /native holds what a
# bundle's require('better-sqlite3') needs at run time: the package, its compiled addon, and its runtime
# dependencies bindings and file-uri-to-path (prebuild-install is only for installing).
RUN if [ "$npm_config_offline" = true ]; then export npm_config_build_from_source=true; fi && \
    npm_config_nodedir=/usr/local npm rebuild better-sqlite3 && \
    node -e "new (require('better-sqlite3'))(':memory:').prepare('SELECT 1').get()" && \
    mkdir -p /native/node_modules/better-sqlite3/build/Release && \
    cp -r node_modules/better-sqlite3/package.json node_modules/better-sqlite3/LICENSE node_modules/better-sqlite3/lib /native/node_modules/better-sqlite3/ && \
    cp node_modules/better-sqlite3/build/Release/better_sqlite3.node /native/node_modules/better-sqlite3/build/Release/ && \
    cp -r node_modules/bindings node_modules/file-uri-to-path /native/node_modules/
RUN npx nx run-many -t build --projects=tag:type:service,web-ui --output-style=static

# The runtime image holds one bundled file (every dependency but the native addon is inside it), the
# native addon beside it, the page, and Node.js.
FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production PORT=3000 WEB_ROOT=/app/public DATA_DIR=/data
# /data, where a service keeps what must outlive it (the monitor's database), is owned by node: a
# fresh named volume mounted on it takes the image's ownership, so the service can write there.
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<a service of services/services.json>' >&2; exit 1; } && \
    mkdir -p /data && chown node:node /data
WORKDIR /app
COPY --from=build /native/node_modules ./node_modules
COPY --from=build /src/dist/services/${SERVICE}/main.cjs /src/dist/services/${SERVICE}/main.cjs.map ./
COPY --from=build /src/dist/web ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "main.cjs"]
