package com.supportress.local;

import com.supportress.emulator.BadTokens;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.TenantUsers;
import com.supportress.emulator.SentMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: the local suite's HTTP server in front of the real handlers, against the emulator. */
@Tag("emulator")
class LocalHttpServerIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmulatedStack stack;
    private static LocalFunctions functions;
    private static LocalHttpServer server;
    private static final String TEAM = "team-" + System.nanoTime() + "@supportress.example";

    @BeforeAll
    static void start() throws Exception {
        stack = EmulatedStack.create(Map.of("SecurityTeamEmail", TEAM));
        functions = new LocalFunctions(stack);
        server = new LocalHttpServer(stack, functions, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        functions.close();
    }

    @Test
    void readmeCurlFilesAnIncidentAndBothMailsAreSent() throws Exception {
        String reporter = "reporter-" + System.nanoTime() + "@example.org";
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/incidents"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reporterEmail\":\"" + reporter + "\",\"category\":\"abuse\","
                        + "\"summary\":\"Spam sent from a tenant\",\"description\":\"Details\"}")));

        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"status\":\"received\""));
        assertEquals("nosniff", response.headers().firstValue("x-content-type-options").orElse(""));
        assertEquals("no-store", response.headers().firstValue("cache-control").orElse(""), "the answer names a report");
        assertEquals(1, SentMail.to(TEAM).size());
        assertEquals(1, SentMail.to(reporter).size());
    }

    @Test
    void uploadRoutesAnswer401WithoutAVerifiedTokenAndServeTheTokensTenant() throws Exception {
        // A single PUT declares its SHA-256 (S3 checks the bytes against it); no bytes are sent here.
        String body = "{\"fileName\":\"ledger.csv\",\"contentType\":\"text/csv\",\"size\":15,"
                + "\"sha256\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"}";
        for (String authorization : new String[]{null, "Bearer not-a-token", "Bearer " + BadTokens.unsigned(new TenantUsers(stack).idToken("demo"))}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url("/uploads")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> refused = send(request);
            assertEquals(401, refused.statusCode());
            assertEquals("{\"message\":\"Unauthorized\"}", refused.body(), "API Gateway's own answer: the function never ran");
        }

        HttpResponse<String> created = send(HttpRequest.newBuilder(url("/uploads")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + new TenantUsers(stack).idToken("demo"))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("/tenants/demo/upl_"), created.body());
        assertEquals("no-store", created.headers().firstValue("cache-control").orElse(""));
    }

    @Test
    void theUploadPageIsPublicAndOnlyConnectsToTheApiAndTheEmulator() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(url("/")).GET());
        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("content-security-policy").orElse("");
        assertTrue(policy.contains("connect-src 'self' " + stack.endpoint() + ";"), policy);
        assertEquals(200, send(HttpRequest.newBuilder(url("/config.json")).GET()).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(url("/assets/upload.js")).GET()).statusCode());
    }

    @Test
    void unknownPathIsANotFoundAsApiGatewayAnswers() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/nothing-here")).GET());
        assertEquals(404, response.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", response.body());
    }

    @Test
    void preflightFromAnAllowedOriginIsAnsweredWithoutTheFunction() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/incidents"))
                .header("Origin", "https://app.supportress.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, response.statusCode());
        assertEquals("https://app.supportress.example", response.headers().firstValue("access-control-allow-origin").orElse(""));

        HttpResponse<String> stranger = send(HttpRequest.newBuilder(url("/incidents"))
                .header("Origin", "https://evil.example")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertTrue(stranger.headers().firstValue("access-control-allow-origin").isEmpty());
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
