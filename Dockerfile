# Porte Ouverte: one binary, an embedded SQLite file by default (in /data),
# or PostgreSQL with DATABASE_URL=postgres://… and SECRET_KEY set.
# Set PUBLIC_URL to the address people reach the service at: it is the only
# source of the links in mails, and the server refuses to start without it
# when it listens on a non-loopback address (as here).
#
# What this file copies is checked without a container engine by
# .ci/docker-context (a `cargo check` in a directory holding exactly that,
# and one of the first step's manifest with its empty targets).
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# 1. dependencies only, cached until Cargo.toml or Cargo.lock change (an
#    empty file for the binary, the library and every [[bench]] the manifest
#    declares: deploy/stub-crate.sh)
COPY Cargo.toml Cargo.lock ./
COPY deploy/stub-crate.sh ./
RUN sh stub-crate.sh \
    && cargo build --release --locked --bin porte-ouverte \
    && rm -rf src benches stub-crate.sh
# 2. the application (assets/ are compiled in with include_bytes!)
COPY src ./src
COPY migrations ./migrations
COPY assets ./assets
COPY benches ./benches
# the stub's artefacts are older than the real sources: make cargo rebuild them
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin porte-ouverte

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin porte \
    && mkdir -p /data && chown porte /data
COPY --from=build /src/target/release/porte-ouverte /usr/local/bin/porte-ouverte
USER porte
WORKDIR /data
VOLUME ["/data"]
ENV DATABASE_URL=sqlite:///data/porte-ouverte.db \
    BIND=0.0.0.0:8080 \
    LOG_FORMAT=json
EXPOSE 8080
# no curl in the image: the binary asks its own /readyz (database reachable)
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/porte-ouverte", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/porte-ouverte"]
CMD ["serve"]
