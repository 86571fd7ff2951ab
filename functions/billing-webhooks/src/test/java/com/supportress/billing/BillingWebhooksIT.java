package com.supportress.billing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.EmulatedSecrets;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.SentMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: billing webhooks against the emulator (moto unless AWS_ENDPOINT_URL is set), one fresh stack per test. */
@Tag("emulator")
class BillingWebhooksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "stripe#cus_TdemoAcme0001";

    private BillingStack billing;
    private String contact;

    @BeforeEach
    void standUpStack() {
        billing = new BillingStack();
        contact = "billing-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    }

    @AfterEach
    void closeHandler() {
        billing.close();
    }

    @Test
    void signedStripeEventIsRecordedAndApplied() throws Exception {
        APIGatewayV2HTTPResponse response = billing.stripe(BillingSamples.stripe("customer.subscription.updated"));

        assertEquals(200, response.getStatusCode());
        assertEquals("applied", JSON.readTree(response.getBody()).get("outcome").asText());
        Map<String, AttributeValue> subscription = billing.stateItem(ACCOUNT, "SUB#sub_1TdemoAcme0001");
        assertEquals("active", subscription.get("status").s());
        assertEquals("price_1TdemoTeamMonthly", subscription.get("price").s());
        assertFalse(subscription.get("cancelAtPeriodEnd").bool());
        String eventId = BillingSamples.stripe("customer.subscription.updated").get("id").asText();
        assertEquals("DONE", billing.eventItem("stripe:" + eventId).get("status").s());
    }

    @Test
    void tamperedBodyIsRefusedAndNothingStored() {
        String body = BillingSamples.stripe("customer.subscription.updated").toString();
        String signature = StripeSigner.header(body, BillingStack.STRIPE_SECRET, billing.clock.instant());
        assertRefused(billing.send(BillingStack.stripeRequest(body.replace("\"active\"", "\"canceled\""), signature)), 400);
    }

    @Test
    void bodySignedWithWrongSecretIsRefusedAndNothingStored() {
        String body = BillingSamples.stripe("customer.subscription.updated").toString();
        assertRefused(billing.send(BillingStack.stripeRequest(body, StripeSigner.header(body, "whsec_attacker", billing.clock.instant()))), 400);
    }

    @Test
    void staleSignatureIsRefusedAndNothingStored() {
        String body = BillingSamples.stripe("customer.subscription.updated").toString();
        String signature = StripeSigner.header(body, BillingStack.STRIPE_SECRET, billing.clock.instant().minus(Duration.ofMinutes(6)));
        assertRefused(billing.send(BillingStack.stripeRequest(body, signature)), 400);
    }

    @Test
    void futureSignatureIsRefusedAndNothingStored() {
        String body = BillingSamples.stripe("customer.subscription.updated").toString();
        String signature = StripeSigner.header(body, BillingStack.STRIPE_SECRET, billing.clock.instant().plus(Duration.ofMinutes(6)));
        assertRefused(billing.send(BillingStack.stripeRequest(body, signature)), 400);
    }

    @Test
    void stackAsDeployedRefusesStripeWith503UntilASigningSecretIsConfiguredAndTakesChargebeeWithTheGeneratedPassword()
            throws Exception {
        try (BillingStack deployed = BillingStack.asDeployed()) {
            String body = BillingSamples.stripe("customer.subscription.updated").toString();
            APIGatewayV2HTTPResponse refused = deployed.send(BillingStack.stripeRequest(body,
                    StripeSigner.header(body, "whsec_replace_me", deployed.clock.instant())));

            assertEquals(503, refused.getStatusCode(), refused.getBody());
            assertEquals(Long.toString(WebhookSecretsSource.RECHECK_UNCONFIGURED_AFTER.toSeconds()), refused.getHeaders().get("retry-after"));
            assertEquals("https://supportress.example/problems/service-unavailable", JSON.readTree(refused.getBody()).get("type").asText(), refused.getBody());
            assertTrue(deployed.items("BillingEventsTable").isEmpty(), "nothing recorded");

            JsonNode generated = JSON.readTree(EmulatedSecrets.client(deployed.stack)
                    .getSecretValue(r -> r.secretId(deployed.stack.physicalName("BillingSecrets"))).secretString());
            APIGatewayV2HTTPResponse chargebee = deployed.send(BillingStack.chargebeeRequest(BillingSamples.chargebee("subscription_created").toString(),
                    generated.get("chargebeeUsername").asText() + ":" + generated.get("chargebeePassword").asText()));
            assertEquals(200, chargebee.getStatusCode(), chargebee.getBody());
        }
    }

    @Test
    void placeholderSigningSecretNeverVerifiesAndARealOneConfiguredLaterIsUsedWithinAMinute() {
        billing.putSecret("{\"stripeSigningSecrets\":[\"whsec_replace_me\"],\"chargebeeUsername\":\"chargebee\","
                + "\"chargebeePassword\":\"" + BillingStack.CHARGEBEE_PASSWORD + "\"}");
        String body = BillingSamples.stripe("customer.created").toString();
        APIGatewayV2HTTPResponse placeholder = billing.send(BillingStack.stripeRequest(body,
                StripeSigner.header(body, "whsec_replace_me", billing.clock.instant())));
        assertRefused(placeholder, 503);

        BillingStack.storeSecrets(billing.stack);
        billing.clock.advance(WebhookSecretsSource.RECHECK_UNCONFIGURED_AFTER.plusSeconds(1));
        assertEquals(200, billing.stripe(body).getStatusCode());
    }

    @Test
    void placeholderChargebeePasswordRefusesEveryDeliveryWith503() {
        billing.putSecret("{\"stripeSigningSecrets\":[\"" + BillingStack.STRIPE_SECRET + "\"],\"chargebeeUsername\":\"chargebee\","
                + "\"chargebeePassword\":\"changeme-changeme-changeme\"}");
        assertRefused(billing.send(BillingStack.chargebeeRequest(BillingSamples.chargebee("payment_failed").toString(),
                "chargebee:changeme-changeme-changeme")), 503);
    }

    @Test
    void stripeEventCreatedFurtherAheadThanTheToleranceIsRefusedAndNothingStored() throws Exception {
        ObjectNode event = BillingSamples.stripe("customer.subscription.updated");
        event.put("created", billing.clock.instant().plus(BillingConfig.SIGNATURE_TOLERANCE).plusSeconds(1).getEpochSecond());

        APIGatewayV2HTTPResponse response = billing.stripe(event);

        assertRefused(response, 400);
        assertEquals("created", JSON.readTree(response.getBody()).at("/fields/0/field").asText(), response.getBody());
    }

    @Test
    void stripeEventCreatedWithinTheToleranceAheadIsApplied() {
        ObjectNode event = BillingSamples.stripe("customer.subscription.updated");
        event.put("created", billing.clock.instant().plus(BillingConfig.SIGNATURE_TOLERANCE).minusSeconds(5).getEpochSecond());

        assertEquals(200, billing.stripe(event).getStatusCode());
    }

    @Test
    void chargebeeEventOccurringAheadOfNowIsRefusedAndNothingStored() throws Exception {
        ObjectNode event = BillingSamples.chargebee("subscription_renewed");
        event.put("occurred_at", billing.clock.instant().plus(Duration.ofDays(3650)).getEpochSecond());

        APIGatewayV2HTTPResponse response = billing.chargebee(event);

        assertRefused(response, 400);
        assertEquals("occurred_at", JSON.readTree(response.getBody()).at("/fields/0/field").asText(), response.getBody());
    }

    @Test
    void chargebeeResourceVersionAheadOfNowIsRefusedAndNothingStored() throws Exception {
        ObjectNode event = BillingSamples.chargebee("subscription_renewed");
        ((ObjectNode) event.at("/content/subscription")).put("resource_version",
                billing.clock.instant().plus(Duration.ofDays(1)).toEpochMilli());

        APIGatewayV2HTTPResponse response = billing.chargebee(event);

        assertRefused(response, 400);
        assertEquals("resource_version", JSON.readTree(response.getBody()).at("/fields/0/field").asText(), response.getBody());
    }

    @Test
    void missingSignatureHeaderIsRefusedAndNothingStored() {
        assertRefused(billing.send(BillingStack.stripeRequest(BillingSamples.stripe("invoice.paid").toString(), null)), 400);
    }

    @Test
    void signedMalformedJsonIsRefusedAndNothingStored() {
        assertRefused(billing.stripe("{\"id\": \"evt_broken\", \"object\": \"event\", \"type\": "), 400);
    }

    @Test
    void genuineEventBillingCannotApplyIsAnsweredAndRecordedSoStripeStopsRetrying() throws Exception {
        ObjectNode event = BillingSamples.stripe("checkout.session.completed");
        ((ObjectNode) event.at("/data/object")).putNull("customer");
        APIGatewayV2HTTPResponse response = billing.stripe(event);

        assertEquals("ignored", outcome(response));
        assertEquals("IGNORED", billing.eventItem("stripe:" + event.get("id").asText()).get("status").s());
        assertTrue(billing.items("BillingStateTable").isEmpty());
    }

    @Test
    void bodySignedWithPreviousSecretIsAcceptedDuringRotation() {
        String body = BillingSamples.stripe("customer.created").toString();
        String signature = StripeSigner.header(body, BillingStack.STRIPE_PREVIOUS_SECRET, billing.clock.instant());
        assertEquals(200, billing.send(BillingStack.stripeRequest(body, signature)).getStatusCode());
    }

    @Test
    void secretRotatedInSecretsManagerIsUsedWithinFiveMinutesWithoutRedeploy() {
        String body = BillingSamples.stripe("customer.created").toString();
        assertEquals(200, billing.stripe(body).getStatusCode());
        String rotated = TestCredentials.stripeSigningSecret();
        billing.putSecret("{\"stripeSigningSecrets\":[\"" + rotated + "\",\"" + BillingStack.STRIPE_SECRET + "\"],"
                + "\"chargebeeUsername\":\"chargebee\",\"chargebeePassword\":\"" + BillingStack.CHARGEBEE_PASSWORD + "\"}");
        String signedWithNew = BillingSamples.stripe("customer.updated").toString();

        billing.clock.advance(WebhookSecretsSource.CACHE_FOR.plusSeconds(1));
        assertEquals(200, billing.send(BillingStack.stripeRequest(signedWithNew,
                StripeSigner.header(signedWithNew, rotated, billing.clock.instant()))).getStatusCode());
    }

    @Test
    void unknownEventTypeIsAnsweredRecordedAndIgnored() throws Exception {
        ObjectNode event = BillingSamples.stripe("product.created");
        APIGatewayV2HTTPResponse response = billing.stripe(event);

        assertEquals(200, response.getStatusCode());
        assertEquals("ignored", JSON.readTree(response.getBody()).get("outcome").asText());
        assertEquals("IGNORED", billing.eventItem("stripe:" + event.get("id").asText()).get("status").s());
        assertTrue(billing.items("BillingStateTable").isEmpty());
    }

    @Test
    void duplicateDeliveryIsAnsweredWithoutSecondEffect() throws Exception {
        ObjectNode failed = withContact(BillingSamples.stripe("invoice.payment_failed"));
        assertEquals("applied", outcome(billing.stripe(failed)));
        assertEquals("duplicate", outcome(billing.stripe(failed)));
        assertEquals(1, SentMail.to(contact).size());
    }

    @Test
    void concurrentDuplicatesFromParallelThreadsHaveOneEffect() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.SERIALIZABLE_DYNAMODB);
        ObjectNode failed = withContact(BillingSamples.stripe("invoice.payment_failed"));
        List<Callable<Integer>> deliveries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            deliveries.add(() -> billing.stripe(failed).getStatusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Integer> status : pool.invokeAll(deliveries)) {
                assertEquals(200, status.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, SentMail.to(contact).size());
        assertEquals("past_due", billing.stateItem(ACCOUNT, "ACCOUNT").get("dunningStage").s());
        assertEquals(1, billing.items("BillingEventsTable").stream().filter(item -> item.get("pk").s().startsWith("stripe:")).count());
    }

    @Test
    void olderEventArrivingLateNeverOverwritesNewerState() {
        billing.stripe(BillingSamples.stripe("customer.subscription.deleted"));
        billing.stripe(BillingSamples.stripe("customer.subscription.updated"));
        billing.stripe(BillingSamples.stripe("customer.subscription.created"));

        assertEquals("canceled", billing.stateItem(ACCOUNT, "SUB#sub_1TdemoAcme0001").get("status").s());
    }

    @Test
    void failedPaymentMailsBillingContactOncePerInvoiceSetsPastDueAndLaterSuccessClearsIt() {
        billing.stripe(withContact(BillingSamples.stripe("invoice.payment_failed")));
        Map<String, AttributeValue> account = billing.stateItem(ACCOUNT, "ACCOUNT");
        assertEquals("past_due", account.get("dunningStage").s());
        assertEquals("in_1TdemoAcme0001", account.get("pastDueInvoiceId").s());
        List<SentMail.Message> mail = SentMail.to(contact);
        assertEquals(1, mail.size());
        assertTrue(mail.get(0).subject().contains("in_1TdemoAcme0001"));
        assertTrue(mail.get(0).body().contains("49.00 EUR"));

        // Stripe retries the charge: a second failure event for the same invoice mails nobody again.
        ObjectNode retryFailed = withContact(BillingSamples.stripe("invoice.payment_failed"));
        retryFailed.put("id", "evt_retry_failed_" + UUID.randomUUID()).put("created", retryFailed.get("created").asLong() + 86_400);
        billing.stripe(retryFailed);
        assertEquals(1, SentMail.to(contact).size());

        billing.stripe(BillingSamples.stripe("invoice.paid"));
        account = billing.stateItem(ACCOUNT, "ACCOUNT");
        assertEquals("none", account.get("dunningStage").s());
        assertEquals("succeeded", account.get("lastPaymentStatus").s());
        assertFalse(account.containsKey("pastDueInvoiceId"));
    }

    @Test
    void dunningMailGoesToStoredBillingContactWhenInvoiceNamesNone() {
        ObjectNode customer = BillingSamples.stripe("customer.created");
        ((ObjectNode) customer.at("/data/object")).put("email", contact);
        billing.stripe(customer);
        ObjectNode failed = BillingSamples.stripe("invoice.payment_failed");
        ((ObjectNode) failed.at("/data/object")).remove("customer_email");
        billing.stripe(failed);
        assertEquals(1, SentMail.to(contact).size());
    }

    @Test
    void dunningMailGoesToStoredBillingContactRatherThanTheAddressTheInvoiceCarries() {
        ObjectNode customer = BillingSamples.stripe("customer.created");
        ((ObjectNode) customer.at("/data/object")).put("email", contact);
        billing.stripe(customer);
        String elsewhere = "someone-else-" + UUID.randomUUID().toString().substring(0, 8) + "@attacker.example";
        ObjectNode failed = BillingSamples.stripe("invoice.payment_failed");
        ((ObjectNode) failed.at("/data/object")).put("customer_email", elsewhere);

        billing.stripe(failed);

        assertEquals(1, SentMail.to(contact).size());
        assertTrue(SentMail.to(elsewhere).isEmpty());
    }

    @Test
    void mailThatSesRefusedIsSentByTheRetryAndNeverTwice() throws Exception {
        BillingConfig configured = BillingConfig.from(billing.stack.environment("BillingWebhooksFunction"));
        BillingConfig unverifiedSender = new BillingConfig(configured.eventsTable(), configured.stateTable(),
                "not-verified-" + UUID.randomUUID() + "@nowhere.example", configured.signatureTolerance(), configured.eventRetention(),
                configured.stripeApiBase(), configured.reconciliationFirstLookback(), configured.reconciliationOverlap());
        ObjectNode failed = withContact(BillingSamples.stripe("invoice.payment_failed"));
        try (BillingWebhooksHandler failing = billing.anotherInstance(unverifiedSender)) {
            String body = failed.toString();
            APIGatewayV2HTTPResponse refused = failing.handleRequest(BillingStack.stripeRequest(body,
                    StripeSigner.header(body, BillingStack.STRIPE_SECRET, billing.clock.instant())), null);
            assertEquals(500, refused.getStatusCode(), "the sender must retry");
        }
        assertTrue(SentMail.to(contact).isEmpty());
        assertEquals("past_due", billing.stateItem(ACCOUNT, "ACCOUNT").get("dunningStage").s(), "state is applied before the mail");

        assertEquals(200, billing.stripe(failed).getStatusCode());
        assertEquals(200, billing.stripe(failed).getStatusCode());
        assertEquals(1, SentMail.to(contact).size());
    }

    @Test
    void eventWhoseMailAParallelDeliveryHoldsStaysOpenUntilTheMailIsSettled() {
        // A parallel delivery of the same invoice's failure has claimed the mail and is (say) still sending it.
        long leaseUntil = billing.clock.instant().plus(BillingService.MAIL_LEASE).toEpochMilli();
        billing.stack.dynamoDb().putItem(r -> r.tableName(billing.stack.physicalName("BillingEventsTable")).item(Map.of(
                "pk", AttributeValue.fromS("mail:dunning:stripe:in_1TdemoAcme0001"),
                "mailStatus", AttributeValue.fromS("pending"),
                "leaseUntil", AttributeValue.fromN(Long.toString(leaseUntil)))));
        ObjectNode failed = withContact(BillingSamples.stripe("invoice.payment_failed"));
        String eventKey = "stripe:" + failed.get("id").asText();

        assertEquals(200, billing.stripe(failed).getStatusCode());
        assertEquals("RECEIVED", billing.eventItem(eventKey).get("status").s(), "not done while the mail is not settled");
        assertTrue(SentMail.to(contact).isEmpty());

        // That delivery died without sending; the provider retries after the lease has run out.
        billing.clock.advance(BillingService.MAIL_LEASE.plusSeconds(1));
        assertEquals(200, billing.stripe(failed).getStatusCode());
        assertEquals("DONE", billing.eventItem(eventKey).get("status").s());
        assertEquals(1, SentMail.to(contact).size());
    }

    @Test
    void chargebeeEventWithCorrectCredentialsIsApplied() {
        assertEquals(200, billing.chargebee(BillingSamples.chargebee("subscription_created")).getStatusCode());
        Map<String, AttributeValue> subscription = billing.stateItem("chargebee#AzZdemoAcme0001", "SUB#AzZdemoSub0001");
        assertEquals("trialing", subscription.get("status").s());
        assertEquals("in_trial", subscription.get("providerStatus").s());
        assertEquals("billing@acme.example", billing.stateItem("chargebee#AzZdemoAcme0001", "ACCOUNT").get("billingEmail").s());
    }

    @Test
    void chargebeeEventWithWrongCredentialsIsRefusedWith401AndNothingStored() {
        APIGatewayV2HTTPResponse response = billing.send(BillingStack.chargebeeRequest(
                BillingSamples.chargebee("payment_failed").toString(), BillingStack.CHARGEBEE_USER + ":guess"));
        assertRefused(response, 401);
        assertTrue(response.getHeaders().get("www-authenticate").startsWith("Basic"));
        assertRefused(billing.send(BillingStack.chargebeeRequest(BillingSamples.chargebee("payment_failed").toString(), null)), 401);
    }

    @Test
    void chargebeeMalformedJsonIsRefusedAndNothingStored() {
        assertRefused(billing.send(BillingStack.chargebeeRequest("{\"id\": \"ev_1\", ",
                BillingStack.CHARGEBEE_USER + ":" + BillingStack.CHARGEBEE_PASSWORD)), 400);
    }

    @Test
    void chargebeeEventWithoutTypeIsRefusedAndNothingStored() {
        ObjectNode event = BillingSamples.chargebee("payment_failed");
        event.remove("event_type");
        assertRefused(billing.send(BillingStack.chargebeeRequest(event.toString(),
                BillingStack.CHARGEBEE_USER + ":" + BillingStack.CHARGEBEE_PASSWORD)), 400);
    }

    @Test
    void signedStripeEventWithEmptyDataIsRefusedWith400NotA500AndNothingStored() {
        ObjectNode event = BillingSamples.stripe("invoice.paid");
        event.putObject("data");
        assertRefused(billing.stripe(event), 400);
    }

    @Test
    void signedStripeEventWithEmptyIdIsRefusedAndNothingStoredUnderStripeColon() {
        ObjectNode event = BillingSamples.stripe("invoice.paid");
        event.put("id", "");
        assertRefused(billing.stripe(event), 400);
    }

    @Test
    void signedStripeEventCreatedBefore1970OrAfter9999IsRefusedWith400NotA500() {
        for (long created : new long[] {-1, 253_402_300_800L, Long.MAX_VALUE}) {
            ObjectNode event = BillingSamples.stripe("invoice.paid");
            event.put("created", created);
            assertRefused(billing.stripe(event), 400);
        }
    }

    @Test
    void signedStripeEventNested100000LevelsDeepIsA400NotAStackOverflow() {
        ObjectNode event = BillingSamples.stripe("invoice.paid");
        String body = event.toString().replace("\"object\":\"invoice\"", "\"object\":" + "[".repeat(100_000) + "]".repeat(100_000));
        assertRefused(billing.stripe(body), 400);
    }

    @Test
    void signedStripeEventFollowedByMoreDataOrWithAnUnpairedSurrogateIsRefused() {
        String body = BillingSamples.stripe("invoice.paid").toString();
        assertRefused(billing.stripe(body + "{}"), 400);
        assertRefused(billing.stripe(body.replace("\"id\":\"evt_", "\"id\":\"\\ud800evt_")), 400);
    }

    @Test
    void chargebeeEventWithATimeThatIsNoTimeIsRefusedWith400NotA500() {
        for (String occurredAt : new String[] {"-1", "1.5e300", "9223372036854775808"}) {
            String body = BillingSamples.chargebee("payment_failed").toString()
                    .replaceFirst("\"occurred_at\":\\d+", "\"occurred_at\":" + occurredAt);
            assertRefused(billing.send(BillingStack.chargebeeRequest(body, BillingStack.CHARGEBEE_USER + ":" + BillingStack.CHARGEBEE_PASSWORD)), 400);
        }
    }

    @Test
    void chargebeeEventWithNegativeResourceVersionIsRecordedButChangesNoState() {
        ObjectNode event = BillingSamples.chargebee("subscription_renewed");
        ((ObjectNode) event.at("/content/subscription")).put("resource_version", -1);
        APIGatewayV2HTTPResponse response = billing.chargebee(event);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(1, billing.items("BillingEventsTable").size());
        assertTrue(billing.items("BillingStateTable").isEmpty());
    }

    @Test
    void operatorReadPathAnswers404ForACustomerIdNoProviderIssuesInsteadOfA500() {
        assertEquals(404, billing.account("stripe", "x".repeat(3000)).getStatusCode());
    }

    @Test
    void chargebeeCancellationArrivingBeforeRenewalWins() {
        billing.chargebee(BillingSamples.chargebee("subscription_cancelled"));
        billing.chargebee(BillingSamples.chargebee("subscription_renewed"));
        assertEquals("canceled", billing.stateItem("chargebee#AzZdemoAcme0001", "SUB#AzZdemoSub0001").get("status").s());
    }

    @Test
    void operatorReadPathShowsAccountStateAndRecentEvents() throws Exception {
        for (String type : List.of("customer.created", "customer.subscription.updated", "invoice.paid", "charge.refunded")) {
            billing.stripe(BillingSamples.stripe(type));
        }
        APIGatewayV2HTTPResponse response = billing.account("stripe", "cus_TdemoAcme0001");

        assertEquals(200, response.getStatusCode());
        JsonNode view = JSON.readTree(response.getBody());
        assertEquals("succeeded", view.at("/state/lastPaymentStatus").asText());
        assertEquals(4900, view.at("/state/lastRefundAmount").asInt());
        assertEquals("active", view.at("/subscriptions/0/status").asText());
        assertEquals(4, view.get("recentEvents").size());
        assertEquals("charge.refunded", view.at("/recentEvents/0/type").asText(), "newest first");
        assertFalse(response.getBody().contains("Watermark"));
    }

    @Test
    void operatorReadPathAnswers404ForAnAccountNobodyHasSeen() throws Exception {
        APIGatewayV2HTTPResponse response = billing.account("stripe", "cus_Tunknown");

        assertEquals(404, response.getStatusCode());
        assertTrue(JSON.readTree(response.getBody()).get("detail").asText().contains("stripe#cus_Tunknown"));
    }

    @Test
    void snapStartPrimingExercisesTheHotPathAndStoresNothing() {
        assertTrue(billing.handler.priming().prime());
        assertTrue(billing.items("BillingEventsTable").isEmpty());
        assertTrue(billing.items("BillingStateTable").isEmpty());
    }

    private void assertRefused(APIGatewayV2HTTPResponse response, int status) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        assertTrue(billing.items("BillingEventsTable").isEmpty(), "no event recorded");
        assertTrue(billing.items("BillingStateTable").isEmpty(), "no state written");
    }

    private ObjectNode withContact(ObjectNode invoiceEvent) {
        ((ObjectNode) invoiceEvent.at("/data/object")).put("customer_email", contact);
        return invoiceEvent;
    }

    private static String outcome(APIGatewayV2HTTPResponse response) throws Exception {
        assertEquals(200, response.getStatusCode(), response.getBody());
        return JSON.readTree(response.getBody()).get("outcome").asText();
    }
}
