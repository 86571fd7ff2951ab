package com.supportress.billing;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.supportress.billing.Payload.n;
import static com.supportress.billing.Payload.s;

/**
 * Chargebee events (API v2: {@code id}, {@code event_type}, {@code occurred_at}, {@code content}) reduced to
 * billing state. Only ids, statuses, amounts and dates are read: a transaction's masked card number, the
 * customer's addresses and payment method are never read, so never stored.
 */
final class ChargebeeEvents {

    /** Chargebee's subscription states, mapped to the same vocabulary as Stripe's. */
    private static final Map<String, String> STATUS = Map.of(
            "future", "incomplete",
            "in_trial", "trialing",
            "active", "active",
            "non_renewing", "active",
            "paused", "paused",
            "cancelled", "canceled");
    private static final List<String> LIFECYCLE = List.of("future", "in_trial", "active", "non_renewing", "paused", "cancelled");

    private ChargebeeEvents() {
    }

    /** Reads the envelope; a missing id, type, time or content is a malformed event, refused before anything is stored. */
    static BillingEvent reduce(Payload event) {
        String eventId = event.requiredId("id");
        String type = event.requiredId("event_type");
        Instant occurredAt = event.requiredEpochSecond("occurred_at");
        Payload content = event.object("content");
        try {
            return reduceContent(eventId, type, occurredAt, content);
        } catch (MalformedEventException e) {
            return BillingEvent.notApplied(Provider.CHARGEBEE, eventId, type, occurredAt, e);
        }
    }

    private static BillingEvent reduceContent(String eventId, String type, Instant occurredAt, Payload content) {
        return switch (type) {
            case "subscription_created", "subscription_activated", "subscription_changed", "subscription_renewed",
                 "subscription_cancelled", "subscription_reactivated" -> subscription(eventId, type, occurredAt, content);
            case "payment_succeeded" -> payment(eventId, type, occurredAt, content, "succeeded", 3, "none");
            case "payment_failed" -> payment(eventId, type, occurredAt, content, "failed", 1, "past_due");
            case "payment_refunded" -> refund(eventId, type, occurredAt, content);
            default -> new BillingEvent(Provider.CHARGEBEE, eventId, type, occurredAt,
                    content.id("customer.id").map(ChargebeeEvents::account), List.of(), Optional.empty());
        };
    }

    private static BillingEvent subscription(String eventId, String type, Instant at, Payload content) {
        Payload subscription = content.object("subscription");
        String account = account(subscription.requiredId("customer_id"));
        String id = subscription.requiredId("id");
        String providerStatus = subscription.requiredText("status");
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("subscriptionId", AttributeValue.fromS(id));
        fields.put("status", AttributeValue.fromS(STATUS.getOrDefault(providerStatus, providerStatus)));
        fields.put("providerStatus", AttributeValue.fromS(providerStatus));
        fields.put("price", s(subscription.text("subscription_items.0.item_price_id").or(() -> subscription.text("plan_id"))));
        fields.put("currentPeriodEnd", n(subscription.number("current_term_end")));
        fields.put("cancelAtPeriodEnd", AttributeValue.fromBool(providerStatus.equals("non_renewing")));
        fields.put("trialEnd", n(subscription.number("trial_end")));
        fields.put("canceledAt", n(subscription.number("cancelled_at")));
        List<StateChange> changes = new ArrayList<>();
        changes.add(new StateChange(account, BillingStore.subscriptionItem(id), "subscription",
                version(subscription, at, LIFECYCLE.indexOf(providerStatus) + 1, eventId), fields));
        content.optionalObject("customer").ifPresent(customer -> changes.add(customer(eventId, at, account, customer)));
        return new BillingEvent(Provider.CHARGEBEE, eventId, type, at, Optional.of(account), changes, Optional.empty());
    }

    private static StateChange customer(String eventId, Instant at, String account, Payload customer) {
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("customerId", AttributeValue.fromS(customer.requiredId("id")));
        fields.put("billingEmail", s(customer.text("email")));
        fields.put("customerDeleted", AttributeValue.fromBool(customer.flag("deleted")));
        return new StateChange(account, BillingStore.ACCOUNT_ITEM, "customer", version(customer, at, 1, eventId), fields);
    }

    private static BillingEvent payment(String eventId, String type, Instant at, Payload content,
                                        String paymentStatus, int rank, String dunningStage) {
        Payload transaction = content.object("transaction");
        String account = account(transaction.requiredId("customer_id"));
        Optional<String> invoiceId = content.id("invoice.id").or(() -> transaction.id("linked_invoices.0.invoice_id"));
        String invoice = invoiceId.orElseGet(() -> transaction.requiredId("id"));
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("lastInvoiceId", AttributeValue.fromS(invoice));
        fields.put("lastPaymentStatus", AttributeValue.fromS(paymentStatus));
        fields.put("lastPaymentAmount", n(transaction.number("amount")));
        fields.put("currency", s(transaction.text("currency_code")));
        fields.put("paymentAttempt", null);
        fields.put("dunningStage", AttributeValue.fromS(dunningStage));
        fields.put("pastDueInvoiceId", dunningStage.equals("none") ? null : AttributeValue.fromS(invoice));
        Optional<DunningNotice> dunning = paymentStatus.equals("failed")
                ? Optional.of(new DunningNotice(invoice, content.text("customer.email"), content.number("invoice.amount_due")
                        .or(() -> transaction.number("amount")).orElse(0L), transaction.text("currency_code").orElse("USD"), 1))
                : Optional.empty();
        List<StateChange> changes = new ArrayList<>();
        changes.add(new StateChange(account, BillingStore.ACCOUNT_ITEM, "payment", new Watermark(at.toEpochMilli(), rank, eventId), fields));
        content.optionalObject("customer").ifPresent(customer -> changes.add(customer(eventId, at, account, customer)));
        return new BillingEvent(Provider.CHARGEBEE, eventId, type, at, Optional.of(account), changes, dunning);
    }

    private static BillingEvent refund(String eventId, String type, Instant at, Payload content) {
        Payload transaction = content.object("transaction");
        String account = account(transaction.requiredId("customer_id"));
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("lastRefundChargeId", AttributeValue.fromS(transaction.requiredId("id")));
        fields.put("lastRefundAmount", n(transaction.number("amount")));
        fields.put("lastRefundCurrency", s(transaction.text("currency_code")));
        fields.put("lastRefundAt", AttributeValue.fromN(Long.toString(at.getEpochSecond())));
        return new BillingEvent(Provider.CHARGEBEE, eventId, type, at, Optional.of(account), List.of(
                new StateChange(account, BillingStore.ACCOUNT_ITEM, "refund", new Watermark(at.toEpochMilli(), 1, eventId), fields)),
                Optional.empty());
    }

    /**
     * Chargebee stamps every resource with {@code resource_version} (milliseconds, rising with each change):
     * a finer and truer order than the event's whole-second {@code occurred_at}, which it falls back to.
     */
    private static Watermark version(Payload resource, Instant at, int rank, String eventId) {
        long version = resource.number("resource_version").orElse(at.toEpochMilli());
        if (version < 0 || version > Watermark.MAX_EPOCH_MILLIS) {
            throw new MalformedEventException("resource_version is out of range");
        }
        return new Watermark(version, rank, eventId);
    }

    private static String account(String customerId) {
        return BillingEvent.accountKey(Provider.CHARGEBEE, customerId);
    }
}
