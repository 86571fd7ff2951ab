package com.supportress.billing;

import com.supportress.shared.http.JsonCodec;
import io.micronaut.json.tree.JsonNode;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.supportress.billing.Payload.n;
import static com.supportress.billing.Payload.s;

/**
 * Stripe events (API version {@value #API_VERSION}, the one stripe-java 32 pins) reduced to billing state.
 * Only ids, statuses, amounts and dates are read from the object; cards, addresses and names are never read.
 */
final class StripeEvents {

    static final String API_VERSION = com.stripe.Stripe.API_VERSION;

    /** Subscription states in lifecycle order: in one second, the later state of the two is the newer one. */
    private static final List<String> SUBSCRIPTION_LIFECYCLE =
            List.of("incomplete", "incomplete_expired", "trialing", "active", "past_due", "unpaid", "paused", "canceled");

    private StripeEvents() {
    }

    /**
     * A verified (or API-listed) event; its data object is read as the raw JSON Stripe sent, whatever its API version.
     * An envelope without a usable id, type, time or object is malformed (a 400 for a webhook, nothing stored).
     */
    static BillingEvent reduce(com.stripe.model.Event event, JsonCodec json) {
        // The event as stripe-java holds it, data.object included (it has no getter for that raw JSON), read by our strict reader.
        Payload envelope = new Payload(json.parse(event.toJson().getBytes(StandardCharsets.UTF_8)));
        String eventId = envelope.requiredId("id");
        String type = envelope.requiredId("type");
        Instant created = envelope.requiredEpochSecond("created");
        return reduce(eventId, type, created.getEpochSecond(), envelope.object("data.object"));
    }

    static BillingEvent reduce(String eventId, String type, long created, Payload object) {
        Instant occurredAt = Instant.ofEpochSecond(created);
        try {
            return reduceObject(eventId, type, occurredAt, object);
        } catch (MalformedEventException e) {
            return BillingEvent.notApplied(Provider.STRIPE, eventId, type, occurredAt, e);
        }
    }

    private static BillingEvent reduceObject(String eventId, String type, Instant occurredAt, Payload object) {
        return switch (type) {
            case "customer.created", "customer.updated", "customer.deleted" -> customer(eventId, type, occurredAt, object);
            case "checkout.session.completed" -> checkout(eventId, type, occurredAt, object);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
                 "customer.subscription.trial_will_end" -> subscription(eventId, type, occurredAt, object);
            case "invoice.paid", "invoice.payment_succeeded" -> invoice(eventId, type, occurredAt, object, "succeeded", 3, "none");
            case "invoice.payment_action_required" -> invoice(eventId, type, occurredAt, object, "action_required", 2, "action_required");
            case "invoice.payment_failed" -> invoice(eventId, type, occurredAt, object, "failed", 1, "past_due");
            case "charge.refunded" -> refund(eventId, type, occurredAt, object);
            case "charge.dispute.created" -> dispute(eventId, type, occurredAt, object);
            default -> new BillingEvent(Provider.STRIPE, eventId, type, occurredAt, object.id("customer")
                    .map(customer -> BillingEvent.accountKey(Provider.STRIPE, customer)), List.of(), Optional.empty());
        };
    }

    private static BillingEvent customer(String eventId, String type, Instant at, Payload customer) {
        String account = account(customer.requiredId("id"));
        boolean deleted = type.equals("customer.deleted") || customer.flag("deleted");
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("customerId", AttributeValue.fromS(customer.requiredId("id")));
        fields.put("billingEmail", s(customer.text("email")));
        fields.put("customerDeleted", AttributeValue.fromBool(deleted));
        fields.put("accountReference", s(customer.text("metadata.account_id")));
        return single(eventId, type, at, account, new StateChange(account, BillingStore.ACCOUNT_ITEM, "customer",
                new Watermark(at.toEpochMilli(), deleted ? 2 : 1, eventId), fields), Optional.empty());
    }

    private static BillingEvent checkout(String eventId, String type, Instant at, Payload session) {
        String account = account(session.requiredId("customer"));
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("checkoutSessionId", AttributeValue.fromS(session.requiredId("id")));
        // client_reference_id is the Supportress account the checkout was opened for.
        fields.put("checkoutAccountReference", s(session.text("client_reference_id")));
        fields.put("checkoutSubscriptionId", s(session.text("subscription")));
        fields.put("checkoutPaymentStatus", s(session.text("payment_status")));
        return single(eventId, type, at, account, new StateChange(account, BillingStore.ACCOUNT_ITEM, "checkout",
                new Watermark(at.toEpochMilli(), 1, eventId), fields), Optional.empty());
    }

    private static BillingEvent subscription(String eventId, String type, Instant at, Payload subscription) {
        String account = account(subscription.requiredId("customer"));
        String id = subscription.requiredId("id");
        String status = subscription.requiredText("status");
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("subscriptionId", AttributeValue.fromS(id));
        fields.put("status", AttributeValue.fromS(status));
        fields.put("price", s(subscription.text("items.data.0.price.id")));
        // Since API version 2025-03-31 the period lives on each subscription item, not on the subscription.
        fields.put("currentPeriodEnd", n(subscription.number("items.data.0.current_period_end")
                .or(() -> subscription.number("current_period_end"))));
        fields.put("cancelAtPeriodEnd", AttributeValue.fromBool(subscription.flag("cancel_at_period_end")));
        fields.put("trialEnd", n(subscription.number("trial_end")));
        fields.put("canceledAt", n(subscription.number("canceled_at")));
        int rank = SUBSCRIPTION_LIFECYCLE.indexOf(status) + 1;
        return single(eventId, type, at, account, new StateChange(account, BillingStore.subscriptionItem(id), "subscription",
                new Watermark(at.toEpochMilli(), rank, eventId), fields), Optional.empty());
    }

    private static BillingEvent invoice(String eventId, String type, Instant at, Payload invoice,
                                        String paymentStatus, int rank, String dunningStage) {
        String account = account(invoice.requiredId("customer"));
        String invoiceId = invoice.requiredId("id");
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("lastInvoiceId", AttributeValue.fromS(invoiceId));
        fields.put("lastPaymentStatus", AttributeValue.fromS(paymentStatus));
        fields.put("lastPaymentAmount", n(invoice.number(paymentStatus.equals("succeeded") ? "amount_paid" : "amount_due")));
        fields.put("currency", s(invoice.text("currency")));
        fields.put("paymentAttempt", n(invoice.number("attempt_count")));
        fields.put("dunningStage", AttributeValue.fromS(dunningStage));
        fields.put("pastDueInvoiceId", dunningStage.equals("none") ? null : AttributeValue.fromS(invoiceId));
        Optional<DunningNotice> dunning = paymentStatus.equals("failed")
                ? Optional.of(new DunningNotice(invoiceId, invoice.text("customer_email"), invoice.number("amount_due").orElse(0L),
                        invoice.text("currency").orElse("usd"), invoice.number("attempt_count").orElse(1L).intValue()))
                : Optional.empty();
        return single(eventId, type, at, account, new StateChange(account, BillingStore.ACCOUNT_ITEM, "payment",
                new Watermark(at.toEpochMilli(), rank, eventId), fields), dunning);
    }

    private static BillingEvent refund(String eventId, String type, Instant at, Payload charge) {
        String account = account(charge.requiredId("customer"));
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("lastRefundChargeId", AttributeValue.fromS(charge.requiredId("id")));
        fields.put("lastRefundAmount", n(charge.number("amount_refunded")));
        fields.put("lastRefundCurrency", s(charge.text("currency")));
        fields.put("lastRefundAt", AttributeValue.fromN(Long.toString(at.getEpochSecond())));
        return single(eventId, type, at, account, new StateChange(account, BillingStore.ACCOUNT_ITEM, "refund",
                new Watermark(at.toEpochMilli(), 1, eventId), fields), Optional.empty());
    }

    /** A dispute names its charge, not the customer: it is kept under the charge, where operators look it up. */
    private static BillingEvent dispute(String eventId, String type, Instant at, Payload dispute) {
        String chargeKey = "stripe-charge#" + dispute.requiredId("charge");
        String id = dispute.requiredId("id");
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("disputeId", AttributeValue.fromS(id));
        fields.put("disputeStatus", s(dispute.text("status")));
        fields.put("disputeReason", s(dispute.text("reason")));
        fields.put("disputeAmount", n(dispute.number("amount")));
        fields.put("disputeCurrency", s(dispute.text("currency")));
        return single(eventId, type, at, chargeKey, new StateChange(chargeKey, "DISPUTE#" + id, "dispute",
                new Watermark(at.toEpochMilli(), 1, eventId), fields), Optional.empty());
    }

    private static BillingEvent single(String eventId, String type, Instant at, String subject, StateChange change,
                                       Optional<DunningNotice> dunning) {
        return new BillingEvent(Provider.STRIPE, eventId, type, at, Optional.of(subject), List.of(change), dunning);
    }

    private static String account(String customerId) {
        return BillingEvent.accountKey(Provider.STRIPE, customerId);
    }
}
