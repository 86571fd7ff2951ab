package com.supportress.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SentMail;
import com.supportress.shared.schedule.ScheduleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: Stripe reconciliation against the emulator and a local stand-in for Stripe's Events API. */
@Tag("emulator")
class StripeReconciliationIT {

    private BillingStack billing;
    private FakeStripeApi stripeApi;
    private StripeReconciliationHandler reconciliation;
    private String contact;

    @BeforeEach
    void standUp() throws Exception {
        billing = new BillingStack();
        stripeApi = new FakeStripeApi(BillingStack.STRIPE_API_KEY);
        BillingConfig configured = BillingConfig.from(billing.stack.environment("BillingReconciliationFunction"));
        BillingConfig pointedAtFake = new BillingConfig(configured.eventsTable(), configured.stateTable(), configured.senderEmail(),
                configured.signatureTolerance(), configured.eventRetention(), Optional.of(stripeApi.apiBase()),
                configured.reconciliationFirstLookback(), configured.reconciliationOverlap());
        reconciliation = new StripeReconciliationHandler(billing.stack.start("BillingReconciliationFunction", billing.clock, pointedAtFake));
        contact = "billing-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
    }

    @AfterEach
    void tearDown() {
        reconciliation.close();
        stripeApi.close();
        billing.close();
    }

    @Test
    void appliesEventsWhoseWebhookNeverArrivedAndSkipsSeenOnes() {
        long now = billing.clock.instant().getEpochSecond();
        ObjectNode delivered = created(BillingSamples.stripe("customer.subscription.updated"), now - 300);
        ObjectNode missedFailure = created(BillingSamples.stripe("invoice.payment_failed"), now - 200);
        ((ObjectNode) missedFailure.at("/data/object")).put("customer_email", contact);
        ObjectNode missedUnknown = created(BillingSamples.stripe("product.created"), now - 100);
        List.of(delivered, missedFailure, missedUnknown).forEach(stripeApi::add);
        assertEquals(200, billing.stripe(delivered).getStatusCode());

        StripeReconciler.Result result = run();

        assertEquals(new StripeReconciler.Result(3, 1, 1, 1, 0), result);
        assertEquals("past_due", billing.stateItem("stripe#cus_TdemoAcme0001", "ACCOUNT").get("dunningStage").s());
        assertEquals("reconciliation", billing.eventItem("stripe:" + missedFailure.get("id").asText()).get("source").s());
        assertEquals(1, SentMail.to(contact).size());
        assertTrue(stripeApi.calls.size() >= 2, "three events at two a page take two pages");
        FakeStripeApi.Call first = stripeApi.calls.get(0);
        assertEquals("/v1/events", first.path());
        assertEquals("Bearer " + BillingStack.STRIPE_API_KEY, first.authorization());
        assertEquals(Long.toString(now - Duration.ofDays(1).toSeconds()), first.query().get("created[gte]"), "the first run looks back a day");
    }

    @Test
    void nextRunListsFromItsCursorWithOverlapAndAppliesNothingTwice() {
        long now = billing.clock.instant().getEpochSecond();
        ObjectNode missedFailure = created(BillingSamples.stripe("invoice.payment_failed"), now - 200);
        ((ObjectNode) missedFailure.at("/data/object")).put("customer_email", contact);
        stripeApi.add(missedFailure);
        run();
        billing.clock.advance(Duration.ofMinutes(15));
        stripeApi.calls.clear();

        StripeReconciler.Result second = run();

        assertEquals(new StripeReconciler.Result(1, 0, 0, 1, 0), second);
        assertEquals(Long.toString(now - Duration.ofMinutes(10).toSeconds()), stripeApi.calls.get(0).query().get("created[gte]"));
        assertEquals(1, SentMail.to(contact).size());
    }

    @Test
    void aListedEventThatCannotBeReadFailsTheRunOnlyAfterTheOthersAreApplied() {
        long now = billing.clock.instant().getEpochSecond();
        ObjectNode unreadable = created(BillingSamples.stripe("invoice.paid"), now - 300);
        unreadable.putObject("data");
        unreadable.put("id", "");
        ObjectNode missedFailure = created(BillingSamples.stripe("invoice.payment_failed"), now - 200);
        List.of(unreadable, missedFailure).forEach(stripeApi::add);

        IllegalStateException failed = assertThrows(IllegalStateException.class, this::run);

        assertTrue(failed.getMessage().startsWith("1 listed Stripe events cannot be read"), failed.getMessage());
        assertEquals("past_due", billing.stateItem("stripe#cus_TdemoAcme0001", "ACCOUNT").get("dunningStage").s());
        assertEquals("reconciliation", billing.eventItem("stripe:" + missedFailure.get("id").asText()).get("source").s());
    }

    @Test
    void eventDatedAheadOfOurClockIsDeferredUntilItIsNotAndThenApplied() {
        long now = billing.clock.instant().getEpochSecond();
        ObjectNode ahead = created(BillingSamples.stripe("customer.subscription.updated"), now + Duration.ofHours(1).toSeconds());
        stripeApi.add(ahead);

        assertEquals(new StripeReconciler.Result(1, 0, 0, 0, 1), run());
        assertTrue(billing.items("BillingEventsTable").stream().noneMatch(item -> item.get("pk").s().startsWith("stripe:")), "nothing recorded");
        assertTrue(billing.items("BillingStateTable").stream().noneMatch(item -> item.get("pk").s().startsWith("stripe#")), "no watermark moved");

        billing.clock.advance(Duration.ofHours(1));
        assertEquals(new StripeReconciler.Result(1, 1, 0, 0, 0), run());
        assertEquals("active", billing.stateItem("stripe#cus_TdemoAcme0001", "SUB#sub_1TdemoAcme0001").get("status").s());
    }

    @Test
    void runWithoutAUsableApiKeyCallsNothingAndChangesNothing() {
        billing.putSecret("{\"stripeSigningSecrets\":[\"" + BillingStack.STRIPE_SECRET + "\"],\"chargebeeUsername\":\"chargebee\","
                + "\"chargebeePassword\":\"" + BillingStack.CHARGEBEE_PASSWORD + "\",\"stripeApiKey\":\"rk_live_...\"}");
        stripeApi.add(created(BillingSamples.stripe("invoice.payment_failed"), billing.clock.instant().getEpochSecond() - 100));

        assertEquals(new StripeReconciler.Result(0, 0, 0, 0, 0), run());
        assertEquals(List.of(), stripeApi.calls);
    }

    private StripeReconciler.Result run() {
        return reconciliation.handleRequest(SampleEvents.load("billing/reconciliation-schedule.json", ScheduleEvent.class), null);
    }

    private static ObjectNode created(ObjectNode event, long created) {
        return event.put("created", created);
    }
}
