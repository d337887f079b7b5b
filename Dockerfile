# Voltmall images, built from this one file (see docs/DOCKER.md):
#   docker build --target app     -t voltmall-app .      BFF (default), workers, fakes, migrate+seed
#   docker build --target gateway -t voltmall-gateway .  nginx + Lua gateway, driven by dist/nginx/run.js
#
# The runtime images hold compiled JavaScript (dist/) and production dependencies only: no TypeScript,
# no tsx, no dev tooling. Both run as the non-root user `node` (uid 1000) from the base image.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# --- all dependencies (dev included), for compiling -------------------------------------------------
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci

# --- compile: tsc -p tsconfig.build.json -> dist/ (same folder layout as the sources) ---------------
FROM deps AS build
COPY . .
# The admin console too (admin-ui/dist, built by Vite), for the gateway image.
RUN npm run build \
 && node scripts/build-admin-ui.mjs --force \
 && test -f admin-ui/dist/index.html \
 && test -f dist/bff/main.js \
 && test -f dist/workers/main.js \
 && test -f dist/fakes/main.js \
 && test -f dist/scripts/db/seed.js \
 && test -f dist/nginx/run.js \
 && ls dist/migrations/*.js >/dev/null

# --- production dependencies only ---------------------------------------------------------------------
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# ---------------------------------------------------------------------------------------------------
# app: one image for the BFF (default command), the workers, the fake providers and migrate+seed:
#   node dist/bff/main.js | node dist/workers/main.js | node dist/fakes/main.js | node dist/scripts/db/seed.js
FROM ${NODE_IMAGE} AS app
ENV NODE_ENV=production \
    BFF_HOST=0.0.0.0 \
    BFF_PORT=3000 \
    FAKES_HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only for `node`: the processes write nothing to /app.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# Liveness of the BFF. Compose replaces it: /readyz for the BFF, the metrics port for workers, the fakes' ports;
# off for the one-shot seed.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.BFF_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/bff/main.js"]

# ---------------------------------------------------------------------------------------------------
# gateway: nginx with the Lua module (Debian's packages), configured and run by dist/nginx/run.js.
FROM ${NODE_IMAGE} AS gateway
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      nginx libnginx-mod-http-lua lua-resty-core lua-cjson \
 && rm -rf /var/lib/apt/lists/* \
 && test -f /usr/lib/nginx/modules/ngx_http_lua_module.so \
 && test -f /usr/lib/nginx/modules/ndk_http_module.so \
 && test -f /usr/share/lua/5.1/resty/core.lua
ENV NODE_ENV=production \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8080
WORKDIR /app
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# nginx/render.ts reads the template and the Lua code from its own directory (__dirname), which is
# dist/nginx once compiled; tsc does not copy non-TypeScript files, so they are put there here.
COPY nginx/nginx.conf.template ./dist/nginx/nginx.conf.template
COPY nginx/lua ./dist/nginx/lua
# The admin console nginx serves under /admin/: render.ts looks for it at <its dir>/../admin-ui/dist.
COPY --from=build /app/admin-ui/dist ./dist/admin-ui/dist
# nginx/run.ts uses <its dir>/.run as the nginx prefix (conf/, logs/, temp/): the only writable path.
RUN mkdir -p dist/nginx/.run && chown node:node dist/nginx/.run
USER node
EXPOSE 8080
# /healthz is proxied to the BFF, so this reports the path through the gateway, not only nginx.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GATEWAY_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/nginx/run.js"]
