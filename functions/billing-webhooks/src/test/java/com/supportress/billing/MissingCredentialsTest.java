package com.supportress.billing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.SamTemplate;
import com.supportress.shared.http.ServiceUnavailableException;
import com.supportress.shared.log.JsonLogConfigurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier, no emulator: the line a missing credential logs is the one template.yaml's metric filters count. */
class MissingCredentialsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // The one form of filter pattern the billing filters use: { $.a.b = "value" }.
    private static final Pattern EQUALS_FILTER = Pattern.compile("\\{ \\$\\.([\\w.]+) = \"([^\"]*)\" }");

    private final Logger logger = (Logger) LoggerFactory.getLogger(MissingCredentials.class);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.WARN);
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
        logger.setLevel(levelBefore);
    }

    @Test
    void refusedDeliveryLogsALineEveryCredentialsMetricFilterOfTheTemplateMatches() throws Exception {
        Credential<String> missing = Credential.unusable("stripeSigningSecrets", "no Stripe signing secret is configured");

        ServiceUnavailableException refused = assertThrows(ServiceUnavailableException.class, () -> MissingCredentials.require(missing, "Stripe"));

        assertEquals(WebhookSecretsSource.RECHECK_UNCONFIGURED_AFTER, refused.retryAfter());
        JsonNode line = encoded(captured.list.getFirst());
        List<String> patterns = SamTemplate.load().resourcesOfType("AWS::Logs::MetricFilter").values().stream()
                .map(filter -> SamTemplate.mapAt(filter, "Properties"))
                .filter(properties -> properties.toString().contains("CredentialsMissing"))
                .map(properties -> (String) properties.get("FilterPattern"))
                .toList();
        assertEquals(2, patterns.size(), "one filter per billing log group");
        for (String pattern : patterns) {
            Matcher filter = EQUALS_FILTER.matcher(pattern);
            assertTrue(filter.matches(), pattern);
            assertEquals(filter.group(2), line.at("/" + filter.group(1).replace('.', '/')).asText(), line.toString());
        }
        assertEquals("stripeSigningSecrets", line.at("/mdc/credential").asText());
        assertTrue(line.get("formattedMessage").asText().contains("no Stripe signing secret is configured"));
        assertNull(MDC.get(MissingCredentials.LOG_FIELD), "the field marks that one line only");
    }

    @Test
    void usableCredentialLogsNothing() {
        assertEquals("value", MissingCredentials.require(Credential.usable("stripeApiKey", "value"), "Stripe"));
        assertTrue(captured.list.isEmpty());
    }

    @Test
    void loggedLineNeverQuotesTheConfiguredValue() throws Exception {
        WebhookSecrets secrets = WebhookSecrets.of(List.of("whsec_replace_me"), "chargebee", "changeme-changeme-changeme", "rk_live_...");

        assertThrows(ServiceUnavailableException.class, () -> MissingCredentials.require(secrets.stripeSigningSecrets(), "Stripe"));
        assertThrows(ServiceUnavailableException.class, () -> MissingCredentials.require(secrets.chargebee(), "Chargebee"));
        MissingCredentials.report(secrets.stripeApiKey(), "Stripe reconciliation skipped");

        assertEquals(3, captured.list.size());
        for (ILoggingEvent event : captured.list) {
            String line = encoded(event).toString();
            assertFalse(line.contains("replace_me") || line.contains("changeme-") || line.contains("rk_live_"), line);
        }
    }

    /** The line as the functions write it: through the encoder of {@link JsonLogConfigurator}. */
    private JsonNode encoded(ILoggingEvent event) throws Exception {
        return JSON.readTree(JsonLogConfigurator.encoder(logger.getLoggerContext()).encode(event));
    }
}
