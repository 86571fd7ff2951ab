package com.supportress.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which AWS behaviours an emulator reproduces beyond what every emulator does, found by asking it: the launcher's
 * moto lists its patches at {@code GET /supportress-emulator}; LocalStack answers {@code GET /_localstack/health}
 * (it verifies S3 checksums itself and serves DynamoDB from DynamoDB Local, which isolates transactions);
 * anything else is taken to be moto as installed, with neither.
 */
public record EmulatorSemantics(String name, Set<Guarantee> guarantees) {

    /** An AWS behaviour that plain moto 5.2 lacks and some tests depend on. */
    public enum Guarantee {
        SERIALIZABLE_DYNAMODB("dynamodb-serializable", "DynamoDB's isolation of transactions and conditional writes"),
        IDEMPOTENT_DYNAMODB_TRANSACTIONS("dynamodb-idempotent-transactions",
                "DynamoDB's idempotent TransactWriteItems retries (ClientRequestToken)"),
        S3_CHECKSUMS("s3-checksums", "S3's verification of declared checksums and its checksums of parts and copies");

        private final String patch;
        private final String meaning;

        Guarantee(String patch, String meaning) {
            this.patch = patch;
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }

        static Optional<Guarantee> ofPatch(String patch) {
            return Arrays.stream(values()).filter(guarantee -> guarantee.patch.equals(patch)).findFirst();
        }
    }

    static final String CAPABILITY_PATH = "/supportress-emulator";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    public EmulatorSemantics {
        guarantees = Set.copyOf(guarantees);
    }

    public boolean has(Guarantee guarantee) {
        return guarantees.contains(guarantee);
    }

    /** One line for people: what runs there, and which AWS semantics hold or do not. */
    public String summary() {
        Set<Guarantee> missing = EnumSet.allOf(Guarantee.class);
        missing.removeAll(guarantees);
        return name + (guarantees.isEmpty() ? "" : "; faithful: " + meanings(guarantees))
                + (missing.isEmpty() ? "" : "; NOT faithful: " + meanings(missing) + " (tests relying on it are skipped)");
    }

    private static String meanings(Set<Guarantee> guarantees) {
        return guarantees.stream().sorted().map(Guarantee::meaning).collect(Collectors.joining(", "));
    }

    /** Asks the emulator at the endpoint what it is. */
    public static EmulatorSemantics of(URI endpoint) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        Optional<JsonNode> launcher = getJson(http, endpoint, CAPABILITY_PATH);
        if (launcher.isPresent() && "moto".equals(launcher.get().path("emulator").asText())) {
            Set<Guarantee> patched = new HashSet<>();
            launcher.get().path("patches").forEach(patch -> Guarantee.ofPatch(patch.asText()).ifPresent(patched::add));
            return new EmulatorSemantics("moto " + launcher.get().path("moto").asText() + " from the supportress launcher at " + endpoint, patched);
        }
        Optional<JsonNode> localStack = getJson(http, endpoint, "/_localstack/health");
        if (localStack.isPresent()) {
            return new EmulatorSemantics("LocalStack " + localStack.get().path("version").asText("") + " at " + endpoint,
                    EnumSet.allOf(Guarantee.class));
        }
        return new EmulatorSemantics("an emulator without the supportress launcher's patches (plain moto?) at " + endpoint, Set.of());
    }

    private static Optional<JsonNode> getJson(HttpClient http, URI endpoint, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            // Not JSON, or nothing there: not this kind of emulator.
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
