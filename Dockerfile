# mphub container image.
#   docker build -t mphub .
#   docker run --rm mphub                                        # demo on the embedded broker, inside the container
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=broker:9092 --env-file .env mphub
# Settings come from environment variables (see README, "Configuration"); secrets never go into the image.

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
# 8089: the demo's sandbox receivers (mphub.demo.port). Nothing else listens for clients. The sandbox binds
# 127.0.0.1 inside the container and the hub itself is its only client, so the port need not be published.
EXPOSE 8089
ENTRYPOINT ["java","-Xmx256m","-jar","mphub.jar"]
