# cca-server with the app embedded in its binary, in a slim image.
#
#   docker build -t cca-server .          (podman build -t cca-server . works too)
#   docker run --rm cca-server --help
#
# The intended command (docs/server.md, "In a container"): behind an
# authenticating proxy, with the key in a mounted secret file and the cache in
# a volume. Nothing secret is in the image; the key is never a build argument.
#
# Not built by this repository's CI (its machines have no container runtime).

# --- build: the toolchain of rust-toolchain.toml, the app, the server -------
FROM docker.io/library/rust:1.95.0-slim-bookworm AS build
# nodejs/npm: `cargo xtask build` installs wasm-opt (binaryen) and terser from
# npm; pkg-config/libssl-dev for `cargo install` of the build tools.
# No Chromium: only the tests need it, and `xtask build` does not ask for it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm pkg-config libssl-dev ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Installs trunk, wasm-bindgen-cli, wasm-opt and terser at their pinned
# versions (the first time: ~15 min on two cores), builds dist/ with its
# .br/.gz copies, then `cargo build --profile server -p cca-server --features embed-app`.
RUN cargo xtask server-release \
 && install -D -m 0755 target/server/cca-server /out/cca-server

# --- run: the binary alone, as a user without privileges -------------------
FROM docker.io/library/debian:bookworm-slim
# The HTTP client carries its own root certificates (webpki-roots), and SQLite
# is compiled in: nothing else to install.
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent cca \
 && install -d -o cca -g cca -m 0700 /var/cache/cca
COPY --from=build /out/cca-server /usr/local/bin/cca-server
USER cca
# The cache survives restarts and image upgrades in a volume; it only ever
# holds what the Admin API would send again.
VOLUME ["/var/cache/cca"]
EXPOSE 8080
# In a container the server must listen on all addresses, which `--auth local`
# refuses (it would give every visitor its role): run it with `--auth proxy`,
# `--trusted-proxy`, `--roles` and the key (docs/server.md). With no
# arguments it prints its options.
ENTRYPOINT ["/usr/local/bin/cca-server", "--listen", "0.0.0.0:8080", "--cache", "/var/cache/cca/server.sqlite3"]
CMD ["--help"]
