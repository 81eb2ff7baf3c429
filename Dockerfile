# Mend: multi-stage build. go-sqlite3 needs cgo, so the runtime image has glibc (Debian slim).
# TestDockerBuildFlags (cmd/mend) checks these flags; the binary test builds with them, less -trimpath.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o /out/mend ./cmd/mend

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin mend \
 && mkdir -p /data && chown mend:mend /data && chmod 0700 /data
COPY --from=build /out/mend /usr/local/bin/mend
USER mend
ENV MEND_ADDR=0.0.0.0:8080 MEND_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD ["/usr/local/bin/mend", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/mend"]
CMD ["serve"]
