# syntax=docker/dockerfile:1
# control-api: Quarkus fast-jar, multi-stage, JRE base, non-root user. npm is needed at build time for the
# dashboard's browser assets (hls.js, the chart library), which come from the npm registry, never a CDN.
FROM maven:3.9-eclipse-temurin-17 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The datasource kind is fixed when Quarkus builds; the image is for PostgreSQL (H2 is for the one-command start).
RUN ./mvnw -B -q -pl control-api -am package -DskipTests -Dquarkus.datasource.db-kind=postgresql

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app streamloom && mkdir -p /data && chown 10001 /data
WORKDIR /app
COPY --from=build --chown=10001 /src/control-api/target/quarkus-app/ /app/
ENV STREAMLOOM_DATA=/data
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/q/health/ready || exit 1
# Heap limit: a share of the container's memory limit (STREAMLOOM_MAX_RAM_PERCENTAGE overrides it; JAVA_OPTS
# adds flags). The rest is for metaspace, thread stacks and direct buffers.
ENV STREAMLOOM_MAX_RAM_PERCENTAGE=60
# exec: java is PID 1 and gets the stop signal itself.
ENTRYPOINT ["sh", "-c", "exec java -XX:MaxRAMPercentage=${STREAMLOOM_MAX_RAM_PERCENTAGE} ${JAVA_OPTS:-} -jar /app/quarkus-run.jar"]
