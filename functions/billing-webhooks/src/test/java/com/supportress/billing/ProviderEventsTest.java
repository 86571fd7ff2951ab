package com.supportress.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.model.Event;
import com.stripe.net.ApiResource;
import com.supportress.shared.http.JsonCodec;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: every sample in events/billing/ reduced to billing state, no emulator. */
class ProviderEventsTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    @ParameterizedTest
    @ValueSource(strings = {"customer.created", "customer.updated", "customer.deleted", "checkout.session.completed",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.trial_will_end", "invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed",
            "invoice.payment_action_required", "charge.refunded", "charge.dispute.created"})
    void everyHandledStripeTypeChangesStateAndKeepsNoCardData(String type) {
        BillingEvent event = stripe(BillingSamples.stripe(type));
        assertTrue(event.handled(), type);
        assertEquals(type, event.type());
        assertKeepsNoCardData(event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscription_created", "subscription_activated", "subscription_changed", "subscription_renewed",
            "subscription_cancelled", "subscription_reactivated", "payment_succeeded", "payment_failed", "payment_refunded"})
    void everyHandledChargebeeTypeChangesStateAndKeepsNoCardData(String type) {
        BillingEvent event = chargebee(BillingSamples.chargebee(type));
        assertTrue(event.handled(), type);
        assertEquals("chargebee#AzZdemoAcme0001", event.subject().orElseThrow());
        assertKeepsNoCardData(event);
    }

    @Test
    void unknownTypesAreRecordedButChangeNothing() {
        assertFalse(stripe(BillingSamples.stripe("product.created")).handled());
        assertFalse(chargebee(BillingSamples.chargebee("coupon_created")).handled());
    }

    @Test
    void stripeSubscriptionReadsPeriodFromItsItemAsApiVersionDahliaPlacesIt() {
        StateChange change = stripe(BillingSamples.stripe("customer.subscription.updated")).changes().get(0);
        assertEquals("SUB#sub_1TdemoAcme0001", change.itemKey());
        assertEquals("active", change.fields().get("status").s());
        assertEquals("price_1TdemoTeamMonthly", change.fields().get("price").s());
        assertEquals(Long.toString(1_764_000_000L + 30 * 86_400), change.fields().get("currentPeriodEnd").n());
        assertEquals(StripeEvents.API_VERSION, BillingSamples.stripe("customer.subscription.updated").get("api_version").asText());
    }

    @Test
    void failedPaymentSetsPastDueAndOwesOneMailForItsInvoice() {
        BillingEvent event = stripe(BillingSamples.stripe("invoice.payment_failed"));
        assertEquals("past_due", event.changes().get(0).fields().get("dunningStage").s());
        assertEquals("in_1TdemoAcme0001", event.dunning().orElseThrow().invoiceId());
        assertEquals("billing@acme.example", event.dunning().orElseThrow().billingEmail().orElseThrow());
        BillingEvent chargebee = chargebee(BillingSamples.chargebee("payment_failed"));
        assertEquals("AZ-INV-0002", chargebee.dunning().orElseThrow().invoiceId());
    }

    @Test
    void successfulPaymentClearsDunning() {
        StateChange change = stripe(BillingSamples.stripe("invoice.paid")).changes().get(0);
        assertEquals("none", change.fields().get("dunningStage").s());
        assertTrue(change.fields().containsKey("pastDueInvoiceId") && change.fields().get("pastDueInvoiceId") == null,
                "the past-due invoice is removed");
    }

    @Test
    void subscriptionActivatedInTheSameSecondOutranksItsCreation() {
        ObjectNode created = BillingSamples.stripe("customer.subscription.created");
        ObjectNode updated = BillingSamples.stripe("customer.subscription.updated");
        updated.put("created", created.get("created").asLong());
        Watermark incomplete = stripe(created).changes().get(0).watermark();
        Watermark active = stripe(updated).changes().get(0).watermark();
        assertTrue(active.compareTo(incomplete) > 0);
        assertTrue(active.encoded().compareTo(incomplete.encoded()) > 0, "DynamoDB compares the encoded form");
    }

    @Test
    void chargebeeOrdersByResourceVersion() {
        Watermark renewed = chargebee(BillingSamples.chargebee("subscription_renewed")).changes().get(0).watermark();
        assertEquals(BillingSamples.chargebee("subscription_renewed").at("/content/subscription/resource_version").asLong(), renewed.epochMillis());
    }

    @Test
    void chargebeeEventWithoutTypeIsMalformed() {
        ObjectNode event = BillingSamples.chargebee("payment_failed");
        event.remove("event_type");
        assertThrows(MalformedEventException.class, () -> chargebee(event));
    }

    @Test
    void stripeInvoiceWithoutCustomerIsRecordedButNotApplied() {
        ObjectNode event = BillingSamples.stripe("invoice.paid");
        ((ObjectNode) event.at("/data/object")).remove("customer");
        BillingEvent reduced = stripe(event);
        assertFalse(reduced.handled());
        assertTrue(reduced.notApplied().orElseThrow().contains("customer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"previous_attributes\":{}}"})
    void stripeEventWithoutADataObjectIsMalformed(String data) {
        ObjectNode event = BillingSamples.stripe("invoice.paid");
        event.set("data", jackson(data));
        assertThrows(MalformedEventException.class, () -> stripeEnvelope(event));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\" \"", "null", "\"evt with space\"", "12"})
    void stripeEventWithoutAUsableIdIsMalformedSoNothingIsStoredUnderStripeColon(String id) {
        ObjectNode event = BillingSamples.stripe("invoice.paid");
        event.set("id", jackson(id));
        if (id.equals("12")) {
            assertEquals("12", stripeEnvelope(event).eventId(), "Gson reads a number as its text; a usable id");
            return;
        }
        assertThrows(MalformedEventException.class, () -> stripeEnvelope(event));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, Long.MIN_VALUE, 253_402_300_800L, Long.MAX_VALUE})
    void stripeEventCreatedBefore1970OrAfter9999IsMalformed(long created) {
        ObjectNode event = BillingSamples.stripe("invoice.paid");
        event.put("created", created);
        assertThrows(MalformedEventException.class, () -> stripeEnvelope(event));
    }

    @Test
    void stripeEnvelopeReadThroughStripeJavaKeepsTheObject() {
        BillingEvent event = stripeEnvelope(BillingSamples.stripe("invoice.paid"));
        assertEquals(stripe(BillingSamples.stripe("invoice.paid")), event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5e300", "9223372036854775808", "1.5", "\"1700000000\"", "null"})
    void chargebeeOccurredAtThatIsNoTimeIsMalformed(String occurredAt) {
        ObjectNode event = BillingSamples.chargebee("payment_succeeded");
        event.set("occurred_at", jackson(occurredAt));
        assertThrows(MalformedEventException.class, () -> chargebee(event));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"x\".repeat(256)", "\"a\\u2028b\""})
    void chargebeeEventWithoutAUsableIdIsMalformed(String id) {
        ObjectNode event = BillingSamples.chargebee("payment_succeeded");
        event.set("id", jackson(id.endsWith(".repeat(256)") ? "\"" + "x".repeat(256) + "\"" : id));
        assertThrows(MalformedEventException.class, () -> chargebee(event));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1e300", "9223372036854775808", "2.5", "1000000000000000"})
    void chargebeeResourceVersionOutOfRangeIsRecordedButNotApplied(String number) {
        ObjectNode version = BillingSamples.chargebee("subscription_renewed");
        ((ObjectNode) version.at("/content/subscription")).set("resource_version", jackson(number));
        assertTrue(chargebee(version).notApplied().isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300", "9223372036854775808", "2.5"})
    void chargebeeAmountThatIsNoWholeNumberIsRecordedButNotApplied(String number) {
        ObjectNode amount = BillingSamples.chargebee("payment_succeeded");
        ((ObjectNode) amount.at("/content/transaction")).set("amount", jackson(number));
        assertTrue(chargebee(amount).notApplied().isPresent());
    }

    private static BillingEvent stripeEnvelope(ObjectNode event) {
        Event parsed = ApiResource.GSON.fromJson(event.toString(), Event.class);
        return StripeEvents.reduce(parsed, new JsonCodec(JSON));
    }

    private static com.fasterxml.jackson.databind.JsonNode jackson(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertKeepsNoCardData(BillingEvent event) {
        for (StateChange change : event.changes()) {
            for (Map.Entry<String, AttributeValue> field : change.fields().entrySet()) {
                String value = String.valueOf(field.getValue());
                for (String forbidden : new String[] {"4242", "visa", "pm_", "tok_", "Example Str", "fingerprint"}) {
                    assertFalse(value.contains(forbidden), field.getKey() + " keeps " + forbidden);
                }
            }
        }
    }

    private static BillingEvent stripe(ObjectNode event) {
        return StripeEvents.reduce(event.get("id").asText(), event.get("type").asText(), event.get("created").asLong(),
                new Payload(node(event.get("data").get("object"))));
    }

    private static BillingEvent chargebee(ObjectNode event) {
        return ChargebeeEvents.reduce(new Payload(node(event)));
    }

    private static JsonNode node(com.fasterxml.jackson.databind.JsonNode jackson) {
        try {
            return JSON.readValue(jackson.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
