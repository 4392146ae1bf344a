# One image for every service of the graph; the command picks the process:
#   node --import tsx gateway/main.ts            (gateway, port 4000)
#   node --import tsx subgraphs/<dept>/main.ts   (market, tax, courts, environment, credit)
# docker-compose.yml runs all six from it.
#
# `node --import tsx` rather than `npx tsx`: npx runs the service two
# processes down (npm → sh → tsx → node) and exits on SIGTERM without passing
# it on, so `docker stop` would kill the service without its graceful drain.
# With the loader registered in one node process, the signal reaches the
# service itself. `npx tsx <file>` still works for one-off commands.
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

# Inside a container the loopback default would make the service unreachable;
# compose sets it explicitly as well, this makes a plain `docker run -p` work.
ENV HOST=0.0.0.0

USER node
EXPOSE 4000 4001 4002 4003 4004 4005
CMD ["node", "--import", "tsx", "gateway/main.ts"]
