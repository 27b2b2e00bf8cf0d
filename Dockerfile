# syntax=docker/dockerfile:1

# ---- build: compile TypeScript (and generate the Prisma client) into dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app

# agent/ is an npm workspace (the loudspeaker agent, whose protocol code the simulator uses):
# npm ci needs its package.json to link it.
COPY package.json package-lock.json ./
COPY agent/package.json ./agent/
RUN npm ci

COPY agent/ ./agent/
COPY tsconfig.json tsconfig.build.json nest-cli.json prisma.config.ts ./
COPY prisma/ ./prisma/
COPY scripts/ ./scripts/
COPY src/ ./src/
COPY web/ ./web/
# prebuild runs scripts/prisma-generate.cjs (client into src/generated), then tsc
# emits dist/ and the console is built into dist/web from the OpenAPI document.
RUN npm run build

# ---- runtime: production dependencies, compiled code, schema and migrations ----
FROM node:24-bookworm-slim AS runtime
WORKDIR /app

# ffmpeg and espeak-ng are used by the media pipeline and text-to-speech
# (Debian's builds are preferred over the ones npm ships); icecast2 carries
# live voice and relayed streams (the compose file's icecast service).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng icecast2 \
 && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json ./
COPY agent/package.json ./agent/
RUN npm ci --omit=dev && npm cache clean --force

COPY --from=build /app/dist ./dist
# The simulator (dist/sim) speaks the protocol through the agent's compiled code.
COPY --from=build /app/agent/dist ./agent/dist
# Read at runtime from the project root (the folder with package.json): the
# migrator's schema and migrations, and the espeak-ng WebAssembly wrapper used
# where no native espeak-ng is installed.
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts ./scripts

ENV NODE_ENV=production \
    MEDIA_DIR=/app/media \
    ADMIN_PASSWORD_FILE=/app/secrets/admin-password \
    PORT=3000

# secrets/: a generated admin password, readable by the service's user only.
RUN mkdir -p /app/media /app/anchors /app/secrets && chown node:node /app/media /app/anchors /app/secrets && chmod 700 /app/secrets

USER node
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"

# Pending migrations are applied by the app itself at start.
CMD ["node", "dist/main.js"]
