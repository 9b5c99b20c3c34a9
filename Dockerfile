# One image for every app; the command picks which one runs:
#   node dist/apps/api/src/main.js | dist/apps/ingest/src/main.js | dist/apps/worker/src/main.js
#   node dist/apps/all-in-one/src/main.js (default: the three in one process)

FROM node:20-bookworm-slim AS build
# better-sqlite3 is a native addon; node-gyp needs these when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# No install-time telemetry from dependencies.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The code stays root-owned and read-only to the app; only /data is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000 1883
CMD ["node", "dist/apps/all-in-one/src/main.js"]
