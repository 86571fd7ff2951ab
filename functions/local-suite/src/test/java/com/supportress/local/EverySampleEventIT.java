package com.supportress.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.RegisteredSamples;
import com.supportress.emulator.SamTemplate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier, against the emulator: every function of template.yaml invoked with every sample event registered
 * for it (Metadata.SampleEvents), in template order on one stack, through what {@code -Dinvoke} runs: the payload read
 * into the handler's declared input type by the Lambda runtime's own serializer, the handler run, its result written
 * back by that serializer. The stack is stood up twice first, as {@code -Dinvoke} does against a running suite, on an
 * emulator of this test's own (the backup function's multipart uploads would break moto's mail view for the others).
 */
class EverySampleEventIT {

    private final SamTemplate template = SamTemplate.load();

    @Test
    void everyFunctionTakesEverySampleOfItsOwnAsLambdaWould() throws Exception {
        List<String> failures = new ArrayList<>();
        try (OwnEmulator emulator = OwnEmulator.start();
             LocalFunctions functions = new LocalFunctions(twice(emulator))) {
            for (LocalFunction function : LocalFunction.all(template)) {
                List<RegisteredSamples.Sample> samples = RegisteredSamples.of(template, function.logicalId());
                if (samples.isEmpty()) {
                    failures.add(function.logicalId() + ": no sample event; register one under its Metadata.SampleEvents");
                }
                for (RegisteredSamples.Sample sample : samples) {
                    check(sample, () -> LocalInvocation.invoke(functions, function, sample.file())).ifPresent(failures::add);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The stack as -Dinvoke stands it up, on an emulator that already holds it the second time. */
    private static EmulatedStack twice(OwnEmulator emulator) {
        EmulatedStack.create(emulator.endpoint(), LocalSuite.STACK_NAME, Map.of());
        return EmulatedStack.create(emulator.endpoint(), LocalSuite.STACK_NAME, Map.of());
    }

    @Test
    void everyEventFileBelongsToAFunction() {
        Set<Path> claimed = RegisteredSamples.claimedFiles(template);
        Path root = SamTemplate.repositoryRoot();
        List<String> orphans = RegisteredSamples.eventFiles()
                // The plain-Java baseline's input in the cold-start benchmark, not a function's event.
                .filter(file -> !file.startsWith(root.resolve("events/benchmarks")))
                .filter(file -> !claimed.contains(file))
                .map(file -> root.relativize(file).toString())
                .toList();
        assertEquals(List.of(), orphans, "register these under a function's Metadata.SampleEvents in template.yaml");
        claimed.forEach(file -> assertTrue(file.toFile().isFile(), "template.yaml names a missing event file " + file));
    }

    /** Empty when the sample ended as it must; otherwise what went wrong, naming the function and the file. */
    private static Optional<String> check(RegisteredSamples.Sample sample, Supplier<LocalInvocation.Outcome> invocation) {
        String name = sample.functionLogicalId() + " with " + SamTemplate.repositoryRoot().relativize(sample.file()) + ": ";
        LocalInvocation.Outcome outcome;
        try {
            outcome = invocation.get();
        } catch (RuntimeException e) {
            return Optional.of(name + "the function could not start or the runtime could not read the event into its input type: " + e);
        }
        if (sample.refusal().isPresent()) {
            return outcome.error().isPresent() ? Optional.empty()
                    : Optional.of(name + "was accepted, but must be refused (" + sample.refusal().get() + ")");
        }
        if (outcome.error().isPresent()) {
            return Optional.of(name + "failed: " + outcome.errorJson());
        }
        return switch (outcome.result()) {
            case APIGatewayV2HTTPResponse response when response.getStatusCode() >= 500 ->
                    Optional.of(name + "answered " + response.getStatusCode() + " " + response.getBody());
            case SQSBatchResponse response when !response.getBatchItemFailures().isEmpty() ->
                    Optional.of(name + "failed messages " + outcome.resultJson());
            default -> customResourceAnswer(name, outcome);
        };
    }

    private static Optional<String> customResourceAnswer(String name, LocalInvocation.Outcome outcome) {
        if (!(outcome.event() instanceof CloudFormationCustomResourceEvent)) {
            return Optional.empty();
        }
        List<String> statuses = outcome.cloudFormationAnswers().stream().map(answer -> answer.path("Status").asText()).toList();
        return statuses.equals(List.of("SUCCESS")) ? Optional.empty()
                : Optional.of(name + "CloudFormation received " + outcome.cloudFormationAnswers().stream().map(JsonNode::toString).toList());
    }
}
