package com.supportress.billing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.net.Webhook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Warm, in-process numbers for the Stripe path against the emulator (moto, or AWS_ENDPOINT_URL): each delivery is a
 * distinct signed customer.subscription.updated through the real handler, so it is verified, recorded with the
 * conditional write, applied under its watermark and marked done (three DynamoDB calls). Prints throughput
 * (sequential and with four threads), the latency percentiles of the sequential run, and the cost of the signature
 * check alone. A plain main, not a test: {@code -Dbilling.tool=com.supportress.billing.BillingWebhooksBenchmark}.
 */
public final class BillingWebhooksBenchmark {

    private static final int WARM_UP = 500;
    private static final int MEASURED = 2_000;
    private static final int THREADS = 4;

    private BillingWebhooksBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (BillingStack billing = new BillingStack()) {
            run(billing, "warm-up", WARM_UP);
            long[] latencies = run(billing, "sequential", MEASURED);
            Arrays.sort(latencies);
            System.out.printf("latency verify+record+apply: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)%n",
                    percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99), latencies[latencies.length - 1] / 1e6, latencies.length);
            parallel(billing, MEASURED);
            signatureOnly(billing);
        }
    }

    private static long[] run(BillingStack billing, String label, int count) {
        List<APIGatewayV2HTTPEvent> requests = requests(billing, label, count);
        long[] latencies = new long[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long begin = System.nanoTime();
            int status = billing.send(requests.get(i)).getStatusCode();
            latencies[i] = System.nanoTime() - begin;
            if (status != 200) {
                throw new IllegalStateException(label + " delivery " + i + " answered " + status);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-10s %5d events in %6.2f s: %7.1f events/s%n", label, count, seconds, count / seconds);
        return latencies;
    }

    private static void parallel(BillingStack billing, int count) throws Exception {
        List<APIGatewayV2HTTPEvent> requests = requests(billing, "parallel", count);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> statuses = new ArrayList<>();
            for (APIGatewayV2HTTPEvent request : requests) {
                statuses.add(pool.submit(() -> billing.send(request).getStatusCode()));
            }
            for (Future<Integer> status : statuses) {
                if (status.get() != 200) {
                    throw new IllegalStateException("parallel delivery answered " + status.get());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-10s %5d events in %6.2f s: %7.1f events/s (%d threads)%n", "parallel", count, seconds, count / seconds, THREADS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The signature check alone, in process, no I/O: what verification adds to each delivery. */
    private static void signatureOnly(BillingStack billing) throws Exception {
        String body = BillingSamples.stripe("customer.subscription.updated").toString();
        String header = StripeSigner.header(body, BillingStack.STRIPE_SECRET, billing.clock.instant());
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            Webhook.constructEvent(body, header, BillingStack.STRIPE_SECRET, 300, billing.clock);
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            Webhook.constructEvent(body, header, BillingStack.STRIPE_SECRET, 300, billing.clock);
        }
        System.out.printf("Webhook.constructEvent alone: %.1f us per event (%d bytes)%n",
                (System.nanoTime() - start) / 1e3 / rounds, body.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Distinct events over 100 subscriptions with rising times, signed now (well within the 300 s tolerance). */
    private static List<APIGatewayV2HTTPEvent> requests(BillingStack billing, String label, int count) {
        List<APIGatewayV2HTTPEvent> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ObjectNode event = BillingSamples.stripe("customer.subscription.updated");
            event.put("id", "evt_bench_" + label + "_" + i).put("created", 1_764_000_000L + i);
            ((ObjectNode) event.at("/data/object")).put("id", "sub_bench_" + (i % 100)).put("customer", "cus_bench_" + (i % 100));
            String body = event.toString();
            requests.add(BillingStack.stripeRequest(body, StripeSigner.header(body, BillingStack.STRIPE_SECRET, billing.clock.instant())));
        }
        return requests;
    }

    private static double percentile(long[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
