# golua-ws in a container: a static binary on distroless, as a non-root user,
# with the example scripts. The default command is the main job, the eco
# WebSocket echo server, on port 8080 (WebSocket at ws://HOST:8080/ws).
#
#   docker build -t golua-ws .
#   docker run --rm -p 8080:8080 golua-ws
#   docker run --rm -p 8080:8080 -v "$PWD/app:/app:ro" golua-ws /app/server.lua
#
# The build step's flags are checked by cmd/golua-ws's TestDockerfileBuild,
# which parses the RUN line that contains "go build" and builds the same
# binary: keep that command on one line.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# The whole context, .git included (see .dockerignore), so that the binary's
# build info carries the VCS revision that --version prints.
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/golua-ws ./cmd/golua-ws

# distroless/static: no shell, no libc, no package manager; uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/golua-ws /usr/local/bin/golua-ws
COPY --from=build /src/scripts /opt/golua-ws/scripts
COPY --from=build /src/LICENSE /usr/share/doc/golua-ws/LICENSE
USER nonroot:nonroot
ENV PORT=8080
EXPOSE 8080
# No curl in the image: the binary itself does the HTTP GET (a real request
# to the server; the echo script answers / with its test page).
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/golua-ws", "--health-check", "http://127.0.0.1:8080/"]
ENTRYPOINT ["/usr/local/bin/golua-ws"]
CMD ["/opt/golua-ws/scripts/eco/echo_server.lua"]
