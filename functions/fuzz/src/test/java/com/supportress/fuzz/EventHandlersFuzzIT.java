package com.supportress.fuzz;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.supportress.emulator.HandlerTypes;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.emulator.RegisteredSamples;
import com.supportress.emulator.RuntimeSerializers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier (emulator): mutated registered sample events for every function of template.yaml without HTTP routes (queue
 * consumers, schedules, the custom resource, operator invocations), deserialized by the Lambda runtime's own
 * serializer into the handler's declared input type, then invoked. Promises: an SQS consumer never throws (bad
 * messages become batch failures); the custom resource always answers CloudFormation and never throws; any other
 * function fails only in the ways its unmutated samples fail (a hostile event cannot provoke a new kind of failure).
 * Cases per function: system property fuzz.eventRuns (pom).
 */
class EventHandlersFuzzIT {

    @Test
    void noEventHandlerFailsInANewWayOnAMutatedEvent() throws IOException {
        int runs = Integer.getInteger("fuzz.eventRuns", 3);
        FuzzStack fuzz = FuzzStack.get();
        AtomicInteger cloudFormationAnswers = new AtomicInteger();
        HttpServer cloudFormation = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cloudFormation.createContext("/", exchange -> {
            cloudFormationAnswers.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        cloudFormation.start();
        AtomicInteger invoked = new AtomicInteger();
        AtomicInteger refusedByRuntime = new AtomicInteger();
        try {
            for (LocalFunction function : fuzz.functions()) {
                if (!function.routes().isEmpty()) {
                    continue;
                }
                Type type = HandlerTypes.inputType(classOf(function));
                List<String> seeds = seedsFor(function);
                assertTrue(!seeds.isEmpty(), function.logicalId() + " has no sample event in events/ to fuzz from");
                Set<String> expected = new HashSet<>();
                for (String seed : seeds) {
                    expected.add(outcome(fuzz, function, RuntimeSerializers.read(seed.getBytes(StandardCharsets.UTF_8), type),
                            cloudFormation, cloudFormationAnswers));
                }
                Cases.check(function.logicalId() + " mutated events", runs, Hostile.mutated(seeds), mutated -> {
                    Object event;
                    try {
                        event = RuntimeSerializers.read(mutated, type);
                    } catch (RuntimeException e) {
                        // The runtime refuses it before any handler code runs: Lambda's boundary, not ours.
                        refusedByRuntime.incrementAndGet();
                        return;
                    }
                    String outcome = outcome(fuzz, function, event, cloudFormation, cloudFormationAnswers);
                    invoked.incrementAndGet();
                    assertTrue(expected.contains(outcome) || outcome.equals("ok"),
                            () -> function.logicalId() + " failed with " + outcome + "; its samples end in " + expected);
                });
            }
        } finally {
            cloudFormation.stop(0);
        }
        System.out.println("EventHandlersFuzzIT: " + invoked + " events invoked, " + refusedByRuntime + " refused by the runtime's deserializer");
    }

    /** "ok", or the class of what the handler threw; checks the promises of queue consumers and the custom resource on the way. */
    private static String outcome(FuzzStack fuzz, LocalFunction function, Object event, HttpServer cloudFormation, AtomicInteger answers) {
        if (event instanceof CloudFormationCustomResourceEvent request) {
            // CloudFormation always gives a presigned URL to answer on; here it is ours, to count the answers.
            request.setResponseUrl("http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/answer");
        }
        int answersBefore = answers.get();
        try {
            Object result = fuzz.handler(function).handleRequest(event, LocalLambdaContext.forFunction(function.logicalId()));
            if (event instanceof SQSEvent) {
                assertInstanceOf(SQSBatchResponse.class, result);
            }
            if (event instanceof CloudFormationCustomResourceEvent) {
                assertEquals(answersBefore + 1, answers.get(), "CloudFormation got no answer");
            }
            return "ok";
        } catch (RuntimeException e) {
            assertTrue(!(event instanceof SQSEvent) && !(event instanceof CloudFormationCustomResourceEvent),
                    () -> function.logicalId() + " threw " + e);
            return e.getClass().getName();
        }
    }

    /** The function's registered samples (template.yaml Metadata.SampleEvents): new functions are fuzzed from theirs. */
    private static List<String> seedsFor(LocalFunction function) throws IOException {
        List<String> seeds = new ArrayList<>();
        for (RegisteredSamples.Sample sample : RegisteredSamples.of(FuzzStack.get().stack.template(), function.logicalId())) {
            seeds.add(Files.readString(sample.file()));
        }
        return seeds;
    }

    private static Class<?> classOf(LocalFunction function) {
        try {
            return Class.forName(function.handlerClass());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(function.logicalId() + ": is its module a test dependency of functions/fuzz?", e);
        }
    }
}
