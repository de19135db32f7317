# syntax=docker/dockerfile:1
# edge-transcoder: multi-stage build. The build stage needs npm because the player page's hls.js comes from the npm
# registry at build time; the runtime stage is a JRE with CJK fonts (captions in any script) and a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl edge-transcoder -am package -DskipTests

FROM eclipse-temurin:17-jre-jammy
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-zenhei fonts-dejavu-core curl \
      libpulse0 libasound2 libxcb1 libxcb-shm0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app streamloom \
 && mkdir -p /app/data && chown 10001 /app/data && chmod 700 /app/data
WORKDIR /app
COPY --from=build /src/edge-transcoder/target/lib/ /app/lib/
COPY --from=build /src/edge-transcoder/target/edge-transcoder.jar /app/edge-transcoder.jar
# the node's enrolled credential (node-<id>.credential, mode 0600) is kept here across restarts
ENV STREAMLOOM_DATA=/app/data
USER 10001
EXPOSE 1935 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8081/healthz || exit 1
# Heap limit: a share of the container's memory limit; the rest is for FFmpeg's native buffers (pictures live
# outside the heap), thread stacks and metaspace. STREAMLOOM_MAX_RAM_PERCENTAGE overrides it; JAVA_OPTS adds flags.
ENV STREAMLOOM_MAX_RAM_PERCENTAGE=50
# exec: java is PID 1 and gets the stop signal itself.
ENTRYPOINT ["sh", "-c", "exec java -XX:MaxRAMPercentage=${STREAMLOOM_MAX_RAM_PERCENTAGE} ${JAVA_OPTS:-} -jar /app/edge-transcoder.jar"]
