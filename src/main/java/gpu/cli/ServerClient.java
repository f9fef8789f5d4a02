package gpu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import gpu.report.ReportJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The Berkeley Compute server's JSON API, with an API key ({@code Authorization: Bearer bck_...}). */
final class ServerClient {

    /** A response: its status and its JSON body (an empty object when there is none). */
    record Reply(int status, JsonNode body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem details' "detail", or the status alone. */
        String detail() {
            return body.hasNonNull("detail") ? body.get("detail").asText() : "HTTP " + status;
        }
    }

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();

    ServerClient(String server, String apiKey) {
        if (server == null || server.isBlank()) {
            throw new CliFailure(ExitCode.USAGE, "give the server's address with --server (or BC_SERVER), e.g. https://compute.example.org");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new CliFailure(ExitCode.USAGE, "give an API key with --api-key (or BC_API_KEY); create one on your account page");
        }
        try {
            URI uri = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            this.base = uri;
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCode.USAGE, "--server " + server + " is not an http(s) URL");
        }
        this.apiKey = apiKey.trim();
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(base.getPath() + path)).GET());
    }

    Reply post(String path, Object body) {
        String json;
        try {
            json = ReportJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return send(HttpRequest.newBuilder(base.resolve(base.getPath() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The body of a 2xx reply; a one-line failure for anything else. */
    JsonNode expect(Reply reply, String what) {
        if (reply.ok()) {
            return reply.body();
        }
        if (reply.status() == 401) {
            throw new CliFailure(ExitCode.SERVER, "the server did not accept the API key (" + reply.detail() + ")");
        }
        throw new CliFailure(ExitCode.SERVER, what + " failed: " + reply.detail());
    }

    private Reply send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + apiKey).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliFailure(ExitCode.SERVER, "cannot reach " + base + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.SERVER, "interrupted while talking to " + base);
        }
        JsonNode body;
        try {
            body = response.body() == null || response.body().isBlank()
                    ? ReportJson.mapper().createObjectNode() : ReportJson.mapper().readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CliFailure(ExitCode.SERVER, base + " answered HTTP " + response.statusCode() + " with something that is not JSON;"
                    + " is --server the Berkeley Compute server?");
        }
        return new Reply(response.statusCode(), body);
    }
}
