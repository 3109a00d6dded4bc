# The service image for docker-compose.yml: one image, two roles (`npm run worker`, `npm run api`).
# TypeScript runs through tsx as in development, so there is no build step to drift from.
# Node.js 24, the current LTS (20 reached end of life in April 2026); CI runs the suite on both.
FROM node:24-slim

WORKDIR /app
ENV NODE_ENV=production \
    npm_config_update_notifier=false \
    npm_config_fund=false

# Dependencies first, so a source change reuses this layer. Dev dependencies are left out;
# tsx (the runtime) is a regular dependency. The Temporal CLI is not needed: production talks to
# the cluster in TEMPORAL_ADDRESS.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
# Letter and page templates are read at start (the worker drafts letters, the API renders pages).
COPY templates ./templates

# Not root: the service needs no privileges.
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
