# syntax=docker/dockerfile:1
ARG NODE_VERSION=24
# Any image with node and npm on PATH, /bin/sh and a `node` user; test/image/run.js assembles one.
ARG BASE_IMAGE=node:${NODE_VERSION}-alpine

FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Registry settings (and a CA bundle they name) may arrive as build secrets, never in a layer.
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=npm-ca \
  NPM_CONFIG_USERCONFIG=/run/secrets/npmrc npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY docs/runbook.md ./docs/runbook.md
# Compiles src/ and renders the runbook into dist/runbook.html, the page /runbook serves.
RUN npm run build

FROM ${BASE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=npm-ca \
  NPM_CONFIG_USERCONFIG=/run/secrets/npmrc npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${BASE_IMAGE}
ARG SOURCE=unknown
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="useapi-minimax-exporter" \
      org.opencontainers.image.description="Prometheus exporter for useapi.net's MiniMax API: agent jobs, generations, accounts" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENV NODE_ENV=production
# glibc's malloc otherwise keeps freed memory up to twice its largest freed block; a fixed 128 KiB
# returns it (by hand, steady RSS at 3/30/100 accounts 75/82/87 -> 72/76/80 MiB).
ENV MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY grafana/dashboard.json ./grafana/dashboard.json
# Files stay owned by root: the exporter only reads them.
USER node
EXPOSE 9877
# Checks the default listen address over plain HTTP; a --web.config.file with TLS or basic auth needs its own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9877/-/healthy', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The memory goals of bench/RESULTS.md need these flags, the same as `npm start`'s: a 192 MiB heap
# makes V8 collect before 40 answers' garbage builds up (at the bounds, 183-221 MiB without it);
# 16 MiB semispaces, Node 20's, stop Node 22 and later sizing the young generation from the heap
# limit (128 MiB of it on a large host); and --liftoff-only keeps V8 from optimising undici's
# WebAssembly HTTP parser at the first request, a 35 MiB spike over a 79 MiB steady RSS.
ENTRYPOINT ["node", "--max-old-space-size=192", "--max-semi-space-size=16", "--liftoff-only", "/app/dist/main.js"]
CMD ["--web.listen-address=:9877"]
