# ---- build: compile the TypeScript sources to dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig*.json nest-cli.json ormconfig.ts ./
COPY src/ ./src/
# The kv CLI is built from the generated client's sources (tsconfig.kv.json); the web console
# from its sources, checked against the same API types, by its build step.
COPY console/ ./console/
COPY clients/typescript/src/ ./clients/typescript/src/
COPY scripts/build-stamp.mjs scripts/build-console.mjs ./scripts/
RUN npm run build

# ---- runtime: production dependencies and the compiled service only ----
# dist/ holds the web console too (dist/public/console, its libraries copied in at build time).
# dist/ holds the operator CLIs too (dist/cli/*.js): `docker compose exec kv-service node
# dist/cli/mint-token.js …` or `npm run token -- …`, and `npm run keys:rewrap`; and the kv CLI
# (dist/kv/), linked as `kv`.
# NODE_ENV=production: without DATABASE_URL, a master key and an auth setting it refuses to start.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    KV_DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# `kv` on the PATH: `docker compose exec kv-service kv ns ls` (with KV_URL and KV_TOKEN set).
RUN chmod 755 dist/kv/src/cli/kv/main.js && ln -s /app/dist/kv/src/cli/kv/main.js /usr/local/bin/kv
RUN mkdir -p /app/data && chown node:node /app/data && chmod 700 /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# A 64 MiB young generation, as `npm run start:prod` gives it (see README, Performance).
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
