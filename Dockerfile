# One image for every service of the graph; the command picks the process:
#   npx tsx gateway/main.ts               (gateway, port 4000)
#   npx tsx subgraphs/<dept>/main.ts      (market, tax, courts, environment, credit)
# docker-compose.yml runs all six from it.
FROM node:20-bookworm-slim

WORKDIR /app

# Manifests first so the dependency layer is rebuilt only when they change.
# tsx is a runtime dependency (the services run from TypeScript source), so the
# dev tools (jest, tsc, swc, playwright) can stay out of the image.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# The embedded PGlite default writes under data/; the services run as the
# unprivileged node user, so it needs a directory it owns.
RUN mkdir -p /app/data && chown node:node /app/data

# Government networks have no internet: keep npx from asking the registry
# for updates when it starts a service.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false

# Inside a container the loopback default would make the service unreachable;
# compose sets it explicitly as well, this makes a plain `docker run -p` work.
ENV HOST=0.0.0.0

USER node
EXPOSE 4000 4001 4002 4003 4004 4005
CMD ["npx", "tsx", "gateway/main.ts"]
