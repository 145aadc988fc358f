# syntax=docker/dockerfile:1
# ml-intern-bot: build the TypeScript once, ship only the compiled code and production dependencies.
# Redis is not in the image: set REDIS_URL. Run with `docker run --init` (or an orchestrator that
# forwards signals) so SIGTERM reaches node and workers finish cleanly.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY configs ./configs
COPY bin ./bin
# The app itself is read-only to its user; only .data (local state, if any) is writable.
RUN mkdir -p .data && chown node:node .data
USER node
ENTRYPOINT ["node", "bin/ml-intern-bot.js"]
CMD ["start"]
