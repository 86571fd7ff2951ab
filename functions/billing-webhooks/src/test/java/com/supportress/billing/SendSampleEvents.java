package com.supportress.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.SamTemplate;
import com.supportress.shared.aws.AwsSettings;
import com.supportress.shared.config.FunctionEnvironment;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sends every sample of events/billing/ to a running suite, signed as Stripe and Chargebee would send them, oldest
 * first; then one duplicate and one tampered delivery; then prints the account as operators see it.
 *
 * <p>Usage: {@code SendSampleEvents [baseUrl]} (default {@code http://127.0.0.1:3000}). The credentials are the ones
 * the suite's function uses: read from the local suite's Secrets Manager secret on the emulator named by
 * {@code AWS_ENDPOINT_URL} (the local suite prints it), or taken from {@code STRIPE_WEBHOOK_SECRETS},
 * {@code CHARGEBEE_WEBHOOK_USERNAME} and {@code CHARGEBEE_WEBHOOK_PASSWORD} when those are set. A local secret without a
 * usable Stripe signing secret (as the template creates it) first gets a fresh one, as an operator would put it in.
 */
public final class SendSampleEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String LOCAL_SECRET = "supportress-local-BillingSecrets";

    private SendSampleEvents() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv(), System.out));
    }

    /** What main does, with the environment and output given; 0 when no sample answered 5xx, 1 otherwise. */
    public static int run(String[] args, Map<String, String> env, PrintStream out) throws Exception {
        String base = args.length > 0 ? args[0].replaceAll("/+$", "") : "http://127.0.0.1:3000";
        Map<String, String> secrets = secrets(env, out);
        Path events = SamTemplate.repositoryRoot().resolve("events").resolve("billing");

        List<Path> stripe = byTime(events.resolve("stripe"), "/created");
        boolean serverError = false;
        for (Path file : stripe) {
            serverError |= send("stripe", file, stripeRequest(base, Files.readString(file), secrets.get("stripe")), out);
        }
        for (Path file : byTime(events.resolve("chargebee"), "/occurred_at")) {
            serverError |= send("chargebee", file, chargebeeRequest(base, Files.readString(file), secrets.get("chargebeeUser"),
                    secrets.get("chargebeePassword")), out);
        }
        Path failed = events.resolve("stripe").resolve("invoice.payment_failed.json");
        serverError |= send("stripe (again)", failed, stripeRequest(base, Files.readString(failed), secrets.get("stripe")), out);
        serverError |= send("stripe (tampered)", failed, stripeRequest(base, Files.readString(failed), secrets.get("stripe"))
                .POST(HttpRequest.BodyPublishers.ofString(Files.readString(failed).replace("4900", "1"))), out);

        HttpResponse<String> account = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/billing/accounts/stripe/cus_TdemoAcme0001")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        out.println();
        out.println("GET /billing/accounts/stripe/cus_TdemoAcme0001 -> " + account.statusCode());
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(account.body())));
        // A server error on a sample is a bug; the exit status lets README's check see it.
        return serverError || account.statusCode() >= 500 ? 1 : 0;
    }

    private static List<Path> byTime(Path folder, String timePointer) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .sorted(Comparator.comparingLong((Path f) -> read(f).at(timePointer).asLong()).thenComparing(Path::toString))
                    .toList();
        }
    }

    private static HttpRequest.Builder stripeRequest(String base, String body, String secret) {
        return HttpRequest.newBuilder(URI.create(base + "/webhooks/stripe"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", StripeSigner.header(body, secret, Instant.now()))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest.Builder chargebeeRequest(String base, String body, String user, String password) {
        return HttpRequest.newBuilder(URI.create(base + "/webhooks/chargebee"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Sends one delivery and prints the answer; true when it was a server error. */
    private static boolean send(String provider, Path file, HttpRequest.Builder request, PrintStream out) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 503) {
            // The suite read its secret before a usable one was put in: it reads it again within Retry-After, as Stripe retries.
            long wait = response.headers().firstValueAsLong("retry-after").orElse(60);
            out.println(provider + " answered 503 (not configured yet); retrying in " + wait + " s");
            Thread.sleep(wait * 1000);
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        out.printf("%-18s %-42s -> %d %s%n", provider, file.getFileName(), response.statusCode(), response.body());
        return response.statusCode() >= 500;
    }

    /** The signing secret and Chargebee credentials, from the environment or the local suite's secret. */
    private static Map<String, String> secrets(Map<String, String> env, PrintStream out) throws IOException {
        Map<String, String> secrets = new HashMap<>();
        if (env.containsKey("STRIPE_WEBHOOK_SECRETS")) {
            secrets.put("stripe", env.get("STRIPE_WEBHOOK_SECRETS").split(",")[0].strip());
            secrets.put("chargebeeUser", env.getOrDefault("CHARGEBEE_WEBHOOK_USERNAME", ""));
            secrets.put("chargebeePassword", env.getOrDefault("CHARGEBEE_WEBHOOK_PASSWORD", ""));
            return secrets;
        }
        if (!env.containsKey("AWS_ENDPOINT_URL")) {
            throw new IllegalStateException("set AWS_ENDPOINT_URL to the emulator the local suite printed (or STRIPE_WEBHOOK_SECRETS and the Chargebee pair)");
        }
        Map<String, String> aws = new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", Emulator.SECRET_KEY,
                "AWS_REGION", "us-east-1"));
        aws.put("AWS_ENDPOINT_URL", env.get("AWS_ENDPOINT_URL"));
        try (SecretsManagerClient client = AwsSettings.from(FunctionEnvironment.of(aws)).build(SecretsManagerClient.builder(), UrlConnectionHttpClient.create())) {
            ObjectNode secret = (ObjectNode) JSON.readTree(client.getSecretValue(r -> r.secretId(LOCAL_SECRET)).secretString());
            if (CredentialRules.stripeSigningSecret(secret.at("/stripeSigningSecrets/0").asText()).isPresent()) {
                // As deployed, the stack has no Stripe secret and its webhook answers 503: do the operator's step locally.
                secret.putArray("stripeSigningSecrets").add(TestCredentials.stripeSigningSecret());
                client.putSecretValue(r -> r.secretId(LOCAL_SECRET).secretString(secret.toString()));
                out.println("put a new Stripe signing secret into " + LOCAL_SECRET + " (a suite that already answered 503 uses it within "
                        + WebhookSecretsSource.RECHECK_UNCONFIGURED_AFTER.toSeconds() + " s)");
            }
            secrets.put("stripe", secret.at("/stripeSigningSecrets/0").asText());
            secrets.put("chargebeeUser", secret.path("chargebeeUsername").asText());
            secrets.put("chargebeePassword", secret.path("chargebeePassword").asText());
        }
        return secrets;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
