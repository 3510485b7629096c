# syntax=docker/dockerfile:1
# Tandem in a container: `tandem serve` on a /data volume (SQLite file and key file), or on PostgreSQL with
# TANDEM_DB=postgres://... . Node 24 runs the TypeScript sources directly (type stripping), so there is no build
# stage: the image is the sources plus the runtime dependencies.
#   docker build -t tandem .
#   docker run -p 4100:4100 -v tandem-data:/data -e TANDEM_ADMIN_EMAIL=you@example.com -e TANDEM_ADMIN_PASSWORD=... tandem
FROM node:24-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so a source change does not reinstall them. The devDependency `node` only puts Node 24 on
# PATH for npm scripts on machines without it; this image is Node 24 itself, so --omit=dev drops it (and the test
# tooling). --ignore-scripts: no runtime dependency needs an install script (pg is pure JavaScript).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY bin ./bin
COPY scripts/check-node.js ./scripts/check-node.js
COPY src ./src

# The database file and the generated secret key live on the volume; give TANDEM_SECRET_KEY instead to keep the
# key out of it. With TANDEM_DB set, only the key file is kept there.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node

EXPOSE 4100
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4100/api/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Listen on every interface inside the container; `docker run -p` decides what is reachable from outside.
ENTRYPOINT ["node", "bin/tandem.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "4100", "--data", "/data"]
