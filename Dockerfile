# Porte Ouverte: one binary, an embedded SQLite file by default (in /data),
# or PostgreSQL with DATABASE_URL=postgres://… and SECRET_KEY set.
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY benches ./benches
RUN cargo build --release --locked --bin porte-ouverte

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
ENTRYPOINT ["/usr/local/bin/porte-ouverte"]
CMD ["serve"]
