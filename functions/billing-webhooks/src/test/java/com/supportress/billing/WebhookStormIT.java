package com.supportress.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.SentMail;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Integration tier (emulator): 140 distinct Stripe events for five customers, delivered in order to one stack and
 * as a shuffled storm of 200 deliveries (30% duplicates, four threads) to another. Both end in the same state,
 * every event recorded once, every failed invoice mailed once.
 */
@Tag("emulator")
class WebhookStormIT {

    private static final int CUSTOMERS = 5;
    private static final int EVENTS_PER_CUSTOMER = 28;
    private static final int DELIVERIES = 200;
    private static final List<String> STATUSES = List.of("active", "past_due", "active", "unpaid", "active", "canceled", "active");
    private static final long START = 1_764_000_000L;

    @Test
    void shuffledStormWithDuplicatesEndsInTheInOrderStateWithEachEffectOnce() throws Exception {
        Emulator.assume(EmulatorSemantics.Guarantee.SERIALIZABLE_DYNAMODB);
        String inOrderRun = "r" + UUID.randomUUID().toString().substring(0, 8);
        String stormRun = "r" + UUID.randomUUID().toString().substring(0, 8);
        List<ObjectNode> inOrder = events(inOrderRun);
        List<ObjectNode> storm = events(stormRun);
        List<ObjectNode> deliveries = new ArrayList<>(storm);
        Random random = new Random(20261125L);
        while (deliveries.size() < DELIVERIES) {
            deliveries.add(storm.get(random.nextInt(storm.size())));
        }
        Collections.shuffle(deliveries, random);

        Map<String, Map<String, AttributeValue>> expected;
        try (BillingStack reference = new BillingStack()) {
            for (ObjectNode event : inOrder) {
                assertEquals(200, reference.stripe(event).getStatusCode());
            }
            expected = state(reference, inOrderRun);
        }
        Map<String, Map<String, AttributeValue>> actual;
        try (BillingStack stormed = new BillingStack()) {
            List<Callable<Integer>> calls = deliveries.stream().<Callable<Integer>>map(event -> () -> stormed.stripe(event).getStatusCode()).toList();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (Future<Integer> status : pool.invokeAll(calls)) {
                    assertEquals(200, status.get());
                }
            } finally {
                pool.shutdownNow();
            }
            actual = state(stormed, stormRun);
            assertEquals(CUSTOMERS * EVENTS_PER_CUSTOMER, stormed.items("BillingEventsTable").stream()
                    .filter(item -> item.get("pk").s().startsWith("stripe:") && item.get("status").s().equals("DONE")).count());
        }

        assertEquals(CUSTOMERS * 2, expected.size(), "an account item and a subscription item per customer");
        assertEquals(expected, actual);
        long failedInvoicesPerCustomer = inOrder.stream().filter(e -> e.get("type").asText().equals("invoice.payment_failed")).count() / CUSTOMERS;
        List<SentMail.Message> mail = SentMail.all(Emulator.endpoint());
        for (int customer = 0; customer < CUSTOMERS; customer++) {
            // To whichever of the customer's addresses was its stored contact when the failure was applied: once per invoice.
            assertEquals(failedInvoicesPerCustomer, mailsToAnyAddressOf(mail, stormRun, customer));
            assertEquals(failedInvoicesPerCustomer, mailsToAnyAddressOf(mail, inOrderRun, customer));
        }
    }

    private static long mailsToAnyAddressOf(List<SentMail.Message> mail, String run, int customer) {
        Set<String> addresses = new HashSet<>(Set.of(contact(run, customer)));
        for (int i = 0; i < EVENTS_PER_CUSTOMER; i++) {
            addresses.add(customerEmail(run, customer, i));
        }
        return mail.stream().filter(message -> message.to().stream().anyMatch(addresses::contains)).count();
    }

    /** Per customer, in creation order: the subscription created and activated in one second, then a cycle of changes. */
    private static List<ObjectNode> events(String run) {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_CUSTOMER; i++) {
            for (int customer = 0; customer < CUSTOMERS; customer++) {
                String customerId = "cus_storm" + customer;
                long created = START + (i == 0 ? 0 : (i - 1) * 60L);
                ObjectNode event;
                if (i == 0) {
                    event = subscription("customer.subscription.created", "incomplete", customerId);
                } else if (i == 1) {
                    event = subscription("customer.subscription.updated", "active", customerId);
                } else {
                    event = switch (i % 4) {
                        case 0 -> subscription("customer.subscription.updated", STATUSES.get(i % STATUSES.size()), customerId);
                        case 1 -> invoice("invoice.payment_failed", customerId, "in_storm" + customer + "_" + i, contact(run, customer));
                        case 2 -> invoice("invoice.paid", customerId, "in_storm" + customer + "_" + (i - 1), contact(run, customer));
                        default -> customer(customerId, customerEmail(run, customer, i));
                    };
                }
                event.put("id", "evt_storm_" + customer + "_" + i).put("created", created);
                events.add(event);
            }
        }
        return events;
    }

    private static ObjectNode subscription(String type, String status, String customerId) {
        ObjectNode event = BillingSamples.stripe("customer.subscription.updated");
        event.put("type", type);
        ((ObjectNode) event.at("/data/object")).put("status", status).put("customer", customerId).put("id", "sub_" + customerId);
        return event;
    }

    private static ObjectNode invoice(String type, String customerId, String invoiceId, String contact) {
        ObjectNode event = BillingSamples.stripe(type.equals("invoice.paid") ? "invoice.paid" : "invoice.payment_failed");
        ((ObjectNode) event.at("/data/object")).put("customer", customerId).put("id", invoiceId).put("customer_email", contact);
        return event;
    }

    private static ObjectNode customer(String customerId, String email) {
        ObjectNode event = BillingSamples.stripe("customer.updated");
        ((ObjectNode) event.at("/data/object")).put("id", customerId).put("email", email);
        return event;
    }

    private static String customerEmail(String run, int customer, int version) {
        return "c" + customer + "-v" + version + "@" + run + ".example";
    }

    private static String contact(String run, int customer) {
        return "billing-" + customer + "@" + run + ".example";
    }

    /** The state table by key, with the run's own marker (in e-mail addresses) made neutral so two runs compare. */
    private static Map<String, Map<String, AttributeValue>> state(BillingStack stack, String run) {
        Map<String, Map<String, AttributeValue>> state = new TreeMap<>();
        for (Map<String, AttributeValue> item : stack.items("BillingStateTable")) {
            Map<String, AttributeValue> neutral = new TreeMap<>();
            item.forEach((name, value) -> neutral.put(name, value.s() == null ? value : AttributeValue.fromS(value.s().replace(run, "RUN"))));
            state.put(item.get("pk").s() + "/" + item.get("sk").s(), neutral);
        }
        return state;
    }
}
