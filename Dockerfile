# mphub container image.
#   docker build -t mphub .
#   docker run --rm mphub                                        # demo on the embedded broker, inside the container
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=broker:9092 --env-file .env mphub
# Settings come from environment variables (see docs/configuration.md); secrets never go into the image.

# Build: JDK 17 and Maven. Tests are not run here; CI runs `mvn -B verify`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
COPY src ./src
RUN mvn -q -B package -DskipTests

# Run: JRE 17 only. mphub.jar finds its dependencies in lib/ beside it (Class-Path in its manifest), and
# reads routes/ and schemas/ relative to the working directory.
FROM eclipse-temurin:17-jre
WORKDIR /app
RUN groupadd --system mphub \
 && useradd --system --gid mphub --home-dir /app --no-create-home --shell /usr/sbin/nologin mphub
COPY --from=build /build/target/mphub.jar /app/mphub.jar
COPY --from=build /build/target/lib/ /app/lib/
COPY routes/ /app/routes/
COPY schemas/ /app/schemas/
# data/: the embedded broker's data when KAFKA_BOOTSTRAP_SERVERS is unset (mount a volume to keep it).
# config/: optional overrides, config/application.properties (mount it read-only).
RUN mkdir -p /app/data /app/config && chown mphub:mphub /app/data
USER mphub
# 8088: the hub's HTTP port (mphub.http.port): providers' callbacks under /callbacks/<name> (WeChat Pay, Kuaidi100),
# /metrics (Prometheus), /health/live and /health/ready. 8089, the demo's sandbox receivers, binds 127.0.0.1 inside
# the container and the hub itself is its only client, so it is not exposed. 8090: the operators' console
# (mphub.console.port), on 127.0.0.1 unless MPHUB_CONSOLE_HOST says otherwise (docker-compose.yml does, and maps it
# to this machine only).
EXPOSE 8088 8090
# Healthy while the hub is ready (/health/ready answers 200): Kafka reachable, no partition stuck, not every
# destination paused. The image has bash but no curl: the request goes through bash's /dev/tcp.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["bash","-c","exec 3<>/dev/tcp/127.0.0.1/8088 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java","-Xmx256m","-jar","mphub.jar"]
