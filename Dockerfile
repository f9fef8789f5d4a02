# One container: the first stage builds the app (and compiles the contracts), the second runs it
# as a non-root user with its data (the embedded PostgreSQL cluster, the embedded chain's state,
# the platform signer key) on a volume. It runs bin/bc-server, the same start script that the
# integration tests start.
#
#   docker build -t berkeley-compute .
#   docker run -p 8080:8080 -v bc-data:/data berkeley-compute

FROM eclipse-temurin:17-jdk AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY contracts/package.json contracts/package-lock.json contracts/
RUN cd contracts && npm ci --no-audit --no-fund
RUN ./mvnw -B -q dependency:go-offline
COPY contracts contracts
COPY src src
COPY db-migrations db-migrations
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bc \
 && mkdir -p /data \
 && chown bc /data
WORKDIR /app
COPY --from=build /src/target/quarkus-app /app/quarkus-app
COPY --from=build /src/contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil /app/bin/anvil
COPY bin/bc-server /app/bin/bc-server
# The class archive (AppCDS) must come from this image's JVM and these paths: make it here, as the
# build does (the app stops before it serves and needs no database for it).
RUN cd /app/quarkus-app \
 && java -XX:ArchiveClassesAtExit=app-cds.jsa -Dquarkus.appcds.generate=true -jar quarkus-run.jar
ENV BC_APP_DIR=/app/quarkus-app \
    BC_ANVIL=/app/bin/anvil \
    BC_DATA_DIR=/data \
    BC_PORT=8080
USER bc
VOLUME /data
EXPOSE 8080
# docker stop sends SIGTERM: the app drains requests, then stops the embedded chain (which writes
# its state) and the embedded PostgreSQL cleanly.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/q/health/ready || exit 1
ENTRYPOINT ["/app/bin/bc-server"]
