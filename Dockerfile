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
# No dependency needs its install script (esbuild, swc and nx ship prebuilt binaries as packages), and
# skipping them keeps the build the same with npm 10, as in the official image, and npm 11.
RUN npm ci --no-audit --no-fund --ignore-scripts
RUN npx nx run-many -t build --projects=tag:type:service,web-ui --output-style=static

# The runtime image holds one bundled file (every dependency is inside it), the page, and Node.js.
FROM ${NODE_IMAGE}
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<a service of services/services.json>' >&2; exit 1; }
ENV NODE_ENV=production PORT=3000 WEB_ROOT=/app/public
WORKDIR /app
COPY --from=build /src/dist/services/${SERVICE}/main.cjs /src/dist/services/${SERVICE}/main.cjs.map ./
COPY --from=build /src/dist/web ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "main.cjs"]
