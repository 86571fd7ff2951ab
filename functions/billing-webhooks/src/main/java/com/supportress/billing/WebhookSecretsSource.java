package com.supportress.billing;

import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where {@link WebhookSecrets} come from. In AWS: the Secrets Manager secret whose ARN is
 * {@code BILLING_SECRETS_ARN}, a JSON object {@code {"stripeSigningSecrets": [...], "chargebeeUsername",
 * "chargebeePassword", "stripeApiKey"}}. Locally (no ARN): {@code STRIPE_WEBHOOK_SECRETS} (comma-separated),
 * {@code CHARGEBEE_WEBHOOK_USERNAME}, {@code CHARGEBEE_WEBHOOK_PASSWORD}, {@code STRIPE_API_KEY}.
 * The value is cached for five minutes, so a rotation reaches warm (and SnapStart-restored) functions
 * without a deploy while the secret is read at most once per five minutes per instance; while a webhook's
 * credential is missing or a placeholder, for one minute only, so the operator's fix takes effect soon.
 */
@Singleton
public class WebhookSecretsSource {

    static final Duration CACHE_FOR = Duration.ofMinutes(5);
    static final Duration RECHECK_UNCONFIGURED_AFTER = Duration.ofMinutes(1);

    private final FunctionEnvironment environment;
    private final SecretsManagerClient secretsManager;
    private final JsonMapper json;
    private final Clock clock;
    private WebhookSecrets cached;
    private Instant cachedUntil = Instant.MIN;

    public WebhookSecretsSource(FunctionEnvironment environment, SecretsManagerClient secretsManager, JsonMapper json, Clock clock) {
        this.environment = environment;
        this.secretsManager = secretsManager;
        this.json = json;
        this.clock = clock;
    }

    public synchronized WebhookSecrets current() {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(cachedUntil)) {
            cached = environment.find("BILLING_SECRETS_ARN").map(this::fromSecretsManager).orElseGet(this::fromEnvironment);
            cachedUntil = now.plus(cached.webhooksConfigured() ? CACHE_FOR : RECHECK_UNCONFIGURED_AFTER);
        }
        return cached;
    }

    private WebhookSecrets fromSecretsManager(String secretId) {
        String value = secretsManager.getSecretValue(r -> r.secretId(secretId)).secretString();
        JsonNode node;
        try {
            node = json.readValue(value.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException e) {
            // The message would quote the secret: say only where the problem is.
            throw new UncheckedIOException(new IOException("the billing secret is not a JSON object"));
        }
        List<String> signingSecrets = new ArrayList<>();
        JsonNode list = node.get("stripeSigningSecrets");
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                signingSecrets.add(list.get(i).coerceStringValue());
            }
        }
        return WebhookSecrets.of(signingSecrets, text(node, "chargebeeUsername"), text(node, "chargebeePassword"), text(node, "stripeApiKey"));
    }

    private WebhookSecrets fromEnvironment() {
        return WebhookSecrets.of(
                Arrays.asList(environment.get("STRIPE_WEBHOOK_SECRETS", "").split(",")),
                environment.get("CHARGEBEE_WEBHOOK_USERNAME", ""),
                environment.get("CHARGEBEE_WEBHOOK_PASSWORD", ""),
                environment.get("STRIPE_API_KEY", ""));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.coerceStringValue();
    }
}
