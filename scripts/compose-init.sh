#!/bin/sh
# Creates .env beside docker-compose.yml once: the master key ring and the JWT secret that every
# `docker compose up` then reuses. A key made anew on each `up` seals every secret stored with
# the previous one, so this never overwrites an existing .env (rotation: see README, Docker).
set -eu
cd "$(dirname "$0")/.."
if [ -e .env ]; then
  echo ".env exists: its keys are kept (rotate them as the README's Docker section says)"
  exit 0
fi
# An id of its own (not KV_MASTER_KEY's "default"), so a later key can never pass for it.
key_id="k$(date -u +%Y%m%d)"
umask 077
cat >.env <<ENV
# Made by scripts/compose-init.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); docker compose reads it on every up.
# Back it up apart from the database volume: without this key ring the secrets cannot be opened.
KV_MASTER_KEYS=${key_id}:$(openssl rand -base64 32)
AUTH_JWT_SECRET=$(openssl rand -hex 32)
ENV
echo "Created .env (owner-only) with master key ${key_id} and a JWT secret"
