# Build: docker build --build-arg VERSION=$(git describe --tags --always) -t shakeout .
# Run:   docker run -v shakeout-data:/data -e SHAKEOUT_TELEGRAM_TOKEN_FILE=/run/secrets/tg shakeout

FROM golang:1.26.8-bookworm AS build
WORKDIR /src

# Modules in their own layer, so a source change does not re-download them.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/shakeout . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.source="https://github.com/shakeoutbot/shakeout" \
      org.opencontainers.image.title="shakeout" \
      org.opencontainers.image.description="Chat bot for running clubs (Discord, Telegram)"

COPY --from=build /out/shakeout /shakeout
# The image's /data must exist and belong to nonroot (65532): a new named
# volume copies this ownership, otherwise it is root's and SQLite cannot write.
COPY --from=build --chown=65532:65532 /out/data /data

ENV SHAKEOUT_DB=/data/shakeout.db
VOLUME /data
USER nonroot:nonroot
ENTRYPOINT ["/shakeout"]
CMD ["run"]
